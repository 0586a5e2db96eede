import Synchronization

/// A `NodeBackend` over records held in memory, with snapshots: each `commit` makes a new snapshot holding every
/// record committed so far, and `buffer` adds rows that count in `stats()` but are not searchable yet — the same
/// visibility rules as the lake. Used by tests and by a node running without storage.
public final class MemoryBackend: NodeBackend {
    private struct Snapshot {
        var info: SnapshotInfo
        /// Index into `State.records`: this snapshot sees records[0..<visible].
        var visible: Int
    }

    private struct State {
        var records: [SearchRecord] = []
        var snapshots: [Snapshot] = []
        var buffered: [SearchRecord] = []
    }

    // Mutex-guarded state: every access goes through `state.withLock`, so the class is Sendable.
    private let state = Mutex(State())
    private let dataPath: String

    public init(dataPath: String = "memory") {
        self.dataPath = dataPath
    }

    /// Commits `records` as one new snapshot at `time` (ns); returns its id (ids start at 1, like a lake whose
    /// snapshot 0 created the table).
    @discardableResult
    public func commit(_ records: [SearchRecord], time: Int64) -> Int64 {
        state.withLock { s in
            s.records += records
            let id = Int64(s.snapshots.count + 1)
            let info = SnapshotInfo(id: id, time: time, changes: "inserted_into_table:1", rowsAdded: Int64(records.count))
            s.snapshots.append(Snapshot(info: info, visible: s.records.count))
            return id
        }
    }

    /// Adds rows that are received but not committed: they count in `stats()` only.
    public func buffer(_ records: [SearchRecord]) {
        state.withLock { $0.buffered += records }
    }

    public func stats() async throws -> NodeStats {
        state.withLock { s in
            let all = s.records + s.buffered
            return NodeStats(rowCount: Int64(all.count), minTimestamp: all.map(\.timestamp).min(),
                             maxTimestamp: all.map(\.timestamp).max(), dataPath: dataPath,
                             snapshotID: s.snapshots.last?.info.id, bufferedRows: Int64(s.buffered.count))
        }
    }

    public func search(_ query: SearchQuery) async throws -> SearchResult {
        let (snapshot, rows): (Int64?, ArraySlice<SearchRecord>) = try state.withLock { s in
            let chosen: Snapshot?
            switch query.snapshot {
            case .current: chosen = s.snapshots.last
            case .id(let id):
                guard let found = s.snapshots.first(where: { $0.info.id == id }) else {
                    throw APIError(.unknownSnapshot, "snapshot \(id) does not exist")
                }
                chosen = found
            case .asOf(let ns):
                guard let found = s.snapshots.last(where: { $0.info.time <= ns }) else {
                    throw APIError(.unknownSnapshot, "no snapshot at or before \(RFC3339.micros(ns))")
                }
                chosen = found
            }
            return (chosen?.info.id, s.records[0..<(chosen?.visible ?? 0)])
        }
        var matched: [SearchRecord] = []
        for (i, r) in rows.enumerated() {
            if i & 1023 == 0 { try Task.checkCancellation() }
            if query.matches(r) { matched.append(r) }
        }
        matched = SearchResult.ordered(matched, query.order, limit: query.limit)
        return SearchResult(snapshotID: snapshot, records: matched,
                            stats: ScanStats(filesTotal: 0, filesRead: 0, rowsScanned: rows.count))
    }

    public func snapshots(limit: Int) async throws -> [SnapshotInfo] {
        state.withLock { Array($0.snapshots.reversed().prefix(limit).map(\.info)) }
    }

    public func tables() async throws -> [TableInfo] {
        state.withLock { s in
            [TableInfo(name: "main.hep_messages", rowCount: Int64(s.records.count),
                       minTimestamp: s.records.map(\.timestamp).min(), maxTimestamp: s.records.map(\.timestamp).max(),
                       files: 0, bytes: 0)]
        }
    }
}

extension SearchResult {
    /// Sorts by timestamp (stable, so rows with equal timestamps keep storage order) and keeps the first `limit`.
    public static func ordered(_ records: [SearchRecord], _ order: SortOrder, limit: Int) -> [SearchRecord] {
        let indexed = records.enumerated().sorted { a, b in
            if a.element.timestamp != b.element.timestamp {
                return order == .ascending ? a.element.timestamp < b.element.timestamp
                                           : a.element.timestamp > b.element.timestamp
            }
            return order == .ascending ? a.offset < b.offset : a.offset > b.offset
        }
        return indexed.prefix(limit).map(\.element)
    }
}
