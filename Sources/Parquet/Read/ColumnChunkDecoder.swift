/// Decodes the pages of one column chunk into one slot per selected row (research notes §2.5, §2.6).
///
/// Pages are fed in file order with the row index of their first row; pages that hold no selected row are skipped
/// without being decompressed. Flat schemas only: no repetition levels, definition level 0 or 1.
struct ColumnChunkDecoder {
    let leaf: LeafColumn
    let codec: CompressionCodec
    private(set) var dictionary: ValueSink?
    /// One slot per selected row, placeholders in null slots.
    private(set) var values: ValueSink
    /// Validity per selected row.
    private(set) var validity: [Bool] = []
    private(set) var nullCount = 0
    private(set) var pagesDecoded = 0
    private(set) var dataPagesSeen = 0
    /// Dictionary-index mode: while every page is dictionary-encoded, keep each selected row's dictionary index
    /// (-1 for null) in `indexes` instead of copying its value; a filter then tests each dictionary entry once and
    /// only the matching rows are materialised. A page in another encoding converts what was kept into values.
    private(set) var indexMode: Bool
    private(set) var indexes: [Int32] = []

    init(leaf: LeafColumn, codec: CompressionCodec, dictionaryIndexes: Bool = false) {
        self.leaf = leaf
        self.codec = codec
        values = ValueSink(shape: ValueSink.shape(of: leaf.kind))
        indexMode = dictionaryIndexes
    }

    /// The column as dictionary + per-row indexes, when index mode held to the end.
    func dictionaryColumn() throws -> DictionaryColumn? {
        guard indexMode, let dictionary else { return nil }
        return DictionaryColumn(dictionary: try dictionary.columnData(validity: nil), indexes: indexes,
                                validity: nullCount > 0 ? validity : nil)
    }

    /// Leaves index mode: the kept indexes become values.
    private mutating func materialiseIndexes() {
        guard indexMode else { return }
        indexMode = false
        guard !indexes.isEmpty else { return }
        values.reserve(indexes.count)
        if let dictionary {
            for i in indexes {
                if i < 0 { values.appendPlaceholders(1) } else { values.append(from: dictionary, index: Int(i)) }
            }
        } else {
            values.appendPlaceholders(indexes.count)
        }
        indexes = []
    }

    /// A parsed page header and where its body is inside `buffer`.
    struct Page {
        let header: PageHeader
        let bodyStart: Int
        let bodyEnd: Int
        /// Rows in the page for a data page (flat schema: values = rows), 0 otherwise.
        var rows: Int {
            if let v1 = header.dataPageHeader { return Int(v1.numValues) }
            if let v2 = header.dataPageHeaderV2 { return Int(v2.numRows) }
            return 0
        }
        var isData: Bool { header.dataPageHeader != nil || header.dataPageHeaderV2 != nil }
    }

    /// Largest decompressed page accepted (writers cut pages at about 1 MiB; this bounds what corrupt headers can
    /// make us allocate).
    static let maxPageBytes = 256 << 20
    /// Largest value count per page accepted, for the same reason (a run-length page can claim any count).
    static let maxPageValues = 1 << 27

    /// Parses the page header at `offset` of `buffer` (not beyond `limit`).
    static func page(in buffer: [UInt8], at offset: Int, limit: Int) throws -> Page {
        var r = ThriftCompactReader(buffer, offset: offset)
        let header = try PageHeader(from: &r)
        let start = r.position
        let size = Int(header.compressedPageSize)
        guard header.compressedPageSize >= 0, header.uncompressedPageSize >= 0, start <= limit,
              size <= limit - start else {
            throw ParquetError(.corruptPage, "page at \(offset): body of \(size) bytes overruns its chunk")
        }
        guard Int(header.uncompressedPageSize) <= maxPageBytes else {
            throw ParquetError(.unsupported, "page of \(header.uncompressedPageSize) bytes exceeds \(maxPageBytes)")
        }
        let values = Int(header.dataPageHeader?.numValues ?? header.dataPageHeaderV2?.numValues
                         ?? header.dictionaryPageHeader?.numValues ?? 0)
        guard values <= maxPageValues, Int(header.dataPageHeaderV2?.numRows ?? 0) <= maxPageValues else {
            throw ParquetError(.unsupported, "page of \(values) values exceeds \(maxPageValues)")
        }
        switch header.type {
        case .dataPage:
            guard let h = header.dataPageHeader, h.numValues >= 0 else {
                throw ParquetError(.corruptPage, "DATA_PAGE without a valid data_page_header")
            }
        case .dataPageV2:
            guard let h = header.dataPageHeaderV2, h.numValues >= 0, h.numRows >= 0, h.numNulls >= 0,
                  h.definitionLevelsByteLength >= 0, h.repetitionLevelsByteLength >= 0 else {
                throw ParquetError(.corruptPage, "DATA_PAGE_V2 without a valid header")
            }
        case .dictionaryPage:
            guard let h = header.dictionaryPageHeader, h.numValues >= 0 else {
                throw ParquetError(.corruptPage, "DICTIONARY_PAGE without a valid header")
            }
        default: break
        }
        return Page(header: header, bodyStart: start, bodyEnd: start + size)
    }

