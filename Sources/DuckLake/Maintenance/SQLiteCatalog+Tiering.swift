import Foundation

/// A visible data file as tiered storage sees it.
public struct LakeTierFile: Sendable, Equatable {
    public var dataFileID: Int64
    /// Full path or URL (data_path + table directory + file path when relative).
    public var fullPath: String
    public var recordCount: Int64
    public var fileSizeBytes: Int64
    public var beginSnapshot: Int64
    /// `YYYY-MM-DD`: the identity partition value, else the UTC day of the file's largest `timestamp` stat; nil
    /// when neither is known (such a file never moves by age).
    public var date: String?
    /// The partition value (for the `date=…/` folder of the copy), nil when unpartitioned.
    public var partition: String?
    /// A visible delete file or inlined deletes point at it: it is not moved (the deletes are keyed by its id).
    public var hasDeletes: Bool

    public init(dataFileID: Int64, fullPath: String, recordCount: Int64, fileSizeBytes: Int64, beginSnapshot: Int64,
                date: String?, partition: String?, hasDeletes: Bool) {
        self.dataFileID = dataFileID
        self.fullPath = fullPath
        self.recordCount = recordCount
        self.fileSizeBytes = fileSizeBytes
        self.beginSnapshot = beginSnapshot
        self.date = date
        self.partition = partition
        self.hasDeletes = hasDeletes
    }
}

extension SQLiteCatalog {
    /// Data files of `tableID` visible at `snapshot`, oldest first (date, then commit order).
    public func tieringCandidates(tableID: Int64, at snapshot: Int64) throws -> [LakeTierFile] {
        try withDatabase { db in
            let directory = try Self.tableDirectory(db, tableID: tableID) ?? ""
            let tsColumn = try db.query("""
                SELECT column_id FROM ducklake_column c WHERE table_id = ?2 AND column_name = 'timestamp' AND \(visible("c"))
                """, [.integer(snapshot), .integer(tableID)]).first?.first?.int64 ?? -1
            let inlined = "ducklake_inlined_delete_\(tableID)"
            let inlinedDeletes = try db.tableExists(inlined)
                ? Set(try db.query("SELECT DISTINCT file_id FROM \(inlined)").compactMap { $0.first?.int64 }) : []
            let files = try db.query("""
                SELECT f.data_file_id, f.path, f.path_is_relative, f.record_count, f.file_size_bytes, f.begin_snapshot,
                       v.partition_value, st.max_value,
                       EXISTS (SELECT 1 FROM ducklake_delete_file d WHERE d.data_file_id = f.data_file_id AND \(visible("d")))
                FROM ducklake_data_file f
                LEFT JOIN ducklake_file_partition_value v ON v.data_file_id = f.data_file_id AND v.partition_key_index = 0
                LEFT JOIN ducklake_file_column_stats st ON st.data_file_id = f.data_file_id AND st.column_id = ?3
                WHERE f.table_id = ?2 AND \(visible("f"))
                ORDER BY f.begin_snapshot, f.data_file_id
                """, [.integer(snapshot), .integer(tableID), .integer(tsColumn)])
            var out: [LakeTierFile] = []
            for r in files {
                guard let id = r[0].int64, let p = r[1].string, let n = r[3].int64, let size = r[4].int64,
                      let begin = r[5].int64 else { continue }
                let partition = r[6].string
                var date = partition.flatMap { StatsText.parseDate($0) != nil ? $0 : nil }
                if date == nil, let max = r[7].string.flatMap(StatsText.parseTimestamp) {
                    date = StatsText.date(days: StatsText.floorDivMod(max, 86_400_000_000).0)
                }
                out.append(LakeTierFile(dataFileID: id, fullPath: resolve(p, relative: r[2].int64 != 0, directory: directory),
                                        recordCount: n, fileSizeBytes: size, beginSnapshot: begin, date: date,
                                        partition: partition, hasDeletes: (r[8].int64 ?? 0) != 0 || inlinedDeletes.contains(id)))
            }
            return out.sorted { a, b in
                (a.date ?? "", a.beginSnapshot, a.dataFileID) < (b.date ?? "", b.beginSnapshot, b.dataFileID)
            }
        }
    }

