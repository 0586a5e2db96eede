import Foundation
import Logging
import Storage

/// Tiered storage (issue 6 item 3, HOMER 11's `storage_policy`): files leave a volume when their date is older
/// than its `maxDataAgeDays` (strictly before `today − N`, the same day arithmetic as retention) or while the volume
/// is over `moveFactor × maxSizeBytes` (oldest first), and go to the next volume; past the last volume's age they
/// are dropped (one retention snapshot). A move copies the object (size checked), then commits ONE snapshot per
/// batch that retires the old file and registers the copy with the same row ids (`SQLiteCatalog.commitMoves`); the
/// old object is deleted only by cleanup, after the snapshots that still reference it expired.
public struct LakeTiering: Sendable {
    public let catalog: SQLiteCatalog
    public let policy: LakeTieringPolicy
    public var author = "homer-tiering"
    let logger: Logger

    public init(catalog: SQLiteCatalog, policy: LakeTieringPolicy, logger: Logger = Logger(label: "homer.lake.tiering")) {
        self.catalog = catalog
        self.policy = policy
        self.logger = logger
    }

    /// What one pass did.
    public struct Report: Sendable, Equatable, CustomStringConvertible {
        /// Files and bytes moved, per (from volume name, to volume name).
        public var moves: [Move] = []
        public var snapshots: [Int64] = []
        /// Partitions dropped past the last volume's age, and the retention snapshot.
        public var droppedPartitions: [String] = []
        public var droppedFiles = 0
        public var dropSnapshot: Int64?
        /// Files left in place: deletes point at them, or they changed while being copied.
        public var skippedFiles = 0

        public struct Move: Sendable, Equatable {
            public var from: String
            public var to: String
            public var files: Int
            public var bytes: Int64

            public init(from: String, to: String, files: Int, bytes: Int64) {
                self.from = from
                self.to = to
                self.files = files
                self.bytes = bytes
            }
        }

        public init() {}

        public var movedFiles: Int { moves.reduce(0) { $0 + $1.files } }

        public var description: String {
            let moved = moves.map { "\($0.files) file(s) / \($0.bytes >> 20) MiB \($0.from)→\($0.to)" }
            return "moved " + (moved.isEmpty ? "nothing" : moved.joined(separator: ", "))
                + "; dropped \(droppedFiles) file(s) of partitions \(droppedPartitions) past the last volume's age"
                + (skippedFiles > 0 ? "; skipped \(skippedFiles)" : "")
        }
    }

    /// A file to copy from volume `from` to volume `to` (indexes into the policy's volumes).
    public struct PlannedMove: Sendable, Equatable {
        public var file: LakeTierFile
        public var from: Int
        public var to: Int
    }

    /// One pass: drop past the last volume's age, then move. `nowMicros` is the clock (tests move it).
    public func run(nowMicros: Int64? = nil) async throws -> Report {
        let now = nowMicros ?? SnapshotClock.nowMicros()
        var report = Report()
        let head = try catalog.currentSnapshot()
        guard let table = try catalog.table(named: HEPTable.tableName, at: head.id), let last = policy.volumes.last else {
            return report
        }
        // Files under data_path have relative catalog paths: the first volume must be data_path or they would
        // belong to no volume.
        guard policy.volumes[0].root == catalog.dataPath else {
            throw DuckLakeError(.invalidArgument,
                                "the first volume \(policy.volumes[0].root) must be the lake's data_path \(catalog.dataPath)")
        }
        let today = StatsText.floorDivMod(now, 86_400_000_000).0
        if let days = last.maxDataAgeDays {
            let cutoff = StatsText.date(days: today - Int64(days))
            if let r = try catalog.dropPartitions(tableID: table.tableID, before: cutoff, author: author) {
                report.dropSnapshot = r.snapshotID
                report.droppedPartitions = r.partitions
                report.droppedFiles = r.files
            }
        }
        let candidates = try catalog.tieringCandidates(tableID: table.tableID, at: try catalog.currentSnapshot().id)
        let (plan, skipped) = Self.plan(candidates, policy: policy, today: today)
        report.skippedFiles = skipped
        var start = 0
        while start < plan.count {
            let batch = Array(plan[start..<min(plan.count, start + max(1, policy.filesPerSnapshot))])
            start += batch.count
            try await execute(batch, table: table, into: &report)
        }
        if report.movedFiles > 0 || report.droppedFiles > 0 { logger.info("lake tiering: \(report)") }
        return report
    }

