extension ParquetReader {
    /// Reads the rows matching `predicate` (all rows when nil), projected to `columns` (all when nil).
    ///
    /// Pipeline (research notes §2.11): row-group statistics (three-valued) → bloom filters for `=`/`IN` → page index
    /// (ColumnIndex/OffsetIndex) to select rows and pages → coalesced reads of only those pages → decode → residual
    /// filter row by row. `ParquetScanResult.stats` says what was skipped.
    ///
    /// `bloomFilters`, when given (from `loadBloomFilters`, e.g. kept in a cache), replace reading the filters of
    /// the columns they cover.
    public func scan(columns: [String]? = nil, where predicate: ParquetPredicate? = nil,
                     bloomFilters: ParquetBloomFilters? = nil) async throws -> ParquetScanResult {
        let plan = try ScanPlan(reader: self, columns: columns, predicate: predicate)
        var stats = ParquetScanStats()
        stats.rowGroupsTotal = rowGroupCount
        var batches: [[ColumnData]] = []
        let blooms = try await prefetchBloomFilters(plan: plan, stats: &stats, cached: bloomFilters)
        for g in 0..<rowGroupCount {
            if let batch = try await scanRowGroup(g, plan: plan, stats: &stats, prefetched: blooms,
                                                  cached: bloomFilters) {
                batches.append(batch)
            }
        }
        let names = plan.projected.map { leaves[$0].name }
        var out: [String: ColumnData] = [:]
        var rows = 0
        for (k, leafIndex) in plan.projected.enumerated() {
            let parts = batches.map { $0[k] }
            let merged = try ColumnData.concatenate(parts, emptyKind: leaves[leafIndex].info.column.type)
            out[names[k]] = merged
            rows = merged.count
        }
        return ParquetScanResult(columns: out, columnNames: names, rowCount: rows, stats: stats)
    }

    /// Streams the matching rows one row group at a time (bounded memory for large files); row groups with no
    /// matching row produce no element. Each element's stats cover that row group alone.
    public func scanRowGroups(columns: [String]? = nil, where predicate: ParquetPredicate? = nil)
        -> ParquetRowGroupSequence {
        // Pull-based: a row group is decoded only when the consumer asks for it (ParquetRowGroupSequence).
        ParquetRowGroupSequence(reader: self, columns: columns, predicate: predicate)
    }

    /// One row group through the pipeline; nil when pruned or when no row matches.
    /// Returns the projected columns in plan order.
    func scanRowGroup(_ g: Int, plan: ScanPlan, stats: inout ParquetScanStats,
                      prefetched: RangeFetcher? = nil, cached: ParquetBloomFilters? = nil) async throws -> [ColumnData]? {
        let group = metadata.rowGroups[g]
        let rows = group.numRows
        guard rows > 0 else { return nil }
        var fetcher = RangeFetcher(source: source, gap: options.coalesceGap)

        // 1. Row-group statistics.
        if let p = plan.predicate, options.useStatistics, statisticsExclude(p, group: group, plan: plan) {
            stats.rowGroupsPrunedByStatistics += 1
            return nil
        }

        // 2. Bloom filters for = and IN (those in `cached` without any read).
        if let p = plan.predicate, options.useBloomFilters {
            var filters = try await bloomFilters(group: group, predicate: p, plan: plan, fetcher: &fetcher,
                                                 prefetched: prefetched, skipping: cached?.columns ?? [])
            if let cached, g < cached.byGroup.count { filters.merge(cached.byGroup[g]) { a, _ in a } }
            if bloomsExclude(p, filters: filters, plan: plan) {
                stats.rowGroupsPrunedByBloomFilter += 1
                stats.bytesRead += fetcher.bytesRead
                stats.readRequests += fetcher.requests
                return nil
            }
        }

        // 3. Page index: row selection and page locations.
        var selection = RowSelection.all(rows)
        var offsetIndexes: [Int: OffsetIndex] = [:]
        if options.usePageIndex {
            let indexed = try await pageIndex(group: group, plan: plan, fetcher: &fetcher)
            offsetIndexes = indexed.offsets
            if let p = plan.predicate {
                selection = select(p, group: group, rows: rows, plan: plan, columnIndexes: indexed.columns,
                                   offsetIndexes: indexed.offsets)
                if selection.isEmpty {
                    stats.rowGroupsPrunedByPageIndex += 1
                    stats.bytesRead += fetcher.bytesRead
                    stats.readRequests += fetcher.requests
                    return nil
                }
            }
        }

        stats.rowGroupsRead += 1
        stats.rowsTotal += rows
        stats.rowsDecoded += selection.rowCount
        let projectedSet = Array(Set(plan.projected)).sorted()
        // Leaves the row group's statistics prove true for every row (e.g. a time range covering the whole group)
        // need no decoding.
        guard let p = plan.predicate.flatMap({ residual($0, group: group, plan: plan) }) else {
            let decoded = try await decodeColumns(projectedSet, group: group, selection: selection,
                                                  offsetIndexes: offsetIndexes, stats: &stats)
            return plan.projected.map { decoded[$0]! }
        }

        // 4. Decode the predicate columns and apply the residual filter row by row; string columns stay dictionary
        //    indexes while their pages are dictionary-encoded (each distinct value tested once).
        let predicateColumns = plan.needed.filter { p.columnNames.contains(leaves[$0].name) }
        var dictionaryColumns: [Int: DictionaryColumn] = [:]
        var decoded = try await decodeColumns(predicateColumns, group: group, selection: selection,
                                              offsetIndexes: offsetIndexes, stats: &stats,
                                              dictionaryIndexes: Set(predicateColumns.filter { leaves[$0].kind == .byteArray }),
                                              dictionaryColumns: &dictionaryColumns)
        let mask = RowFilter.evaluate(p, input: { name in
            let i = plan.index[name]!
            if let d = dictionaryColumns[i] { return (.dictionary(d), leaves[i].order) }
            return (.values(decoded[i]!), leaves[i].order)
        })
        let keep = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
        if keep == 0 { return nil }
        for (i, d) in dictionaryColumns { decoded[i] = d.materialise(mask, keeping: keep) }
        var refined = selection
        if keep < mask.count {
            for i in predicateColumns where dictionaryColumns[i] == nil {
                decoded[i] = decoded[i]!.filtered(mask, keeping: keep)
            }
            // The matching rows in row-group coordinates.
            var ranges: [Range<Int64>] = []
            var k = 0
            for r in selection.ranges {
                for row in r {
                    if mask[k] {
                        if let last = ranges.last, last.upperBound == row {
                            ranges[ranges.count - 1] = last.lowerBound..<(row + 1)
                        } else {
                            ranges.append(row..<(row + 1))
                        }
                    }
                    k += 1
                }
            }
            refined = RowSelection(ranges)
        }

        // 5. Late materialisation: the other projected columns are read and decoded only for the matching rows
        //    (with a page index, only the pages holding them: a Call-ID lookup decodes one page per column).
        let rest = projectedSet.filter { decoded[$0] == nil }
        let others = try await decodeColumns(rest, group: group, selection: refined, offsetIndexes: offsetIndexes,
                                             stats: &stats)
        decoded.merge(others) { a, _ in a }
        return plan.projected.map { decoded[$0]! }
    }

