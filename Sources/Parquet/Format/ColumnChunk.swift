/// parquet.thrift `ColumnChunk`: where one column of one row group lives, plus its page-index locations.
struct ColumnChunk: ThriftStruct, Hashable {
    var filePath: String?
    /// Deprecated; "Writers should set this field to 0".
    var fileOffset: Int64
    var metaData: ColumnMetaData?
    var offsetIndexOffset: Int64?
    var offsetIndexLength: Int32?
    var columnIndexOffset: Int64?
    var columnIndexLength: Int32?

    init(filePath: String? = nil, fileOffset: Int64 = 0, metaData: ColumnMetaData?, offsetIndexOffset: Int64? = nil,
         offsetIndexLength: Int32? = nil, columnIndexOffset: Int64? = nil, columnIndexLength: Int32? = nil) {
        self.filePath = filePath
        self.fileOffset = fileOffset
        self.metaData = metaData
        self.offsetIndexOffset = offsetIndexOffset
        self.offsetIndexLength = offsetIndexLength
        self.columnIndexOffset = columnIndexOffset
        self.columnIndexLength = columnIndexLength
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        self.init(metaData: nil)
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .binary, "ColumnChunk.file_path"); filePath = try r.readString()
            case 2: try r.expect(f.type, .i64, "ColumnChunk.file_offset"); fileOffset = try r.readI64()
            case 3: try r.expect(f.type, .struct, "ColumnChunk.meta_data"); metaData = try ColumnMetaData(from: &r)
            case 4: try r.expect(f.type, .i64, "ColumnChunk.offset_index_offset"); offsetIndexOffset = try r.readI64()
            case 5: try r.expect(f.type, .i32, "ColumnChunk.offset_index_length"); offsetIndexLength = try r.readI32()
            case 6: try r.expect(f.type, .i64, "ColumnChunk.column_index_offset"); columnIndexOffset = try r.readI64()
            case 7: try r.expect(f.type, .i32, "ColumnChunk.column_index_length"); columnIndexLength = try r.readI32()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        if let filePath { w.writeString(1, filePath) }
        w.writeI64(2, fileOffset)
        if let metaData { w.writeStruct(3, metaData) }
        if let offsetIndexOffset { w.writeI64(4, offsetIndexOffset) }
        if let offsetIndexLength { w.writeI32(5, offsetIndexLength) }
        if let columnIndexOffset { w.writeI64(6, columnIndexOffset) }
        if let columnIndexLength { w.writeI32(7, columnIndexLength) }
        w.structEnd()
    }
}
