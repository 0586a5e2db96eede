/// parquet.thrift `PageLocation` (PageIndex.md): one data page of a column chunk.
struct PageLocation: ThriftStruct, Hashable {
    /// Absolute file offset of the page header.
    var offset: Int64
    /// Page size *including* its header.
    var compressedPageSize: Int32
    /// Index of the page's first row within the row group.
    var firstRowIndex: Int64

    init(offset: Int64, compressedPageSize: Int32, firstRowIndex: Int64) {
        self.offset = offset
        self.compressedPageSize = compressedPageSize
        self.firstRowIndex = firstRowIndex
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var offset: Int64?, size: Int32?, first: Int64?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i64, "PageLocation.offset"); offset = try r.readI64()
            case 2: try r.expect(f.type, .i32, "PageLocation.compressed_page_size"); size = try r.readI32()
            case 3: try r.expect(f.type, .i64, "PageLocation.first_row_index"); first = try r.readI64()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let offset, let size, let first, offset >= 0, size >= 0, first >= 0 else {
            throw ParquetError(.malformedThrift, "PageLocation incomplete or negative")
        }
        self.init(offset: offset, compressedPageSize: size, firstRowIndex: first)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeI64(1, offset)
        w.writeI32(2, compressedPageSize)
        w.writeI64(3, firstRowIndex)
        w.structEnd()
    }
}

/// parquet.thrift `OffsetIndex`: the location of every data page of a column chunk (dictionary page excluded).
struct OffsetIndex: ThriftStruct, Hashable {
    var pageLocations: [PageLocation]
    var unencodedByteArrayDataBytes: [Int64]?

    init(pageLocations: [PageLocation], unencodedByteArrayDataBytes: [Int64]? = nil) {
        self.pageLocations = pageLocations
        self.unencodedByteArrayDataBytes = unencodedByteArrayDataBytes
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var locations: [PageLocation]?, unencoded: [Int64]?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .list, "OffsetIndex.page_locations")
                locations = try r.readStructList("OffsetIndex.page_locations")
            case 2: try r.expect(f.type, .list, "OffsetIndex.unencoded_byte_array_data_bytes")
                unencoded = try r.readI64List("OffsetIndex.unencoded_byte_array_data_bytes")
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let locations else { throw ParquetError(.malformedThrift, "OffsetIndex without page_locations") }
        self.init(pageLocations: locations, unencodedByteArrayDataBytes: unencoded)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeStructList(1, pageLocations)
        if let unencodedByteArrayDataBytes { w.writeI64List(2, unencodedByteArrayDataBytes) }
        w.structEnd()
    }
}

/// parquet.thrift `ColumnIndex`: per-page min/max (PLAIN bytes, possibly truncated), null flags and counts.
/// For a page with only nulls, `nullPages[i]` is true and its min/max are empty byte strings.
struct ColumnIndex: ThriftStruct, Hashable {
    var nullPages: [Bool]
    var minValues: [[UInt8]]
    var maxValues: [[UInt8]]
    var boundaryOrder: BoundaryOrder
    var nullCounts: [Int64]?

    init(nullPages: [Bool], minValues: [[UInt8]], maxValues: [[UInt8]], boundaryOrder: BoundaryOrder,
         nullCounts: [Int64]? = nil) {
        self.nullPages = nullPages
        self.minValues = minValues
        self.maxValues = maxValues
        self.boundaryOrder = boundaryOrder
        self.nullCounts = nullCounts
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var nullPages: [Bool]?, mins: [[UInt8]]?, maxs: [[UInt8]]?, order: BoundaryOrder?, counts: [Int64]?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .list, "ColumnIndex.null_pages"); nullPages = try r.readBoolList("ColumnIndex.null_pages")
            case 2: try r.expect(f.type, .list, "ColumnIndex.min_values"); mins = try r.readBinaryList("ColumnIndex.min_values")
            case 3: try r.expect(f.type, .list, "ColumnIndex.max_values"); maxs = try r.readBinaryList("ColumnIndex.max_values")
            case 4: try r.expect(f.type, .i32, "ColumnIndex.boundary_order"); order = BoundaryOrder(rawValue: try r.readI32())
            case 5: try r.expect(f.type, .list, "ColumnIndex.null_counts"); counts = try r.readI64List("ColumnIndex.null_counts")
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let nullPages, let mins, let maxs, let order else {
            throw ParquetError(.malformedThrift, "ColumnIndex missing a required field")
        }
        guard mins.count == nullPages.count, maxs.count == nullPages.count,
              counts.map({ $0.count == nullPages.count }) ?? true else {
            throw ParquetError(.malformedThrift, "ColumnIndex lists of different lengths")
        }
        self.init(nullPages: nullPages, minValues: mins, maxValues: maxs, boundaryOrder: order, nullCounts: counts)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeBoolList(1, nullPages)
        w.writeBinaryList(2, minValues)
        w.writeBinaryList(3, maxValues)
        w.writeI32(4, boundaryOrder.rawValue)
        if let nullCounts { w.writeI64List(5, nullCounts) }
        w.structEnd()
    }
}
