import Foundation
import Testing
@testable import Parquet

/// Entry point for `bench/parquet-write.sh` (a benchmark, not a test): runs only when HOMER_PARQUET_BENCH_DIR is set,
/// and prints one JSON line per configuration.
@Suite struct WriterBenchTests {
    static let directory = ProcessInfo.processInfo.environment["HOMER_PARQUET_BENCH_DIR"]

    @Test(.enabled(if: directory != nil, "benchmark: set HOMER_PARQUET_BENCH_DIR (bench/parquet-write.sh)"))
    func writeBench() throws {
        let env = ProcessInfo.processInfo.environment
        let rows = Int(env["HOMER_PARQUET_BENCH_ROWS"] ?? "") ?? 1_000_000
        let runs = Int(env["HOMER_PARQUET_BENCH_RUNS"] ?? "") ?? 3
        let levels = (env["HOMER_PARQUET_BENCH_ZSTD_LEVELS"] ?? "1,3").split(separator: ",").compactMap { Int32($0) }
        let snappy = env["HOMER_PARQUET_BENCH_SNAPPY"] != "0"
        for r in try ParquetBench.runWrite(rows: rows, directory: Self.directory!, runs: runs, zstdLevels: levels,
                                           snappy: snappy,
                                           uncompressed: env["HOMER_PARQUET_BENCH_UNCOMPRESSED"] == "1",
                                           threads: (env["HOMER_PARQUET_BENCH_THREADS"] ?? "1").split(separator: ",")
                                               .compactMap { Int($0) }) {
            print("BENCH {\"label\": \"\(r.label)\", \"bytes\": \(r.bytes), \"seconds\": \(r.seconds), \"cpu\": \(r.cpuSeconds), \"rows\": \(rows)}")
        }
    }

    /// The synthetic table itself is sane: sorted timestamps, ~600-byte payloads, 7 messages per call.
    @Test func syntheticTableIsHEPShaped() {
        let t = SyntheticSIPTable(rows: 7000)
        guard case .int64(let ts) = t.columns[0].values, case .bytes(let payload) = t.columns[10].values else {
            Issue.record("unexpected column types")
            return
        }
        #expect(ts == ts.sorted())
        let mean = Double(payload.data.count) / Double(payload.count)
        #expect(mean > 450 && mean < 800, "mean payload \(mean) bytes")
        #expect(t.columns.allSatisfy { $0.count == 7000 })
    }
}
