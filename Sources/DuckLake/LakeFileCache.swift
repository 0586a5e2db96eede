import Parquet
import Synchronization

/// Parsed Parquet footers and the bloom filters of the id columns of data files, kept in memory so that a lookup
/// by Call-ID tests every file's bloom filters without opening it, and opens only the files (and row groups) that
/// may hold the id. Also the catalog's file list of the last snapshot read (a snapshot never changes).
///
/// Keyed by `data_file_id`: DuckLake data files are immutable, so an entry never goes stale; files retired by
/// compaction or retention are dropped when a query at a newer snapshot no longer lists them, and the least
/// recently used entries are evicted beyond the byte budget. Thread-safe; share one per lake.
public final class LakeFileCache: Sendable {
    /// One cached file.
    struct Entry: Sendable {
        /// The footer, detached from any file descriptor (re-attach with `reading(from:)`).
        var reader: ParquetReader
        var blooms: ParquetBloomFilters?
        var path: String
        var bytes: Int
        var lastUse: UInt64
    }

    /// Counters (for metrics and tests).
    public struct Statistics: Sendable, Hashable {
        public var entries = 0
        public var bytes = 0
        public var hits = 0
        public var misses = 0
        public var evictions = 0
        public var retired = 0
    }

    private struct State {
        var entries: [Int64: Entry] = [:]
        var stats = Statistics()
        var tick: UInt64 = 0
        /// The snapshot whose file list last pruned the cache.
        var prunedAt: Int64 = -1
        /// File list of one (table, snapshot).
        var fileList: (table: Int64, snapshot: Int64, files: [LakeDataFileEntry])?
        /// Table statistics of one (table, snapshot).
        var tableStatistics: (table: Int64, snapshot: Int64, value: LakeTableStatistics)?
    }

    /// Budget for footers + bloom filters, bytes.
    public let budgetBytes: Int
    /// Columns whose bloom filters are kept.
    public let bloomColumns: [String]
    private let state = Mutex(State())

    public init(budgetBytes: Int, bloomColumns: [String]) {
        self.budgetBytes = budgetBytes
        self.bloomColumns = bloomColumns
    }

    public var statistics: Statistics { state.withLock { $0.stats } }

    /// The cached footer and bloom filters of a file, nil when absent (or cached under another path).
    func lookup(_ id: Int64, path: String, countMiss: Bool = true) -> (ParquetReader, ParquetBloomFilters?)? {
        state.withLock { s in
            guard var e = s.entries[id], e.path == path else {
                if countMiss { s.stats.misses += 1 }
                return nil
            }
            s.tick += 1
            e.lastUse = s.tick
            s.entries[id] = e
            s.stats.hits += 1
            return (e.reader, e.blooms)
        }
    }

    /// Stores a file's footer and bloom filters; evicts the least recently used entries beyond the budget.
    func store(_ id: Int64, path: String, reader: ParquetReader, blooms: ParquetBloomFilters?) {
        let bytes = reader.estimatedFooterMemory + (blooms?.byteSize ?? 0) + path.utf8.count
        guard bytes <= budgetBytes else { return }
        state.withLock { s in
            s.tick += 1
            if let old = s.entries[id] { s.stats.bytes -= old.bytes }
            s.entries[id] = Entry(reader: reader.reading(from: DetachedRangeReader()), blooms: blooms, path: path,
                                  bytes: bytes, lastUse: s.tick)
            s.stats.bytes += bytes
            if s.stats.bytes > budgetBytes {
                // Evict oldest first down to 90 % of the budget, so that eviction runs rarely.
                let target = budgetBytes / 10 * 9
                for (key, e) in s.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
                    if s.stats.bytes <= target || key == id { break }
                    s.entries[key] = nil
                    s.stats.bytes -= e.bytes
                    s.stats.evictions += 1
                }
            }
            s.stats.entries = s.entries.count
        }
    }

    /// Drops files no longer in the current snapshot (retired by compaction or retention). Runs once per snapshot.
    func retain(current snapshot: Int64, liveIDs: @autoclosure () -> Set<Int64>) {
        let due = state.withLock { s in s.prunedAt < snapshot && !s.entries.isEmpty }
        guard due else { return }
        let live = liveIDs()
        state.withLock { s in
            guard s.prunedAt < snapshot else { return }
            s.prunedAt = snapshot
            for (key, e) in s.entries where !live.contains(key) {
                s.entries[key] = nil
                s.stats.bytes -= e.bytes
                s.stats.retired += 1
            }
            s.stats.entries = s.entries.count
            if let f = s.fileList, f.snapshot < snapshot { s.fileList = nil }
        }
    }

    /// Forgets everything (e.g. after files were rewritten outside the catalog's knowledge).
    public func removeAll() {
        state.withLock { s in
            s.entries = [:]
            s.fileList = nil
            s.tableStatistics = nil
            s.stats.bytes = 0
            s.stats.entries = 0
        }
    }

    /// The catalog statistics of `table` at `snapshot`, from the cache or `load` (the metadata routes ask for them
    /// on every request; they change only with the snapshot).
    func tableStatistics(table: Int64, snapshot: Int64, load: () throws -> LakeTableStatistics) rethrows
        -> LakeTableStatistics {
        if let t = state.withLock({ $0.tableStatistics }), t.table == table, t.snapshot == snapshot { return t.value }
        let value = try load()
        state.withLock { s in
            if s.tableStatistics == nil || s.tableStatistics!.snapshot <= snapshot {
                s.tableStatistics = (table, snapshot, value)
            }
        }
        return value
    }

    /// The catalog's data files of `table` at `snapshot`, from the cache or `load` (a snapshot's files never change).
    func dataFiles(table: Int64, snapshot: Int64, load: () throws -> [LakeDataFileEntry]) rethrows
        -> [LakeDataFileEntry] {
        if let f = state.withLock({ $0.fileList }), f.table == table, f.snapshot == snapshot { return f.files }
        let files = try load()
        state.withLock { s in
            if s.fileList == nil || s.fileList!.snapshot <= snapshot { s.fileList = (table, snapshot, files) }
        }
        return files
    }
}
