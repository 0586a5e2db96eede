import Foundation

/// `visible(x)` of the spec (research §5.5) for a table alias and a bound snapshot parameter.
func visible(_ alias: String) -> String {
    "(\(alias).begin_snapshot <= ?1 AND (\(alias).end_snapshot IS NULL OR ?1 < \(alias).end_snapshot))"
}

extension SQLiteCatalog {
    public func ensureHEPTable() throws -> LakeTableInfo {
        if let existing = try table(named: HEPTable.tableName, at: currentSnapshot().id) { return existing }
        try transaction { db in
            let head = try Self.latestSnapshot(db)
            if try Self.tableInfo(db, name: HEPTable.tableName, snapshot: head.id, dataPath: dataPath) != nil { return }
            guard let schemaID = try db.query("SELECT schema_id FROM ducklake_schema s WHERE schema_name = 'main' AND \(visible("s"))",
                                              [.integer(head.id)]).first?.first?.int64 else {
                throw DuckLakeError(.corruptCatalog, "schema main does not exist")
            }
            // One snapshot creates the table, its identity partitioning on `date` and its sort order, as DuckDB's
            // CREATE TABLE + SET PARTITIONED BY + SET SORTED BY would over three (research §10).
            let s = head.id + 1, version = head.schemaVersion + 1
            let tableID = head.nextCatalogID, partitionID = tableID + 1, sortID = tableID + 2
            try db.query("INSERT INTO ducklake_snapshot VALUES (?, ?, ?, ?, ?)",
                         [.integer(s), .text(SnapshotClock.format(SnapshotClock.next(after: head.timeMicros))),
                          .integer(version), .integer(tableID + 3), .integer(head.nextFileID)])
            try db.query("INSERT INTO ducklake_snapshot_changes VALUES (?, ?, 'homer', NULL, NULL)",
                         [.integer(s), .text("created_table:\"\(HEPTable.schemaName)\".\"\(HEPTable.tableName)\"")])
            try db.query("INSERT INTO ducklake_table VALUES (?, ?, ?, NULL, ?, ?, ?, 1)",
                         [.integer(tableID), .text(UUID().uuidString.lowercased()), .integer(s), .integer(schemaID),
                          .text(HEPTable.tableName), .text(HEPTable.tableName + "/")])
            let column = try db.prepare(
                "INSERT INTO ducklake_column VALUES (?, ?, NULL, ?, ?, ?, ?, NULL, 'NULL', 1, NULL, 'literal', 'duckdb')")
            for c in HEPTable.columns {
                try column.run([.integer(c.id), .integer(s), .integer(tableID), .integer(c.id), .text(c.name),
                                .text(c.type.rawValue)])
            }
            // Required: ducklake_merge_adjacent_files crashes without it (research §4).
            try db.query("INSERT INTO ducklake_schema_versions VALUES (?, ?, ?)", [.integer(s), .integer(version), .integer(tableID)])
            let inlined = "ducklake_inlined_data_\(tableID)_\(version)"
            let cols = HEPTable.columns.map { "\"\($0.name)\" \($0.type.inlinedSQLiteType)" }.joined(separator: ", ")
            try db.execute("CREATE TABLE IF NOT EXISTS \(inlined)(row_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT, \(cols))")
            try db.query("INSERT INTO ducklake_inlined_data_tables VALUES (?, ?, ?)", [.integer(tableID), .text(inlined), .integer(version)])
            try db.query("INSERT INTO ducklake_partition_info VALUES (?, ?, ?, NULL)", [.integer(partitionID), .integer(tableID), .integer(s)])
            guard let dateColumn = HEPTable.column(named: "date") else { return }
            try db.query("INSERT INTO ducklake_partition_column VALUES (?, ?, 0, ?, 'identity')",
                         [.integer(partitionID), .integer(tableID), .integer(dateColumn.id)])
            try db.query("INSERT INTO ducklake_sort_info VALUES (?, ?, ?, NULL)", [.integer(sortID), .integer(tableID), .integer(s)])
            try db.query("INSERT INTO ducklake_sort_expression VALUES (?, ?, 0, '\"timestamp\"', 'duckdb', 'ASC', 'NULLS_LAST')",
                         [.integer(sortID), .integer(tableID)])
        }
        guard let table = try table(named: HEPTable.tableName, at: currentSnapshot().id) else {
            throw DuckLakeError(.corruptCatalog, "table \(HEPTable.tableName) missing after creation")
        }
        return table
    }

    public func table(named name: String, at snapshot: Int64) throws -> LakeTableInfo? {
        try withDatabase { db in try Self.tableInfo(db, name: name, snapshot: snapshot, dataPath: dataPath) }
    }

    static func tableInfo(_ db: SQLiteDatabase, name: String, snapshot: Int64, dataPath: String) throws -> LakeTableInfo? {
        let rows = try db.query("""
            SELECT t.table_id, t.schema_id, t.path, t.path_is_relative, s.path, s.path_is_relative
            FROM ducklake_table t JOIN ducklake_schema s USING (schema_id)
            WHERE t.table_name = ?2 AND s.schema_name = 'main' AND \(visible("t")) AND \(visible("s"))
            """, [.integer(snapshot), .text(name)])
        guard let row = rows.first, let tableID = row[0].int64, let schemaID = row[1].int64 else { return nil }
        // Relative paths nest: data_path + schema path + table path (research §2.4). `directory` stays relative to
        // data_path unless one of them is absolute.
        let schemaDir = row[4].string ?? ""
        let tablePath = row[2].string ?? ""
        let directory = row[3].int64 == 0 ? tablePath : schemaDir + tablePath
        var columns: [LakeColumn] = []
        for c in try db.query("""
            SELECT column_id, column_name, column_type FROM ducklake_column c
            WHERE table_id = ?2 AND parent_column IS NULL AND \(visible("c")) ORDER BY column_order
            """, [.integer(snapshot), .integer(tableID)]) {
            guard let id = c[0].int64, let n = c[1].string, let t = c[2].string else { continue }
            guard let type = LakeColumnType(rawValue: t) else {
                throw DuckLakeError(.corruptCatalog, "column \(n) of \(name) has type \(t), which homer does not read")
            }
            columns.append(LakeColumn(id: id, name: n, type: type))
        }
        let partition = try db.query("SELECT partition_id FROM ducklake_partition_info p WHERE table_id = ?2 AND \(visible("p"))",
                                     [.integer(snapshot), .integer(tableID)]).first?.first?.int64
        return LakeTableInfo(tableID: tableID, schemaID: schemaID, name: name, directory: directory, columns: columns,
                             partitionID: partition)
    }

