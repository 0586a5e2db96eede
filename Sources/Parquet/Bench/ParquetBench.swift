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

    /// Options used for the benchmark's ZSTD file: pages of up to 16 MiB, a 4 MiB window and a 2^16-entry hash
    /// table give ZSTD the context to find a SIP message's headers in the earlier messages of the same call. Measured
    /// with libzstd 1.5.4 on the payload bytes of 300k rows (one CPU, 16 MiB inputs): level 1 alone 52.3 B/row in
    /// 0.131 s; this 48.5 B/row in 0.140 s; a 16 MiB window with long-distance matching 45.7 B/row in 0.343 s;
    /// hash log 17 47.3 B/row in 0.200 s. Level 2 and 3 are slower and not smaller on these payloads.
    public static func zstdOptions(level: Int32) -> ParquetWriterOptions {
        var o = ParquetWriterOptions(codec: .zstd, level: level)
        o.pageBytes = 16 << 20
        o.zstdWindowLog = 22
        o.zstdHashLog = 16
        o.bloomFilterColumns = ["call_id"]
        return o
    }

    /// Builds `rows` synthetic rows, writes `directory/input.parquet` (uncompressed PLAIN, the shared input for the
    /// other writers) and times our writer `runs` times per configuration (SNAPPY unless `snappy` is false, then
    /// ZSTD at each of `zstdLevels`; UNCOMPRESSED when `uncompressed`, to separate codec from encoding costs),
    /// each with every `encodingThreads` value of `threads`.
    public static func runWrite(rows: Int, directory: String, runs: Int = 3,
                                zstdLevels: [Int32] = [1, 3], snappy: Bool = true,
                                uncompressed: Bool = false, threads: [Int] = [1]) throws -> [WriteResult] {
        let table = SyntheticSIPTable(rows: rows)
        var plain = ParquetWriterOptions(codec: .uncompressed)
        for c in SyntheticSIPTable.schema.columns { plain.columnEncodings[c.name] = .plain }
        plain.fsync = false
        try write(table, to: directory + "/input.parquet", options: plain)

        var configs: [(String, ParquetWriterOptions)] = snappy ? [("homer snappy", ParquetWriterOptions(codec: .snappy))] : []
        if uncompressed { configs.append(("homer uncompressed", ParquetWriterOptions(codec: .uncompressed))) }
        for level in zstdLevels { configs.append(("homer zstd-\(level)", zstdOptions(level: level))) }
        configs = configs.flatMap { label, options in
            threads.map { t in
                var o = options
                o.encodingThreads = t
                return (t > 1 ? "\(label) \(t) threads" : label, o)
            }
        }
        var results: [WriteResult] = []
        for (label, o) in configs {
            // Like for like with pyarrow's `write_table`, which the Python side times after removing the previous
            // file: no fsync on close, and the old file is unlinked before the clock starts (truncating it inside
            // the timed open would charge us for freeing its page cache).
            var options = o
            options.fsync = false
            var times: [Double] = []
            var cpu: [Double] = []
            var size: Int64 = 0
            let path = directory + "/" + label.replacingOccurrences(of: " ", with: "-") + ".parquet"
            for _ in 0..<max(runs, 1) {
                unlink(path)
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

    /// Writes the whole table in one `write` call (the writer cuts row groups itself), as pyarrow's `write_table`
    /// and DuckDB's `COPY` get the whole table too.
    @discardableResult
    static func write(_ table: SyntheticSIPTable, to path: String, options: ParquetWriterOptions) throws -> ParquetFileSummary {
        let writer = try ParquetWriter(path: path, schema: SyntheticSIPTable.schema, options: options)
        try writer.write(table.columns)
        return try writer.close()
    }
}
