extension ParquetReader {
    /// The page index of one row group: ColumnIndex of the predicate columns, OffsetIndex of the needed columns.
    struct RowGroupIndex {
        var columns: [Int: ColumnIndex] = [:]
        var offsets: [Int: OffsetIndex] = [:]
    }

    /// Reads the page index parts a scan can use, in one coalesced fetch (writers put all ColumnIndexes, then all
    /// OffsetIndexes, together after the row groups: PageIndex.md). A malformed index is an error; a missing one
    /// just means no page pruning for that column.
    func pageIndex(group: RowGroup, plan: ScanPlan, fetcher: inout RangeFetcher) async throws -> RowGroupIndex {
        // Without a predicate nothing is pruned: reading whole chunks is as good as reading every page.
        guard plan.predicate != nil else { return RowGroupIndex() }
        let predicateColumns = Set((plan.predicate?.columnNames ?? []).compactMap { plan.index[$0] })
        var wanted: [(offset: Int64, length: Int64)] = []
        var ci: [(Int, Int64, Int64)] = []
        var oi: [(Int, Int64, Int64)] = []
        for i in plan.needed {
            let chunk = group.columns[i]
            if let o = chunk.offsetIndexOffset, let l = chunk.offsetIndexLength, o > 0, l > 0 {
                guard o + Int64(l) <= fileSize else { throw ParquetError(.corruptFile, "offset index outside the file") }
                oi.append((i, o, Int64(l)))
                wanted.append((o, Int64(l)))
            }
            if predicateColumns.contains(i), let o = chunk.columnIndexOffset, let l = chunk.columnIndexLength, o > 0, l > 0 {
                guard o + Int64(l) <= fileSize else { throw ParquetError(.corruptFile, "column index outside the file") }
                ci.append((i, o, Int64(l)))
                wanted.append((o, Int64(l)))
            }
        }
        guard !wanted.isEmpty else { return RowGroupIndex() }
        try await fetcher.fetch(wanted)
        var out = RowGroupIndex()
        for (i, o, l) in oi {
            var r = ThriftCompactReader(try fetcher.bytes(o, l))
            let index = try OffsetIndex(from: &r)
            try validate(index, chunk: group.columns[i], rows: group.numRows)
            out.offsets[i] = index
        }
        for (i, o, l) in ci {
            var r = ThriftCompactReader(try fetcher.bytes(o, l))
            let index = try ColumnIndex(from: &r)
            let pages = index.nullPages.count
            guard index.minValues.count == pages, index.maxValues.count == pages,
                  index.nullCounts.map({ $0.count == pages }) ?? true else {
                throw ParquetError(.corruptFile, "column index of \(leaves[i].name) has inconsistent list lengths")
            }
            out.columns[i] = index
        }
        return out
    }

    /// Page locations must be ascending, start at row 0 and lie inside their column chunk.
    private func validate(_ index: OffsetIndex, chunk: ColumnChunk, rows: Int64) throws {
        guard let md = chunk.metaData else { return }
        let (start, length) = try Self.chunkRange(md)
        var previousRow: Int64 = -1
        for (k, loc) in index.pageLocations.enumerated() {
            guard loc.offset >= start, loc.compressedPageSize > 0,
                  loc.offset + Int64(loc.compressedPageSize) <= start + length,
                  loc.firstRowIndex > previousRow, loc.firstRowIndex < max(rows, 1),
                  k > 0 || loc.firstRowIndex == 0 else {
                throw ParquetError(.corruptFile, "offset index page \(k) is inconsistent with its column chunk")
            }
            previousRow = loc.firstRowIndex
        }
    }

