import Foundation
import Logging
import Storage

/// What one maintenance pass does. Every step is optional; a nil limit switches the step off.
public struct LakeMaintenanceOptions: Sendable {
    /// Whole `date` partitions older than this many days (by UTC date, relative to now) are dropped in one snapshot.
    /// nil (default) keeps data forever. Shorter keeps less disk; the rows stay reachable by time travel until their
    /// snapshots expire.
    public var retentionDays: Int?
    /// Snapshots older than this many hours are expired (the latest snapshot is always kept). nil (default) keeps
    /// every snapshot: time travel reaches everything, but retired files are never deleted.
    public var expireSnapshotsOlderThanHours: Double?
    /// Delete the objects of files scheduled for deletion (after expiry). Default true.
    public var cleanupScheduledFiles: Bool = true
    /// Delete `homer-*.parquet` files under the table directory that the catalog does not know, once they are at
    /// least this old (a live writer publishes a file moments before committing it, so a fresh unknown file is not an
    /// orphan yet). nil switches orphan cleanup off. Default 3600 s.
    public var orphanGraceSeconds: Double? = 3600
    /// Compaction target: small files of one partition are merged into files of about this size. nil switches
    /// compaction off. Default 128 MiB (bigger files mean fewer objects and requests, but a longer rewrite).
    public var targetFileSizeBytes: Int64? = 128 << 20
    /// Only files smaller than this fraction of the target are merged (bigger ones are left alone). Default 0.5.
    public var smallFileFraction: Double = 0.5
    /// Tiered storage (`storage_policy`): moves between volumes and drops past the last volume's age, run after
    /// compaction. nil (default) = one volume, no moves. The `LakeFiles` given to `LakeMaintenance` should be a
    /// `TieredLakeFiles` over the same policy, so cleanup can delete files on every volume.
    public var tiering: LakeTieringPolicy?
    /// Snapshot author written on maintenance snapshots.
    public var author: String = "homer-maintenance"

    public init() {}
}

/// The outcome of one maintenance pass, for logs and `homer lake maintain`.
public struct LakeMaintenanceReport: Sendable, Equatable, CustomStringConvertible {

    public var compaction = LakeCompactor.Result()
    public var tiering = LakeTiering.Report()
    public var droppedPartitions: [String] = []
    public var droppedFiles = 0
    public var retentionSnapshot: Int64?
    public var expiredSnapshots: [Int64] = []
    public var scheduledFiles = 0
    public var deletedScheduledFiles = 0
    public var deletedOrphans: [String] = []

    public init() {}

    public var description: String {
        "compacted \(compaction.replacedFiles) file(s) into \(compaction.writtenFiles) (\(compaction.bytesRead >> 20) MiB read, "
            + "\(compaction.bytesWritten >> 20) MiB written); dropped \(droppedFiles) file(s) of partitions \(droppedPartitions); "
            + "expired \(expiredSnapshots.count) snapshot(s), scheduled \(scheduledFiles) file(s); deleted \(deletedScheduledFiles) scheduled "
            + "and \(deletedOrphans.count) orphan file(s)" + (tiering == LakeTiering.Report() ? "" : "; tiering: \(tiering)")
    }
}

/// Lake upkeep (issue 6 item 4): compaction, retention by whole partitions, snapshot expiry, then deletion of the
/// files no kept snapshot references plus orphans. Each catalog step is one DuckLake-conformant change that DuckDB
/// 1.5.5 reads afterwards; objects are deleted only after the catalog stopped naming them.
public struct LakeMaintenance: Sendable {
    public let catalog: SQLiteCatalog
    public let files: any LakeFiles
    public let options: LakeMaintenanceOptions
    let logger: Logger

    public init(catalog: SQLiteCatalog, files: any LakeFiles, options: LakeMaintenanceOptions,
                logger: Logger = Logger(label: "homer.lake.maintenance")) {
        self.catalog = catalog
        self.files = files
        self.options = options
        self.logger = logger
    }

    /// One pass: compaction, retention, expiry, cleanup (in that order, like DuckDB's CHECKPOINT). `nowMicros` is the clock in
    /// µs since the epoch (tests move it); nil = now.
    public func run(nowMicros: Int64? = nil) async throws -> LakeMaintenanceReport {
        let nowMicros = nowMicros ?? SnapshotClock.nowMicros()
        var report = LakeMaintenanceReport()
        let head = try catalog.currentSnapshot()
        guard let table = try catalog.table(named: HEPTable.tableName, at: head.id) else { return report }
        if let target = options.targetFileSizeBytes {
            var compactor = LakeCompactor(catalog: catalog, files: files)
            compactor.author = options.author
            report.compaction = try await compactor.compact(
                table: table, targetBytes: target, smallBytes: Int64(Double(target) * options.smallFileFraction))
        }
        if let policy = options.tiering {
            var tiering = LakeTiering(catalog: catalog, policy: policy)
            tiering.author = options.author
            report.tiering = try await tiering.run(nowMicros: nowMicros)
        }
        if let days = options.retentionDays {
            try applyRetention(tableID: table.tableID, days: days, nowMicros: nowMicros, into: &report)
        }
        if let hours = options.expireSnapshotsOlderThanHours {
            let r = try catalog.expireSnapshots(olderThanMicros: nowMicros - Int64(hours * 3_600_000_000))
            report.expiredSnapshots = r.expired
            report.scheduledFiles = r.scheduledFiles
        }
        if options.cleanupScheduledFiles {
            report.deletedScheduledFiles = try await deleteScheduledFiles()
        }
        if let grace = options.orphanGraceSeconds {
            report.deletedOrphans = try await deleteOrphans(table: table, graceSeconds: grace, nowMicros: nowMicros)
        }
        logger.info("lake maintenance: \(report)")
        return report
    }