    /// The predicate without the leaves this row group's statistics prove true for every row; nil when all of it is.
    /// Only integer columns count (exact bounds; byte-array bounds may be truncated, float bounds ignore NaN).
    func residual(_ p: ParquetPredicate, group: RowGroup, plan: ScanPlan) -> ParquetPredicate? {
        switch p {
        case .and(let ps):
            let kept = ps.compactMap { residual($0, group: group, plan: plan) }
            return kept.isEmpty ? nil : (kept.count == 1 ? kept[0] : .and(kept))
        case .or(let ps):
            return ps.contains { residual($0, group: group, plan: plan) == nil } ? nil : p
        default:
            guard options.useStatistics, let c = p.leafColumn, let i = plan.index[c],
                  leaves[i].kind == .int64 || leaves[i].kind == .int32 else { return p }
            let view = leaves[i].statsView(group.columns[i].metaData?.statistics, rowCount: group.numRows)
            return view.evaluate(p) == .yes ? nil : p
        }
    }

    /// Fetches (coalesced) and decodes `columns` of a row group for the rows of `selection`: with an offset index
    /// only the pages overlapping the selection (plus the dictionary page), otherwise whole column chunks.
    ///
    /// Columns in `dictionaryIndexes` whose pages are all dictionary-encoded come back in `dictionaryColumns`
    /// (dictionary + indexes) instead of the result.
    func decodeColumns(_ columns: [Int], group: RowGroup, selection: RowSelection, offsetIndexes: [Int: OffsetIndex],
                       stats: inout ParquetScanStats) async throws -> [Int: ColumnData] {
        var none: [Int: DictionaryColumn] = [:]
        return try await decodeColumns(columns, group: group, selection: selection, offsetIndexes: offsetIndexes,
                                       stats: &stats, dictionaryIndexes: [], dictionaryColumns: &none)
    }

