import Foundation

/// A visible data file that compaction may merge: no delete file, no name mapping.
public struct LakeCompactionCandidate: Sendable, Equatable {
    public var dataFileID: Int64
    /// Full path (data_path + table directory + file path).
    public var fullPath: String
    public var recordCount: Int64
    public var fileSizeBytes: Int64
    /// nil for partial files, whose row ids are in `_ducklake_internal_row_id`.
    public var rowIDStart: Int64?
    public var beginSnapshot: Int64
    /// Set on partial files, whose rows carry `_ducklake_internal_snapshot_id`.
    public var partialMax: Int64?
    /// The identity partition value (`date` text), nil when unpartitioned.
    public var partition: String?
    public var partitionID: Int64?
}

/// A merged file to register in place of `replaces`.
public struct LakeCompactedFile: Sendable, Equatable {
    public var replaces: [Int64]
    /// Path relative to the table directory.
    public var path: String
    public var recordCount: Int64
    public var fileSizeBytes: Int64
    public var footerSize: Int64
    /// Largest `_ducklake_internal_snapshot_id` in the file.
    public var partialMax: Int64
    /// Compressed bytes per column id (from the writer's summary).
    public var columnSizes: [Int64: Int64]

    public init(replaces: [Int64], path: String, recordCount: Int64, fileSizeBytes: Int64, footerSize: Int64,
                partialMax: Int64, columnSizes: [Int64: Int64]) {
        self.replaces = replaces
        self.path = path
        self.recordCount = recordCount
        self.fileSizeBytes = fileSizeBytes
        self.footerSize = footerSize
        self.partialMax = partialMax
        self.columnSizes = columnSizes
    }
}

extension SQLiteCatalog {
    /// Data files of `tableID` visible at `snapshot` that compaction may merge: those under data_path (relative
    /// paths; files moved to another storage volume stay as they are, merged files are written to data_path).
    public func compactionCandidates(tableID: Int64, at snapshot: Int64) throws -> [LakeCompactionCandidate] {
        try withDatabase { db in
            let directory = try Self.tableDirectory(db, tableID: tableID) ?? ""
            return try db.query("""
                SELECT f.data_file_id, f.path, f.path_is_relative, f.record_count, f.file_size_bytes, f.row_id_start,
                       f.begin_snapshot, f.partial_max, v.partition_value, f.partition_id
                FROM ducklake_data_file f
                LEFT JOIN ducklake_file_partition_value v ON v.data_file_id = f.data_file_id AND v.partition_key_index = 0
                WHERE f.table_id = ?2 AND \(visible("f")) AND f.path_is_relative = 1 AND f.mapping_id IS NULL AND f.encryption_key IS NULL
                  AND NOT EXISTS (SELECT 1 FROM ducklake_delete_file d WHERE d.data_file_id = f.data_file_id AND \(visible("d")))
                  AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'ducklake_inlined_delete_' || f.table_id)
                ORDER BY v.partition_value, f.begin_snapshot, f.data_file_id
                """, [.integer(snapshot), .integer(tableID)]).compactMap { r in
                guard let id = r[0].int64, let p = r[1].string, let n = r[3].int64, let size = r[4].int64,
                      let begin = r[6].int64 else { return nil }
                return LakeCompactionCandidate(
                    dataFileID: id, fullPath: resolve(p, relative: r[2].int64 != 0, directory: directory),
                    recordCount: n, fileSizeBytes: size, rowIDStart: r[5].int64, beginSnapshot: begin,
                    partialMax: r[7].int64, partition: r[8].string, partitionID: r[9].int64)
            }
        }
    }