    /// Resolves a path stored in the catalog against `data_path` and the table directory.
    func resolve(_ path: String, relative: Bool, directory: String) -> String {
        guard relative else { return path }
        return directory.hasPrefix("/") || directory.contains("://") ? directory + path : dataPath + directory + path
    }

    // MARK: snapshots

    static func latestSnapshot(_ db: SQLiteDatabase) throws -> LakeSnapshot {
        guard let s = try snapshots(db, where: "1", [], limit: 1).first else {
            throw DuckLakeError(.corruptCatalog, "ducklake_snapshot is empty")
        }
        return s
    }

    static func snapshots(_ db: SQLiteDatabase, where condition: String, _ binds: [SQLiteValue], limit: Int) throws -> [LakeSnapshot] {
        try db.query("""
            SELECT s.snapshot_id, s.snapshot_time, s.schema_version, s.next_catalog_id, s.next_file_id,
                   c.changes_made, c.author, c.commit_message
            FROM ducklake_snapshot s LEFT JOIN ducklake_snapshot_changes c USING (snapshot_id)
            WHERE \(condition) ORDER BY s.snapshot_id DESC LIMIT \(limit)
            """, binds).map { r in
            guard let id = r[0].int64, let time = r[1].string, let micros = StatsText.parseTimestamp(time) else {
                throw DuckLakeError(.corruptCatalog, "unreadable snapshot row \(r)")
            }
            return LakeSnapshot(id: id, time: time, timeMicros: micros, schemaVersion: r[2].int64 ?? 0,
                                nextCatalogID: r[3].int64 ?? 0, nextFileID: r[4].int64 ?? 0, changes: r[5].string,
                                author: r[6].string, commitMessage: r[7].string)
        }
    }

    public func currentSnapshot() throws -> LakeSnapshot {
        try withDatabase { db in try Self.latestSnapshot(db) }
    }

    public func snapshot(id: Int64) throws -> LakeSnapshot {
        guard let s = try withDatabase({ db in try Self.snapshots(db, where: "s.snapshot_id = ?", [.integer(id)], limit: 1) }).first else {
            throw DuckLakeError(.snapshotNotFound, "no snapshot found at version \(id)")
        }
        return s
    }

    public func snapshot(atOrBefore micros: Int64) throws -> LakeSnapshot {
        // Text prefilter to whole seconds (formats of the fraction vary), then exact comparison in µs. Snapshot times
        // grow with ids, so the newest candidate at or before `micros` is the answer.
        let second = StatsText.timestamp(micros: StatsText.floorDivMod(micros, 1_000_000).0 * 1_000_000)
        let candidates = try withDatabase { db in
            try Self.snapshots(db, where: "substr(s.snapshot_time, 1, 19) <= ?", [.text(second)], limit: 64)
        }
        guard let s = candidates.first(where: { $0.timeMicros <= micros }) else {
            throw DuckLakeError(.snapshotNotFound, "no snapshot found at timestamp \(StatsText.timestamp(micros: micros))")
        }
        return s
    }

    public func snapshots(table name: String, limit: Int) throws -> [LakeSnapshotSummary] {
        try withDatabase { db in
            let list = try Self.snapshots(db, where: "1", [], limit: max(0, limit))
            guard let head = list.first,
                  let table = try Self.tableInfo(db, name: name, snapshot: head.id, dataPath: dataPath) else {
                return list.map { LakeSnapshotSummary(snapshot: $0, rowsAdded: 0) }
            }
            var added: [Int64: Int64] = [:]
            let low = list.last?.id ?? 0
            for r in try db.query("""
                SELECT begin_snapshot, sum(record_count) FROM ducklake_data_file
                WHERE table_id = ? AND begin_snapshot >= ? GROUP BY begin_snapshot
                """, [.integer(table.tableID), .integer(low)]) {
                if let s = r[0].int64 { added[s, default: 0] += r[1].int64 ?? 0 }
            }
            for name in try Self.inlinedTables(db, tableID: table.tableID) {
                for r in try db.query("SELECT begin_snapshot, count(*) FROM \(name) WHERE begin_snapshot >= ? GROUP BY begin_snapshot",
                                      [.integer(low)]) {
                    if let s = r[0].int64 { added[s, default: 0] += r[1].int64 ?? 0 }
                }
            }
            return list.map { LakeSnapshotSummary(snapshot: $0, rowsAdded: added[$0.id] ?? 0) }
        }
    }

    /// The inlined-data tables of a table that exist in the database.
    static func inlinedTables(_ db: SQLiteDatabase, tableID: Int64) throws -> [String] {
        try db.query("SELECT table_name FROM ducklake_inlined_data_tables WHERE table_id = ? ORDER BY schema_version",
                     [.integer(tableID)]).compactMap { $0.first?.string }.filter { try db.tableExists($0) }
    }
}
