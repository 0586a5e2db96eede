import Foundation
import HEP

/// The ingest benchmark of issue 4: pre-encoded HEP → decode → SIP fields → Parquet → committed snapshots, in one
/// process. Reports messages per CPU-second (user + system time of the whole process, so encoding on other threads
/// counts) and bytes per message on disk.
public enum LakeBench {
    /// What one run measured.
    public struct Result: Sendable, CustomStringConvertible {
        public var messages: Int
        public var wallSeconds: Double
        public var cpuSeconds: Double
        public var bytesOnDisk: Int64
        public var files: Int64
        public var snapshots: Int
        public var messagesPerCPUSecond: Double { Double(messages) / max(cpuSeconds, 1e-9) }
        public var messagesPerWallSecond: Double { Double(messages) / max(wallSeconds, 1e-9) }
        public var bytesPerMessage: Double { Double(bytesOnDisk) / Double(max(messages, 1)) }

        public var description: String {
            String(format: "%d messages in %.2f s wall, %.2f s CPU: %.0f msg/s per core (%.0f msg/s wall), "
                   + "%.1f B/message on disk (%lld files, %d snapshots)", messages, wallSeconds, cpuSeconds,
                   messagesPerCPUSecond, messagesPerWallSecond, bytesPerMessage, files, snapshots)
        }
    }

    /// Generates `messages` SIP packets (SIPTrafficGenerator), encodes them as HEPv3 (not timed), then times decoding,
    /// field extraction and the lake writer with `options` into a fresh lake under `directory`.
    public static func run(messages: Int, directory: String, options: LakeWriterOptions = LakeWriterOptions(),
                           chunk: Int = 1000) async throws -> Result {
        var generator = SIPTrafficGenerator()
        let start: Int64 = 1_737_590_000_000_000_000
        var encoded: [[UInt8]] = []
        encoded.reserveCapacity(messages)
        for i in 0..<messages {
            encoded.append(HEPEncoder.encode(generator.next(timestamp: start + Int64(i) * 100_000)))
        }
        let catalogPath = directory + "/catalog.sqlite"
        let writer = try await LakeWriter(catalogPath: catalogPath, dataPath: directory + "/data", options: options)
        let cpu0 = cpuTime(), wall0 = ContinuousClock.now
        var offset = 0
        let hepOptions = HEPOptions()
        while offset < encoded.count {
            let end = min(offset + chunk, encoded.count)
            var records: [HEPRecord] = []
            records.reserveCapacity(end - offset)
            for i in offset..<end {
                let packet = try HEPDecoder.decode(encoded[i], options: hepOptions)   // as the listeners do
                records.append(HEPRecord(packet: packet, receivedAt: start, options: hepOptions))
            }
            try await writer.append(records, through: LakeSpoolPosition(segment: 0, offset: UInt64(end)))
            offset = end
        }
        try await writer.shutdown()
        let wall = ContinuousClock.now - wall0
        let cpu = cpuTime() - cpu0
        let stats = try writer.catalog.statistics(tableID: writer.table.tableID, at: nil)
        let snapshots = try writer.catalog.snapshots(table: HEPTable.tableName, limit: 1_000_000).count { $0.rowsAdded > 0 }
        guard stats.rowCount == Int64(messages) else {
            throw DuckLakeError(.corruptCatalog, "bench committed \(stats.rowCount) rows of \(messages)")
        }
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        return Result(messages: messages, wallSeconds: seconds, cpuSeconds: cpu, bytesOnDisk: stats.fileSizeBytes,
                      files: stats.fileCount, snapshots: snapshots)
    }

    /// User + system CPU seconds of this process.
    static func cpuTime() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
