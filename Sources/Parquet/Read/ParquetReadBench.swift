/// Read benchmark entry point (issue 3, "Bench"): a full scan and a Call-ID point lookup on a 1M-row HEP-shaped
/// file. `bench/parquet-read.sh` runs it in release mode and times DuckDB on the same file.
public enum ParquetReadBench {
    /// One measured query.
    public struct Result: Sendable {
        /// What was measured, e.g. "homer full scan (streamed)".
        public var label: String
        /// Median wall time of the runs (open + scan), seconds.
        public var seconds: Double
        /// Rows returned.
        public var rows: Int
        /// Bytes fetched through the RangeReader (footer excluded) and row groups read, from `ParquetScanStats`.
        public var bytesRead: Int64
        public var rowGroupsRead: Int
        public var rowGroupsTotal: Int
    }

    /// Writes `directory/homer-read.parquet` (the writer bench's synthetic table and ZSTD-3 options, bloom filter on
    /// call_id) and times, `runs` times each: a streamed full scan, a full scan into one result, and a lookup of the
    /// Call-ID of the middle row. Returns that Call-ID and the medians.
    public static func run(rows: Int, directory: String, runs: Int = 5) async throws
        -> (file: String, callID: String, results: [Result]) {
        let table = SyntheticSIPTable(rows: rows)
        let path = directory + "/homer-read.parquet"
        var options = ParquetBench.zstdOptions(level: 3)
        options.fsync = false
        try ParquetBench.write(table, to: path, options: options)
        guard case .bytes(let ids) = table.columns[1].values else {
            throw ParquetError(.invalidArgument, "synthetic table has no call_id column")
        }
        let callID = ids.string(at: rows / 2)

        var results: [Result] = []
        func measure(_ label: String, _ body: () async throws -> (Int, ParquetScanStats)) async throws {
            var times: [Double] = []
            var last: (Int, ParquetScanStats) = (0, ParquetScanStats())
            for _ in 0..<max(runs, 1) {
                let clock = ContinuousClock()
                let start = clock.now
                last = try await body()
                let d = clock.now - start
                times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
            }
            times.sort()
            results.append(Result(label: label, seconds: times[times.count / 2], rows: last.0,
                                  bytesRead: last.1.bytesRead, rowGroupsRead: last.1.rowGroupsRead,
                                  rowGroupsTotal: last.1.rowGroupsTotal))
        }
        try await measure("homer full scan (streamed)") {
            let reader = try await ParquetReader.open(LocalFileReader(path: path))
            var n = 0
            var stats = ParquetScanStats()
            for try await batch in reader.scanRowGroups() {
                n += batch.rowCount
                stats.add(batch.stats)
            }
            return (n, stats)
        }
        try await measure("homer full scan (one result)") {
            let result = try await ParquetReader.open(LocalFileReader(path: path)).scan()
            return (result.rowCount, result.stats)
        }
        try await measure("homer call_id lookup") {
            let result = try await ParquetReader.open(LocalFileReader(path: path))
                .scan(where: .equal("call_id", .string(callID)))
            return (result.rowCount, result.stats)
        }
        return (path, callID, results)
    }
}
