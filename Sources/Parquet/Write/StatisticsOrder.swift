/// Comparison of PLAIN-encoded statistics values in a column's sort order (parquet.thrift ColumnOrder
/// TYPE_DEFINED_ORDER): signed for INT32/INT64 (dates, timestamps), IEEE for DOUBLE, false < true for BOOLEAN and
/// unsigned byte-wise for BYTE_ARRAY — never Swift's `String <` (pitfall 2).
enum StatisticsOrder {
    /// −1, 0 or 1.
    static func compare(_ a: [UInt8], _ b: [UInt8], _ type: ParquetType) -> Int {
        switch type {
        case .string, .binary:
            for k in 0..<min(a.count, b.count) where a[k] != b[k] { return a[k] < b[k] ? -1 : 1 }
            return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
        default:
            guard let x = ParquetValue(plain: a, type: type), let y = ParquetValue(plain: b, type: type) else {
                return 0
            }
            return compare(x, y)
        }
    }

    /// −1, 0 or 1 for two values of the same case (bytes unsigned, doubles IEEE with NaN equal to everything).
    static func compare(_ x: ParquetValue, _ y: ParquetValue) -> Int {
        switch (x, y) {
        case (.boolean(let a), .boolean(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.int32(let a), .int32(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.int64(let a), .int64(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.double(let a), .double(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.bytes(let a), .bytes(let b)): return a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
        default: return 0
        }
    }
}