    /// Handles one page: a dictionary page is decoded; a data page whose rows `[firstRow, firstRow + rows)` meet the
    /// selection is decoded and its selected rows appended; other pages are ignored.
    mutating func consume(_ page: Page, in buffer: [UInt8], firstRow: Int64, selection: RowSelection) throws {
        let h = page.header
        if h.type == .dictionaryPage, let d = h.dictionaryPageHeader {
            guard d.encoding == .plain || d.encoding == .plainDictionary else {
                throw ParquetError(.unsupported, "dictionary page encoding \(d.encoding)")
            }
            let body = try PageCompression.decompress(codec, buffer[page.bodyStart..<page.bodyEnd],
                                                      uncompressedSize: Int(h.uncompressedPageSize))
            if leaf.kind == .byteArray {
                dictionary = try ValueSink.byteArraysInPlace(body, count: Int(d.numValues))
                return
            }
            var dict = ValueSink(shape: values.shape)
            try body.withUnsafeBytes { p in
                var c = DecoderCursor(p)
                try PlainDecoder.decode(&c, kind: leaf.kind, count: Int(d.numValues), into: &dict)
            }
            dictionary = dict
            return
        }
        guard page.isData else { return }
        dataPagesSeen += 1
        let rows = page.rows
        let pageRange = firstRow..<(firstRow + Int64(rows))
        guard rows > 0, selection.overlaps(pageRange) else { return }
        var levels: [UInt8]? = nil
        var present = rows
        let body: [UInt8]
        var valuesFrom = 0
        if let v1 = h.dataPageHeader {
            // v1: levels and values compressed together; each level section has a 4-byte length (§2.5).
            body = try PageCompression.decompress(codec, buffer[page.bodyStart..<page.bodyEnd],
                                                  uncompressedSize: Int(h.uncompressedPageSize))
            if leaf.maxDefinitionLevel > 0 {
                guard v1.definitionLevelEncoding == .rle else {
                    throw ParquetError(.unsupported, "definition level encoding \(v1.definitionLevelEncoding)")
                }
                let defs: [UInt8] = try body.withUnsafeBytes { p in
                    var c = DecoderCursor(p)
                    let length = Int(try c.le32())
                    try c.require(length, "definition levels")
                    valuesFrom = 4 + length
                    var rle = try RLEHybridDecoder(DecoderCursor(p, from: 4, to: 4 + length), bitWidth: 1)
                    return try rle.decodeLevels(count: rows)
                }
                present = Self.countPresent(defs, 0..<defs.count)
                levels = defs
            }
        } else if let v2 = h.dataPageHeaderV2 {
            // v2: levels uncompressed before the values, their lengths in the header; only values are compressed.
            let rl = Int(v2.repetitionLevelsByteLength), dl = Int(v2.definitionLevelsByteLength)
            let bodyLength = page.bodyEnd - page.bodyStart
            guard rl + dl <= bodyLength, rl + dl <= Int(h.uncompressedPageSize) else {
                throw ParquetError(.corruptPage, "v2 level lengths exceed the page")
            }
            let valuesStart = page.bodyStart + rl + dl
            let compressed = v2.isCompressed && codec != .uncompressed
            body = compressed
                ? try PageCompression.decompress(codec, buffer[valuesStart..<page.bodyEnd],
                                                 uncompressedSize: Int(h.uncompressedPageSize) - rl - dl)
                : Array(buffer[valuesStart..<page.bodyEnd])
            if leaf.maxDefinitionLevel > 0 {
                let defs: [UInt8] = try buffer.withUnsafeBytes { p in
                    let s = page.bodyStart + rl
                    var rle = try RLEHybridDecoder(DecoderCursor(p, from: s, to: s + dl), bitWidth: 1)
                    return try rle.decodeLevels(count: rows)
                }
                present = Self.countPresent(defs, 0..<defs.count)
                levels = defs
            }
        } else {
            return
        }
        let parts = selection.parts(of: pageRange)
        let encoding = h.dataPageHeader?.encoding ?? h.dataPageHeaderV2?.encoding ?? .plain
        if indexMode {
            if (encoding == .plainDictionary || encoding == .rleDictionary), let dict = dictionary {
                try appendIndexes(body, from: valuesFrom, present: present, dictionarySize: dict.count, levels: levels,
                                  parts: parts)
                pagesDecoded += 1
                return
            }
            materialiseIndexes()
        }
        let direct = present == rows && parts.count == 1 && parts[0] == 0..<rows
        if !direct, encoding == .plainDictionary || encoding == .rleDictionary, let dict = dictionary {
            // Part of a dictionary-encoded page (late materialisation of a few rows): decode the indexes of the
            // page and copy only the selected rows' values, not every row's.
            let dense = try decodeIndexes(body, from: valuesFrom, present: present, dictionarySize: dict.count,
                                          only: Self.sparsePositions(levels: levels, parts: parts, present: present))
            pagesDecoded += 1
            appendSelected(from: dict, dense: dense, levels: levels, parts: parts)
            return
        }
        // A wholly selected page without nulls decodes straight into the output (the common full-scan case);
        // otherwise into a page buffer, then the selected rows are copied with placeholders for nulls.
        var target = ValueSink(shape: values.shape)
        if direct { swap(&target, &values) }
        let before = target.count
        try body.withUnsafeBytes { p in
            var c = DecoderCursor(p, from: valuesFrom)
            if !direct, encoding == .deltaLengthByteArray, leaf.kind == .byteArray,
               let only = Self.sparsePositions(levels: levels, parts: parts, present: present) {
                // A few rows of a page of long strings (SIP payloads): only their bytes are copied.
                try DeltaByteArrayDecoder.decodeLengthPrefixed(&c, count: present, into: &target, only: only)
            } else {
                try decodeValues(&c, encoding: encoding, count: present, into: &target)
            }
        }
        let decoded = target.count - before
        if direct { swap(&target, &values) }
        guard decoded == present else {
            throw ParquetError(.corruptPage, "page decoded \(decoded) values, levels say \(present)")
        }
        pagesDecoded += 1
        if direct {
            validity.append(contentsOf: repeatElement(true, count: rows))
        } else {
            try append(dense: target, levels: levels, parts: parts, rows: rows)
        }
    }