    /// Decides the moves: volume by volume in order, files over the volume's age go on, then the oldest files while
    /// the volume (with what arrived from earlier volumes) is over its size mark; a file travels straight to the
    /// volume where it ends up. Returns the moves and how many candidates could not move (deletes point at them).
    public static func plan(_ files: [LakeTierFile], policy: LakeTieringPolicy, today: Int64) -> ([PlannedMove], Int) {
        let count = policy.volumes.count
        guard count > 1 else { return ([], 0) }
        var on: [[(file: LakeTierFile, origin: Int)]] = Array(repeating: [], count: count)
        var skipped = 0
        for f in files {
            guard let i = policy.volumeIndex(of: f.fullPath) else { continue }
            on[i].append((f, i))
        }
        for i in 0..<(count - 1) {
            let v = policy.volumes[i]
            var stay: [(file: LakeTierFile, origin: Int)] = []
            var leave: [(file: LakeTierFile, origin: Int)] = []
            let cutoff = v.maxDataAgeDays.map { StatsText.date(days: today - Int64($0)) }
            for e in on[i] {
                if let cutoff, let d = e.file.date, d < cutoff { leave.append(e) } else { stay.append(e) }
            }
            if let limit = v.maxSizeBytes {
                let mark = Int64(Double(limit) * policy.moveFactor)
                var bytes = stay.reduce(Int64(0)) { $0 + $1.file.fileSizeBytes }
                // `stay` keeps the candidates' order: oldest date first.
                var k = 0
                while bytes > mark && k < stay.count {
                    bytes -= stay[k].file.fileSizeBytes
                    k += 1
                }
                leave += stay.prefix(k)
                stay.removeFirst(k)
            }
            var next: [(file: LakeTierFile, origin: Int)] = []
            for e in leave {
                if e.file.hasDeletes { skipped += 1; stay.append(e) } else { next.append(e) }
            }
            on[i] = stay
            on[i + 1] = (next + on[i + 1]).sorted { a, b in
                (a.file.date ?? "", a.file.beginSnapshot, a.file.dataFileID) < (b.file.date ?? "", b.file.beginSnapshot, b.file.dataFileID)
            }
        }
        var moves: [PlannedMove] = []
        for (i, list) in on.enumerated() {
            for e in list where e.origin != i { moves.append(PlannedMove(file: e.file, from: e.origin, to: i)) }
        }
        return (moves.sorted { $0.file.dataFileID < $1.file.dataFileID }, skipped)
    }

    /// Copies a batch, commits it in one snapshot, and removes the copies the commit did not take.
    func execute(_ batch: [PlannedMove], table: LakeTableInfo, into report: inout Report) async throws {
        var copies: [(move: PlannedMove, path: String)] = []
        do {
            for m in batch {
                let target = policy.volumes[m.to]
                let key = table.directory + (m.file.partition.map { "date=\($0)/" } ?? "")
                    + "homer-\(UUID().uuidString.lowercased()).parquet"
                try await copy(m.file, from: policy.volumes[m.from], to: target, key: key)
                copies.append((m, target.root + key))
            }
            let r = try catalog.commitMoves(tableID: table.tableID, moves: copies.map { ($0.move.file.dataFileID, $0.path) },
                                            author: author)
            let moved = Set(r.moved)
            for c in copies where !moved.contains(c.move.file.dataFileID) {
                try? await policy.volumes[c.move.to].store.delete(String(c.path.dropFirst(policy.volumes[c.move.to].root.count)))
            }
            report.skippedFiles += r.skipped.count
            if let s = r.snapshotID { report.snapshots.append(s) }
            for c in copies where moved.contains(c.move.file.dataFileID) {
                let from = policy.volumes[c.move.from].name, to = policy.volumes[c.move.to].name
                if let i = report.moves.firstIndex(where: { $0.from == from && $0.to == to }) {
                    report.moves[i].files += 1
                    report.moves[i].bytes += c.move.file.fileSizeBytes
                } else {
                    report.moves.append(.init(from: from, to: to, files: 1, bytes: c.move.file.fileSizeBytes))
                }
            }
        } catch {
            // Nothing references the copies: remove them now rather than waiting for the orphan sweep.
            for c in copies {
                try? await policy.volumes[c.move.to].store.delete(String(c.path.dropFirst(policy.volumes[c.move.to].root.count)))
            }
            throw error
        }
    }

    /// Copies one object between volumes: a local source is uploaded as is; a remote one is first fetched into the
    /// staging directory in 8 MiB ranges (bounded memory). The target's `putFile` checks the stored size; the
    /// size is checked against the catalog's `file_size_bytes` too (readers trust it, research §4).
    func copy(_ file: LakeTierFile, from source: LakeVolume, to target: LakeVolume, key: String) async throws {
        let sourceKey = String(file.fullPath.dropFirst(source.root.count))
        var staged: String?
        defer { if let staged { unlink(staged) } }
        let localPath: String
        if source.isLocal {
            localPath = file.fullPath
        } else {
            try FileManager.default.createDirectory(atPath: policy.stagingDirectory, withIntermediateDirectories: true)
            let path = policy.stagingDirectory + "/.move-\(UUID().uuidString.lowercased()).parquet"
            staged = path
            try await Self.download(source.store, key: sourceKey, size: file.fileSizeBytes, to: path)
            localPath = path
        }
        var st = stat()
        guard stat(localPath, &st) == 0, Int64(st.st_size) == file.fileSizeBytes else {
            throw DuckLakeError(.io, "\(file.fullPath): size on \(source.name) differs from the catalog's \(file.fileSizeBytes)")
        }
        do {
            try await target.store.putFile(key, from: localPath)
        } catch {
            throw DuckLakeError(.io, "copying \(file.fullPath) to \(target.root)\(key): \(error)")
        }
    }

    static func download(_ store: any ObjectStore, key: String, size: Int64, to path: String) async throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DuckLakeError(.io, "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset: Int64 = 0
        let chunk: Int64 = 8 << 20
        while offset < size {
            let bytes: [UInt8]
            do {
                bytes = try await store.get(key, range: offset..<min(size, offset + chunk))
            } catch {
                throw DuckLakeError(.io, "reading \(store.location)\(key): \(error)")
            }
            guard !bytes.isEmpty else { throw DuckLakeError(.io, "\(store.location)\(key) is shorter than \(size) bytes") }
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw DuckLakeError(.io, "short write to \(path)") }
            offset += Int64(bytes.count)
        }
    }
}
