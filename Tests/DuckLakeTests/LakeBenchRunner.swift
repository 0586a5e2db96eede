import Foundation
import Testing
import TestSupport
import DuckLake

/// `bench/ingest.sh` runs this in a release build with HOMER_BENCH set (a benchmark, not a test: it is disabled,
/// visibly, otherwise). Prints our figures and DuckDB's on the same rows.
@Test(.enabled(if: ProcessInfo.processInfo.environment["HOMER_BENCH"] != nil, "set HOMER_BENCH=1 (bench/ingest.sh)"))
func lakeIngestBench() async throws {
    let env = ProcessInfo.processInfo.environment
    let messages = Int(env["HOMER_BENCH_MESSAGES"] ?? "") ?? 300_000
    let dir = try Oracle.temporaryDirectory("lake-bench")
    var options = LakeWriterOptions()
    options.batchSize = Int(env["HOMER_BENCH_BATCH"] ?? "") ?? 10_000
    options.flushIntervalSeconds = 3600
    if let level = env["HOMER_BENCH_ZSTD_LEVEL"].flatMap(Int32.init) { options.parquet.compressionLevel = level }
    if let bytes = env["HOMER_BENCH_PAGE_BYTES"].flatMap(Int.init) { options.parquet.pageBytes = bytes }
    switch env["HOMER_BENCH_PAYLOAD_ENCODING"] {
    case "plain": options.parquet.columnEncodings = ["payload": .plain, "payload_bin": .plain]
    case "delta": options.parquet.columnEncodings = ["payload": .deltaLengthByteArray, "payload_bin": .deltaLengthByteArray]
    case "automatic": options.parquet.columnEncodings = [:]
    default: break
    }
    let result = try await LakeBench.run(messages: messages, directory: dir.path, options: options)
    print("LAKE-BENCH homer: batch_size \(options.batchSize), ZSTD level \(options.parquet.compressionLevel), "
          + "page \(options.parquet.pageBytes) B, encodings \(options.parquet.columnEncodings): \(result)")
    let duck = try Oracle.runPython("ducklake_bench_duckdb.py", [dir.path + "/catalog.sqlite", dir.path])
    print("LAKE-BENCH duckdb: \(duck)")
    #expect(result.messages == messages)
    try? FileManager.default.removeItem(at: dir)
}
