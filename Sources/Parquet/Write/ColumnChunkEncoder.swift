#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Encodes one buffered column of a row group into pages (research notes §2.5–2.10):
///
/// 1. cut the rows into pages by `pageRows` / `pageBytes`;
/// 2. per page: definition levels (OPTIONAL columns, v1: 4-byte length + RLE hybrid), then the values —
///    dictionary indices while the dictionary is under its limit (and, for `.automatic`, smaller than the fallback
///    on the first page), else the fallback encoding;
/// 3. compress each page body, prefix its Thrift header (with page statistics for fixed-width columns);
/// 4. put the PLAIN dictionary page in front; compute chunk statistics, the ColumnIndex entries and the bloom filter.
struct ColumnChunkEncoder {
    let options: ParquetWriterOptions
    let compressor: PageCompressor

    private struct Page {
        var rows: Range<Int>
        var values: Range<Int>
    }

    /// Encodes `col`; its data pages are appended to `data` (a buffer the writer reuses from chunk to chunk, so
    /// pages cost no allocation), everything else is in the result.
    func encode(_ col: ColumnBuffer, into data: inout [UInt8]) throws(ParquetError) -> EncodedChunk {
        let name = col.column.name
        let kind = col.kind
        let mode = options.columnEncodings[name] ?? .automatic
        let fallback: Encoding = switch (mode, kind) {
        case (.automatic, .int32), (.automatic, .int64), (.deltaBinaryPacked, .int32), (.deltaBinaryPacked, .int64):
            .deltaBinaryPacked
        case (.automatic, .bytes), (.deltaLengthByteArray, .bytes): .deltaLengthByteArray
        default: .plain
        }
        var useDictionary = (mode == .automatic || mode == .dictionary) && kind != .boolean
        let checkDictionaryPays = mode == .automatic
        let pages = cutPages(col)
        let utf8 = col.column.type == .string
        let truncate = max(options.statisticsTruncateLength, 1)
        let wantBloom = options.bloomFilterColumns.contains(name)

        // Byte-array values are hashed once, by the dictionary; the bloom filter reuses the dictionary's hashes of
        // its distinct values and hashes only the values of pages written without the dictionary.
        var fallbackValues: [Range<Int>] = []
        var firstSeen: [Int32] = [], firsts: [Int] = [], pageNumber = 0

        var fixedDict = FixedWidthDictionary()
        var bytesDict = ByteArrayDictionary()
        var dictionaryUsed = false
        var indices: [UInt32] = []
        let dataStart = data.count
        var pageInfos: [(offset: Int, size: Int, firstRow: Int64)] = []
        var uncompressed: Int64 = 0
        var encodingCounts: [Encoding: Int32] = [:]
        var nullPages: [Bool] = [], mins: [[UInt8]] = [], maxs: [[UInt8]] = [], nullCounts: [Int64] = []
        var chunkMin: Int?, chunkMax: Int?
        var body: [UInt8] = []
        // A page with values but no bounds (all NaN) cannot be described by a ColumnIndex; PageIndex.md lets
        // writers omit the index, which we then do for that chunk.
        var indexValid = true

        for page in pages {
            body.removeAll(keepingCapacity: true)
            if col.column.optional {
                col.validity.withUnsafeBufferPointer {
                    RLEHybridEncoder.encodeDefinitionLevels(UnsafeBufferPointer(rebasing: $0[page.rows]), into: &body)
                }
            }
            var encoding = fallback
            if page.values.isEmpty {
                encoding = .plain
            } else if useDictionary {
                indices.removeAll(keepingCapacity: true)
                var fits = true
                if kind == .bytes {
                    let probing = checkDictionaryPays && !dictionaryUsed
                    col.bytes.data.withUnsafeBufferPointer { d in
                        for i in page.values {
                            let r = Int(col.bytes.offsets[i])..<Int(col.bytes.offsets[i + 1])
                            let h = col.hash(i)
                            indices.append(bytesDict.index(of: d, r, hash: h))
                            // Stop early once the dictionary is over its limit, or (first page, `.automatic`) when
                            // 1,000 values are over 90 % distinct: such a column (payloads) never pays, and copying
                            // it into a dictionary first would double the work.
                            if bytesDict.plainSize > options.dictionaryPageLimit
                                || probing && indices.count == 1000 && bytesDict.count > 900 {
                                fits = false
                                break
                            }
                        }
                    }
                    fits = fits && bytesDict.plainSize <= options.dictionaryPageLimit
                } else {
                    for i in page.values { indices.append(fixedDict.index(of: fixedKey(col, i))) }
                    fits = fixedDict.count * fixedWidth(kind) <= options.dictionaryPageLimit
                }
                let dictCount = kind == .bytes ? bytesDict.count : fixedDict.count
                let width = RLEHybridEncoder.bitWidth(UInt64(max(dictCount - 1, 0)))
                if fits && checkDictionaryPays && !dictionaryUsed {
                    // parquet-mr's "is compression satisfying" check, on the first page with values: dictionary
                    // page + indices must beat the fallback encoding.
                    var trial: [UInt8] = []
                    var trialSize = 0
                    if fallback == .deltaLengthByteArray {
                        trialSize = col.encodeLengths(page.values, into: &trial).count
                    } else {
                        col.encode(page.values, fallback, into: &trial)
                    }
                    trialSize += trial.count
                    let dictBytes = kind == .bytes ? bytesDict.plainSize : fixedDict.count * fixedWidth(kind)
                    if dictBytes + (indices.count * width + 7) / 8 >= trialSize { fits = false }
                }
                if fits {
                    body.append(UInt8(width))
                    indices.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: width, into: &body) }
                    encoding = .rleDictionary
                    dictionaryUsed = true
                } else {
                    useDictionary = false
                }
            }
            // DELTA_LENGTH_BYTE_ARRAY values stay where they are: only their lengths go into `body`, and the
            // compressor reads the bytes from the column buffer (`tail`).
            var tail = 0..<0
            if encoding != .rleDictionary && !page.values.isEmpty {
                fallbackValues.append(page.values)
                if encoding == .deltaLengthByteArray && kind == .bytes {
                    tail = col.encodeLengths(page.values, into: &body)
                } else {
                    col.encode(page.values, encoding, into: &body)
                }
            }