    /// The rows the predicate may match according to the page index: each leaf selects the pages whose statistics
    /// do not exclude it; AND intersects, OR unites (arrow-rs RowSelection). Columns without an index select all.
    func select(_ p: ParquetPredicate, group: RowGroup, rows: Int64, plan: ScanPlan,
                columnIndexes: [Int: ColumnIndex], offsetIndexes: [Int: OffsetIndex]) -> RowSelection {
        switch p {
        case .and(let ps):
            return ps.reduce(RowSelection.all(rows)) {
                $0.intersection(select($1, group: group, rows: rows, plan: plan, columnIndexes: columnIndexes,
                                       offsetIndexes: offsetIndexes))
            }
        case .or(let ps):
            return ps.reduce(RowSelection([])) {
                $0.union(select($1, group: group, rows: rows, plan: plan, columnIndexes: columnIndexes,
                                offsetIndexes: offsetIndexes))
            }
        default:
            guard let c = p.leafColumn, let i = plan.index[c], let ci = columnIndexes[i], let oi = offsetIndexes[i],
                  ci.nullPages.count == oi.pageLocations.count else {
                return RowSelection.all(rows)
            }
            let leaf = leaves[i]
            var ranges: [Range<Int64>] = []
            for k in 0..<oi.pageLocations.count {
                let range = pageRows(oi, k, rows: rows)
                var view = StatsView(rowCount: Int64(range.count), order: leaf.order)
                view.nullCount = ci.nullCounts?[k]
                if ci.nullPages[k] {
                    view.nullCount = Int64(range.count)
                } else {
                    view.min = leaf.value(plain: ci.minValues[k])
                    view.max = leaf.value(plain: ci.maxValues[k])
                    // Column index bounds may be truncated (not exact) for byte arrays.
                    view.minExact = leaf.kind != .byteArray
                    view.maxExact = leaf.kind != .byteArray
                    if case .double(let x)? = view.min, x.isNaN { view.min = nil; view.max = nil }
                    if case .double(let x)? = view.max, x.isNaN { view.min = nil; view.max = nil }
                }
                if view.evaluate(p) != .no { ranges.append(range) }
            }
            return RowSelection(ranges)
        }
    }

    /// Split-block bloom filters of the columns named in `=`/`IN` leaves, by leaf index (nil entries absent).
    /// Leaf indexes of the columns named in `=`/`IN` leaves.
    static func bloomColumns(_ predicate: ParquetPredicate, plan: ScanPlan) -> [Int] {
        var columns = Set<Int>()
        func collect(_ p: ParquetPredicate) {
            switch p {
            case .equal(let c, _), .in(let c, _): if let i = plan.index[c] { columns.insert(i) }
            case .and(let ps), .or(let ps): ps.forEach(collect)
            default: break
            }
        }
        collect(predicate)
        return columns.sorted()
    }

    func bloomFilters(group: RowGroup, predicate: ParquetPredicate, plan: ScanPlan, fetcher: inout RangeFetcher,
                      prefetched: RangeFetcher? = nil, skipping: Set<Int> = []) async throws
        -> [Int: SplitBlockBloomFilter] {
        var out: [Int: SplitBlockBloomFilter] = [:]
        for i in Self.bloomColumns(predicate, plan: plan) where !skipping.contains(i) {
            guard let md = group.columns[i].metaData, let offset = md.bloomFilterOffset, offset > 0 else { continue }
            guard offset < fileSize else { throw ParquetError(.corruptFile, "bloom filter offset outside the file") }
            var length = Int64(md.bloomFilterLength ?? 0)
            if length <= 0 {
                // No length: read the header first (it is a few bytes), then the bitset it announces.
                let probe = min(Int64(64), fileSize - offset)
                try await fetcher.fetch([(offset, probe)])
                let (header, headerLength) = try BloomFilterHeader.decode(try fetcher.bytes(offset, probe))
                length = Int64(headerLength) + Int64(header.numBytes)
            }
            guard length > 0, offset + length <= fileSize, length <= Int64(SplitBlockBloomFilter.maximumBytes) + 1024 else {
                throw ParquetError(.corruptFile, "bloom filter length \(length) outside the file")
            }
            let bytes: [UInt8]
            if let prefetched, let b = try? prefetched.bytes(offset, length) {
                bytes = b
            } else {
                try await fetcher.fetch([(offset, length)])
                bytes = try fetcher.bytes(offset, length)
            }
            if let filter = try SplitBlockBloomFilter.parse(bytes) { out[i] = filter }
        }
        return out
    }
}
