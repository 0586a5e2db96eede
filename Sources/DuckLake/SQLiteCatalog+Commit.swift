import Foundation

extension SQLiteCatalog {
    /// Registers `files` in ONE new snapshot (research §5.3) and stores `spoolPosition` in `homer_spool_state` in the
    /// same transaction. Ids are read inside the `BEGIN IMMEDIATE` transaction, so a writer that lost a race (or
    /// DuckDB committing in between) simply continues from the newest snapshot.
    public func commitInsert(tableID: Int64, files: [LakeNewDataFile], spoolPosition: LakeSpoolPosition?,
                             author: String, message: String?) throws -> LakeCommitResult {
        try transaction { db in
            let head = try Self.latestSnapshot(db)
            let s = head.id + 1
            let stats = try db.query("SELECT record_count, next_row_id, file_size_bytes FROM ducklake_table_stats WHERE table_id = ?",
                                     [.integer(tableID)]).first
            var nextRowID = try stats?[1].int64 ?? Self.nextRowIDWithoutStats(db, tableID: tableID)
            let partitionID = try db.query("SELECT partition_id FROM ducklake_partition_info p WHERE table_id = ?2 AND \(visible("p"))",
                                           [.integer(head.id), .integer(tableID)]).first?.first?.int64
            let addedRows = files.reduce(Int64(0)) { $0 + $1.recordCount }
            let addedBytes = files.reduce(Int64(0)) { $0 + $1.fileSizeBytes }
            try db.query("INSERT INTO ducklake_snapshot VALUES (?, ?, ?, ?, ?)",
                         [.integer(s), .text(SnapshotClock.format(SnapshotClock.next(after: head.timeMicros))),
                          .integer(head.schemaVersion), .integer(head.nextCatalogID),
                          .integer(head.nextFileID + Int64(files.count))])
            try db.query("INSERT INTO ducklake_snapshot_changes VALUES (?, ?, ?, ?, NULL)",
                         [.integer(s), .text(files.isEmpty ? "" : "inserted_into_table:\(tableID)"), .text(author),
                          message.map { .text($0) } ?? .null])
            let dataFile = try db.prepare(
                "INSERT INTO ducklake_data_file VALUES (?, ?, ?, NULL, NULL, ?, 1, 'parquet', ?, ?, ?, ?, ?, NULL, NULL, NULL)")
            let partitionValue = try db.prepare("INSERT INTO ducklake_file_partition_value VALUES (?, ?, 0, ?)")
            let columnStats = try db.prepare("INSERT INTO ducklake_file_column_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)")
            var result = LakeCommitResult(snapshotID: s, dataFileIDs: [], rowIDStarts: [])
            result.rowCount = files.reduce(0) { $0 + $1.recordCount }
            result.fileBytes = files.reduce(0) { $0 + $1.fileSizeBytes }
            for (i, file) in files.enumerated() {
                let fileID = head.nextFileID + Int64(i)
                try dataFile.run([.integer(fileID), .integer(tableID), .integer(s), .text(file.path),
                                  .integer(file.recordCount), .integer(file.fileSizeBytes), .integer(file.footerSize),
                                  .integer(nextRowID), partitionID.map { .integer($0) } ?? .null])
                if partitionID != nil, let value = file.partitionValue {
                    try partitionValue.run([.integer(fileID), .integer(tableID), .text(value)])
                }
                for c in file.columnStats {
                    try columnStats.run([.integer(fileID), .integer(tableID), .integer(c.columnID),
                                         c.columnSizeBytes.map { .integer($0) } ?? .null, .integer(c.valueCount),
                                         .integer(c.nullCount), c.min.map { .text($0) } ?? .null, c.max.map { .text($0) } ?? .null])
                }
                result.dataFileIDs.append(fileID)
                result.rowIDStarts.append(nextRowID)
                nextRowID += file.recordCount
            }
            if stats == nil {
                try db.query("INSERT INTO ducklake_table_stats VALUES (?, ?, ?, ?)",
                             [.integer(tableID), .integer(addedRows), .integer(nextRowID), .integer(addedBytes)])
            } else {
                try db.query("""
                    UPDATE ducklake_table_stats SET record_count = record_count + ?, next_row_id = ?,
                           file_size_bytes = file_size_bytes + ? WHERE table_id = ?
                    """, [.integer(addedRows), .integer(nextRowID), .integer(addedBytes), .integer(tableID)])
            }
            try Self.mergeTableColumnStats(db, tableID: tableID, snapshot: head.id, files: files)
            if let spoolPosition {
                try db.query("INSERT OR REPLACE INTO homer_spool_state VALUES (1, ?, ?, ?)",
                             [.blob(spoolPosition.bytes), .integer(s), .text(SnapshotClock.format(SnapshotClock.nowMicros()))])
            }
            return result
        }
    }

