import Foundation

/// What `homer lake inspect` prints: snapshots, partitions and the files of the current snapshot (issue 6 item 5).
public struct LakeInspection: Sendable, Equatable {
    public struct Partition: Sendable, Equatable {
        public var value: String
        public var files: Int
        public var rows: Int64
        public var bytes: Int64
    }

    public var dataPath: String
    /// Where the files live: `local` or `s3` (the one volume of the data path; tiered volumes are not built yet).
    public var volume: String
    public var snapshotCount: Int
    public var oldestSnapshot: LakeSnapshot?
    public var currentSnapshot: LakeSnapshot
    public var partitions: [Partition]
    /// Data files of any snapshot still in the catalog (retired files kept for time travel included).
    public var catalogFiles: Int
    public var scheduledForDeletion: Int

    public var files: Int { partitions.reduce(0) { $0 + $1.files } }
    public var rows: Int64 { partitions.reduce(0) { $0 + $1.rows } }
    public var bytes: Int64 { partitions.reduce(0) { $0 + $1.bytes } }

    /// A plain-text report.
    public var text: String {
        var out = "data_path \(dataPath) (volume: \(volume))\n"
        out += "snapshots \(snapshotCount): \(oldestSnapshot.map { "\($0.id) at \($0.time)" } ?? "-") … "
            + "\(currentSnapshot.id) at \(currentSnapshot.time)\n"
        out += "current: \(files) file(s), \(rows) row(s), \(bytes) byte(s); catalog rows for \(catalogFiles) data file(s), "
            + "\(scheduledForDeletion) scheduled for deletion\n"
        out += "partition     files        rows         bytes   avg file\n"
        for p in partitions {
            let avg = p.files > 0 ? p.bytes / Int64(p.files) : 0
            out += p.value.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(p.files).leftPadded(7) + String(p.rows).leftPadded(12) + String(p.bytes).leftPadded(14)
                + String(avg).leftPadded(11) + "\n"
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension SQLiteCatalog {
    /// Catalog-only inspection of `table` (no file is opened).
    public func inspect(table name: String = HEPTable.tableName) throws -> LakeInspection {
        let head = try currentSnapshot()
        return try withDatabase { db in
            let count = try db.query("SELECT count(*) FROM ducklake_snapshot").first?.first?.int64 ?? 0
            let oldestID = try db.query("SELECT min(snapshot_id) FROM ducklake_snapshot").first?.first?.int64
            var partitions: [LakeInspection.Partition] = []
            var catalogFiles = 0
            if let table = try Self.tableInfo(db, name: name, snapshot: head.id, dataPath: dataPath) {
                for r in try db.query("""
                    SELECT coalesce(v.partition_value, '-'), count(*), sum(f.record_count), sum(f.file_size_bytes)
                    FROM ducklake_data_file f
                    LEFT JOIN ducklake_file_partition_value v ON v.data_file_id = f.data_file_id AND v.partition_key_index = 0
                    WHERE f.table_id = ?2 AND \(visible("f")) GROUP BY 1 ORDER BY 1
                    """, [.integer(head.id), .integer(table.tableID)]) {
                    partitions.append(.init(value: r[0].string ?? "-", files: Int(r[1].int64 ?? 0), rows: r[2].int64 ?? 0,
                                            bytes: r[3].int64 ?? 0))
                }
                catalogFiles = Int(try db.query("SELECT count(*) FROM ducklake_data_file WHERE table_id = ?",
                                                [.integer(table.tableID)]).first?.first?.int64 ?? 0)
            }
            let scheduled = Int(try db.query("SELECT count(*) FROM ducklake_files_scheduled_for_deletion").first?.first?.int64 ?? 0)
            let oldest = try oldestID.flatMap { id in
                try Self.snapshots(db, where: "s.snapshot_id = ?", [.integer(id)], limit: 1).first
            }
            return LakeInspection(dataPath: dataPath, volume: dataPath.lowercased().hasPrefix("s3://") ? "s3" : "local",
                                  snapshotCount: Int(count), oldestSnapshot: oldest, currentSnapshot: head,
                                  partitions: partitions, catalogFiles: catalogFiles, scheduledForDeletion: scheduled)
        }
    }
}
