/// A value of a lake column as the reader returns it.
public enum LakeValue: Sendable, Hashable {
    case null
    /// Integer columns (INTEGER, BIGINT).
    case int(Int64)
    /// VARCHAR.
    case text(String)
    /// BLOB.
    case bytes([UInt8])
    /// TIMESTAMP, µs since the epoch (UTC, no zone).
    case timestamp(Int64)
    /// DATE, days since the epoch.
    case date(Int64)
}

/// One filter of a `LakeQuery`.
public enum LakeFilter: Sendable, Hashable {
    /// `column = v` (or `IN (v…)` with several values). Pushed down to catalog stats, row-group stats, bloom filters
    /// and the page index.
    case equals(column: String, values: [LakeValue])
    /// A string pattern where `*` matches any run of characters (`abc*`, `*@host`, `*x*`); without `*` it is equality.
    case matches(column: String, pattern: String)
    /// The payload (text or binary) contains these bytes.
    case payloadContains([UInt8])
}

/// What `LakeReader.query` returns rows for.
public struct LakeQuery: Sendable {
    /// Which snapshot to read.
    public enum Snapshot: Sendable, Hashable {
        case current
        case id(Int64)
        /// The latest snapshot at or before this time (µs since the epoch, UTC), like `AT (TIMESTAMP => t)`.
        case asOf(micros: Int64)
    }

    /// Row order by `timestamp`.
    public enum Order: Sendable, Hashable { case ascending, descending }

    public var snapshot: Snapshot = .current
    /// Inclusive lower bound of `timestamp`, ns since the epoch (the API's unit).
    public var minTimestamp: Int64?
    /// Inclusive upper bound of `timestamp`, ns since the epoch.
    public var maxTimestamp: Int64?
    /// All must hold (AND).
    public var filters: [LakeFilter] = []
    /// Columns to return (nil: every column of the table).
    public var columns: [String]?
    public var order: Order = .ascending
    /// At most this many rows (nil: all).
    public var limit: Int?
    /// Also return each row's DuckLake `rowid`.
    public var includeRowID = false

    public init(snapshot: Snapshot = .current, minTimestamp: Int64? = nil, maxTimestamp: Int64? = nil,
                filters: [LakeFilter] = [], columns: [String]? = nil, order: Order = .ascending, limit: Int? = nil,
                includeRowID: Bool = false) {
        self.snapshot = snapshot
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.filters = filters
        self.columns = columns
        self.order = order
        self.limit = limit
        self.includeRowID = includeRowID
    }
}

/// How much a query read (the API's debug field).
public struct LakeScanStats: Sendable, Hashable {
    /// Data files visible at the snapshot.
    public var filesTotal = 0
    /// Files skipped by the catalog's column stats (never opened).
    public var filesPrunedByCatalog = 0
    /// Files whose footer was read.
    public var filesOpened = 0
    /// Files counted from their catalog record count alone (`LakeReader.count`).
    public var filesCountedFromCatalog = 0
    /// Candidate files excluded by their cached footer statistics and bloom filters without being opened.
    public var filesSkippedInMemory = 0
    public var rowGroupsTotal = 0
    public var rowGroupsRead = 0
    public var pagesTotal = 0
    public var pagesRead = 0
    public var bytesRead: Int64 = 0
    /// Inlined rows (DuckDB's small inserts kept in the catalog) examined.
    public var inlinedRows = 0

    public init() {}
}

/// The rows of a query.
public struct LakeResult: Sendable {
    /// The snapshot that was read.
    public var snapshotID: Int64
    /// Column names, in the order of each row's values.
    public var columns: [String]
    public var rows: [[LakeValue]]
    /// DuckLake rowid of each row (filled when `includeRowID`).
    public var rowIDs: [Int64]
    public var stats: LakeScanStats
}

/// What `LakeReader.count` returns.
public struct LakeCount: Sendable, Hashable {
    /// The snapshot read.
    public var snapshotID: Int64
    /// Matching rows.
    public var count: Int64
    public var stats: LakeScanStats
}
