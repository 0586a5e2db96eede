/// Compact-protocol type ids (thrift-compact-protocol.md, "Struct encoding"): the low nibble of a field header and
/// of a list header.
enum ThriftType: UInt8, Sendable {
    case stop = 0
    /// In a field header the type nibble carries a bool's value: 1 = true, 2 = false. As a list element type both
    /// 1 and 2 occur in the wild (arrow-rs `parquet_thrift.rs` accepts either).
    case boolTrue = 1
    case boolFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
}