    public func committedSpoolPosition() throws -> LakeSpoolPosition? {
        try withDatabase { db in
            guard try db.tableExists("homer_spool_state") else { return nil }
            guard case .blob(let bytes)? = try db.query("SELECT position FROM homer_spool_state WHERE id = 1").first?.first else {
                return nil
            }
            return LakeSpoolPosition(bytes: bytes)
        }
    }

    /// When a catalog has no `ducklake_table_stats` row for the table, row ids continue after every row id in use.
    static func nextRowIDWithoutStats(_ db: SQLiteDatabase, tableID: Int64) throws -> Int64 {
        var next = try db.query("SELECT max(row_id_start + record_count) FROM ducklake_data_file WHERE table_id = ?",
                                [.integer(tableID)]).first?.first?.int64 ?? 0
        for name in try inlinedTables(db, tableID: tableID) {
            if let m = try db.query("SELECT max(row_id) + 1 FROM \(name)").first?.first?.int64 { next = max(next, m) }
        }
        return next
    }

    /// Widens `ducklake_table_column_stats` by the new files' bounds: numeric and temporal values are compared as
    /// values, text byte-wise (UTF-8, as DuckDB compares VARCHAR).
    static func mergeTableColumnStats(_ db: SQLiteDatabase, tableID: Int64, snapshot: Int64, files: [LakeNewDataFile]) throws {
        guard !files.isEmpty else { return }
        var types: [Int64: LakeColumnType] = [:]
        for r in try db.query("SELECT column_id, column_type FROM ducklake_column c WHERE table_id = ?2 AND \(visible("c"))",
                              [.integer(snapshot), .integer(tableID)]) {
            if let id = r[0].int64, let t = r[1].string.flatMap(LakeColumnType.init(rawValue:)) { types[id] = t }
        }
        var existing: [Int64: (containsNull: Bool, min: String?, max: String?)] = [:]
        for r in try db.query("SELECT column_id, contains_null, min_value, max_value FROM ducklake_table_column_stats WHERE table_id = ?",
                              [.integer(tableID)]) {
            if let id = r[0].int64 { existing[id] = ((r[1].int64 ?? 1) != 0, r[2].string, r[3].string) }
        }
        var merged: [Int64: (containsNull: Bool, min: String?, max: String?, unbounded: Bool)] = [:]
        for file in files {
            for c in file.columnStats {
                guard let type = types[c.columnID] else { continue }
                var m = merged[c.columnID] ?? (false, nil, nil, false)
                m.containsNull = m.containsNull || c.nullCount > 0
                if c.valueCount > 0 {
                    if let lo = c.min, let hi = c.max {
                        m.min = m.min.map { StatsOrder.less(lo, $0, type) ? lo : $0 } ?? lo
                        m.max = m.max.map { StatsOrder.less($0, hi, type) ? hi : $0 } ?? hi
                    } else {
                        m.unbounded = true
                    }
                }
                merged[c.columnID] = m
            }
        }
        let insert = try db.prepare("INSERT INTO ducklake_table_column_stats VALUES (?, ?, ?, NULL, ?, ?, NULL)")
        let update = try db.prepare("""
            UPDATE ducklake_table_column_stats SET contains_null = ?, min_value = ?, max_value = ?
            WHERE table_id = ? AND column_id = ?
            """)
        for (id, m) in merged.sorted(by: { $0.key < $1.key }) {
            guard let type = types[id] else { continue }
            var lo = m.unbounded ? nil : m.min, hi = m.unbounded ? nil : m.max
            if let old = existing[id] {
                // NULL bounds mean "unknown" (or all NULL so far): keeping them unknown is always correct.
                if old.min == nil || old.max == nil { lo = nil; hi = nil }
                if let a = old.min, let b = lo { lo = StatsOrder.less(a, b, type) ? a : b }
                if let a = old.max, let b = hi { hi = StatsOrder.less(a, b, type) ? b : a }
                try update.run([.integer(old.containsNull || m.containsNull ? 1 : 0), lo.map { .text($0) } ?? .null,
                                hi.map { .text($0) } ?? .null, .integer(tableID), .integer(id)])
            } else {
                try insert.run([.integer(tableID), .integer(id), .integer(m.containsNull ? 1 : 0),
                                lo.map { .text($0) } ?? .null, hi.map { .text($0) } ?? .null])
            }
        }
    }
}

/// Ordering of stats texts by column type.
enum StatsOrder {
    static func less(_ a: String, _ b: String, _ type: LakeColumnType) -> Bool {
        switch type {
        case .timestamp:
            if let x = StatsText.parseTimestamp(a), let y = StatsText.parseTimestamp(b) { return x < y }
        case .date:
            if let x = StatsText.parseDate(a), let y = StatsText.parseDate(b) { return x < y }
        case .int32, .int64:
            if let x = Int64(a), let y = Int64(b) { return x < y }
        case .varchar, .blob:
            break
        }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