    /// The positions among a page's `present` non-null values that the selected rows need, ascending, when they
    /// are few enough (at most 1 in 8) that decoding only them pays; nil otherwise.
    private static func sparsePositions(levels: [UInt8]?, parts: [Range<Int>], present: Int) -> [Int]? {
        let selected = parts.reduce(0) { $0 + $1.count }
        guard selected * 8 <= present else { return nil }
        var out: [Int] = []
        out.reserveCapacity(selected)
        if let levels {
            forEachSelectedRow(levels: levels, parts: parts) { if let d = $0 { out.append(d) } }
        } else {
            for part in parts { out.append(contentsOf: part) }
        }
        return out
    }

    /// The dictionary indexes of a page's `present` non-null values. With `only` (ascending positions), just those
    /// entries are decoded, the runs between them skipped; the other entries of the result are 0 and must not be
    /// read.
    private func decodeIndexes(_ body: [UInt8], from start: Int, present: Int, dictionarySize: Int,
                               only: [Int]? = nil) throws -> [Int32] {
        if let only, present > 0 {
            var dense = [Int32](repeating: 0, count: present)
            try body.withUnsafeBytes { p in
                var c = DecoderCursor(p, from: start)
                let width = Int(try c.byte())
                var rle = try RLEHybridDecoder(DecoderCursor(c.base, from: c.position, to: c.end), bitWidth: width)
                var at = 0
                for position in only {
                    guard position >= at, position < present else {
                        throw ParquetError(.corruptPage, "dictionary index position \(position) out of order")
                    }
                    try rle.skip(count: position - at)
                    try rle.decode(count: 1) { index in
                        guard Int(index) < dictionarySize else {
                            throw ParquetError(.corruptPage, "dictionary index \(index) >= \(dictionarySize)")
                        }
                        dense[position] = Int32(truncatingIfNeeded: index)
                    }
                    at = position + 1
                }
            }
            return dense
        }
        var dense: [Int32] = []
        if present > 0 {
            try body.withUnsafeBytes { p in
                var c = DecoderCursor(p, from: start)
                let width = Int(try c.byte())
                var rle = try RLEHybridDecoder(DecoderCursor(c.base, from: c.position, to: c.end), bitWidth: width)
                dense.reserveCapacity(min(present, c.remaining * 8 + 4096))
                try rle.decode(count: present) { index in
                    guard Int(index) < dictionarySize else {
                        throw ParquetError(.corruptPage, "dictionary index \(index) >= \(dictionarySize)")
                    }
                    dense.append(Int32(truncatingIfNeeded: index))
                }
            }
        }
        guard dense.count == present else {
            throw ParquetError(.corruptPage, "page decoded \(dense.count) values, levels say \(present)")
        }
        return dense
    }

