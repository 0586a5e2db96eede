/// An opaque position in the durable spool, stored with the snapshot that made everything before it durable in the
/// lake. The ingest spool defines what the bytes mean; `init(segment:offset:)` is a convenient 16-byte encoding.
public struct LakeSpoolPosition: Sendable, Hashable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Big-endian segment number then byte offset.
    public init(segment: UInt64, offset: UInt64) {
        var b: [UInt8] = []
        for v in [segment, offset] { for s in stride(from: 56, through: 0, by: -8) { b.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) } }
        bytes = b
    }

    /// The (segment, offset) pair when the bytes use the 16-byte encoding of `init(segment:offset:)`.
    public var segmentOffset: (segment: UInt64, offset: UInt64)? {
        guard bytes.count == 16 else { return nil }
        func word(_ at: Int) -> UInt64 { bytes[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) } }
        return (word(0), word(8))
    }
}

/// One row of `ducklake_snapshot` with its `ducklake_snapshot_changes`.
public struct LakeSnapshot: Sendable, Equatable {
    public var id: Int64
    /// `snapshot_time` as stored (`YYYY-MM-DD HH:MM:SS.ffffff+00`).
    public var time: String
    /// `snapshot_time` as µs since the epoch (UTC).
    public var timeMicros: Int64
    public var schemaVersion: Int64
    public var nextCatalogID: Int64
    public var nextFileID: Int64
    /// `changes_made` (e.g. `inserted_into_table:1`), nil when the snapshot has no changes row.
    public var changes: String?
    public var author: String?
    public var commitMessage: String?
}

/// A snapshot in the listing of the metadata API: the snapshot plus the rows it added to the table.
public struct LakeSnapshotSummary: Sendable, Equatable {
    public var snapshot: LakeSnapshot
    /// Rows added to the table by this snapshot (data files and inlined rows beginning at it); merged/compacted
    /// files count their rows here too.
    public var rowsAdded: Int64
}

/// A table as the catalog sees it at a snapshot.
public struct LakeTableInfo: Sendable, Equatable {
    public var tableID: Int64
    public var schemaID: Int64
    public var name: String
    /// Path of the table's files relative to `data_path` (schema path + table path), ending in `/`, or absolute.
    public var directory: String
    public var columns: [LakeColumn]
    /// `partition_id` of the active partitioning, nil when unpartitioned.
    public var partitionID: Int64?
}

/// The min/max text of one column of one file, as stored in `ducklake_file_column_stats`.
public struct LakeColumnStats: Sendable, Equatable {
    public var columnID: Int64
    public var columnSizeBytes: Int64?
    public var valueCount: Int64
    public var nullCount: Int64
    public var min: String?
    public var max: String?

    public init(columnID: Int64, columnSizeBytes: Int64?, valueCount: Int64, nullCount: Int64, min: String?, max: String?) {
        self.columnID = columnID
        self.columnSizeBytes = columnSizeBytes
        self.valueCount = valueCount
        self.nullCount = nullCount
        self.min = min
        self.max = max
    }
}

/// A Parquet file to register in an insert snapshot.
public struct LakeNewDataFile: Sendable, Equatable {
    /// Path relative to the table directory, e.g. `date=2025-01-22/homer-….parquet`.
    public var path: String
    public var recordCount: Int64
    public var fileSizeBytes: Int64
    /// Length of the Thrift footer (the int before the trailing `PAR1`); must be exact (research §4).
    public var footerSize: Int64
    /// The identity partition value (the `date` text), nil for an unpartitioned table.
    public var partitionValue: String?
    public var columnStats: [LakeColumnStats]

    public init(path: String, recordCount: Int64, fileSizeBytes: Int64, footerSize: Int64, partitionValue: String?,
                columnStats: [LakeColumnStats]) {
        self.path = path
        self.recordCount = recordCount
        self.fileSizeBytes = fileSizeBytes
        self.footerSize = footerSize
        self.partitionValue = partitionValue
        self.columnStats = columnStats
    }
}

/// What one insert commit changed.
public struct LakeCommitResult: Sendable, Equatable {
    public var snapshotID: Int64
    public var dataFileIDs: [Int64]
    /// `row_id_start` of each file, in order.
    public var rowIDStarts: [Int64]
    /// Rows and Parquet bytes the snapshot added (for the writer's metrics).
    public var rowCount: Int64 = 0
    public var fileBytes: Int64 = 0
    /// Wall time of the flush that produced this commit: encoding, file write or upload, and the catalog commit.
    public var flushDuration: Duration = .zero
}

