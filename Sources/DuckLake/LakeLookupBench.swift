import Foundation
import HEP

/// Call-ID lookup latency on a lake whose files are local or in an object store (issue 6 bench): writes `rows`
/// realistic SIP rows (`SIPTrafficGenerator`) in files of `rowsPerFile` through the given `LakeFiles`, then looks up
/// `lookups` Call-IDs spread over the data with `LakeReader` (no time bound: every file's catalog stats, row-group
/// stats and bloom filters decide what is fetched), sequentially, and reports latency percentiles and CPU time.
public enum LakeLookupBench {
    public struct Result: Sendable, CustomStringConvertible {
        public var label: String
        public var rows: Int
        public var files: Int64
        public var lookups: Int
        public var p50ms: Double
        public var p90ms: Double
        public var p99ms: Double
        /// CPU seconds (user + system, whole process) per lookup.
        public var cpuMsPerLookup: Double
        /// Median bytes fetched and files opened per lookup.
        public var bytesReadMedian: Int64
        public var filesOpenedMedian: Int
        public var rowsPerLookup: Double

        public var description: String {
            String(format: "%@: %d rows in %lld files; %d Call-ID lookups: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, "
                   + "CPU %.2f ms/lookup, median %lld bytes read in %d file(s), %.1f rows/lookup", label, rows, files,
                   lookups, p50ms, p90ms, p99ms, cpuMsPerLookup, bytesReadMedian, filesOpenedMedian, rowsPerLookup)
        }
    }

    /// Writes the lake (catalog at `catalogPath`, files through `files`) and returns the Call-IDs to look up.
    public static func write(catalog: SQLiteCatalog, files: any LakeFiles, rows: Int, rowsPerFile: Int,
                             sample: Int) async throws -> [String] {
        var o = LakeWriterOptions()
        o.flushIntervalSeconds = 86_400
        o.batchSize = rowsPerFile
        let writer = try await LakeWriter(catalog: catalog, files: files, options: o)
        var generator = SIPTrafficGenerator()
        let start: Int64 = 1_737_590_400_000_000_000    // 2025-01-23 00:00 UTC
        let hep = HEPOptions()
        var ids: [String] = []
        let every = max(1, rows / max(sample, 1))
        var n = 0
        while n < rows {
            let count = min(rowsPerFile, rows - n)
            var batch: [HEPRecord] = []
            batch.reserveCapacity(count)
            for _ in 0..<count {
                let ts = start + Int64(n) * 1_000_000
                let r = HEPRecord(packet: generator.next(timestamp: ts), receivedAt: ts, options: hep)
                if n % every == every / 2 && ids.count < sample { ids.append(r.sessionID) }
                batch.append(r)
                n += 1
            }
            try await writer.append(batch)
            try await writer.flush()
        }
        try await writer.shutdown()
        return ids
    }

    /// Runs the lookups (after one warm-up lookup that is not counted).
    public static func lookups(reader: LakeReader, callIDs: [String], label: String) async throws -> Result {
        guard let first = callIDs.first else { throw DuckLakeError(.invalidArgument, "no Call-IDs to look up") }
        func query(_ id: String) -> LakeQuery {
            LakeQuery(filters: [.equals(column: "session_id", values: [.text(id)])],
                      columns: ["timestamp", "session_id", "method", "response_code", "payload"])
        }
        _ = try await reader.query(query(first))
        var latencies: [Double] = []
        var bytes: [Int64] = []
        var opened: [Int] = []
        var found = 0
        let cpu0 = LakeBench.cpuTime()
        for id in callIDs {
            let t0 = ContinuousClock.now
            let r = try await reader.query(query(id))
            let d = ContinuousClock.now - t0
            latencies.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
            bytes.append(r.stats.bytesRead)
            opened.append(r.stats.filesOpened)
            found += r.rows.count
            guard !r.rows.isEmpty else { throw DuckLakeError(.corruptCatalog, "Call-ID \(id) not found") }
        }
        let cpu = LakeBench.cpuTime() - cpu0
        let stats = try reader.statistics()
        latencies.sort()
        func pct(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Result(label: label, rows: Int(stats.rowCount), files: stats.fileCount, lookups: callIDs.count,
                      p50ms: pct(0.5), p90ms: pct(0.9), p99ms: pct(0.99),
                      cpuMsPerLookup: cpu * 1000 / Double(callIDs.count), bytesReadMedian: bytes.sorted()[bytes.count / 2],
                      filesOpenedMedian: opened.sorted()[opened.count / 2],
                      rowsPerLookup: Double(found) / Double(callIDs.count))
    }
}
