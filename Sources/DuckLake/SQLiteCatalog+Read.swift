import Foundation

extension SQLiteCatalog {
    public func dataFiles(tableID: Int64, at snapshot: Int64) throws -> [LakeDataFileEntry] {
        try withDatabase { db in
            guard let directory = try Self.tableDirectory(db, tableID: tableID) else { return [] }
            // The spec's file listing (research §5.5 step 2).
            let rows = try db.query("""
                SELECT data.data_file_id, data.path, data.path_is_relative, data.record_count, data.file_size_bytes,
                       data.footer_size, data.row_id_start, data.begin_snapshot, data.partial_max, data.mapping_id,
                       del.path, del.path_is_relative, del.file_size_bytes
                FROM ducklake_data_file data
                LEFT JOIN (SELECT * FROM ducklake_delete_file d WHERE d.table_id = ?2 AND \(visible("d"))) del
                  USING (data_file_id)
                WHERE data.table_id = ?2 AND \(visible("data"))
                ORDER BY data.file_order, data.data_file_id
                """, [.integer(snapshot), .integer(tableID)])
            var entries: [LakeDataFileEntry] = []
            var index: [Int64: Int] = [:]
            for r in rows {
                guard let id = r[0].int64, let path = r[1].string, let size = r[4].int64 else {
                    throw DuckLakeError(.corruptCatalog, "data file row without id, path or size: \(r)")
                }
                index[id] = entries.count
                entries.append(LakeDataFileEntry(
                    dataFileID: id, path: resolve(path, relative: r[2].int64 != 0, directory: directory),
                    recordCount: r[3].int64 ?? 0, fileSizeBytes: size, footerSize: r[5].int64, rowIDStart: r[6].int64,
                    beginSnapshot: r[7].int64 ?? 0, partialMax: r[8].int64, mappingID: r[9].int64,
                    deleteFilePath: r[10].string.map { resolve($0, relative: r[11].int64 != 0, directory: directory) },
                    deleteFileSize: r[12].int64, stats: [:]))
            }
            guard !entries.isEmpty else { return [] }
            for r in try db.query("""
                SELECT st.data_file_id, st.column_id, st.column_size_bytes, st.value_count, st.null_count,
                       st.min_value, st.max_value
                FROM ducklake_file_column_stats st JOIN ducklake_data_file data USING (data_file_id)
                WHERE data.table_id = ?2 AND \(visible("data"))
                """, [.integer(snapshot), .integer(tableID)]) {
                guard let fileID = r[0].int64, let column = r[1].int64, let i = index[fileID] else { continue }
                entries[i].stats[column] = LakeColumnStats(columnID: column, columnSizeBytes: r[2].int64,
                                                           valueCount: r[3].int64 ?? 0, nullCount: r[4].int64 ?? 0,
                                                           min: r[5].string, max: r[6].string)
            }
            return entries
        }
    }

    /// The table's directory relative to data_path (or absolute), whatever snapshot it was created in.
    static func tableDirectory(_ db: SQLiteDatabase, tableID: Int64) throws -> String? {
        guard let r = try db.query("""
            SELECT t.path, t.path_is_relative, s.path FROM ducklake_table t JOIN ducklake_schema s USING (schema_id)
            WHERE t.table_id = ? ORDER BY t.begin_snapshot DESC LIMIT 1
            """, [.integer(tableID)]).first else { return nil }
        let tablePath = r[0].string ?? ""
        return r[1].int64 == 0 ? tablePath : (r[2].string ?? "") + tablePath
    }

    public func inlinedDeletes(tableID: Int64, at snapshot: Int64) throws -> [Int64: Set<Int64>] {
        try withDatabase { db in
            let name = "ducklake_inlined_delete_\(tableID)"
            guard try db.tableExists(name) else { return [:] }
            var result: [Int64: Set<Int64>] = [:]
            for r in try db.query("SELECT file_id, row_id FROM \(name) WHERE begin_snapshot <= ?", [.integer(snapshot)]) {
                if let f = r[0].int64, let p = r[1].int64 { result[f, default: []].insert(p) }
            }
            return result
        }
    }

    public func inlinedRows(tableID: Int64, at snapshot: Int64, columns: [String]) throws -> [[SQLiteValue]] {
        try withDatabase { db in
            var rows: [[SQLiteValue]] = []
            for name in try Self.inlinedTables(db, tableID: tableID) {
                // Older inlined tables may lack columns added later: those read as NULL.
                let present = Set(try db.query("SELECT name FROM pragma_table_info(?)", [.text(name)]).compactMap { $0.first?.string })
                let list = columns.map { present.contains($0) ? "\"\($0)\"" : "NULL" }
                let select = (["row_id"] + list).joined(separator: ", ")
                rows += try db.query("SELECT \(select) FROM \(name) x WHERE \(visible("x")) ORDER BY row_id",
                                     [.integer(snapshot)])
            }
            return rows
        }
    }

