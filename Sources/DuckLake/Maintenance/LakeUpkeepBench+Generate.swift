import Foundation
import HEP

extension LakeUpkeepBench {
    /// What `generate` wrote.
    public struct Generated: Sendable, CustomStringConvertible {
        public var rows: Int
        public var files: Int64
        public var bytes: Int64
        public var seconds: Double

        public var description: String {
            String(format: "wrote %d rows in %lld file(s), %.1f MiB, one date partition, in %.1f s", rows, files,
                   Double(bytes) / 1_048_576, seconds)
        }
    }

    /// Writes a local lake (`directory/catalog.sqlite`, `directory/data/`) holding one `date` partition of at least
    /// `bytes` of Parquet, in files of `rowsPerFile` realistic SIP rows (`SIPTrafficGenerator`, records built from the
    /// packets directly: no HEP encoding), for the compaction benchmark run by `homer lake maintain` in a separate
    /// process (so its peak RSS is the compaction's alone). Timestamps are spread over 2025-01-23 UTC.
    public static func generate(directory: String, bytes: Int64, rowsPerFile: Int) async throws -> Generated {
        let catalog = try SQLiteCatalog(path: directory + "/catalog.sqlite", dataPath: directory + "/data")
        let files = LocalLakeFiles(root: catalog.dataPath)
        var o = LakeWriterOptions()
        o.flushIntervalSeconds = 86_400
        o.batchSize = rowsPerFile
        let writer = try await LakeWriter(catalog: catalog, files: files, options: o)
        var generator = SIPTrafficGenerator()
        let day: Int64 = 1_737_590_400_000_000_000    // 2025-01-23 00:00 UTC
        let hep = HEPOptions()
        let t0 = Date()
        var rows = 0
        var written: Int64 = 0
        while written < bytes {
            var batch: [HEPRecord] = []
            batch.reserveCapacity(rowsPerFile)
            for _ in 0..<rowsPerFile {
                // 1 ms apart, wrapped inside the day: one partition however many rows.
                let ts = day + Int64(rows % 86_000_000) * 1_000_000
                batch.append(HEPRecord(packet: generator.next(timestamp: ts), receivedAt: ts, options: hep))
                rows += 1
            }
            try await writer.append(batch)
            try await writer.flush()
            written = try catalog.statistics(tableID: writer.table.tableID, at: nil).fileSizeBytes
        }
        try await writer.shutdown()
        let stats = try catalog.statistics(tableID: writer.table.tableID, at: nil)
        return Generated(rows: rows, files: stats.fileCount, bytes: stats.fileSizeBytes,
                         seconds: Date().timeIntervalSince(t0))
    }
}
