import Foundation

/// Catalog side of lake upkeep: retention, snapshot expiry and the deletion schedule, written as DuckDB 1.5.5 writes
/// them (research ducklake.md §5.4 and §7, `DuckLakeMetadataManager::DeleteSnapshots`), so DuckDB keeps reading the
/// lake and its kept snapshots afterwards.
extension SQLiteCatalog {
    /// Ends, in ONE new snapshot, every visible data file (and its delete file) of `tableID` whose identity partition
    /// value (the `date` text, key index 0) sorts before `beforeDate` (`YYYY-MM-DD`). Returns the snapshot id and the
    /// dropped partitions, or nil when nothing is old enough (no empty snapshot is written). Time travel to earlier
    /// snapshots still shows the rows until those snapshots expire (research §5.4).
    public func dropPartitions(tableID: Int64, before beforeDate: String, author: String = "homer-retention")
        throws -> (snapshotID: Int64, partitions: [String], files: Int)? {
        try transaction { db in
            let head = try Self.latestSnapshot(db)
            let rows = try db.query("""
                SELECT f.data_file_id, v.partition_value FROM ducklake_data_file f
                JOIN ducklake_file_partition_value v ON v.data_file_id = f.data_file_id AND v.partition_key_index = 0
                WHERE f.table_id = ?2 AND \(visible("f")) AND v.partition_value < ?3
                """, [.integer(head.id), .integer(tableID), .text(beforeDate)])
            guard !rows.isEmpty else { return nil }
            let s = head.id + 1
            try db.query("INSERT INTO ducklake_snapshot VALUES (?, ?, ?, ?, ?)",
                         [.integer(s), .text(SnapshotClock.format(SnapshotClock.next(after: head.timeMicros))),
                          .integer(head.schemaVersion), .integer(head.nextCatalogID), .integer(head.nextFileID)])
            try db.query("INSERT INTO ducklake_snapshot_changes VALUES (?, ?, ?, ?, NULL)",
                         [.integer(s), .text("deleted_from_table:\(tableID)"), .text(author),
                          .text("retention: partitions before \(beforeDate)")])
            let endData = try db.prepare("UPDATE ducklake_data_file SET end_snapshot = ? WHERE data_file_id = ?")
            let endDelete = try db.prepare(
                "UPDATE ducklake_delete_file SET end_snapshot = ? WHERE data_file_id = ? AND end_snapshot IS NULL")
            var partitions = Set<String>()
            for r in rows {
                guard let id = r[0].int64 else { continue }
                try endData.run([.integer(s), .integer(id)])
                try endDelete.run([.integer(s), .integer(id)])
                if let p = r[1].string { partitions.insert(p) }
            }
            return (s, partitions.sorted(), rows.count)
        }
    }

