/// parquet.thrift `PageHeader`: precedes every page. `compressedPageSize` excludes the header itself
/// (pitfall 5); exactly one of the per-type headers is set according to `type`.
struct PageHeader: ThriftStruct, Hashable {
    var type: PageType
    var uncompressedPageSize: Int32
    var compressedPageSize: Int32
    var crc: Int32?
    var dataPageHeader: DataPageHeader?
    var dictionaryPageHeader: DictionaryPageHeader?
    var dataPageHeaderV2: DataPageHeaderV2?

    init(type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32, crc: Int32? = nil,
         dataPageHeader: DataPageHeader? = nil, dictionaryPageHeader: DictionaryPageHeader? = nil,
         dataPageHeaderV2: DataPageHeaderV2? = nil) {
        self.type = type
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
        self.crc = crc
        self.dataPageHeader = dataPageHeader
        self.dictionaryPageHeader = dictionaryPageHeader
        self.dataPageHeaderV2 = dataPageHeaderV2
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var type: PageType?, uncompressed: Int32?, compressed: Int32?
        var crc: Int32?
        var v1: DataPageHeader?, dict: DictionaryPageHeader?, v2: DataPageHeaderV2?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "PageHeader.type"); type = PageType(rawValue: try r.readI32())
            case 2: try r.expect(f.type, .i32, "PageHeader.uncompressed_page_size"); uncompressed = try r.readI32()
            case 3: try r.expect(f.type, .i32, "PageHeader.compressed_page_size"); compressed = try r.readI32()
            case 4: try r.expect(f.type, .i32, "PageHeader.crc"); crc = try r.readI32()
            case 5: try r.expect(f.type, .struct, "PageHeader.data_page_header"); v1 = try DataPageHeader(from: &r)
            case 7:
                try r.expect(f.type, .struct, "PageHeader.dictionary_page_header")
                dict = try DictionaryPageHeader(from: &r)
            case 8: try r.expect(f.type, .struct, "PageHeader.data_page_header_v2"); v2 = try DataPageHeaderV2(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let type, let uncompressed, let compressed else {
            throw ParquetError(.malformedThrift, "PageHeader missing type or sizes")
        }
        guard uncompressed >= 0, compressed >= 0 else {
            throw ParquetError(.malformedThrift, "PageHeader negative size")
        }
        self.init(type: type, uncompressedPageSize: uncompressed, compressedPageSize: compressed, crc: crc,
                  dataPageHeader: v1, dictionaryPageHeader: dict, dataPageHeaderV2: v2)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeI32(1, type.rawValue)
        w.writeI32(2, uncompressedPageSize)
        w.writeI32(3, compressedPageSize)
        if let crc { w.writeI32(4, crc) }
        if let dataPageHeader { w.writeStruct(5, dataPageHeader) }
        if let dictionaryPageHeader { w.writeStruct(7, dictionaryPageHeader) }
        if let dataPageHeaderV2 { w.writeStruct(8, dataPageHeaderV2) }
        w.structEnd()
    }
}
