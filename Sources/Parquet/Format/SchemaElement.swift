/// parquet.thrift `SchemaElement`: one node of the depth-first flattened schema tree. The root has `numChildren`;
/// leaves have `type`, `repetitionType`, `fieldID` and the logical/converted annotations.
struct SchemaElement: ThriftStruct, Hashable {
    var type: PhysicalType?
    var typeLength: Int32?
    var repetitionType: FieldRepetitionType?
    var name: String
    var numChildren: Int32?
    var convertedType: ConvertedType?
    var scale: Int32?
    var precision: Int32?
    var fieldID: Int32?
    var logicalType: LogicalType?

    init(type: PhysicalType? = nil, typeLength: Int32? = nil, repetitionType: FieldRepetitionType? = nil, name: String,
         numChildren: Int32? = nil, convertedType: ConvertedType? = nil, scale: Int32? = nil, precision: Int32? = nil,
         fieldID: Int32? = nil, logicalType: LogicalType? = nil) {
        self.type = type
        self.typeLength = typeLength
        self.repetitionType = repetitionType
        self.name = name
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldID = fieldID
        self.logicalType = logicalType
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        self.init(name: "")
        var sawName = false
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "SchemaElement.type"); type = PhysicalType(rawValue: try r.readI32())
            case 2: try r.expect(f.type, .i32, "SchemaElement.type_length"); typeLength = try r.readI32()
            case 3:
                try r.expect(f.type, .i32, "SchemaElement.repetition_type")
                repetitionType = FieldRepetitionType(rawValue: try r.readI32())
            case 4: try r.expect(f.type, .binary, "SchemaElement.name"); name = try r.readString(); sawName = true
            case 5: try r.expect(f.type, .i32, "SchemaElement.num_children"); numChildren = try r.readI32()
            case 6:
                try r.expect(f.type, .i32, "SchemaElement.converted_type")
                convertedType = ConvertedType(rawValue: try r.readI32())
            case 7: try r.expect(f.type, .i32, "SchemaElement.scale"); scale = try r.readI32()
            case 8: try r.expect(f.type, .i32, "SchemaElement.precision"); precision = try r.readI32()
            case 9: try r.expect(f.type, .i32, "SchemaElement.field_id"); fieldID = try r.readI32()
            case 10: try r.expect(f.type, .struct, "SchemaElement.logicalType"); logicalType = try LogicalType(from: &r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard sawName else { throw ParquetError(.malformedThrift, "SchemaElement without name") }
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        if let type { w.writeI32(1, type.rawValue) }
        if let typeLength { w.writeI32(2, typeLength) }
        if let repetitionType { w.writeI32(3, repetitionType.rawValue) }
        w.writeString(4, name)
        if let numChildren { w.writeI32(5, numChildren) }
        if let convertedType { w.writeI32(6, convertedType.rawValue) }
        if let scale { w.writeI32(7, scale) }
        if let precision { w.writeI32(8, precision) }
        if let fieldID { w.writeI32(9, fieldID) }
        if let logicalType { w.writeStruct(10, logicalType) }
        w.structEnd()
    }
}
