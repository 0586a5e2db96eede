/// A single value, used for statistics and predicates. `.int32` also carries dates, `.int64` timestamps, `.bytes`
/// strings (UTF-8) and binaries.
public enum ParquetValue: Sendable, Hashable {
    case boolean(Bool)
    case int32(Int32)
    case int64(Int64)
    case double(Double)
    case bytes([UInt8])

    /// A string value (its UTF-8 bytes).
    public static func string(_ s: String) -> ParquetValue { .bytes(Array(s.utf8)) }

    /// The PLAIN encoding of the value without a length prefix: what statistics store and what the bloom filter
    /// hashes (BloomFilter.md).
    public var plainBytes: [UInt8] {
        switch self {
        case .boolean(let b): return [b ? 1 : 0]
        case .int32(let v): return withUnsafeBytes(of: v.littleEndian) { Array($0) }
        case .int64(let v): return withUnsafeBytes(of: v.littleEndian) { Array($0) }
        case .double(let v): return withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) }
        case .bytes(let b): return b
        }
    }

    /// Decodes a statistics value (PLAIN bytes, no length prefix) of a column of `type`; nil when the size is wrong.
    public init?(plain bytes: [UInt8], type: ParquetType) {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            var v: T = 0
            for (i, b) in bytes.enumerated() { v |= T(truncatingIfNeeded: b) << (8 * i) }
            return v
        }
        switch type {
        case .boolean:
            guard bytes.count == 1 else { return nil }
            self = .boolean(bytes[0] != 0)
        case .int32, .date:
            guard let v = load(Int32.self) else { return nil }
            self = .int32(v)
        case .int64, .timestampMicros:
            guard let v = load(Int64.self) else { return nil }
            self = .int64(v)
        case .double:
            guard let v = load(UInt64.self) else { return nil }
            self = .double(Double(bitPattern: v))
        case .string, .binary:
            self = .bytes(bytes)
        }
    }
}
