import Foundation
import HEP

/// Compaction benchmark (issue 6): `files` flushes of `rowsPerFile` synthetic SIP rows into one date partition, then
/// one `LakeCompactor` pass merging them. Reports input MB/s, rows/s and the process's peak RSS before and after the
/// compaction (ru_maxrss: if the peak does not grow, compaction stayed below what writing the files needed).
public enum LakeUpkeepBench {
    public struct Result: Sendable, CustomStringConvertible {
        public var files: Int
        public var rows: Int
        public var inputBytes: Int64
        public var outputBytes: Int64
        public var outputFiles: Int
        public var seconds: Double
        public var peakRSSBeforeMiB: Double
        public var peakRSSAfterMiB: Double

        public var description: String {
            String(format: "compacted %d files (%d rows, %.1f MiB) into %d file(s) (%.1f MiB) in %.2f s: %.1f MiB/s, %.0f rows/s; "
                   + "peak RSS %.0f MiB before, %.0f MiB after", files, rows, Double(inputBytes) / 1_048_576, outputFiles,
                   Double(outputBytes) / 1_048_576, seconds, Double(inputBytes) / 1_048_576 / max(seconds, 1e-9),
                   Double(rows) / max(seconds, 1e-9), peakRSSBeforeMiB, peakRSSAfterMiB)
        }
    }

    public static func run(files: Int, rowsPerFile: Int, directory: String) async throws -> Result {
        let catalog = try SQLiteCatalog(path: directory + "/catalog.sqlite", dataPath: directory + "/data")
        let lakeFiles = LocalLakeFiles(root: catalog.dataPath)
        var o = LakeWriterOptions()
        o.flushIntervalSeconds = 3600
        o.batchSize = rowsPerFile * 2
        let writer = try await LakeWriter(catalog: catalog, files: lakeFiles, options: o)
        let start: Int64 = 1_737_590_400_000_000_000   // 2025-01-23 00:00 UTC: one partition
        for f in 0..<files {
            try await writer.append((0..<rowsPerFile).map { i in record(start, f * rowsPerFile + i) })
            try await writer.flush()
        }
        let table = try catalog.ensureHEPTable()
        let before = peakRSSMiB()
        let t0 = Date()
        let compactor = LakeCompactor(catalog: catalog, files: lakeFiles)
        let r = try await compactor.compact(table: table, targetBytes: Int64.max / 4, smallBytes: Int64.max / 4)
        let seconds = Date().timeIntervalSince(t0)
        return Result(files: r.replacedFiles, rows: files * rowsPerFile, inputBytes: r.bytesRead, outputBytes: r.bytesWritten,
                      outputFiles: r.writtenFiles, seconds: seconds, peakRSSBeforeMiB: before, peakRSSAfterMiB: peakRSSMiB())
    }

    static func record(_ start: Int64, _ n: Int) -> HEPRecord {
        let call = "bench-\(n / 6)@10.0.\(n % 250).1"
        let payload = Array("INVITE sip:\(n % 9000)@example.org SIP/2.0\r\nCall-ID: \(call)\r\nCSeq: \(n % 20) INVITE\r\nVia: SIP/2.0/UDP 10.0.\(n % 250).1:5060;branch=z9hG4bK\(n)\r\n\r\n".utf8)
        return HEPRecord(timestamp: start + Int64(n) * 1_000_000, sessionID: call, correlationID: nil, protoType: 1,
                         ipFamily: 2, transport: 17, srcIP: "10.0.\(n % 250).1", dstIP: "10.1.0.1", srcPort: 5060,
                         dstPort: 5060, captureID: 2001, nodeName: nil, vlan: nil, method: "INVITE", responseCode: nil,
                         cseqNumber: Int64(n % 20), cseqMethod: "INVITE", fromUser: "u\(n % 5000)", fromDomain: "example.com",
                         fromTag: "t\(n)", toUser: "\(n % 9000)", toDomain: "example.org", toTag: nil,
                         ruriUser: "\(n % 9000)", ruriDomain: "example.org", userAgent: "bench/1.0", payload: payload)
    }

    static func peakRSSMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
