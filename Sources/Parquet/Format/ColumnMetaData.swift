/// parquet.thrift `ColumnMetaData`. Sizes include page-header bytes (pitfall 5); `numValues` counts nulls.
struct ColumnMetaData: ThriftStruct, Hashable {
    var type: PhysicalType
    /// Every encoding used in the chunk, levels (RLE) included.
    var encodings: [Encoding]
    var pathInSchema: [String]
    var codec: CompressionCodec
    var numValues: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var keyValueMetadata: [KeyValue]?
    var dataPageOffset: Int64
    var indexPageOffset: Int64?
    /// Set only when the chunk has a dictionary page (pitfall 6).
    var dictionaryPageOffset: Int64?
    var statistics: Statistics?
    var encodingStats: [PageEncodingStats]?
    var bloomFilterOffset: Int64?
    /// Header plus bitset.
    var bloomFilterLength: Int32?

    init(type: PhysicalType, encodings: [Encoding], pathInSchema: [String], codec: CompressionCodec, numValues: Int64,
         totalUncompressedSize: Int64, totalCompressedSize: Int64, keyValueMetadata: [KeyValue]? = nil,
         dataPageOffset: Int64, indexPageOffset: Int64? = nil, dictionaryPageOffset: Int64? = nil,
         statistics: Statistics? = nil, encodingStats: [PageEncodingStats]? = nil, bloomFilterOffset: Int64? = nil,
         bloomFilterLength: Int32? = nil) {
        self.type = type
        self.encodings = encodings
        self.pathInSchema = pathInSchema
        self.codec = codec
        self.numValues = numValues
        self.totalUncompressedSize = totalUncompressedSize
        self.totalCompressedSize = totalCompressedSize
        self.keyValueMetadata = keyValueMetadata
        self.dataPageOffset = dataPageOffset
        self.indexPageOffset = indexPageOffset
        self.dictionaryPageOffset = dictionaryPageOffset
        self.statistics = statistics
        self.encodingStats = encodingStats
        self.bloomFilterOffset = bloomFilterOffset
        self.bloomFilterLength = bloomFilterLength
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var type: PhysicalType?, encodings: [Encoding]?, path: [String]?, codec: CompressionCodec?
        var numValues: Int64?, uncompressed: Int64?, compressed: Int64?, dataPageOffset: Int64?
        var kv: [KeyValue]?, indexPageOffset: Int64?, dictOffset: Int64?, stats: Statistics?
        var encStats: [PageEncodingStats]?, bloomOffset: Int64?, bloomLength: Int32?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "ColumnMetaData.type"); type = PhysicalType(rawValue: try r.readI32())
            case 2: try r.expect(f.type, .list, "ColumnMetaData.encodings")
                encodings = try r.readI32List("ColumnMetaData.encodings").map(Encoding.init(rawValue:))
            case 3: try r.expect(f.type, .list, "ColumnMetaData.path_in_schema")
                path = try r.readStringList("ColumnMetaData.path_in_schema")
            case 4: try r.expect(f.type, .i32, "ColumnMetaData.codec"); codec = CompressionCodec(rawValue: try r.readI32())
            case 5: try r.expect(f.type, .i64, "ColumnMetaData.num_values"); numValues = try r.readI64()
            case 6: try r.expect(f.type, .i64, "ColumnMetaData.total_uncompressed_size"); uncompressed = try r.readI64()
            case 7: try r.expect(f.type, .i64, "ColumnMetaData.total_compressed_size"); compressed = try r.readI64()
            case 8: try r.expect(f.type, .list, "ColumnMetaData.key_value_metadata")
                kv = try r.readStructList("ColumnMetaData.key_value_metadata")
            case 9: try r.expect(f.type, .i64, "ColumnMetaData.data_page_offset"); dataPageOffset = try r.readI64()
            case 10: try r.expect(f.type, .i64, "ColumnMetaData.index_page_offset"); indexPageOffset = try r.readI64()
            case 11: try r.expect(f.type, .i64, "ColumnMetaData.dictionary_page_offset"); dictOffset = try r.readI64()
            case 12: try r.expect(f.type, .struct, "ColumnMetaData.statistics"); stats = try Statistics(from: &r)
            case 13: try r.expect(f.type, .list, "ColumnMetaData.encoding_stats")
                encStats = try r.readStructList("ColumnMetaData.encoding_stats")
            case 14: try r.expect(f.type, .i64, "ColumnMetaData.bloom_filter_offset"); bloomOffset = try r.readI64()
            case 15: try r.expect(f.type, .i32, "ColumnMetaData.bloom_filter_length"); bloomLength = try r.readI32()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let type, let encodings, let path, let codec, let numValues, let uncompressed, let compressed,
              let dataPageOffset else {
            throw ParquetError(.malformedThrift, "ColumnMetaData missing a required field")
        }
        guard numValues >= 0, uncompressed >= 0, compressed >= 0, dataPageOffset >= 0 else {
            throw ParquetError(.malformedThrift, "ColumnMetaData negative size or offset")
        }
        self.init(type: type, encodings: encodings, pathInSchema: path, codec: codec, numValues: numValues,
                  totalUncompressedSize: uncompressed, totalCompressedSize: compressed, keyValueMetadata: kv,
                  dataPageOffset: dataPageOffset, indexPageOffset: indexPageOffset, dictionaryPageOffset: dictOffset,
                  statistics: stats, encodingStats: encStats, bloomFilterOffset: bloomOffset,
                  bloomFilterLength: bloomLength)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeI32(1, type.rawValue)
        w.writeI32List(2, encodings.map(\.rawValue))
        w.writeStringList(3, pathInSchema)
        w.writeI32(4, codec.rawValue)
        w.writeI64(5, numValues)
        w.writeI64(6, totalUncompressedSize)
        w.writeI64(7, totalCompressedSize)
        if let keyValueMetadata { w.writeStructList(8, keyValueMetadata) }
        w.writeI64(9, dataPageOffset)
        if let indexPageOffset { w.writeI64(10, indexPageOffset) }
        if let dictionaryPageOffset { w.writeI64(11, dictionaryPageOffset) }
        if let statistics { w.writeStruct(12, statistics) }
        if let encodingStats { w.writeStructList(13, encodingStats) }
        if let bloomFilterOffset { w.writeI64(14, bloomFilterOffset) }
        if let bloomFilterLength { w.writeI32(15, bloomFilterLength) }
        w.structEnd()
    }
}

/// parquet.thrift `PageEncodingStats`: how many pages of a type use an encoding.
struct PageEncodingStats: ThriftStruct, Hashable {
    var pageType: PageType
    var encoding: Encoding
    var count: Int32

    init(pageType: PageType, encoding: Encoding, count: Int32) {
        self.pageType = pageType
        self.encoding = encoding
        self.count = count
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var pt: PageType?, enc: Encoding?, count: Int32?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "PageEncodingStats.page_type"); pt = PageType(rawValue: try r.readI32())
            case 2: try r.expect(f.type, .i32, "PageEncodingStats.encoding"); enc = Encoding(rawValue: try r.readI32())
            case 3: try r.expect(f.type, .i32, "PageEncodingStats.count"); count = try r.readI32()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let pt, let enc, let count else { throw ParquetError(.malformedThrift, "PageEncodingStats incomplete") }
        self.init(pageType: pt, encoding: enc, count: count)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeI32(1, pageType.rawValue)
        w.writeI32(2, encoding.rawValue)
        w.writeI32(3, count)
        w.structEnd()
    }
}