            // Page statistics and column-index entry.
            let pageNulls = Int64(page.rows.count - page.values.count)
            var lo: Int?, hi: Int?
            if encoding == .rleDictionary && kind == .bytes {
                // A dictionary page's min/max is that of its distinct values: compare only the first occurrence
                // of each dictionary index in the page (`firstSeen` stamps indices with the page number).
                if firstSeen.count < bytesDict.count {
                    firstSeen.append(contentsOf: repeatElement(-1, count: bytesDict.count - firstSeen.count))
                }
                firsts.removeAll(keepingCapacity: true)
                let stamp = Int32(truncatingIfNeeded: pageNumber)
                for (k, idx) in indices.enumerated() where firstSeen[Int(idx)] != stamp {
                    firstSeen[Int(idx)] = stamp
                    firsts.append(page.values.lowerBound + k)
                }
                (lo, hi) = Self.bytesMinMax(col.bytes, positions: firsts)
            } else {
                (lo, hi) = minMax(col, page.values)
            }
            pageNumber += 1
            var pageStats: Statistics?
            if let lo, let hi {
                if chunkMin.map({ col.compare(lo, $0) < 0 }) ?? true { chunkMin = lo }
                if chunkMax.map({ col.compare(hi, $0) > 0 }) ?? true { chunkMax = hi }
                let minBytes = col.value(lo, forMin: true).plainBytes
                let maxBytes = col.value(hi, forMin: false).plainBytes
                nullPages.append(false)
                mins.append(kind == .bytes ? StatisticsTruncation.truncateMin(minBytes, length: truncate, utf8: utf8).bytes : minBytes)
                maxs.append(kind == .bytes ? StatisticsTruncation.truncateMax(maxBytes, length: truncate, utf8: utf8).bytes : maxBytes)
                if options.pageHeaderStatistics && kind != .bytes {
                    pageStats = Statistics(nullCount: pageNulls, maxValue: maxBytes, minValue: minBytes,
                                           isMaxValueExact: true, isMinValueExact: true)
                }
            } else {
                // No bounds: an all-null page (null_pages = true, empty min/max as PageIndex.md asks), or an
                // all-NaN page, which no ColumnIndex can describe (see `indexValid` below).
                nullPages.append(page.values.isEmpty)
                mins.append([])
                maxs.append([])
                if !page.values.isEmpty { indexValid = false }
                if options.pageHeaderStatistics && kind != .bytes { pageStats = Statistics(nullCount: pageNulls) }
            }
            nullCounts.append(pageNulls)