    /// Drops partitions whose date is before `today - days` (UTC).
    func applyRetention(tableID: Int64, days: Int, nowMicros: Int64, into report: inout LakeMaintenanceReport) throws {
        let today = StatsText.floorDivMod(nowMicros, 86_400_000_000).0
        let cutoff = StatsText.date(days: today - Int64(days))
        if let r = try catalog.dropPartitions(tableID: tableID, before: cutoff, author: options.author) {
            report.retentionSnapshot = r.snapshotID
            report.droppedPartitions = r.partitions
            report.droppedFiles = r.files
        }
    }

    /// Deletes the objects of scheduled files, then forgets them (an object already gone counts as deleted).
    public func deleteScheduledFiles() async throws -> Int {
        let scheduled = try catalog.scheduledFiles()
        var done: [SQLiteCatalog.ScheduledFile] = []
        for f in scheduled {
            let relative: String
            if f.isRelative {
                relative = f.path
            } else if f.path.hasPrefix(catalog.dataPath) {
                relative = String(f.path.dropFirst(catalog.dataPath.count))
            } else if try await files.delete(fullPath: f.path) {
                // On another storage volume (a file moved by tiering, then expired).
                done.append(f)
                continue
            } else {
                logger.warning("not deleting \(f.path): outside data_path \(catalog.dataPath)")
                continue
            }
            try await files.delete(relative)
            done.append(f)
        }
        try catalog.unschedule(done)
        return done.count
    }

    /// Deletes homer-written Parquet files under the table directory that the catalog does not know and that are
    /// older than `graceSeconds`. Listing happens BEFORE reading the catalog, so a file committed in between is known.
    func deleteOrphans(table: LakeTableInfo, graceSeconds: Double, nowMicros: Int64) async throws -> [String] {
        let listed = try await LakeFileAges.list(files, prefix: table.directory)
        let known = try catalog.knownFilePaths()
        var removed: [String] = []
        for (relative, modifiedMicros) in listed {
            let name = (relative as NSString).lastPathComponent
            guard name.hasPrefix("homer-"), name.hasSuffix(".parquet"),
                  !known.contains(catalog.dataPath + relative), !known.contains(relative) else { continue }
            // Unknown age (a LakeFiles that cannot tell): never delete.
            guard let modifiedMicros, Double(nowMicros - modifiedMicros) / 1_000_000 >= graceSeconds else { continue }
            try await files.delete(relative)
            removed.append(relative)
        }
        // Files of the other volumes (a move copied them but did not commit).
        if let tiered = files as? TieredLakeFiles {
            for volume in tiered.policy.volumes.dropFirst() {
                let listed: [ObjectInfo]
                do {
                    listed = try await volume.store.list(prefix: table.directory)
                } catch {
                    throw DuckLakeError(.io, "listing \(volume.root)\(table.directory): \(error)")
                }
                for o in listed {
                    let name = (o.key as NSString).lastPathComponent
                    guard name.hasPrefix("homer-"), name.hasSuffix(".parquet"), !known.contains(volume.root + o.key),
                          let modified = o.lastModified,
                          nowMicros - Int64(modified.timeIntervalSince1970 * 1_000_000) >= Int64(graceSeconds * 1_000_000)
                    else { continue }
                    _ = try await tiered.delete(fullPath: volume.root + o.key)
                    removed.append(volume.root + o.key)
                }
            }
        }
        return removed
    }
}

/// Modification times of lake files, where the `LakeFiles` can tell them (local directory, object store).
enum LakeFileAges {
    static func list(_ files: any LakeFiles, prefix: String) async throws -> [(String, Int64?)] {
        if let tiered = files as? TieredLakeFiles { return try await list(tiered.primary, prefix: prefix) }
        if let store = files as? ObjectStoreLakeFiles {
            do {
                return try await store.store.list(prefix: prefix).map {
                    ($0.key, $0.lastModified.map { Int64($0.timeIntervalSince1970 * 1_000_000) })
                }
            } catch {
                throw DuckLakeError(.io, "listing \(store.dataPath)\(prefix): \(error)")
            }
        }
        let names = try await files.list(prefix: prefix)
        guard let local = files as? LocalLakeFiles else { return names.map { ($0, nil) } }
        return names.map { name in
            var st = stat()
            guard stat(local.root + name, &st) == 0 else { return (name, nil) }
            return (name, Int64(st.st_mtim.tv_sec) * 1_000_000 + Int64(st.st_mtim.tv_nsec) / 1000)
        }
    }
}
