#if canImport(Glibc)
import Glibc
#endif

/// Write benchmark entry point (issue 3, "Bench"): writes a synthetic HEP table with our writer and reports
/// throughput and size. `bench/parquet-write.sh` runs it in release mode next to pyarrow and DuckDB writing the same
/// rows (from the plain, uncompressed `input.parquet` this function also writes).
public enum ParquetBench {
    /// One measured configuration.
    public struct WriteResult: Sendable {
        /// Configuration label, e.g. "homer zstd-3".
        public var label: String
        /// File size in bytes.
        public var bytes: Int64
        /// Median wall time of the runs, seconds.
        public var seconds: Double
        /// Rows per second at the median time.
        public var rowsPerSecond: Double
        /// Median process CPU time of the runs, seconds (robust on a loaded machine).
        public var cpuSeconds: Double
    }

    /// Process CPU time (all threads), seconds.
    static func cpuTime() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Options used for the benchmark's ZSTD file: pages of up to 16 MiB and a 16 MiB long-distance window give
    /// ZSTD the context to find a SIP message's headers in the earlier messages of the same call.
    public static func zstdOptions(level: Int32) -> ParquetWriterOptions {
        var o = ParquetWriterOptions(codec: .zstd, level: level)
        o.pageBytes = 16 << 20
        o.zstdWindowLog = 24
        o.bloomFilterColumns = ["call_id"]
        return o
    }

    /// Builds `rows` synthetic rows, writes `directory/input.parquet` (uncompressed PLAIN, the shared input for the
    /// other writers) and times our writer `runs` times per configuration.
    public static func runWrite(rows: Int, directory: String, runs: Int = 3,
                                zstdLevels: [Int32] = [3, 9]) throws -> [WriteResult] {
        let table = SyntheticSIPTable(rows: rows)
        var plain = ParquetWriterOptions(codec: .uncompressed)
        for c in SyntheticSIPTable.schema.columns { plain.columnEncodings[c.name] = .plain }
        plain.fsync = false
        try write(table, to: directory + "/input.parquet", options: plain)

        var configs: [(String, ParquetWriterOptions)] = [("homer snappy", ParquetWriterOptions(codec: .snappy))]
        for level in zstdLevels { configs.append(("homer zstd-\(level)", zstdOptions(level: level))) }
        var results: [WriteResult] = []
        for (label, options) in configs {
            var times: [Double] = []
            var cpu: [Double] = []
            var size: Int64 = 0
            let path = directory + "/" + label.replacingOccurrences(of: " ", with: "-") + ".parquet"
            for _ in 0..<max(runs, 1) {
                let clock = ContinuousClock()
                let start = clock.now
                let cpuStart = cpuTime()
                size = try write(table, to: path, options: options).fileSize
                cpu.append(cpuTime() - cpuStart)
                let d = clock.now - start
                times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
            }
            times.sort()
            cpu.sort()
            let median = times[times.count / 2]
            results.append(WriteResult(label: label, bytes: size, seconds: median, rowsPerSecond: Double(rows) / median,
                                       cpuSeconds: cpu[cpu.count / 2]))
        }
        return results
    }

    /// Writes the table in batches of 10,000 rows, as an ingest pipeline would.
    @discardableResult
    static func write(_ table: SyntheticSIPTable, to path: String, options: ParquetWriterOptions) throws -> ParquetFileSummary {
        let writer = try ParquetWriter(path: path, schema: SyntheticSIPTable.schema, options: options)
        let batch = 10_000
        var start = 0
        while start < table.rowCount {
            let end = min(table.rowCount, start + batch)
            try writer.write(table.columns.map { slice($0, start..<end) })
            start = end
        }
        return try writer.close()
    }

    private static func slice(_ d: ColumnData, _ r: Range<Int>) -> ColumnData {
        let values: ColumnValues = switch d.values {
        case .boolean(let v): .boolean(Array(v[r]))
        case .int32(let v): .int32(Array(v[r]))
        case .int64(let v): .int64(Array(v[r]))
        case .double(let v): .double(Array(v[r]))
        case .bytes(let b):
            .bytes(ByteArrays(data: Array(b.data[Int(b.offsets[r.lowerBound])..<Int(b.offsets[r.upperBound])]),
                              offsets: b.offsets[r.lowerBound...r.upperBound].map { $0 - b.offsets[r.lowerBound] }))
        }
        return ColumnData(values: values, validity: d.validity.map { Array($0[r]) })
    }
}
