import Foundation
import Testing
import TestSupport
import DuckLake

/// `HOMER_BENCH=1 swift test --filter lakeCompactionBench` (a benchmark, not a test: disabled visibly otherwise).
@Test(.enabled(if: ProcessInfo.processInfo.environment["HOMER_BENCH"] != nil, "set HOMER_BENCH=1"))
func lakeCompactionBench() async throws {
    let env = ProcessInfo.processInfo.environment
    let files = Int(env["HOMER_BENCH_FILES"] ?? "") ?? 200
    let rows = Int(env["HOMER_BENCH_ROWS_PER_FILE"] ?? "") ?? 5000
    let dir = try Oracle.temporaryDirectory("upkeep-bench")
    let result = try await LakeUpkeepBench.run(files: files, rowsPerFile: rows, directory: dir.path)
    print("UPKEEP-BENCH \(result)")
    #expect(result.files == files)
    try? FileManager.default.removeItem(at: dir)
}