    /// Registers merged files in ONE new snapshot S: each replaced file gets `end_snapshot = S`, each merged file
    /// begins at S with `row_id_start` NULL and `partial_max` set (its rows carry their original row ids and
    /// snapshot ids, research §2.4), stats merged from the replaced files' stats. Earlier snapshots keep reading the
    /// old files, so time travel is unchanged; they are scheduled for deletion when those snapshots expire.
    /// Throws `.busy` when a replaced file is no longer visible (another compaction or a DuckDB change won).
    public func commitCompaction(tableID: Int64, files: [LakeCompactedFile], author: String) throws -> Int64 {
        try transaction { db in
            let head = try Self.latestSnapshot(db)
            let s = head.id + 1
            var types: [Int64: LakeColumnType] = [:]
            for r in try db.query("SELECT column_id, column_type FROM ducklake_column c WHERE table_id = ?2 AND \(visible("c"))",
                                  [.integer(head.id), .integer(tableID)]) {
                if let id = r[0].int64, let t = r[1].string.flatMap(LakeColumnType.init(rawValue:)) { types[id] = t }
            }
            try db.query("INSERT INTO ducklake_snapshot VALUES (?, ?, ?, ?, ?)",
                         [.integer(s), .text(SnapshotClock.format(SnapshotClock.next(after: head.timeMicros))),
                          .integer(head.schemaVersion), .integer(head.nextCatalogID),
                          .integer(head.nextFileID + Int64(files.count))])
            try db.query("INSERT INTO ducklake_snapshot_changes VALUES (?, ?, ?, ?, NULL)",
                         [.integer(s), .text("merge_adjacent:\(tableID)"), .text(author),
                          .text("compacted \(files.reduce(0) { $0 + $1.replaces.count }) file(s) into \(files.count)")])
            let end = try db.prepare("UPDATE ducklake_data_file SET end_snapshot = ? WHERE data_file_id = ? AND end_snapshot IS NULL")
            let insert = try db.prepare(
                "INSERT INTO ducklake_data_file VALUES (?, ?, ?, NULL, NULL, ?, 1, 'parquet', ?, ?, ?, NULL, ?, NULL, NULL, ?)")
            let partitionValue = try db.prepare("INSERT INTO ducklake_file_partition_value VALUES (?, ?, 0, ?)")
            let columnStats = try db.prepare("INSERT INTO ducklake_file_column_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)")
            for (i, file) in files.enumerated() {
                let ids = file.replaces.map(String.init).joined(separator: ",")
                let first = try db.query("SELECT partition_id FROM ducklake_data_file WHERE data_file_id = ?",
                                         [.integer(file.replaces.first ?? -1)]).first?.first?.int64
                let live = try db.query("SELECT count(*) FROM ducklake_data_file WHERE data_file_id IN (\(ids)) AND end_snapshot IS NULL")
                guard live.first?.first?.int64 == Int64(file.replaces.count) else {
                    throw DuckLakeError(.busy, "data files \(ids) changed during compaction")
                }
                for id in file.replaces { try end.run([.integer(s), .integer(id)]) }
                let fileID = head.nextFileID + Int64(i)
                try insert.run([.integer(fileID), .integer(tableID), .integer(s), .text(file.path), .integer(file.recordCount),
                                .integer(file.fileSizeBytes), .integer(file.footerSize), first.map { .integer($0) } ?? .null,
                                .integer(file.partialMax)])
                if let value = try db.query("SELECT partition_value FROM ducklake_file_partition_value WHERE data_file_id = ? AND partition_key_index = 0",
                                            [.integer(file.replaces.first ?? -1)]).first?.first?.string {
                    try partitionValue.run([.integer(fileID), .integer(tableID), .text(value)])
                }
                // Merged stats: counts add up; bounds widen with the column type's order.
                var merged: [Int64: (Int64, Int64, String?, String?)] = [:]
                for r in try db.query("""
                    SELECT column_id, value_count, null_count, min_value, max_value FROM ducklake_file_column_stats
                    WHERE data_file_id IN (\(ids)) ORDER BY data_file_id
                    """) {
                    guard let c = r[0].int64 else { continue }
                    let type = types[c] ?? .varchar
                    var m = merged[c] ?? (0, 0, nil, nil)
                    m.0 += r[1].int64 ?? 0
                    m.1 += r[2].int64 ?? 0
                    if let lo = r[3].string { m.2 = m.2.map { StatsOrder.less(lo, $0, type) ? lo : $0 } ?? lo }
                    if let hi = r[4].string { m.3 = m.3.map { StatsOrder.less($0, hi, type) ? hi : $0 } ?? hi }
                    merged[c] = m
                }
                for (c, m) in merged.sorted(by: { $0.key < $1.key }) {
                    try columnStats.run([.integer(fileID), .integer(tableID), .integer(c),
                                         file.columnSizes[c].map { .integer($0) } ?? .null, .integer(m.0), .integer(m.1),
                                         m.2.map { .text($0) } ?? .null, m.3.map { .text($0) } ?? .null])
                }
            }
            return s
        }
    }
}
