/// parquet.thrift `DataPageHeader` (data page v1): levels and values share one compressed body.
struct DataPageHeader: ThriftStruct, Hashable {
    /// Number of values including nulls.
    var numValues: Int32
    var encoding: Encoding
    var definitionLevelEncoding: Encoding
    var repetitionLevelEncoding: Encoding
    var statistics: Statistics?

    init(numValues: Int32, encoding: Encoding, definitionLevelEncoding: Encoding = .rle,
         repetitionLevelEncoding: Encoding = .rle, statistics: Statistics? = nil) {
        self.numValues = numValues
        self.encoding = encoding
        self.definitionLevelEncoding = definitionLevelEncoding
        self.repetitionLevelEncoding = repetitionLevelEncoding
        self.statistics = statistics
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?, encoding: Encoding?
        var def = Encoding.rle, rep = Encoding.rle
        var stats: Statistics?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "DataPageHeader.num_values"); numValues = try r.readI32()
            case 2: try r.expect(f.type, .i32, "DataPageHeader.encoding"); encoding = Encoding(rawValue: try r.readI32())
            case 3: try r.expect(f.type, .i32, "DataPageHeader.dle"); def = Encoding(rawValue: try r.readI32())
            case 4: try r.expect(f.type, .i32, "DataPageHeader.rle"); rep = Encoding(rawValue: try r.readI32())
            case 5: try r.expect(f.type, .struct, "DataPageHeader.statistics"); stats = try Statistics(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let numValues, let encoding, numValues >= 0 else {
            throw ParquetError(.malformedThrift, "DataPageHeader missing num_values or encoding")
        }
        self.init(numValues: numValues, encoding: encoding, definitionLevelEncoding: def,
                  repetitionLevelEncoding: rep, statistics: stats)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeI32(1, numValues)
        w.writeI32(2, encoding.rawValue)
        w.writeI32(3, definitionLevelEncoding.rawValue)
        w.writeI32(4, repetitionLevelEncoding.rawValue)
        if let statistics { w.writeStruct(5, statistics) }
        w.structEnd()
    }
}

/// parquet.thrift `DictionaryPageHeader`: the dictionary page (PLAIN values) that precedes the data pages.
struct DictionaryPageHeader: ThriftStruct, Hashable {
    var numValues: Int32
    var encoding: Encoding
    var isSorted: Bool?

    init(numValues: Int32, encoding: Encoding = .plain, isSorted: Bool? = nil) {
        self.numValues = numValues
        self.encoding = encoding
        self.isSorted = isSorted
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var numValues: Int32?, encoding: Encoding?, sorted: Bool?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "DictionaryPageHeader.num_values"); numValues = try r.readI32()
            case 2: try r.expect(f.type, .i32, "DictionaryPageHeader.encoding"); encoding = Encoding(rawValue: try r.readI32())
            case 3: sorted = try r.boolValue(fieldType: f.type)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let numValues, let encoding, numValues >= 0 else {
            throw ParquetError(.malformedThrift, "DictionaryPageHeader missing fields")
        }
        self.init(numValues: numValues, encoding: encoding, isSorted: sorted)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeI32(1, numValues)
        w.writeI32(2, encoding.rawValue)
        if let isSorted { w.writeBool(3, isSorted) }
        w.structEnd()
    }
}

/// parquet.thrift `DataPageHeaderV2`: levels are stored uncompressed before the (optionally compressed) values,
/// with their byte lengths here.
struct DataPageHeaderV2: ThriftStruct, Hashable {
    var numValues: Int32
    var numNulls: Int32
    var numRows: Int32
    var encoding: Encoding
    var definitionLevelsByteLength: Int32
    var repetitionLevelsByteLength: Int32
    /// Whether the values section is compressed; defaults to true when absent.
    var isCompressed: Bool
    var statistics: Statistics?

    init(numValues: Int32, numNulls: Int32, numRows: Int32, encoding: Encoding, definitionLevelsByteLength: Int32,
         repetitionLevelsByteLength: Int32, isCompressed: Bool = true, statistics: Statistics? = nil) {
        self.numValues = numValues
        self.numNulls = numNulls
        self.numRows = numRows
        self.encoding = encoding
        self.definitionLevelsByteLength = definitionLevelsByteLength
        self.repetitionLevelsByteLength = repetitionLevelsByteLength
        self.isCompressed = isCompressed
        self.statistics = statistics
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var nv: Int32?, nn: Int32?, nr: Int32?, enc: Encoding?, dl: Int32?, rl: Int32?
        var compressed = true
        var stats: Statistics?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "DataPageHeaderV2.num_values"); nv = try r.readI32()
            case 2: try r.expect(f.type, .i32, "DataPageHeaderV2.num_nulls"); nn = try r.readI32()
            case 3: try r.expect(f.type, .i32, "DataPageHeaderV2.num_rows"); nr = try r.readI32()
            case 4: try r.expect(f.type, .i32, "DataPageHeaderV2.encoding"); enc = Encoding(rawValue: try r.readI32())
            case 5: try r.expect(f.type, .i32, "DataPageHeaderV2.def_len"); dl = try r.readI32()
            case 6: try r.expect(f.type, .i32, "DataPageHeaderV2.rep_len"); rl = try r.readI32()
            case 7: compressed = try r.boolValue(fieldType: f.type)
            case 8: try r.expect(f.type, .struct, "DataPageHeaderV2.statistics"); stats = try Statistics(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let nv, let nn, let nr, let enc, let dl, let rl, nv >= 0, nn >= 0, nr >= 0, dl >= 0, rl >= 0 else {
            throw ParquetError(.malformedThrift, "DataPageHeaderV2 missing or negative fields")
        }
        self.init(numValues: nv, numNulls: nn, numRows: nr, encoding: enc, definitionLevelsByteLength: dl,
                  repetitionLevelsByteLength: rl, isCompressed: compressed, statistics: stats)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeI32(1, numValues)
        w.writeI32(2, numNulls)
        w.writeI32(3, numRows)
        w.writeI32(4, encoding.rawValue)
        w.writeI32(5, definitionLevelsByteLength)
        w.writeI32(6, repetitionLevelsByteLength)
        w.writeBool(7, isCompressed)
        if let statistics { w.writeStruct(8, statistics) }
        w.structEnd()
    }
}
