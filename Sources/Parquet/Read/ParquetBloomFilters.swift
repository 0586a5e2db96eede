/// The split-block bloom filters of some columns in every row group of one file, loaded once so that a caller can
/// keep them in memory (a footer cache) and test `=`/`IN` predicates without any read.
///
/// For a loaded column, a row group without an entry has no bloom filter in the file (the scan then keeps it).
public struct ParquetBloomFilters: Sendable {
    /// Per row group: leaf index → filter.
    let byGroup: [[Int: SplitBlockBloomFilter]]
    /// Leaf indexes whose filters were loaded.
    let columns: Set<Int>
    /// Bytes held by the bitsets.
    public let byteSize: Int

    init(byGroup: [[Int: SplitBlockBloomFilter]], columns: Set<Int>) {
        self.byGroup = byGroup
        self.columns = columns
        byteSize = byGroup.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.numBytes } }
    }

    /// No filter at all (columns absent from the file, or files written without bloom filters).
    public var isEmpty: Bool { byteSize == 0 }
}

extension ParquetReader {
    /// Reads (one coalesced request) the bloom filters of `columns` in every row group. Names absent from the file
    /// are ignored; columns without filters give an empty set.
    public func loadBloomFilters(columns names: [String]) async throws -> ParquetBloomFilters {
        var indexes = Set<Int>()
        for n in names { if let i = leaves.firstIndex(where: { $0.name == n }) { indexes.insert(i) } }
        var wanted: [(offset: Int64, length: Int64)] = []
        for group in metadata.rowGroups {
            for i in indexes {
                guard let md = group.columns[i].metaData, let o = md.bloomFilterOffset, let l = md.bloomFilterLength,
                      o > 0, l > 0 else { continue }
                guard o + Int64(l) <= fileSize, Int(l) <= SplitBlockBloomFilter.maximumBytes + 1024 else {
                    throw ParquetError(.corruptFile, "bloom filter \(o)+\(l) outside the file")
                }
                wanted.append((o, Int64(l)))
            }
        }
        var fetcher = RangeFetcher(source: source, gap: options.coalesceGap)
        if !wanted.isEmpty { try await fetcher.fetch(wanted) }
        var byGroup: [[Int: SplitBlockBloomFilter]] = []
        byGroup.reserveCapacity(metadata.rowGroups.count)
        for group in metadata.rowGroups {
            var filters: [Int: SplitBlockBloomFilter] = [:]
            for i in indexes {
                guard let md = group.columns[i].metaData, let o = md.bloomFilterOffset, let l = md.bloomFilterLength,
                      o > 0, l > 0 else { continue }
                if let f = try SplitBlockBloomFilter.parse(try fetcher.bytes(o, Int64(l))) { filters[i] = f }
            }
            byGroup.append(filters)
        }
        // Filters without a recorded length (older writers) are left to the scan, which reads their header first.
        let complete = indexes.filter { i in
            metadata.rowGroups.allSatisfy { g in
                guard let md = g.columns[i].metaData, let o = md.bloomFilterOffset, o > 0 else { return true }
                return (md.bloomFilterLength ?? 0) > 0
            }
        }
        return ParquetBloomFilters(byGroup: byGroup, columns: complete)
    }

    /// Whether some row group may hold a row matching `predicate`, from the footer's statistics and the given bloom
    /// filters alone (no read). False means a scan with this predicate would return no row.
    public func mayMatch(_ predicate: ParquetPredicate, bloomFilters: ParquetBloomFilters?) throws -> Bool {
        let plan = try ScanPlan(reader: self, columns: [], predicate: predicate)
        for (g, group) in metadata.rowGroups.enumerated() where group.numRows > 0 {
            if options.useStatistics, statisticsExclude(predicate, group: group, plan: plan) { continue }
            if options.useBloomFilters, let bloomFilters, g < bloomFilters.byGroup.count,
               bloomsExclude(predicate, filters: bloomFilters.byGroup[g], plan: plan) { continue }
            return true
        }
        return false
    }

    /// True when the row group's statistics prove no row matches.
    func statisticsExclude(_ p: ParquetPredicate, group: RowGroup, plan: ScanPlan) -> Bool {
        let truth = p.evaluate { leaf in
            guard let c = leaf.leafColumn, let i = plan.index[c] else { return .maybe }
            return leaves[i].statsView(group.columns[i].metaData?.statistics, rowCount: group.numRows).evaluate(leaf)
        }
        return truth == .no
    }

    /// True when the bloom filters prove no row matches (every `=`/`IN` value absent from an ANDed column).
    func bloomsExclude(_ p: ParquetPredicate, filters: [Int: SplitBlockBloomFilter], plan: ScanPlan) -> Bool {
        guard !filters.isEmpty else { return false }
        let truth = p.evaluate { leaf in
            guard let c = leaf.leafColumn, let i = plan.index[c], let filter = filters[i] else { return .maybe }
            let values: [ParquetValue]
            switch leaf {
            case .equal(_, let v): values = [v]
            case .in(_, let vs): values = vs
            default: return .maybe
            }
            for v in values {
                switch leaves[i].bloomKey(v) {
                case .bytes(let b): if filter.mightContain(hash: XXHash64.hash(b)) { return .maybe }
                case .impossible: continue
                case .unusable: return .maybe
                }
            }
            return .no
        }
        return truth == .no
    }

    /// The same reader reading through another source (e.g. a parsed footer kept in a cache, re-attached to a newly
    /// opened file). The caller guarantees `source` holds the same bytes.
    public func reading(from source: some RangeReader) -> ParquetReader {
        var copy = self
        copy.source = source
        return copy
    }

    /// A rough count of the bytes the parsed footer occupies in memory (for cache budgets): a few times the Thrift
    /// size, since every field becomes a Swift value.
    public var estimatedFooterMemory: Int { footerLength * 4 + 4096 }
}

/// A source that has no bytes: used for a reader kept in a cache without holding a file open.
public struct DetachedRangeReader: RangeReader {
    public init() {}
    public var size: Int64 { get async throws { throw ParquetError(.io, "detached reader: no source attached") } }
    public func read(offset: Int64, length: Int) async throws -> [UInt8] {
        throw ParquetError(.io, "detached reader: no source attached")
    }
}
