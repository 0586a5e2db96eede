/// What the HTTP API needs from the node's storage. The routes depend only on this protocol: `DuckLakeBackend`
/// answers from a DuckLake catalog and its Parquet files, `MemoryBackend` from records held in memory (tests, and a
/// node without storage). Implementations must be cancellation-aware: a query past `APIOptions.queryTimeout` is
/// cancelled.
public protocol NodeBackend: Sendable {
    /// Row count and time range of the node, from catalog statistics of the current snapshot plus rows buffered but
    /// not yet committed. Must not scan data files: the Hub polls it.
    func stats() async throws -> NodeStats
    /// Runs a search at the snapshot the query selects (committed data only, so that time travel is exact).
    func search(_ query: SearchQuery) async throws -> SearchResult
    /// Counts the records matching the query's time range and filters (its limit and order do not apply).
    func count(_ query: SearchQuery) async throws -> CountResult
    /// Snapshots, newest first, at most `limit`.
    func snapshots(limit: Int) async throws -> [SnapshotInfo]
    /// The lake's tables at the current snapshot.
    func tables() async throws -> [TableInfo]
}

/// The node's totals (`GET /api/v1/metadata/stats`).
public struct NodeStats: Sendable, Equatable {
    /// Committed rows at the current snapshot plus buffered rows.
    public var rowCount: Int64
    /// Smallest / largest timestamp (ns) over committed and buffered rows; nil when the node holds nothing.
    public var minTimestamp: Int64?
    public var maxTimestamp: Int64?
    /// `sqlite` (the only catalog type the seed allows).
    public var catalogType: String
    /// Where the Parquet files are (`data_path`: a directory or `s3://bucket/prefix/`).
    public var dataPath: String
    /// The current snapshot id, nil before the first commit.
    public var snapshotID: Int64?
    /// Rows received but not yet committed (included in `rowCount`).
    public var bufferedRows: Int64

    public init(rowCount: Int64, minTimestamp: Int64?, maxTimestamp: Int64?, catalogType: String = "sqlite",
                dataPath: String, snapshotID: Int64?, bufferedRows: Int64 = 0) {
        self.rowCount = rowCount
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.catalogType = catalogType
        self.dataPath = dataPath
        self.snapshotID = snapshotID
        self.bufferedRows = bufferedRows
    }
}

/// What a search read: how well pruning worked (the `"stats"` debug object of a search answer).
public struct ScanStats: Sendable, Equatable {
    /// Data files visible at the snapshot / opened.
    public var filesTotal: Int
    public var filesRead: Int
    /// Row groups in the opened files / actually decoded.
    public var rowGroupsTotal: Int
    public var rowGroupsRead: Int
    /// Rows decoded and tested against the filters.
    public var rowsScanned: Int
    /// Bytes fetched from storage.
    public var bytesRead: Int64

    public init(filesTotal: Int = 0, filesRead: Int = 0, rowGroupsTotal: Int = 0, rowGroupsRead: Int = 0,
                rowsScanned: Int = 0, bytesRead: Int64 = 0) {
        self.filesTotal = filesTotal
        self.filesRead = filesRead
        self.rowGroupsTotal = rowGroupsTotal
        self.rowGroupsRead = rowGroupsRead
        self.rowsScanned = rowsScanned
        self.bytesRead = bytesRead
    }

    public static func + (a: ScanStats, b: ScanStats) -> ScanStats {
        ScanStats(filesTotal: a.filesTotal + b.filesTotal, filesRead: a.filesRead + b.filesRead,
                  rowGroupsTotal: a.rowGroupsTotal + b.rowGroupsTotal, rowGroupsRead: a.rowGroupsRead + b.rowGroupsRead,
                  rowsScanned: a.rowsScanned + b.rowsScanned, bytesRead: a.bytesRead + b.bytesRead)
    }
}

/// The answer of a search.
public struct SearchResult: Sendable, Equatable {
    /// The snapshot that was read; nil when the lake has no snapshot yet.
    public var snapshotID: Int64?
    /// Matching records in the query's order, at most `limit`.
    public var records: [SearchRecord]
    public var stats: ScanStats

    public init(snapshotID: Int64?, records: [SearchRecord], stats: ScanStats = ScanStats()) {
        self.snapshotID = snapshotID
        self.records = records
        self.stats = stats
    }
}

/// One snapshot of the lake (`GET /api/v1/snapshots`).
public struct SnapshotInfo: Sendable, Equatable {
    public var id: Int64
    /// Commit time, ns since the epoch.
    public var time: Int64
    /// DuckLake's `changes_made` text, e.g. `inserted_into_table:1`.
    public var changes: String
    /// Rows the snapshot added (sum of the record counts of the data files it created, inlined rows included).
    public var rowsAdded: Int64

    public init(id: Int64, time: Int64, changes: String, rowsAdded: Int64) {
        self.id = id
        self.time = time
        self.changes = changes
        self.rowsAdded = rowsAdded
    }
}

/// One table of the lake (`GET /api/v1/tables`).
public struct TableInfo: Sendable, Equatable {
    /// `schema.table`, e.g. `main.hep_messages`.
    public var name: String
    public var rowCount: Int64
    /// ns; nil when empty.
    public var minTimestamp: Int64?
    public var maxTimestamp: Int64?
    /// Data files and their total size in bytes.
    public var files: Int64
    public var bytes: Int64

    public init(name: String, rowCount: Int64, minTimestamp: Int64?, maxTimestamp: Int64?, files: Int64, bytes: Int64) {
        self.name = name
        self.rowCount = rowCount
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.files = files
        self.bytes = bytes
    }
}

/// The answer of a count (`"count_only": true`).
public struct CountResult: Sendable, Equatable {
    /// The snapshot that was read; nil when the lake has no snapshot yet.
    public var snapshotID: Int64?
    /// Matching records.
    public var count: Int64
    public var stats: ScanStats
    public init(snapshotID: Int64?, count: Int64, stats: ScanStats = ScanStats()) {
        self.snapshotID = snapshotID
        self.count = count
        self.stats = stats
    }
}

extension NodeBackend {
    /// Counts by searching without a limit (backends with a cheaper way override it).
    public func count(_ query: SearchQuery) async throws -> CountResult {
        var q = query
        q.limit = .max
        q.countOnly = false
        let r = try await search(q)
        return CountResult(snapshotID: r.snapshotID, count: Int64(r.records.count), stats: r.stats)
    }
}
