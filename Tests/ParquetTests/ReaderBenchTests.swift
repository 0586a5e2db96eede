import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Entry point for `bench/parquet-read.sh` (HOMER_PARQUET_READ_BENCH_DIR set: 1M rows, release build, one JSON line
/// per query). Without it, the same code runs on 5,000 rows as a test and DuckDB checks the lookup's answer.
@Suite struct ReaderBenchTests {
    @Test func readBench() async throws {
        let env = ProcessInfo.processInfo.environment
        let benchDir = env["HOMER_PARQUET_READ_BENCH_DIR"]
        let dir = try benchDir.map { URL(fileURLWithPath: $0) } ?? Oracle.temporaryDirectory("parquet-read-bench")
        defer { if benchDir == nil { try? FileManager.default.removeItem(at: dir) } }
        let rows = benchDir == nil ? 5_000 : Int(env["HOMER_PARQUET_READ_BENCH_ROWS"] ?? "") ?? 1_000_000
        let runs = benchDir == nil ? 1 : Int(env["HOMER_PARQUET_READ_BENCH_RUNS"] ?? "") ?? 5
        let (file, callID, results) = try await ParquetReadBench.run(rows: rows, directory: dir.path, runs: runs)
        for r in results {
            print("BENCH {\"label\": \"\(r.label)\", \"seconds\": \(r.seconds), \"rows\": \(r.rows), "
                  + "\"bytes_read\": \(r.bytesRead), \"row_groups_read\": \(r.rowGroupsRead), "
                  + "\"row_groups_total\": \(r.rowGroupsTotal), \"file\": \"\(file)\", \"call_id\": \"\(callID)\"}")
        }
        #expect(results.count == 3)
        #expect(results[0].rows == rows && results[1].rows == rows)
        let lookup = results[2]
        #expect(lookup.rows > 0 && lookup.rowGroupsRead == 1)
        // DuckDB agrees on the lookup's row count.
        let out = try Oracle.run(Oracle.python, ["-c", """
            import duckdb, sys
            print(duckdb.sql("SELECT count(*) FROM read_parquet(?) WHERE call_id = ?", params=[sys.argv[1], sys.argv[2]]).fetchone()[0])
            """, file, callID])
        #expect(Int(out.trimmingCharacters(in: .whitespacesAndNewlines)) == lookup.rows)
    }
}
