import Foundation

/// What `homer lake inspect` prints: snapshots, partitions and the files of the current snapshot (issue 6 item 5).
public struct LakeInspection: Sendable, Equatable {
    public struct Partition: Sendable, Equatable {
        public var value: String
        public var files: Int
        public var rows: Int64
        public var bytes: Int64
    }

    /// Visible files of one storage volume (`storage_policy.volumes`, or the data path alone).
    public struct Volume: Sendable, Equatable {
        public var name: String
        /// Root path or URL; files whose full path starts with it are on this volume.
        public var root: String
        public var files: Int
        public var rows: Int64
        public var bytes: Int64
    }

    public var dataPath: String
    /// Where data_path is: `local` or `s3`.
    public var volume: String
    /// Files per volume, in the order given to `inspect` (files on no known volume are grouped as `other`).
    public var volumes: [Volume]
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
        out += "volume        files        rows         bytes   root\n"
        for v in volumes {
            out += v.name.padding(toLength: 12, withPad: " ", startingAt: 0) + String(v.files).leftPadded(7)
                + String(v.rows).leftPadded(12) + String(v.bytes).leftPadded(14) + "   \(v.root)\n"
        }
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
    /// Catalog-only inspection of `table` (no file is opened). `volumes` (name, root) are the storage volumes to
    /// count files on; default: data_path alone.
    public func inspect(table name: String = HEPTable.tableName, volumes: [(name: String, root: String)]? = nil)
        throws -> LakeInspection {
        let volumeList = volumes ?? [("data_path", dataPath)]
        let head = try currentSnapshot()
        return try withDatabase { db in
            let count = try db.query("SELECT count(*) FROM ducklake_snapshot").first?.first?.int64 ?? 0
            let oldestID = try db.query("SELECT min(snapshot_id) FROM ducklake_snapshot").first?.first?.int64
            var partitions: [LakeInspection.Partition] = []
            var catalogFiles = 0
            var usage = volumeList.map { LakeInspection.Volume(name: $0.name, root: $0.root, files: 0, rows: 0, bytes: 0) }
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
                let directory = try Self.tableDirectory(db, tableID: table.tableID) ?? ""
                for r in try db.query("""
                    SELECT path, path_is_relative, record_count, file_size_bytes FROM ducklake_data_file f
                    WHERE f.table_id = ?2 AND \(visible("f"))
                    """, [.integer(head.id), .integer(table.tableID)]) {
                    let full = resolve(r[0].string ?? "", relative: r[1].int64 != 0, directory: directory)
                    var index = usage.indices.filter { full.hasPrefix(usage[$0].root) }
                        .max { usage[$0].root.count < usage[$1].root.count }
                    if index == nil {
                        let root = full.hasPrefix("s3://") ? "s3://" : "/"
                        usage.append(.init(name: "other", root: root, files: 0, rows: 0, bytes: 0))
                        index = usage.count - 1
                    }
                    if let i = index {
                        usage[i].files += 1
                        usage[i].rows += r[2].int64 ?? 0
                        usage[i].bytes += r[3].int64 ?? 0
                    }
                }
                catalogFiles = Int(try db.query("SELECT count(*) FROM ducklake_data_file WHERE table_id = ?",
                                                [.integer(table.tableID)]).first?.first?.int64 ?? 0)
            }
            let scheduled = Int(try db.query("SELECT count(*) FROM ducklake_files_scheduled_for_deletion").first?.first?.int64 ?? 0)
            let oldest = try oldestID.flatMap { id in
                try Self.snapshots(db, where: "s.snapshot_id = ?", [.integer(id)], limit: 1).first
            }
            return LakeInspection(dataPath: dataPath, volume: dataPath.lowercased().hasPrefix("s3://") ? "s3" : "local",
                                  volumes: usage, snapshotCount: Int(count), oldestSnapshot: oldest, currentSnapshot: head,
                                  partitions: partitions, catalogFiles: catalogFiles, scheduledForDeletion: scheduled)
        }
    }
}