    /// Deletes every snapshot taken before `olderThanMicros` except the latest one, then the catalog rows of data and
    /// delete files that no remaining snapshot can see (`end_snapshot` set and no kept snapshot in
    /// [begin_snapshot, end_snapshot)), scheduling their paths in `ducklake_files_scheduled_for_deletion` — the
    /// same effect as `ducklake_expire_snapshots(older_than => …)` (research §5.4, §7). Returns the expired snapshot
    /// ids and the number of files scheduled.
    public func expireSnapshots(olderThanMicros: Int64) throws -> (expired: [Int64], scheduledFiles: Int) {
        try transaction { db in
            let head = try Self.latestSnapshot(db)
            let cutoff = SnapshotClock.format(olderThanMicros)
            // snapshot_time text sorts chronologically (fixed-width UTC format, research §2.4).
            let expired = try db.query("SELECT snapshot_id FROM ducklake_snapshot WHERE snapshot_time < ? AND snapshot_id < ? ORDER BY snapshot_id",
                                       [.text(cutoff), .integer(head.id)]).compactMap { $0.first?.int64 }
            guard !expired.isEmpty else { return ([], 0) }
            let list = expired.map(String.init).joined(separator: ",")
            try db.execute("DELETE FROM ducklake_snapshot WHERE snapshot_id IN (\(list))")
            try db.execute("DELETE FROM ducklake_snapshot_changes WHERE snapshot_id IN (\(list))")
            // A file row is unreachable when it has ended and no kept snapshot lies in [begin, end).
            func unreachable(_ a: String) -> String {
                """
                \(a).end_snapshot IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ducklake_snapshot s
                    WHERE s.snapshot_id >= \(a).begin_snapshot AND s.snapshot_id < \(a).end_snapshot)
                """
            }
            var directories: [Int64: String] = [:]
            func directory(_ tableID: Int64) throws -> String {
                if let d = directories[tableID] { return d }
                let d = try Self.tableDirectory(db, tableID: tableID) ?? ""
                directories[tableID] = d
                return d
            }
            let now = SnapshotClock.format(SnapshotClock.nowMicros())
            let schedule = try db.prepare("INSERT INTO ducklake_files_scheduled_for_deletion VALUES (?, ?, ?, ?)")
            var scheduled = 0
            // Delete files first: those of unreachable data files go with them, plus delete files ended on their own.
            let deleteFiles = try db.query("""
                SELECT d.delete_file_id, d.table_id, d.path, d.path_is_relative FROM ducklake_delete_file d
                WHERE (\(unreachable("d")))
                   OR d.data_file_id IN (SELECT f.data_file_id FROM ducklake_data_file f WHERE \(unreachable("f")))
                """)
            let dataFiles = try db.query("SELECT data_file_id, table_id, path, path_is_relative FROM ducklake_data_file f WHERE \(unreachable("f"))")
            for rows in [deleteFiles, dataFiles] {
                for r in rows {
                    guard let id = r[0].int64, let t = r[1].int64, let p = r[2].string else { continue }
                    // Scheduled paths are relative to data_path (research §2.4).
                    let relative = r[3].int64 != 0
                    try schedule.run([.integer(id), .text(relative ? try directory(t) + p : p), .integer(relative ? 1 : 0),
                                      .text(now)])
                    scheduled += 1
                }
            }
            let deleteIDs = deleteFiles.compactMap { $0.first?.int64 }.map(String.init).joined(separator: ",")
            if !deleteIDs.isEmpty { try db.execute("DELETE FROM ducklake_delete_file WHERE delete_file_id IN (\(deleteIDs))") }
            let dataIDs = dataFiles.compactMap { $0.first?.int64 }.map(String.init).joined(separator: ",")
            if !dataIDs.isEmpty {
                for table in ["ducklake_file_column_stats", "ducklake_file_partition_value", "ducklake_file_variant_stats"] {
                    try db.execute("DELETE FROM \(table) WHERE data_file_id IN (\(dataIDs))")
                }
                try db.execute("DELETE FROM ducklake_data_file WHERE data_file_id IN (\(dataIDs))")
            }
            return (expired, scheduled)
        }
    }

    /// One row of `ducklake_files_scheduled_for_deletion`: the path relative to data_path (or absolute) and when it
    /// was scheduled (µs since the epoch).
    public struct ScheduledFile: Sendable, Equatable {
        public var dataFileID: Int64
        public var path: String
        public var isRelative: Bool
        public var scheduledAtMicros: Int64?
    }

    /// Files waiting for physical deletion.
    public func scheduledFiles() throws -> [ScheduledFile] {
        try withDatabase { db in
            try db.query("SELECT data_file_id, path, path_is_relative, schedule_start FROM ducklake_files_scheduled_for_deletion")
                .compactMap { r in
                    guard let id = r[0].int64, let p = r[1].string else { return nil }
                    return ScheduledFile(dataFileID: id, path: p, isRelative: r[2].int64 != 0,
                                         scheduledAtMicros: r[3].string.flatMap(StatsText.parseTimestamp))
                }
        }
    }

    /// Forgets scheduled files once their objects are gone.
    public func unschedule(_ files: [ScheduledFile]) throws {
        guard !files.isEmpty else { return }
        try transaction { db in
            let stmt = try db.prepare("DELETE FROM ducklake_files_scheduled_for_deletion WHERE data_file_id = ? AND path = ?")
            for f in files { try stmt.run([.integer(f.dataFileID), .text(f.path)]) }
        }
    }
}
