/// The column types homer stores. Each maps to one physical type plus annotations (research notes §2.4).
public enum ParquetType: Sendable, Hashable, CaseIterable {
    /// BOOLEAN; values `.boolean`.
    case boolean
    /// INT32, signed; values `.int32`.
    case int32
    /// INT64, signed; values `.int64`.
    case int64
    /// DOUBLE; values `.double`.
    case double
    /// BYTE_ARRAY annotated STRING/UTF8; values `.bytes` holding valid UTF-8 (DuckDB rejects invalid UTF-8 here).
    case string
    /// BYTE_ARRAY without annotation (DuckDB BLOB, pyarrow binary); values `.bytes`.
    case binary
    /// INT64 TIMESTAMP(MICROS, isAdjustedToUTC=false): microseconds since 1970-01-01 00:00:00 in UTC wall time, read
    /// by DuckDB as TIMESTAMP (not TIMESTAMPTZ); values `.int64`.
    case timestampMicros
    /// INT32 DATE: days since 1970-01-01; values `.int32`.
    case date
}

extension ParquetType {
    /// The Parquet physical type.
    var physicalType: PhysicalType {
        switch self {
        case .boolean: .boolean
        case .int32, .date: .int32
        case .int64, .timestampMicros: .int64
        case .double: .double
        case .string, .binary: .byteArray
        }
    }

    /// The LogicalType annotation written in the schema.
    var logicalType: LogicalType? {
        switch self {
        case .string: .string
        case .date: .date
        case .timestampMicros: .timestamp(isAdjustedToUTC: false, unit: .micros)
        default: nil
        }
    }

    /// The legacy ConvertedType. TIMESTAMP_MICROS implies isAdjustedToUTC=true (LogicalTypes.md), so none is written
    /// for our local-time timestamps.
    var convertedType: ConvertedType? {
        switch self {
        case .string: .utf8
        case .date: .date
        default: nil
        }
    }

    /// The `ColumnValues` case that carries this type.
    var valuesKind: ColumnValues.Kind {
        switch self {
        case .boolean: .boolean
        case .int32, .date: .int32
        case .int64, .timestampMicros: .int64
        case .double: .double
        case .string, .binary: .bytes
        }
    }

    /// Maps a schema leaf read from a file to a homer type, or nil when the leaf is something else (FLOAT, INT96,
    /// decimals, unsigned or narrow integers, TIMESTAMP in another unit, …) that a reader must handle on its own.
    init?(element e: SchemaElement) {
        guard let type = e.type else { return nil }
        switch type {
        case .boolean: self = .boolean
        case .int32:
            switch (e.logicalType, e.convertedType) {
            case (.date?, _), (nil, .date?): self = .date
            case (nil, nil), (.integer(32, true)?, _), (nil, .int32?): self = .int32
            default: return nil
            }
        case .int64:
            switch (e.logicalType, e.convertedType) {
            case (.timestamp(_, .micros)?, _), (nil, .timestampMicros?): self = .timestampMicros
            case (nil, nil), (.integer(64, true)?, _), (nil, .int64?): self = .int64
            default: return nil
            }
        case .double: self = .double
        case .byteArray:
            switch (e.logicalType, e.convertedType) {
            case (.string?, _), (nil, .utf8?), (.json?, _), (.enum?, _): self = .string
            case (nil, nil): self = .binary
            default: return nil
            }
        default: return nil
        }
    }
}
