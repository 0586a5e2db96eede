/// parquet.thrift `FileMetaData`: the footer, Thrift-encoded just before the 4-byte length and the closing "PAR1".
struct FileMetaData: ThriftStruct, Hashable {
    /// Writers should always write 1 (parquet.thrift: "For maximum compatibility with readers").
    var version: Int32
    /// Depth-first flattened schema; element 0 is the root.
    var schema: [SchemaElement]
    var numRows: Int64
    var rowGroups: [RowGroup]
    var keyValueMetadata: [KeyValue]?
    var createdBy: String?
    /// One per leaf column; required for readers to use min_value/max_value.
    var columnOrders: [ColumnOrder]?

    init(version: Int32 = 1, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup],
         keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrders = columnOrders
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var version: Int32?, schema: [SchemaElement]?, rows: Int64?, groups: [RowGroup]?
        var kv: [KeyValue]?, createdBy: String?, orders: [ColumnOrder]?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "FileMetaData.version"); version = try r.readI32()
            case 2: try r.expect(f.type, .list, "FileMetaData.schema"); schema = try r.readStructList("FileMetaData.schema")
            case 3: try r.expect(f.type, .i64, "FileMetaData.num_rows"); rows = try r.readI64()
            case 4: try r.expect(f.type, .list, "FileMetaData.row_groups")
                groups = try r.readStructList("FileMetaData.row_groups")
            case 5: try r.expect(f.type, .list, "FileMetaData.key_value_metadata")
                kv = try r.readStructList("FileMetaData.key_value_metadata")
            case 6: try r.expect(f.type, .binary, "FileMetaData.created_by"); createdBy = try r.readString()
            case 7: try r.expect(f.type, .list, "FileMetaData.column_orders")
                orders = try r.readStructList("FileMetaData.column_orders")
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let version, let schema, let rows, let groups else {
            throw ParquetError(.malformedThrift, "FileMetaData missing version, schema, num_rows or row_groups")
        }
        guard rows >= 0 else { throw ParquetError(.malformedThrift, "FileMetaData negative num_rows") }
        self.init(version: version, schema: schema, numRows: rows, rowGroups: groups, keyValueMetadata: kv,
                  createdBy: createdBy, columnOrders: orders)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeI32(1, version)
        w.writeStructList(2, schema)
        w.writeI64(3, numRows)
        w.writeStructList(4, rowGroups)
        if let keyValueMetadata { w.writeStructList(5, keyValueMetadata) }
        if let createdBy { w.writeString(6, createdBy) }
        if let columnOrders { w.writeStructList(7, columnOrders) }
        w.structEnd()
    }
}
