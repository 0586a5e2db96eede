/// What the reader knows about one leaf column of a file, beyond the `ParquetColumn` it maps to.
///
/// Foreign files hold types homer does not write; the reader maps them to the nearest `ParquetType` without losing
/// information: FLOAT is widened to `.double` (exact), timestamps in millis or nanos stay in their unit as `.int64`
/// (see `timeUnit`), narrow and unsigned integers keep their stored bits as `.int32`/`.int64`, INT96 and
/// FIXED_LEN_BYTE_ARRAY are exposed as `.binary` bytes.
public struct ParquetColumnInfo: Sendable, Hashable {
    /// Unit of a TIMESTAMP column's stored integers.
    public enum TimeUnit: String, Sendable, Hashable { case millis, micros, nanos }

    /// The column as the reader exposes it (`scan` returns values of `column.type`'s `ColumnValues` case).
    public var column: ParquetColumn
    /// Position of the leaf in the file's schema.
    public var index: Int
    /// The Parquet physical type name (BOOLEAN, INT32, INT64, INT96, FLOAT, DOUBLE, BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY).
    public var physicalType: String
    /// Set for TIMESTAMP columns (logical type or legacy converted type).
    public var timeUnit: TimeUnit?
    /// TIMESTAMP's isAdjustedToUTC (DuckDB reads true as TIMESTAMPTZ).
    public var isAdjustedToUTC: Bool?
    /// True for unsigned logical integers: compare and interpret the stored bits as unsigned.
    public var isUnsigned: Bool

    /// Column name.
    public var name: String { column.name }
}

extension ParquetColumnInfo {
    /// Builds the description of schema leaf `e` at position `index`; throws for leaves this reader cannot expose.
    init(element e: SchemaElement, index: Int) throws(ParquetError) {
        guard let physical = e.type else { throw ParquetError(.corruptFile, "leaf \(e.name) has no type") }
        var type: ParquetType
        var unit: TimeUnit?
        var utc: Bool?
        var unsigned = false
        if let t = ParquetType(element: e) {
            type = t
        } else {
            switch physical {
            case .boolean: type = .boolean
            case .int32: type = .int32
            case .int64: type = .int64
            case .float, .double: type = .double
            case .byteArray, .fixedLenByteArray, .int96: type = .binary
            default: throw ParquetError(.unsupported, "column \(e.name): physical type \(physical)")
            }
        }
        switch e.logicalType {
        case .timestamp(let isUTC, let u)?:
            utc = isUTC
            unit = switch u { case .millis: .millis; case .micros: .micros; case .nanos: .nanos }
        case .integer(_, let signed)?:
            unsigned = !signed
        case .string?, .json?, .enum?:
            if physical == .byteArray { type = .string }
        default:
            break
        }
        if e.logicalType == nil, let c = e.convertedType {
            switch c {
            case .timestampMillis: unit = .millis; utc = true
            case .timestampMicros: unit = .micros; utc = true
            case .uint8, .uint16, .uint32, .uint64: unsigned = true
            default: break
            }
        }
        if unit == .micros, physical == .int64 { type = .timestampMicros }
        self.init(column: ParquetColumn(name: e.name, type: type, optional: e.repetitionType != .required,
                                        fieldID: e.fieldID),
                  index: index, physicalType: physical.description, timeUnit: unit, isAdjustedToUTC: utc,
                  isUnsigned: unsigned)
    }
}