            let bodySize = body.count + tail.count
            var headerSize = 0
            let pageStart = data.count
            _ = try compressor.appendPage(header: { compressedSize in
                let h = PageHeader(type: .dataPage, uncompressedPageSize: Int32(bodySize),
                                   compressedPageSize: Int32(compressedSize),
                                   dataPageHeader: DataPageHeader(numValues: Int32(page.rows.count), encoding: encoding,
                                                                  statistics: pageStats)).thriftBytes()
                headerSize = h.count
                return h
            }, head: body, tail: col.bytes.data, tail, to: &data)
            pageInfos.append((pageStart - dataStart, data.count - pageStart, Int64(page.rows.lowerBound)))
            uncompressed += Int64(headerSize + bodySize)
            encodingCounts[encoding, default: 0] += 1
        }

        // Dictionary page in front.
        var dictionaryPage: [UInt8] = []
        var shift = 0
        var encodings: [Encoding] = [.rle]
        var encodingStats: [PageEncodingStats] = []
        if dictionaryUsed {
            var dict: [UInt8] = []
            if kind == .bytes {
                PlainEncoder.append(bytesDict.values, range: 0..<bytesDict.count, into: &dict)
            } else {
                encodeFixedDictionary(fixedDict.values, kind, into: &dict)
            }
            let count = kind == .bytes ? bytesDict.count : fixedDict.count
            var headerSize = 0
            _ = try compressor.appendPage(header: { compressedSize in
                let h = PageHeader(type: .dictionaryPage, uncompressedPageSize: Int32(dict.count),
                                   compressedPageSize: Int32(compressedSize),
                                   dictionaryPageHeader: DictionaryPageHeader(numValues: Int32(count), encoding: .plain))
                    .thriftBytes()
                headerSize = h.count
                return h
            }, head: dict, tail: [], 0..<0, to: &dictionaryPage)
            shift = dictionaryPage.count
            uncompressed += Int64(headerSize + dict.count)
            encodings.append(.plain)
            encodingStats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
        }
        for (e, n) in encodingCounts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if !encodings.contains(e) { encodings.append(e) }
            encodingStats.append(PageEncodingStats(pageType: .dataPage, encoding: e, count: n))
        }

        // Chunk statistics: null_count always; min/max (truncated for byte arrays) with exactness flags.
        var stats = Statistics(nullCount: Int64(col.nulls))
        var exactMin: ParquetValue?, exactMax: ParquetValue?
        if let lo = chunkMin, let hi = chunkMax {
            exactMin = col.value(lo, forMin: true)
            exactMax = col.value(hi, forMin: false)
            let minBytes = exactMin!.plainBytes, maxBytes = exactMax!.plainBytes
            if kind == .bytes {
                let tmin = StatisticsTruncation.truncateMin(minBytes, length: truncate, utf8: utf8)
                let tmax = StatisticsTruncation.truncateMax(maxBytes, length: truncate, utf8: utf8)
                stats.minValue = tmin.bytes
                stats.maxValue = tmax.bytes
                stats.isMinValueExact = tmin.exact
                stats.isMaxValueExact = tmax.exact
            } else {
                stats.minValue = minBytes
                stats.maxValue = maxBytes
                stats.isMinValueExact = true
                stats.isMaxValueExact = true
            }
        }
        if dictionaryUsed && encodingCounts.keys.allSatisfy({ $0 == .rleDictionary || $0 == .plain })
            && encodingCounts[.plain] == nil {
            stats.distinctCount = Int64(kind == .bytes ? bytesDict.count : fixedDict.count)
        }

        let columnIndex = indexValid
            ? ColumnIndex(nullPages: nullPages, minValues: mins, maxValues: maxs,
                          boundaryOrder: boundaryOrder(nullPages, mins, maxs, col.column.type), nullCounts: nullCounts)
            : nil

        // Bloom filter sized from the distinct hashes of the chunk.
        var bloom: SplitBlockBloomFilter?
        if wantBloom {
            var hashes: [UInt64] = []
            var distinct = 0
            if kind == .bytes && dictionaryUsed {
                // The dictionary's values are distinct: their hashes need no sorting.
                hashes = bytesDict.hashes
                distinct = hashes.count
            }
            if kind != .bytes || !dictionaryUsed || !fallbackValues.isEmpty {
                let ranges = kind == .bytes && dictionaryUsed ? fallbackValues : [0..<col.valueCount]
                for r in ranges {
                    for i in r { hashes.append(col.hash(i)) }
                }
                hashes.sort()
                distinct = 0
                var prev: UInt64?
                for h in hashes where h != prev {
                    distinct += 1
                    prev = h
                }
            }
            var filter = SplitBlockBloomFilter(numBytes: SplitBlockBloomFilter.optimalNumBytes(
                distinctValues: distinct, fpp: options.bloomFilterFPP))
            for h in hashes { filter.insert(hash: h) }
            bloom = filter
        }

        return EncodedChunk(dictionaryPage: dictionaryPage, size: shift + data.count - dataStart, hasDictionaryPage: dictionaryUsed, firstDataPageOffset: shift,
                            pages: pageInfos.map { ($0.offset + shift, $0.size, $0.firstRow) },
                            columnIndex: columnIndex,
                            encodings: encodings, encodingStats: encodingStats,
                            uncompressedSize: uncompressed, numValues: Int64(col.rows), nullCount: Int64(col.nulls),
                            statistics: stats, bloomFilter: bloom, min: exactMin, max: exactMax)
    }

    // MARK: - Helpers

    /// Splits the rows into pages of at most `pageRows` rows and about `pageBytes` PLAIN bytes.
    private func cutPages(_ col: ColumnBuffer) -> [Page] {
        var pages: [Page] = []
        let maxRows = max(options.pageRows, 1)
        let maxBytes = max(options.pageBytes, 1)
        var rowStart = 0, valueStart = 0, v = 0, bytes = 0
        let optional = col.column.optional
        if !optional {
            // Every row has a value: find each cut directly (the same cuts as the loop below, which adds values
            // until `maxRows` or `maxBytes` is reached), by arithmetic for fixed widths and by binary search over
            // the offsets for byte arrays (PLAIN size of values a..<k = offsets[k] - offsets[a] + 4 (k - a)).
            while rowStart < col.rows {
                var end = min(col.rows, rowStart + maxRows)
                if col.kind == .bytes {
                    let o = col.bytes.offsets
                    let a = Int(o[rowStart])
                    @inline(__always) func size(_ k: Int) -> Int { Int(o[k]) - a + 4 * (k - rowStart) }
                    if size(end) >= maxBytes {
                        var lo = rowStart + 1, hi = end   // smallest k in lo...hi with size(k) >= maxBytes
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            if size(mid) >= maxBytes { hi = mid } else { lo = mid + 1 }
                        }
                        end = lo
                    }
                } else {
                    let width = col.plainSize(0)
                    end = min(end, rowStart + (maxBytes + width - 1) / width)
                }
                pages.append(Page(rows: rowStart..<end, values: rowStart..<end))
                rowStart = end
            }
            if pages.isEmpty { pages.append(Page(rows: 0..<0, values: 0..<0)) }
            return pages
        }
        for r in 0..<col.rows {
            if !optional || col.validity[r] {
                bytes += col.plainSize(v)
                v += 1
            }
            if r + 1 - rowStart >= maxRows || bytes >= maxBytes {
                pages.append(Page(rows: rowStart..<r + 1, values: valueStart..<v))
                rowStart = r + 1
                valueStart = v
                bytes = 0
            }
        }
        if rowStart < col.rows || pages.isEmpty {
            pages.append(Page(rows: rowStart..<col.rows, values: valueStart..<v))
        }
        return pages
    }

    /// Indices of the smallest and largest non-NaN values in `range`.
    private func minMax(_ col: ColumnBuffer, _ range: Range<Int>) -> (Int?, Int?) {
        var lo: Int?, hi: Int?
        switch col.kind {
        case .int64:
            // Fast path for the common timestamp/int64 case.
            col.i64.withUnsafeBufferPointer { a in
                guard !range.isEmpty else { return }
                var l = range.lowerBound, h = range.lowerBound
                for i in range {
                    if a[i] < a[l] { l = i }
                    if a[i] > a[h] { h = i }
                }
                lo = l
                hi = h
            }
        case .bytes:
            (lo, hi) = Self.bytesMinMax(col.bytes, range)
        default:
            for i in range where !col.isNaN(i) {
                if lo.map({ col.compare(i, $0) < 0 }) ?? true { lo = i }
                if hi.map({ col.compare(i, $0) > 0 }) ?? true { hi = i }
            }
        }
        return (lo, hi)
    }

    /// Min and max of byte arrays in unsigned byte order. Most comparisons are settled by 8-byte big-endian keys
    /// (zero-padded) of bytes 0..<8 and, on a tie, 8..<16: when two keys differ, their order is the byte order of
    /// the values (a zero pad sorts like "shorter first"); only values equal on 16 bytes fall back to `memcmp`.
    /// Long values with common prefixes (SIP payloads all start "SIP/2.0 " or a method) need the second key.
    static func bytesMinMax(_ b: ByteArrays, _ range: Range<Int>) -> (Int?, Int?) {
        bytesMinMax(b, positions: range)
    }

    /// `bytesMinMax` over the values at `positions` (any order).
    @inline(__always)
    static func bytesMinMax(_ b: ByteArrays, positions: some Collection<Int>) -> (Int?, Int?) {
        guard let first = positions.first else { return (nil, nil) }
        let range = positions
        return b.data.withUnsafeBufferPointer { d in
            b.offsets.withUnsafeBufferPointer { o in
                let base = d.baseAddress
                let total = d.count
                /// Big-endian key of bytes `skip..<skip+8` of value `i`.
                @inline(__always) func key(_ i: Int, _ skip: Int) -> UInt64 {
                    let start = Int(o[i]) + skip, len = Int(o[i + 1]) - start
                    guard let base, len > 0 else { return 0 }
                    if len >= 8 && start + 8 <= total {
                        return UInt64(bigEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
                    }
                    var k: UInt64 = 0
                    for j in 0..<min(len, 8) { k |= UInt64(base[start + j]) << (56 - 8 * UInt64(j)) }
                    return k
                }
                /// Order of values `i` and `j`, known equal on their first 16 bytes (zero-padded).
                @inline(__always) func rest(_ i: Int, _ j: Int) -> Int {
                    let si = Int(o[i]), li = Int(o[i + 1]) - si
                    let sj = Int(o[j]), lj = Int(o[j + 1]) - sj
                    guard let base else { return 0 }
                    let common = min(li, lj)
                    if common > 16 {
                        let c = memcmp(base + si + 16, base + sj + 16, common - 16)
                        if c != 0 { return c < 0 ? -1 : 1 }
                    }
                    return li == lj ? 0 : (li < lj ? -1 : 1)
                }
                var lo = first, hi = first
                var loKey = key(lo, 0), hiKey = loKey
                var loKey2 = key(lo, 8), hiKey2 = loKey2
                for i in range.dropFirst() {
                    let k = key(i, 0)
                    if k < loKey {
                        lo = i; loKey = k; loKey2 = key(i, 8)
                    } else if k == loKey {
                        let k2 = key(i, 8)
                        if k2 < loKey2 || (k2 == loKey2 && rest(i, lo) < 0) { lo = i; loKey2 = k2 }
                    }
                    if k > hiKey {
                        hi = i; hiKey = k; hiKey2 = key(i, 8)
                    } else if k == hiKey {
                        let k2 = key(i, 8)
                        if k2 > hiKey2 || (k2 == hiKey2 && rest(i, hi) > 0) { hi = i; hiKey2 = k2 }
                    }
                }
                return (lo, hi)
            }
        }
    }

    private func fixedWidth(_ kind: ColumnValues.Kind) -> Int {
        switch kind {
        case .boolean: 1
        case .int32: 4
        default: 8
        }
    }

    @inline(__always)
    private func fixedKey(_ col: ColumnBuffer, _ i: Int) -> UInt64 {
        switch col.kind {
        case .int32: UInt64(UInt32(bitPattern: col.i32[i]))
        case .int64: UInt64(bitPattern: col.i64[i])
        case .double: col.f64[i].bitPattern
        default: col.bools[i] ? 1 : 0
        }
    }

    private func encodeFixedDictionary(_ keys: [UInt64], _ kind: ColumnValues.Kind, into out: inout [UInt8]) {
        switch kind {
        case .int32:
            let v = keys.map { UInt32(truncatingIfNeeded: $0) }
            v.withUnsafeBufferPointer { PlainEncoder.append($0, into: &out) }
        default:
            keys.withUnsafeBufferPointer { PlainEncoder.append($0, into: &out) }
        }
    }

    /// ASCENDING / DESCENDING when both the page minimums and maximums are monotone over the non-null pages.
    private func boundaryOrder(_ nullPages: [Bool], _ mins: [[UInt8]], _ maxs: [[UInt8]],
                               _ type: ParquetType) -> BoundaryOrder {
        var asc = true, desc = true
        var prev: Int?
        for i in nullPages.indices where !nullPages[i] {
            if let p = prev {
                let cmin = StatisticsOrder.compare(mins[p], mins[i], type)
                let cmax = StatisticsOrder.compare(maxs[p], maxs[i], type)
                if cmin > 0 || cmax > 0 { asc = false }
                if cmin < 0 || cmax < 0 { desc = false }
            }
            prev = i
        }
        if asc { return .ascending }
        if desc { return .descending }
        return .unordered
    }
}
