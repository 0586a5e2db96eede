import DuckLake

extension HomerConfig {
    /// `maintenance.*`: lake upkeep (compaction, retention, snapshot expiry, cleanup) run by `homer serve` in the
    /// background and by `homer lake maintain` once.
    public struct Maintenance: Sendable, Equatable {
        /// `enable`: run maintenance in the background of `homer serve`. Default false.
        public var enable = false
        /// `interval_sec`: pause between two passes. Default 3600.
        public var intervalSec = 3600
        /// `target_file_size_mb`: compaction target; 0 = no compaction. Default 128.
        public var targetFileSizeMB = 128
        /// `retention_days`: drop whole date partitions older than this; 0 = keep forever. Default 0.
        public var retentionDays = 0
        /// `expire_snapshots_older_than_hours`: expire older snapshots (then delete the files only they needed);
        /// 0 = never. Default 168 (7 days of time travel).
        public var expireSnapshotsOlderThanHours = 168

        public init() {}

        /// The lake-level options these settings describe.
        public var options: LakeMaintenanceOptions {
            var o = LakeMaintenanceOptions()
            o.targetFileSizeBytes = targetFileSizeMB > 0 ? Int64(targetFileSizeMB) << 20 : nil
            o.retentionDays = retentionDays > 0 ? retentionDays : nil
            o.expireSnapshotsOlderThanHours = expireSnapshotsOlderThanHours > 0 ? Double(expireSnapshotsOlderThanHours) : nil
            return o
        }
    }

    /// The `maintenance.*` keys (appended to `HomerConfig.keys`).
    static let maintenanceKeys: [ConfigKey] = [
        ConfigKey(path: "maintenance.enable", kind: .bool, defaultText: "false",
                  meaning: "Run lake maintenance (compaction, retention, snapshot expiry, file cleanup) in the background of homer serve.") {
            if case .bool(let v) = $1 { $0.maintenance.enable = v }
        },
        ConfigKey(path: "maintenance.interval_sec", kind: .int(10...604_800), defaultText: "3600",
                  meaning: "Pause between two maintenance passes.") {
            if case .int(let v) = $1 { $0.maintenance.intervalSec = v }
        },
        ConfigKey(path: "maintenance.target_file_size_mb", kind: .int(0...4096), defaultText: "128",
                  meaning: "Compaction merges files smaller than half this size, per date partition, into files of about this size; 0 = no compaction.") {
            if case .int(let v) = $1 { $0.maintenance.targetFileSizeMB = v }
        },
        ConfigKey(path: "maintenance.retention_days", kind: .int(0...36_500), defaultText: "0",
                  meaning: "Drop whole date partitions older than this many days (one snapshot); 0 = keep forever.") {
            if case .int(let v) = $1 { $0.maintenance.retentionDays = v }
        },
        ConfigKey(path: "maintenance.expire_snapshots_older_than_hours", kind: .int(0...876_000), defaultText: "168",
                  meaning: "Expire snapshots older than this (time travel ends there) and delete files only they referenced; 0 = never.") {
            if case .int(let v) = $1 { $0.maintenance.expireSnapshotsOlderThanHours = v }
        },
    ]
}
