import ArgumentParser
import DuckLake
import Foundation
import HEP
import Hub
import Ingest
import Parquet
import Storage

/// `homer bench …`: the in-process benchmarks. Build with `-c release` before quoting figures. The scripts in
/// `bench/` run these side by side with DuckDB and pyarrow on the same data and write `BENCHMARKS.md`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark (use a release build).",
        subcommands: [HEPDecode.self, ParquetWrite.self, ParquetRead.self, LakeIngest.self, Ingest.self,
                      StorageThroughput.self, HubOverhead.self, UpkeepGenerateBench.self,
                      LakeLookupBenchCommand.self])

    /// A scratch directory for a bench's files: `--directory`, else a fresh one under the temporary directory.
    static func scratch(_ directory: String?, _ label: String) throws -> String {
        let path = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("homer-bench-\(label)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    struct HEPDecode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hep-decode", abstract: "ns per packet: HEPv3 decode, and decode + SIP field extraction.")
        @Option(help: "Packets in the realistic mix.") var packets = 10_000
        @Option(help: "Passes over the mix per run.") var iterations = 20
        @Option(help: "Runs (the median is reported).") var runs = 7

        func run() {
            print(HEPBench.run(packets: packets, iterations: iterations, runs: runs))
        }
    }

    struct ParquetWrite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parquet-write", abstract: "Rows/s and bytes on disk writing a HEP-shaped table.")
        @Option(help: "Rows in the table.") var rows = 1_000_000
        @Option(help: "Runs per configuration (median reported).") var runs = 3
        @Option(help: "Directory for the files (default: a temporary one).") var directory: String?

        func run() throws {
            let dir = try BenchCommand.scratch(directory, "parquet-write")
            for r in try ParquetBench.runWrite(rows: rows, directory: dir, runs: runs) {
                print(String(format: "%-18@ %10.0f rows/s  %6.1f B/row  %8.2f s wall  %8.2f s cpu", r.label,
                             r.rowsPerSecond, Double(r.bytes) / Double(rows), r.seconds, r.cpuSeconds))
            }
        }
    }

    struct ParquetRead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parquet-read", abstract: "Full scan and Call-ID point lookup on a HEP-shaped file.")
        @Option(help: "Rows in the file.") var rows = 1_000_000
        @Option(help: "Runs (median reported).") var runs = 5
        @Option(help: "Directory for the file (default: a temporary one).") var directory: String?

        func run() async throws {
            let dir = try BenchCommand.scratch(directory, "parquet-read")
            let out = try await ParquetReadBench.run(rows: rows, directory: dir, runs: runs)
            print("file \(out.file), call_id \(out.callID)")
            for r in out.results {
                print(String(format: "%-24@ %9.2f ms  rows %8d  bytes read %10lld  row groups %d/%d", r.label,
                             r.seconds * 1000, r.rows, r.bytesRead, r.rowGroupsRead, r.rowGroupsTotal))
            }
        }
    }

    struct LakeIngest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest-lake",
            abstract: "Pre-encoded HEP → decode → SIP fields → Parquet → committed snapshots, in one process.")
        @Option(help: "SIP messages.") var messages = 1_000_000
        @Option(help: "Rows per flush (batch_size).") var batchSize = 100_000
        @Option(help: "Directory for the lake (default: a temporary one).") var directory: String?
        @Option(help: "ZSTD level of the data files (default: the lake's).") var zstdLevel: Int32?
        @Option(help: "ZSTD window log, 10…27 (default: libzstd's for the level).") var zstdWindowLog: Int32?
        @Option(help: "Largest data page in bytes (default: the lake's).") var pageBytes: Int?
        @Option(help: "Row order in a file: sessionThenTime or time (default: the lake's).") var fileOrder: String?
        @Option(help: "ZSTD row-based match finder: on, off or auto (default: the lake's).") var zstdRowMatchFinder: String?

        func run() async throws {
            var options = LakeWriterOptions()
            options.batchSize = batchSize
            if let zstdLevel { options.parquet.compressionLevel = zstdLevel }
            if let zstdWindowLog { options.parquet.zstdWindowLog = zstdWindowLog }
            if let pageBytes { options.parquet.pageBytes = pageBytes }
            switch zstdRowMatchFinder {
            case nil: break
            case "on": options.parquet.zstdRowMatchFinder = true
            case "off": options.parquet.zstdRowMatchFinder = false
            case "auto": options.parquet.zstdRowMatchFinder = nil
            default: throw ValidationError("--zstd-row-match-finder: on, off or auto")
            }
            if let fileOrder {
                guard let o = LakeWriterOptions.FileOrder(rawValue: fileOrder) else {
                    throw ValidationError("--file-order: sessionThenTime or time")
                }
                options.fileOrder = o
            }
            let dir = try BenchCommand.scratch(directory, "lake")
            print(try await LakeBench.run(messages: messages, directory: dir, options: options))
        }
    }

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest", abstract: "Listener throughput: homer's sender to homer's listener over loopback.")
        @Option(help: "udp or tcp.") var transport = "tcp"
        @Option(help: "Packets to send.") var packets = 1_000_000
        @Option(help: "Packets per second (default: as fast as possible).") var rate: Double?
        @Option(help: "UDP receive buffer in bytes.") var udpReceiveBuffer = 32 << 20
        @Option(help: "Spool directory (default: a temporary one).") var directory: String?

        func run() async throws {
            let dir = try BenchCommand.scratch(directory, "ingest")
            print(try await IngestBench.run(transport: transport, packets: packets, rate: rate,
                                            udpReceiveBuffer: udpReceiveBuffer, spoolDirectory: dir))
        }
    }

    struct StorageThroughput: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "storage", abstract: "Upload and ranged-read throughput of an object store.")
        @Option(help: "A local directory or s3://bucket/prefix/ (S3 settings from AWS_* variables).")
        var dataPath: String
        @Option(help: "S3 endpoint host:port (e.g. a moto server).") var endpoint: String?
        @Option(help: "Object size in MiB.") var objectMiB = 64

        func run() async throws {
            var s3 = S3Options().resolved(environment: ProcessInfo.processInfo.environment)
            if let endpoint {
                s3.endpoint = endpoint
                s3.useSSL = false
                s3.urlStyle = .path
            }
            let store = try ObjectStores.make(dataPath: dataPath, s3: s3)
            let result = try await StorageBench.run(store: store, scratchDirectory: try BenchCommand.scratch(nil, "st"),
                                                    objectMiB: objectMiB)
            try await store.shutdown()
            print(result)
        }
    }

    struct HubOverhead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hub", abstract: "Hub overhead vs direct node queries, and time saved by skipping nodes.")
        @Option(help: "Rows per node.") var rowsPerNode = 200_000
        @Option(help: "Queries per measurement.") var iterations = 100

        func run() async throws {
            var options = HubBench.Options()
            options.rowsPerNode = rowsPerNode
            options.iterations = iterations
            try await HubBench.run(options)
        }
    }
}
