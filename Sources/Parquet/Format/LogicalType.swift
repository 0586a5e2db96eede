/// parquet.thrift `TimeUnit` union (MILLIS = 1, MICROS = 2, NANOS = 3).
enum TimeUnit: Int16, Hashable, Sendable {
    case millis = 1
    case micros = 2
    case nanos = 3
}

/// parquet.thrift `LogicalType` union (LogicalTypes.md). Members we never interpret are kept as `.other(fieldID)`.
enum LogicalType: ThriftStruct, Hashable {
    case string
    case map
    case list
    case `enum`
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    case unknown
    case json
    case bson
    case uuid
    case float16
    /// A union member this module does not model (VARIANT, GEOMETRY, …), by field id.
    case other(Int16)

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        try r.structBegin()
        var result: LogicalType?
        while let f = try r.fieldHeader() {
            guard f.type == ThriftType.struct.rawValue else { try r.skip(f.type); continue }
            switch f.id {
            case 1: result = .string; try r.skip(f.type)
            case 2: result = .map; try r.skip(f.type)
            case 3: result = .list; try r.skip(f.type)
            case 4: result = .enum; try r.skip(f.type)
            case 5: result = try Self.decodeDecimal(&r)
            case 6: result = .date; try r.skip(f.type)
            case 7:
                let (utc, unit) = try Self.decodeTime(&r)
                result = .time(isAdjustedToUTC: utc, unit: unit)
            case 8:
                let (utc, unit) = try Self.decodeTime(&r)
                result = .timestamp(isAdjustedToUTC: utc, unit: unit)
            case 10: result = try Self.decodeInteger(&r)
            case 11: result = .unknown; try r.skip(f.type)
            case 12: result = .json; try r.skip(f.type)
            case 13: result = .bson; try r.skip(f.type)
            case 14: result = .uuid; try r.skip(f.type)
            case 15: result = .float16; try r.skip(f.type)
            default: result = .other(f.id); try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let result else { throw ParquetError(.malformedThrift, "LogicalType union with no member") }
        self = result
    }

    private static func decodeDecimal(_ r: inout ThriftCompactReader) throws(ParquetError) -> LogicalType {
        try r.structBegin()
        var scale: Int32?, precision: Int32?
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "DecimalType.scale"); scale = try r.readI32()
            case 2: try r.expect(f.type, .i32, "DecimalType.precision"); precision = try r.readI32()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let scale, let precision else { throw ParquetError(.malformedThrift, "DecimalType without scale/precision") }
        return .decimal(scale: scale, precision: precision)
    }

    private static func decodeTime(_ r: inout ThriftCompactReader) throws(ParquetError) -> (Bool, TimeUnit) {
        try r.structBegin()
        var utc: Bool?, unit: TimeUnit?
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: utc = try r.boolValue(fieldType: f.type)
            case 2:
                try r.expect(f.type, .struct, "TimeUnit")
                try r.structBegin()
                while let u = try r.fieldHeader() {
                    if let tu = TimeUnit(rawValue: u.id) { unit = tu }
                    try r.skip(u.type)
                }
                r.structEnd()
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let utc, let unit else { throw ParquetError(.malformedThrift, "Time/TimestampType incomplete") }
        return (utc, unit)
    }

    private static func decodeInteger(_ r: inout ThriftCompactReader) throws(ParquetError) -> LogicalType {
        try r.structBegin()
        var width: Int8?, signed: Bool?
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .byte, "IntType.bitWidth"); width = try r.readI8()
            case 2: signed = try r.boolValue(fieldType: f.type)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let width, let signed else { throw ParquetError(.malformedThrift, "IntType incomplete") }
        return .integer(bitWidth: width, isSigned: signed)
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        switch self {
        case .string: w.writeEmptyStruct(1)
        case .map: w.writeEmptyStruct(2)
        case .list: w.writeEmptyStruct(3)
        case .enum: w.writeEmptyStruct(4)
        case .decimal(let scale, let precision):
            w.fieldHeader(5, .struct)
            w.structBegin()
            w.writeI32(1, scale)
            w.writeI32(2, precision)
            w.structEnd()
        case .date: w.writeEmptyStruct(6)
        case .time(let utc, let unit): Self.encodeTime(&w, 7, utc, unit)
        case .timestamp(let utc, let unit): Self.encodeTime(&w, 8, utc, unit)
        case .integer(let width, let signed):
            w.fieldHeader(10, .struct)
            w.structBegin()
            w.writeI8(1, width)
            w.writeBool(2, signed)
            w.structEnd()
        case .unknown: w.writeEmptyStruct(11)
        case .json: w.writeEmptyStruct(12)
        case .bson: w.writeEmptyStruct(13)
        case .uuid: w.writeEmptyStruct(14)
        case .float16: w.writeEmptyStruct(15)
        case .other(let id): w.writeEmptyStruct(id)
        }
        w.structEnd()
    }

    private static func encodeTime(_ w: inout ThriftCompactWriter, _ id: Int16, _ utc: Bool, _ unit: TimeUnit) {
        w.fieldHeader(id, .struct)
        w.structBegin()
        w.writeBool(1, utc)
        w.fieldHeader(2, .struct)
        w.structBegin()
        w.writeEmptyStruct(unit.rawValue)
        w.structEnd()
        w.structEnd()
    }
}
