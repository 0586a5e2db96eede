import ArgumentParser
import DuckLake
import Foundation
import Storage

/// `homer bench upkeep-generate`: a lake with one big date partition for the compaction benchmark; the compaction
/// itself runs as `homer lake maintain --config <dir>/homer.json` under `/usr/bin/time -v` (BENCHMARKS.md
/// "Lake upkeep"), so its peak RSS is measured alone.
struct UpkeepGenerateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upkeep-generate",
        abstract: "Write a lake with one date partition of N MiB of small files (input of the compaction bench).")
    @Option(help: "Directory for the lake (catalog.sqlite, data/, homer.json).") var directory: String
    @Option(help: "Parquet bytes to write, in MiB.") var mib = 2048
    @Option(help: "Rows per file.") var rowsPerFile = 500_000

    func run() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let r = try await LakeUpkeepBench.generate(directory: directory, bytes: Int64(mib) << 20, rowsPerFile: rowsPerFile)
        let config = """
            {"storage": {"ducklake": {"catalog_path": "\(directory)/catalog.sqlite", "data_path": "\(directory)/data/"}},
             "maintenance": {"expire_snapshots_older_than_hours": 0, "retention_days": 0}}
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/homer.json"))
        print(r)
        print("config: \(directory)/homer.json")
    }
}

/// `homer bench lake-lookup`: Call-ID lookup latency with the lake's files local, and on S3 when `--endpoint` names
/// an S3-compatible server (moto: `bench/lake-lookup.sh`).
struct LakeLookupBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lake-lookup", abstract: "Call-ID lookup latency, data local vs on S3 (moto).")
    @Option(help: "Rows in the lake.") var rows = 1_000_000
    @Option(help: "Rows per file.") var rowsPerFile = 100_000
    @Option(help: "Lookups (distinct Call-IDs).") var lookups = 50
    @Option(help: "S3 endpoint host:port (http, path style; credentials from AWS_* or test/test).") var endpoint: String?
    @Option(help: "Bucket (created if missing).") var bucket = "homer-bench"
    @Option(help: "Directory for the catalogs and the local files (default: a temporary one).") var directory: String?

    func run() async throws {
        let dir = try BenchCommand.scratch(directory, "lookup")
        let local = try SQLiteCatalog(path: dir + "/local.sqlite", dataPath: dir + "/local-data")
        let localFiles = LocalLakeFiles(root: local.dataPath)
        let ids = try await LakeLookupBench.write(catalog: local, files: localFiles, rows: rows, rowsPerFile: rowsPerFile,
                                                  sample: lookups)
        print(try await LakeLookupBench.lookups(reader: LakeReader(catalog: local, files: localFiles), callIDs: ids,
                                                label: "local"))
        guard let endpoint else { return }
        let env = ProcessInfo.processInfo.environment
        let s3 = S3Options(bucket: bucket, prefix: "lake/", region: env["AWS_REGION"] ?? "us-east-1",
                           accessKeyID: env["AWS_ACCESS_KEY_ID"] ?? "test",
                           secretAccessKey: env["AWS_SECRET_ACCESS_KEY"] ?? "test", endpoint: endpoint,
                           urlStyle: .path, useSSL: false)
        let store = try S3ObjectStore(options: s3)
        try? await store.createBucket()
        let remote = try SQLiteCatalog(path: dir + "/s3.sqlite", dataPath: "s3://\(bucket)/lake/")
        let remoteFiles = ObjectStoreLakeFiles(store: store, dataPath: remote.dataPath, stagingDirectory: dir + "/staging")
        let same = try await LakeLookupBench.write(catalog: remote, files: remoteFiles, rows: rows,
                                                   rowsPerFile: rowsPerFile, sample: lookups)
        print(try await LakeLookupBench.lookups(reader: LakeReader(catalog: remote, files: remoteFiles), callIDs: same,
                                                label: "s3 (\(endpoint))"))
        try await store.shutdown()
    }
}
