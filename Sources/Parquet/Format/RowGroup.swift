/// parquet.thrift `RowGroup`: its column chunks in leaf order.
struct RowGroup: ThriftStruct, Hashable {
    var columns: [ColumnChunk]
    /// Uncompressed bytes of all column data (headers included).
    var totalByteSize: Int64
    var numRows: Int64
    /// Offset of the first page (dictionary included) of the first column.
    var fileOffset: Int64?
    var totalCompressedSize: Int64?
    var ordinal: Int16?

    init(columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64, fileOffset: Int64? = nil,
         totalCompressedSize: Int64? = nil, ordinal: Int16? = nil) {
        self.columns = columns
        self.totalByteSize = totalByteSize
        self.numRows = numRows
        self.fileOffset = fileOffset
        self.totalCompressedSize = totalCompressedSize
        self.ordinal = ordinal
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var columns: [ColumnChunk]?, total: Int64?, rows: Int64?
        var fileOffset: Int64?, compressed: Int64?, ordinal: Int16?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .list, "RowGroup.columns"); columns = try r.readStructList("RowGroup.columns")
            case 2: try r.expect(f.type, .i64, "RowGroup.total_byte_size"); total = try r.readI64()
            case 3: try r.expect(f.type, .i64, "RowGroup.num_rows"); rows = try r.readI64()
            case 5: try r.expect(f.type, .i64, "RowGroup.file_offset"); fileOffset = try r.readI64()
            case 6: try r.expect(f.type, .i64, "RowGroup.total_compressed_size"); compressed = try r.readI64()
            case 7: try r.expect(f.type, .i16, "RowGroup.ordinal"); ordinal = try r.readI16()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let columns, let total, let rows, rows >= 0 else {
            throw ParquetError(.malformedThrift, "RowGroup missing columns, size or rows")
        }
        self.init(columns: columns, totalByteSize: total, numRows: rows, fileOffset: fileOffset,
                  totalCompressedSize: compressed, ordinal: ordinal)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeStructList(1, columns)
        w.writeI64(2, totalByteSize)
        w.writeI64(3, numRows)
        if let fileOffset { w.writeI64(5, fileOffset) }
        if let totalCompressedSize { w.writeI64(6, totalCompressedSize) }
        if let ordinal { w.writeI16(7, ordinal) }
        w.structEnd()
    }
}