    func decodeColumns(_ columns: [Int], group: RowGroup, selection: RowSelection, offsetIndexes: [Int: OffsetIndex],
                       stats: inout ParquetScanStats, dictionaryIndexes: Set<Int>,
                       dictionaryColumns: inout [Int: DictionaryColumn]) async throws -> [Int: ColumnData] {
        guard !columns.isEmpty else { return [:] }
        let rows = group.numRows
        var fetcher = RangeFetcher(source: source, gap: options.coalesceGap)
        var wanted: [(offset: Int64, length: Int64)] = []
        for i in columns {
            guard let md = group.columns[i].metaData else { continue }
            let (start, length) = try Self.chunkRange(md)
            if let oi = offsetIndexes[i], let first = oi.pageLocations.first {
                if first.offset > start { wanted.append((start, first.offset - start)) }
                for (k, loc) in oi.pageLocations.enumerated()
                where selection.overlaps(pageRows(oi, k, rows: rows)) {
                    wanted.append((loc.offset, Int64(loc.compressedPageSize)))
                }
            } else {
                wanted.append((start, length))
            }
        }
        try await fetcher.fetch(wanted)
        var decoded: [Int: ColumnData] = [:]
        for i in columns {
            guard let md = group.columns[i].metaData else { throw ParquetError(.corruptFile, "chunk without metadata") }
            var decoder = ColumnChunkDecoder(leaf: leaves[i], codec: md.codec,
                                             dictionaryIndexes: dictionaryIndexes.contains(i))
            let (start, length) = try Self.chunkRange(md)
            if let oi = offsetIndexes[i], let first = oi.pageLocations.first {
                if first.offset > start {
                    let (seg, at) = try fetcher.locate(start, first.offset - start)
                    let page = try ColumnChunkDecoder.page(in: seg.bytes, at: at, limit: at + Int(first.offset - start))
                    try decoder.consume(page, in: seg.bytes, firstRow: 0, selection: selection)
                }
                stats.pagesTotal += oi.pageLocations.count
                for (k, loc) in oi.pageLocations.enumerated() {
                    let range = pageRows(oi, k, rows: rows)
                    guard selection.overlaps(range) else { continue }
                    let (seg, at) = try fetcher.locate(loc.offset, Int64(loc.compressedPageSize))
                    let page = try ColumnChunkDecoder.page(in: seg.bytes, at: at, limit: at + Int(loc.compressedPageSize))
                    if page.isData && page.rows != range.count {
                        throw ParquetError(.corruptFile, "page \(k) of \(leaves[i].name) has \(page.rows) rows, "
                                           + "offset index says \(range.count)")
                    }
                    try decoder.consume(page, in: seg.bytes, firstRow: range.lowerBound, selection: selection)
                }
            } else {
                let (seg, at) = try fetcher.locate(start, length)
                var position = at
                let end = at + Int(length)
                var row: Int64 = 0
                while position < end && row < rows {
                    let page = try ColumnChunkDecoder.page(in: seg.bytes, at: position, limit: end)
                    guard Int64(page.rows) <= rows - row else {
                        throw ParquetError(.corruptFile, "column \(leaves[i].name) has more rows than its row group")
                    }
                    try decoder.consume(page, in: seg.bytes, firstRow: row, selection: selection)
                    row += Int64(page.rows)
                    position = page.bodyEnd
                }
                guard row == rows else {
                    throw ParquetError(.corruptFile, "column \(leaves[i].name): pages hold \(row) rows of \(rows)")
                }
                stats.pagesTotal += decoder.dataPagesSeen
            }
            stats.pagesRead += decoder.pagesDecoded
            if let d = try decoder.dictionaryColumn() {
                guard Int64(d.count) == selection.rowCount else {
                    throw ParquetError(.corruptFile, "column \(leaves[i].name) decoded \(d.count) rows, "
                                       + "expected \(selection.rowCount)")
                }
                dictionaryColumns[i] = d
                continue
            }
            let data = try decoder.columnData()
            guard Int64(data.count) == selection.rowCount else {
                throw ParquetError(.corruptFile, "column \(leaves[i].name) decoded \(data.count) rows, "
                                   + "expected \(selection.rowCount)")
            }
            decoded[i] = data
        }
        stats.bytesRead += fetcher.bytesRead
        stats.readRequests += fetcher.requests
        return decoded
    }

    /// Fetches, in one coalesced read, the bloom filters every row group surviving its statistics will probe
    /// (writers store them together after the row groups), instead of one read per row group.
    func prefetchBloomFilters(plan: ScanPlan, stats: inout ParquetScanStats, cached: ParquetBloomFilters? = nil)
        async throws -> RangeFetcher? {
        guard let p = plan.predicate, options.useBloomFilters else { return nil }
        let columns = Self.bloomColumns(p, plan: plan).filter { !(cached?.columns.contains($0) ?? false) }
        guard !columns.isEmpty else { return nil }
        var wanted: [(offset: Int64, length: Int64)] = []
        for group in metadata.rowGroups where group.numRows > 0 {
            if options.useStatistics, statisticsExclude(p, group: group, plan: plan) { continue }
            for i in columns {
                guard let md = group.columns[i].metaData, let o = md.bloomFilterOffset, let l = md.bloomFilterLength,
                      o > 0, l > 0, o + Int64(l) <= fileSize else { continue }
                wanted.append((o, Int64(l)))
            }
        }
        guard wanted.count > 1 else { return nil }
        var fetcher = RangeFetcher(source: source, gap: options.coalesceGap)
        try await fetcher.fetch(wanted)
        stats.bytesRead += fetcher.bytesRead
        stats.readRequests += fetcher.requests
        return fetcher
    }

    /// Rows `[first, next first)` of page `k` of an offset index.
    func pageRows(_ oi: OffsetIndex, _ k: Int, rows: Int64) -> Range<Int64> {
        let lo = oi.pageLocations[k].firstRowIndex
        let hi = k + 1 < oi.pageLocations.count ? oi.pageLocations[k + 1].firstRowIndex : rows
        return lo..<max(lo, min(hi, rows))
    }
}
