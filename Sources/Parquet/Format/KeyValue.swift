/// parquet.thrift `KeyValue`: application metadata in the footer or a column chunk.
struct KeyValue: ThriftStruct, Hashable {
    var key: String
    var value: String?

    init(key: String, value: String?) {
        self.key = key
        self.value = value
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var key: String?, value: String?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .binary, "KeyValue.key"); key = try r.readString()
            case 2: try r.expect(f.type, .binary, "KeyValue.value"); value = try r.readString()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let key else { throw ParquetError(.malformedThrift, "KeyValue without key") }
        self.init(key: key, value: value)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeString(1, key)
        if let value { w.writeString(2, value) }
        w.structEnd()
    }
}

/// parquet.thrift `ColumnOrder` union. Only TYPE_ORDER (field 1) exists; its presence tells readers such as Arrow
/// C++ to trust `min_value`/`max_value` (pitfall 1).
enum ColumnOrder: ThriftStruct, Hashable {
    case typeDefinedOrder
    case other(Int16)

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var result: ColumnOrder?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            result = f.id == 1 ? .typeDefinedOrder : .other(f.id)
            try r.skip(f.type)
        }
        r.structEnd()
        guard let result else { throw ParquetError(.malformedThrift, "ColumnOrder union with no member") }
        self = result
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        switch self {
        case .typeDefinedOrder: w.writeEmptyStruct(1)
        case .other(let id): w.writeEmptyStruct(id)
        }
        w.structEnd()
    }
}
