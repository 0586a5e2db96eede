/// The values of one column of a batch, one slot per row (null slots hold an arbitrary value).
public enum ColumnValues: Sendable, Hashable {
    /// `.boolean` columns.
    case boolean([Bool])
    /// `.int32` and `.date` (days since epoch) columns.
    case int32([Int32])
    /// `.int64` and `.timestampMicros` (µs since epoch) columns.
    case int64([Int64])
    /// `.double` columns.
    case double([Double])
    /// `.string` and `.binary` columns.
    case bytes(ByteArrays)

    /// The case without its payload.
    public enum Kind: Sendable, Hashable {
        case boolean, int32, int64, double, bytes
    }

    /// Which case this is.
    public var kind: Kind {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .double: .double
        case .bytes: .bytes
        }
    }

    /// Number of slots (rows).
    public var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .double(let v): v.count
        case .bytes(let v): v.count
        }
    }

    /// Slot `i` as a `ParquetValue` (ignores validity).
    public func value(at i: Int) -> ParquetValue {
        switch self {
        case .boolean(let v): .boolean(v[i])
        case .int32(let v): .int32(v[i])
        case .int64(let v): .int64(v[i])
        case .double(let v): .double(v[i])
        case .bytes(let v): .bytes(Array(v[i]))
        }
    }
}