    /// Registers copies of data files in ONE new snapshot S (issue 6 item 3): each moved file gets `end_snapshot = S`
    /// and a new row begins at S with a new `data_file_id`, the copy's absolute path (`path_is_relative = 0`) and
    /// everything else unchanged — same `row_id_start` (row ids are stable), `record_count`, sizes, `partial_max`,
    /// partition values and column stats — so DuckDB and our reader see the same rows, and snapshots before S keep
    /// reading the old file until they expire (then `expireSnapshots` schedules the old path for deletion).
    /// Files no longer visible, or that gained deletes meanwhile, are skipped (their copies are the caller's to
    /// delete). Returns the snapshot (nil when nothing was moved) and the ids moved and skipped.
    public func commitMoves(tableID: Int64, moves: [(dataFileID: Int64, newPath: String)], author: String = "homer-tiering")
        throws -> (snapshotID: Int64?, moved: [Int64], skipped: [Int64]) {
        try transaction { db in
            let head = try Self.latestSnapshot(db)
            let s = head.id + 1
            var moved: [(Int64, String)] = []
            var skipped: [Int64] = []
            let inlined = "ducklake_inlined_delete_\(tableID)"
            let hasInlined = try db.tableExists(inlined)
            for m in moves {
                let live = try db.query("""
                    SELECT count(*) FROM ducklake_data_file f WHERE f.data_file_id = ?2 AND f.table_id = ?3 AND f.end_snapshot IS NULL
                      AND NOT EXISTS (SELECT 1 FROM ducklake_delete_file d WHERE d.data_file_id = f.data_file_id AND \(visible("d")))
                    """, [.integer(head.id), .integer(m.dataFileID), .integer(tableID)]).first?.first?.int64 ?? 0
                var deleted = false
                if hasInlined {
                    deleted = (try db.query("SELECT count(*) FROM \(inlined) WHERE file_id = ?", [.integer(m.dataFileID)])
                        .first?.first?.int64 ?? 0) > 0
                }
                if live == 1 && !deleted { moved.append((m.dataFileID, m.newPath)) } else { skipped.append(m.dataFileID) }
            }
            guard !moved.isEmpty else { return (nil, [], skipped) }
            try db.query("INSERT INTO ducklake_snapshot VALUES (?, ?, ?, ?, ?)",
                         [.integer(s), .text(SnapshotClock.format(SnapshotClock.next(after: head.timeMicros))),
                          .integer(head.schemaVersion), .integer(head.nextCatalogID),
                          .integer(head.nextFileID + Int64(moved.count))])
            // Same change kind as a compaction: files rewritten, rows unchanged (conflicts with concurrent deletes
            // on the table, as a DuckDB merge would).
            try db.query("INSERT INTO ducklake_snapshot_changes VALUES (?, ?, ?, ?, NULL)",
                         [.integer(s), .text("merge_adjacent:\(tableID)"), .text(author),
                          .text("moved \(moved.count) file(s) to another storage volume")])
            let end = try db.prepare("UPDATE ducklake_data_file SET end_snapshot = ? WHERE data_file_id = ?")
            let copyFile = try db.prepare("""
                INSERT INTO ducklake_data_file SELECT ?1, table_id, ?2, NULL, file_order, ?3, 0, file_format, record_count,
                    file_size_bytes, footer_size, row_id_start, partition_id, encryption_key, mapping_id, partial_max
                FROM ducklake_data_file WHERE data_file_id = ?4
                """)
            var copyRows: [SQLiteStatement] = []
            for table in ["ducklake_file_column_stats", "ducklake_file_partition_value", "ducklake_file_variant_stats"]
            where try db.tableExists(table) {
                let columns = try db.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)])
                    .compactMap { $0.first?.string }.filter { $0 != "data_file_id" }
                let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                copyRows.append(try db.prepare(
                    "INSERT INTO \(table) (data_file_id, \(list)) SELECT ?1, \(list) FROM \(table) WHERE data_file_id = ?2"))
            }
            for (i, (old, path)) in moved.enumerated() {
                let new = head.nextFileID + Int64(i)
                try end.run([.integer(s), .integer(old)])
                try copyFile.run([.integer(new), .integer(s), .text(path), .integer(old)])
                for stmt in copyRows { try stmt.run([.integer(new), .integer(old)]) }
            }
            return (s, moved.map(\.0), skipped)
        }
    }
}
