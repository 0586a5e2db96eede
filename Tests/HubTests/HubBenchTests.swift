import Foundation
import Testing
@testable import Hub

/// Entry point of the Hub bench through the test runner (as the other modules' benches): runs only when
/// `HOMER_HUB_BENCH=1`, e.g. `HOMER_HUB_BENCH=1 HOMER_HUB_BENCH_ROWS=200000 swift test -c release --filter HubBenchTests`.
/// It is not a test: it asserts nothing but that the bench completes.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["HOMER_HUB_BENCH"] == "1", "set HOMER_HUB_BENCH=1 to run the bench"))
struct HubBenchTests {
    @Test func hubBench() async throws {
        let env = ProcessInfo.processInfo.environment
        var o = HubBench.Options()
        if let r = env["HOMER_HUB_BENCH_ROWS"].flatMap(Int.init) { o.rowsPerNode = r }
        if let n = env["HOMER_HUB_BENCH_ITERATIONS"].flatMap(Int.init) { o.iterations = n }
        if let l = env["HOMER_HUB_BENCH_LIMIT"].flatMap(Int.init) { o.limit = l }
        _ = try await HubBench.run(o) { print("BENCH \($0)") }
    }
}