    /// Appends the selected rows (`parts`, relative to the page) of a dictionary-encoded page from its indexes
    /// (`dense`: one per non-null value); null rows get a placeholder.
    private mutating func appendSelected(from dict: ValueSink, dense: [Int32], levels: [UInt8]?, parts: [Range<Int>]) {
        guard let levels else {
            for part in parts {
                values.reserve(part.count)
                for k in part { values.append(from: dict, index: Int(dense[k])) }
                validity.append(contentsOf: repeatElement(true, count: part.count))
            }
            return
        }
        Self.forEachSelectedRow(levels: levels, parts: parts) { denseIndex in
            if let denseIndex {
                values.append(from: dict, index: Int(dense[denseIndex]))
                validity.append(true)
            } else {
                values.appendPlaceholders(1)
                validity.append(false)
                nullCount += 1
            }
        }
    }

    /// Present (level 1) rows among `range` of a flat column's definition levels, 8 levels per step: every
    /// partially read page counts the levels before each selected row.
    static func countPresent(_ levels: [UInt8], _ range: Range<Int>) -> Int {
        levels.withUnsafeBytes { raw -> Int in
            var i = range.lowerBound
            var total = 0
            while range.upperBound - i >= 8 {
                // At most 31 words per round: each byte lane then holds ≤ 31 and the fold (a multiply that sums the
                // 8 lanes into the top byte) stays ≤ 248, inside one byte.
                var lanes: UInt64 = 0
                var words = 0
                while range.upperBound - i >= 8 && words < 31 {
                    lanes &+= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x0101_0101_0101_0101
                    i += 8
                    words += 1
                }
                total += Int((lanes &* 0x0101_0101_0101_0101) >> 56)
            }
            while i < range.upperBound {
                total += Int(raw[i] & 1)
                i += 1
            }
            return total
        }
    }

    /// Walks the selected rows (`parts`, relative to the page) of a page with definition levels (flat schema: 1 =
    /// present), passing each row's position among the page's non-null values, or nil for a null row.
    @inline(__always)
    private static func forEachSelectedRow(levels: [UInt8], parts: [Range<Int>], _ body: (Int?) -> Void) {
        var denseIndex = 0
        var row = 0
        for part in parts {
            if row < part.lowerBound {
                denseIndex += countPresent(levels, row..<part.lowerBound)
                row = part.lowerBound
            }
            while row < part.upperBound {
                if levels[row] & 1 == 1 {
                    body(denseIndex)
                    denseIndex += 1
                } else {
                    body(nil)
                }
                row += 1
            }
        }
    }

    /// Index mode: decodes the page's dictionary indexes and appends those of the selected rows (-1 for nulls).
    private mutating func appendIndexes(_ body: [UInt8], from start: Int, present: Int, dictionarySize: Int,
                                        levels: [UInt8]?, parts: [Range<Int>]) throws {
        let dense = try decodeIndexes(body, from: start, present: present, dictionarySize: dictionarySize)
        guard let levels else {
            for part in parts {
                indexes.append(contentsOf: dense[part])
                validity.append(contentsOf: repeatElement(true, count: part.count))
            }
            return
        }
        Self.forEachSelectedRow(levels: levels, parts: parts) { denseIndex in
            if let denseIndex {
                indexes.append(dense[denseIndex])
                validity.append(true)
            } else {
                indexes.append(-1)
                validity.append(false)
                nullCount += 1
            }
        }
    }

