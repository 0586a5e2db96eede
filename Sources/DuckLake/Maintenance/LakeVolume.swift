import Foundation
import Storage

/// One storage tier of a lake (`storage_policy.volumes[]`, issue 6 item 3): a local directory or an S3 prefix that
/// holds data files under the same table layout as `data_path` (`<root>main/hep_messages/date=…/…parquet`).
///
/// The first volume is the lake's `data_path`: the writer puts new files there with relative catalog paths. A file
/// moved to another volume is registered with its absolute path or `s3://` URL (`path_is_relative = 0`), which
/// DuckDB 1.5.5 reads next to relative files (verified with httpfs against moto), so the lake stays one table.
public struct LakeVolume: Sendable {
    /// The volume's name (logs, `homer lake inspect`).
    public var name: String
    /// Where its files live, ending in `/`: an absolute directory or `s3://bucket/prefix/`. Catalog paths of files
    /// on this volume start with it.
    public var root: String
    /// The store under `root` (keys relative to it).
    public var store: any ObjectStore
    /// Files whose date (partition value, else the day of their newest row) is more than this many days before
    /// today (UTC) leave the volume: to the next one, or out of the lake on the last one. nil = no age limit.
    public var maxDataAgeDays: Int?
    /// When the volume's visible files exceed `moveFactor ×` this many bytes, its oldest files move to the next
    /// volume until they fit. nil = no size limit. Not enforced on the last volume (nothing is dropped for size).
    public var maxSizeBytes: Int64?

    public init(name: String, root: String, store: any ObjectStore, maxDataAgeDays: Int? = nil, maxSizeBytes: Int64? = nil) {
        self.name = name
        self.root = root.hasSuffix("/") ? root : root + "/"
        self.store = store
        self.maxDataAgeDays = maxDataAgeDays
        self.maxSizeBytes = maxSizeBytes
    }

    /// True when `fullPath` is a file of this volume.
    public func contains(_ fullPath: String) -> Bool { fullPath.hasPrefix(root) }

    /// Whether the files are on the local file system (read with `pread`, not through the store).
    public var isLocal: Bool { root.hasPrefix("/") }
}

/// Tiered storage: which volumes, in write order, and when files move (`storage_policy`).
public struct LakeTieringPolicy: Sendable {
    /// Volumes in priority order (lowest `priority` first). The first one's root must be the catalog's data_path.
    public var volumes: [LakeVolume]
    /// Size rule: a volume is over its limit when its bytes exceed `moveFactor × maxSizeBytes`; files then move
    /// until it is back under that mark (HOMER 11's `move_factor`). Default 0.8.
    public var moveFactor: Double = 0.8
    /// Files copied per catalog snapshot: a backlog is moved in several snapshots, so an interrupted pass loses
    /// little work (an uncommitted copy is an orphan, removed by orphan cleanup). Default 256.
    public var filesPerSnapshot: Int = 256
    /// Local directory where objects read from a remote volume are staged before upload to the next one.
    public var stagingDirectory: String

    public init(volumes: [LakeVolume], moveFactor: Double = 0.8, stagingDirectory: String) {
        self.volumes = volumes
        self.moveFactor = moveFactor
        self.stagingDirectory = stagingDirectory
    }

    /// The volume holding `fullPath` (longest matching root), as an index into `volumes`.
    public func volumeIndex(of fullPath: String) -> Int? {
        var best: Int?
        for (i, v) in volumes.enumerated() where v.contains(fullPath) {
            if best.map({ volumes[$0].root.count < v.root.count }) ?? true { best = i }
        }
        return best
    }
}