    public func statistics(tableID: Int64, at snapshot: Int64?) throws -> LakeTableStatistics {
        try withDatabase { db in
            let s = try snapshot ?? Self.latestSnapshot(db).id
            let files = try db.query("""
                SELECT count(*), coalesce(sum(record_count), 0), coalesce(sum(file_size_bytes), 0)
                FROM ducklake_data_file data WHERE table_id = ?2 AND \(visible("data"))
                """, [.integer(s), .integer(tableID)]).first ?? []
            let deleted = try db.query("""
                SELECT coalesce(sum(d.delete_count), 0) FROM ducklake_delete_file d
                JOIN ducklake_data_file data USING (data_file_id)
                WHERE d.table_id = ?2 AND \(visible("d")) AND \(visible("data"))
                """, [.integer(s), .integer(tableID)]).first?.first?.int64 ?? 0
            var rows = (files.count > 1 ? files[1].int64 ?? 0 : 0) - deleted
            let tsColumn = try db.query("""
                SELECT column_id FROM ducklake_column c WHERE table_id = ?2 AND column_name = 'timestamp' AND \(visible("c"))
                """, [.integer(s), .integer(tableID)]).first?.first?.int64 ?? 1
            var lo: Int64?, hi: Int64?
            func widen(_ a: String?, _ b: String?) {
                if let v = a.flatMap(StatsText.parseTimestamp) { lo = min(lo ?? v, v) }
                if let v = b.flatMap(StatsText.parseTimestamp) { hi = max(hi ?? v, v) }
            }
            let bounds = try db.query("""
                SELECT min(st.min_value), max(st.max_value) FROM ducklake_file_column_stats st
                JOIN ducklake_data_file data USING (data_file_id)
                WHERE data.table_id = ?2 AND st.column_id = ?3 AND \(visible("data"))
                """, [.integer(s), .integer(tableID), .integer(tsColumn)]).first ?? []
            if bounds.count == 2 { widen(bounds[0].string, bounds[1].string) }
            for name in try Self.inlinedTables(db, tableID: tableID) {
                let r = try db.query("SELECT count(*), min(\"timestamp\"), max(\"timestamp\") FROM \(name) x WHERE \(visible("x"))",
                                     [.integer(s)]).first ?? []
                if r.count == 3 {
                    rows += r[0].int64 ?? 0
                    widen(r[1].string, r[2].string)
                }
            }
            let inlinedDelete = "ducklake_inlined_delete_\(tableID)"
            if try db.tableExists(inlinedDelete) {
                rows -= try db.query("""
                    SELECT count(*) FROM \(inlinedDelete) x JOIN ducklake_data_file data ON data.data_file_id = x.file_id
                    WHERE x.begin_snapshot <= ?1 AND \(visible("data"))
                      AND NOT EXISTS (SELECT 1 FROM ducklake_delete_file d WHERE d.data_file_id = x.file_id AND \(visible("d")))
                    """, [.integer(s)]).first?.first?.int64 ?? 0
            }
            return LakeTableStatistics(snapshotID: s, rowCount: rows, fileCount: files.first?.int64 ?? 0,
                                       fileSizeBytes: files.count > 2 ? files[2].int64 ?? 0 : 0,
                                       minTimestampMicros: lo, maxTimestampMicros: hi)
        }
    }

    public func knownFilePaths() throws -> Set<String> {
        try withDatabase { db in
            var known = Set<String>()
            var directories: [Int64: String] = [:]
            for r in try db.query("SELECT DISTINCT table_id FROM ducklake_table") {
                if let id = r[0].int64, let dir = try Self.tableDirectory(db, tableID: id) { directories[id] = dir }
            }
            for table in ["ducklake_data_file", "ducklake_delete_file"] {
                for r in try db.query("SELECT table_id, path, path_is_relative FROM \(table)") {
                    guard let t = r[0].int64, let p = r[1].string else { continue }
                    known.insert(resolve(p, relative: r[2].int64 != 0, directory: directories[t] ?? ""))
                }
            }
            for r in try db.query("SELECT path, path_is_relative FROM ducklake_files_scheduled_for_deletion") {
                guard let p = r[0].string else { continue }
                known.insert(r[1].int64 != 0 ? dataPath + p : p)
            }
            return known
        }
    }
}
