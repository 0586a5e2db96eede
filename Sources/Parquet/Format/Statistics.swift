/// parquet.thrift `Statistics` (per column chunk, or per page in a data page header).
///
/// Writers fill `minValue`/`maxValue` (PLAIN bytes, no length prefix for BYTE_ARRAY, ordered by the column's
/// ColumnOrder), `nullCount` always, and the exactness flags; the deprecated signed `min`/`max` (1/2) are only read.
struct Statistics: ThriftStruct, Hashable {
    /// Deprecated (field 1): max in *signed* byte order. Read only.
    var max: [UInt8]?
    /// Deprecated (field 2): min in signed byte order. Read only.
    var min: [UInt8]?
    var nullCount: Int64?
    var distinctCount: Int64?
    var maxValue: [UInt8]?
    var minValue: [UInt8]?
    var isMaxValueExact: Bool?
    var isMinValueExact: Bool?

    init(max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil, distinctCount: Int64? = nil,
         maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil, isMaxValueExact: Bool? = nil, isMinValueExact: Bool? = nil) {
        self.max = max
        self.min = min
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.maxValue = maxValue
        self.minValue = minValue
        self.isMaxValueExact = isMaxValueExact
        self.isMinValueExact = isMinValueExact
    }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        self.init()
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .binary, "Statistics.max"); max = try r.readBinary()
            case 2: try r.expect(f.type, .binary, "Statistics.min"); min = try r.readBinary()
            case 3: try r.expect(f.type, .i64, "Statistics.null_count"); nullCount = try r.readI64()
            case 4: try r.expect(f.type, .i64, "Statistics.distinct_count"); distinctCount = try r.readI64()
            case 5: try r.expect(f.type, .binary, "Statistics.max_value"); maxValue = try r.readBinary()
            case 6: try r.expect(f.type, .binary, "Statistics.min_value"); minValue = try r.readBinary()
            case 7: isMaxValueExact = try r.boolValue(fieldType: f.type)
            case 8: isMinValueExact = try r.boolValue(fieldType: f.type)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        if let max { w.writeBinary(1, max) }
        if let min { w.writeBinary(2, min) }
        if let nullCount { w.writeI64(3, nullCount) }
        if let distinctCount { w.writeI64(4, distinctCount) }
        if let maxValue { w.writeBinary(5, maxValue) }
        if let minValue { w.writeBinary(6, minValue) }
        if let isMaxValueExact { w.writeBool(7, isMaxValueExact) }
        if let isMinValueExact { w.writeBool(8, isMinValueExact) }
        w.structEnd()
    }
}
