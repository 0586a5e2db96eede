/// How the values of one column are ordered (parquet.thrift `ColumnOrder` / TYPE_DEFINED_ORDER and the sort order
/// table in LogicalTypes.md), and comparison of a predicate value with a column value in that order.
enum ValueOrder: Sendable, Equatable {
    /// Signed integers, booleans (false < true), dates and timestamps.
    case signed
    /// Unsigned logical integer types: compare the stored bits as unsigned.
    case unsigned
    /// FLOAT/DOUBLE: numeric; NaN is unordered (any comparison with it is unknown).
    case floating
    /// BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY: unsigned byte-wise lexicographic (pitfall 2 of the research notes).
    case bytes
    /// No usable order (INT96, undefined column order): statistics only help through null counts.
    case none

    /// Compares `a` with `b`: negative, zero or positive; nil when the two cannot be compared (kind mismatch, NaN, or
    /// no order).
    func compare(_ a: ParquetValue, _ b: ParquetValue) -> Int? {
        switch self {
        case .none:
            return nil
        case .bytes:
            guard case .bytes(let x) = a, case .bytes(let y) = b else { return nil }
            return ValueOrder.compareBytes(x, y)
        case .unsigned:
            guard let x = ValueOrder.unsignedBits(a), let y = ValueOrder.unsignedBits(b) else { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        case .signed, .floating:
            switch (a, b) {
            case (.boolean(let x), .boolean(let y)):
                return x == y ? 0 : (x ? 1 : -1)
            case (.double(let x), .double(let y)):
                if x.isNaN || y.isNaN { return nil }
                return x < y ? -1 : (x == y ? 0 : 1)
            case (.double(let x), _):
                guard let y = ValueOrder.integer(b) else { return nil }
                return ValueOrder.compare(integer: y, double: x).map { -$0 }
            case (_, .double(let y)):
                guard let x = ValueOrder.integer(a) else { return nil }
                return ValueOrder.compare(integer: x, double: y)
            default:
                guard let x = ValueOrder.integer(a), let y = ValueOrder.integer(b) else { return nil }
                return x < y ? -1 : (x == y ? 0 : 1)
            }
        }
    }

    static func integer(_ v: ParquetValue) -> Int64? {
        switch v {
        case .int32(let x): Int64(x)
        case .int64(let x): x
        default: nil
        }
    }

    static func unsignedBits(_ v: ParquetValue) -> UInt64? {
        switch v {
        case .int32(let x): UInt64(UInt32(bitPattern: x))
        case .int64(let x): UInt64(bitPattern: x)
        default: nil
        }
    }

    /// Exact comparison of an integer with a double (no rounding of large integers through Double).
    static func compare(integer i: Int64, double d: Double) -> Int? {
        if d.isNaN { return nil }
        if d >= 9_223_372_036_854_775_808.0 { return -1 }
        if d < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = d.rounded(.down)
        let w = Int64(whole)
        if i != w { return i < w ? -1 : 1 }
        return whole == d ? 0 : -1
    }

    /// Unsigned lexicographic comparison of byte strings.
    static func compareBytes(_ x: [UInt8], _ y: [UInt8]) -> Int {
        let n = min(x.count, y.count)
        var i = 0
        while i < n {
            if x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
            i += 1
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}