/// A data file visible at a snapshot, with its delete file (if any) and its catalog stats.
public struct LakeDataFileEntry: Sendable, Equatable {
    public var dataFileID: Int64
    /// Full path or URL: `data_path` + table directory + file path when relative.
    public var path: String
    public var recordCount: Int64
    public var fileSizeBytes: Int64
    public var footerSize: Int64?
    /// nil for merged (partial) files: the row ids are in `_ducklake_internal_row_id`.
    public var rowIDStart: Int64?
    public var beginSnapshot: Int64
    /// Set on files written by compaction/flush: rows carry `_ducklake_internal_snapshot_id`.
    public var partialMax: Int64?
    public var mappingID: Int64?
    /// The visible delete file (full path), nil when none.
    public var deleteFilePath: String?
    public var deleteFileSize: Int64?
    /// Stats by column id (only the columns that have a stats row).
    public var stats: [Int64: LakeColumnStats]
}

/// Catalog-only statistics of the table at a snapshot (never scans files).
public struct LakeTableStatistics: Sendable, Equatable {
    public var snapshotID: Int64
    /// Visible rows: data-file records minus delete-file counts plus visible inlined rows minus inlined deletes.
    public var rowCount: Int64
    public var fileCount: Int64
    /// Bytes of visible data files.
    public var fileSizeBytes: Int64
    /// Smallest / largest `timestamp` (µs) over the visible files' stats and inlined rows; nil when empty.
    public var minTimestampMicros: Int64?
    public var maxTimestampMicros: Int64?
}

/// A DuckLake catalog back end. `SQLiteCatalog` implements it; a PostgreSQL catalog can be added behind the same
/// protocol. Every method is a short, blocking catalog round trip; callers run them off the network event loops.
public protocol LakeCatalog: Sendable {
    /// The catalog's `data_path` (ends in `/`).
    var dataPath: String { get }
    /// Creates `main.hep_messages` (partitioned by `date`, sorted by `timestamp`) when absent; returns it.
    func ensureHEPTable() throws -> LakeTableInfo
    /// The latest snapshot.
    func currentSnapshot() throws -> LakeSnapshot
    /// The snapshot with that id; `.snapshotNotFound` when absent (e.g. expired).
    func snapshot(id: Int64) throws -> LakeSnapshot
    /// The latest snapshot whose time is at or before `micros` (µs since the epoch, UTC).
    func snapshot(atOrBefore micros: Int64) throws -> LakeSnapshot
    /// Snapshots, newest first, with the rows each added to `table`.
    func snapshots(table: String, limit: Int) throws -> [LakeSnapshotSummary]
    /// The table as of `snapshot`, nil when it does not exist then.
    func table(named name: String, at snapshot: Int64) throws -> LakeTableInfo?
    /// Data files visible at `snapshot`, with their delete files and stats.
    func dataFiles(tableID: Int64, at snapshot: Int64) throws -> [LakeDataFileEntry]
    /// Positions deleted through DuckDB's inlined deletes (`ducklake_inlined_delete_<table>`), by data file id.
    func inlinedDeletes(tableID: Int64, at snapshot: Int64) throws -> [Int64: Set<Int64>]
    /// Inlined rows visible at `snapshot`: `row_id` then the named columns, as catalog values.
    func inlinedRows(tableID: Int64, at snapshot: Int64, columns: [String]) throws -> [[SQLiteValue]]
    /// Commits ONE snapshot registering `files` (and, atomically, the spool position); retries on busy.
    func commitInsert(tableID: Int64, files: [LakeNewDataFile], spoolPosition: LakeSpoolPosition?, author: String,
                      message: String?) throws -> LakeCommitResult
    /// The spool position stored by the last commit, nil when none.
    func committedSpoolPosition() throws -> LakeSpoolPosition?
    /// Catalog-only table statistics at `snapshot` (current when nil).
    func statistics(tableID: Int64, at snapshot: Int64?) throws -> LakeTableStatistics
    /// Every file path the catalog still knows (data, delete, scheduled for deletion), full paths.
    func knownFilePaths() throws -> Set<String>
}