    /// Decodes `count` non-null values of the page's value section.
    private func decodeValues(_ c: inout DecoderCursor, encoding: Encoding, count: Int, into out: inout ValueSink) throws {
        switch encoding {
        case .plain:
            try PlainDecoder.decode(&c, kind: leaf.kind, count: count, into: &out)
        case .plainDictionary, .rleDictionary:
            guard let dict = dictionary else { throw ParquetError(.corruptPage, "dictionary-encoded page without dictionary") }
            guard count > 0 else { return }
            let width = Int(try c.byte())
            var rle = try RLEHybridDecoder(DecoderCursor(c.base, from: c.position, to: c.end), bitWidth: width)
            let size = dict.count
            out.reserve(min(count, c.remaining * 8 + 4096))
            try rle.decode(count: count) { index in
                guard Int(index) < size else {
                    throw ParquetError(.corruptPage, "dictionary index \(index) >= \(size)")
                }
                out.append(from: dict, index: Int(index))
            }
        case .rle:
            guard leaf.kind == .boolean else { throw ParquetError(.unsupported, "RLE values for \(leaf.kind)") }
            let length = Int(try c.le32())
            try c.require(length, "RLE booleans")
            var rle = try RLEHybridDecoder(DecoderCursor(c.base, from: c.position, to: c.position + length), bitWidth: 1)
            out.reserve(min(count, c.remaining * 8 + 4096))
            try rle.decode(count: count) { out.booleans.append($0 != 0) }
            c.position += length
        case .deltaBinaryPacked:
            switch leaf.kind {
            case .int32:
                out.reserve(min(count, c.remaining * 8 + 4096))
                try DeltaBinaryPackedDecoder.decode(&c, limit: count) { out.int32s.append(Int32(truncatingIfNeeded: $0)) }
            case .int64:
                out.reserve(min(count, c.remaining * 8 + 4096))
                try DeltaBinaryPackedDecoder.decode(&c, limit: count) { out.int64s.append($0) }
            default:
                throw ParquetError(.unsupported, "DELTA_BINARY_PACKED for \(leaf.kind)")
            }
        case .deltaLengthByteArray:
            guard leaf.kind == .byteArray else { throw ParquetError(.unsupported, "DELTA_LENGTH_BYTE_ARRAY for \(leaf.kind)") }
            try DeltaByteArrayDecoder.decodeLengthPrefixed(&c, count: count, into: &out)
        case .deltaByteArray:
            guard leaf.kind == .byteArray || leaf.kind.fixedWidth != nil else {
                throw ParquetError(.unsupported, "DELTA_BYTE_ARRAY for \(leaf.kind)")
            }
            try DeltaByteArrayDecoder.decodeIncremental(&c, count: count, into: &out)
        case .byteStreamSplit:
            try ByteStreamSplitDecoder.decode(&c, kind: leaf.kind, count: count, into: &out)
        default:
            throw ParquetError(.unsupported, "encoding \(encoding)")
        }
    }

    /// Appends the selected rows (`parts`, relative to the page) of a decoded page.
    private mutating func append(dense: ValueSink, levels: [UInt8]?, parts: [Range<Int>], rows: Int) throws {
        guard let levels else {
            for part in parts {
                values.append(contentsOf: dense, range: part)
                validity.append(contentsOf: repeatElement(true, count: part.count))
            }
            return
        }
        values.reserve(parts.reduce(0) { $0 + $1.count })
        Self.forEachSelectedRow(levels: levels, parts: parts) { denseIndex in
            if let denseIndex {
                values.append(from: dense, index: denseIndex)
                validity.append(true)
            } else {
                values.appendPlaceholders(1)
                validity.append(false)
                nullCount += 1
            }
        }
    }

    /// The decoded rows as a `ColumnData` (index mode: materialised).
    mutating func columnData() throws -> ColumnData {
        materialiseIndexes()
        return try values.columnData(validity: nullCount > 0 ? validity : nil)
    }
}
