/// Thrift compact protocol encoder (apache/thrift doc/specs/thrift-compact-protocol.md), just enough for
/// parquet.thrift: structs, i8/i16/i32/i64 (zigzag varints), bools folded into field headers, doubles (LE),
/// binary/string (varint length + bytes) and lists.
///
/// Each struct's `encode(to:)` calls `structBegin()` … `structEnd()`; the field-id delta is tracked per nesting
/// level so nested structs start again from 0 ("field id stack").
struct ThriftCompactWriter: Sendable {
    /// The encoded bytes so far.
    var bytes: [UInt8]
    private var lastFieldID: Int16 = 0
    private var stack: [Int16] = []

    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Structs and fields

    mutating func structBegin() {
        stack.append(lastFieldID)
        lastFieldID = 0
    }

    mutating func structEnd() {
        bytes.append(ThriftType.stop.rawValue)
        lastFieldID = stack.popLast() ?? 0
    }

    /// Short form `(delta << 4) | type` when the id grows by 1…15, else the type byte and the zigzag i16 id.
    mutating func fieldHeader(_ id: Int16, _ type: ThriftType) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta << 4) | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeVarint(zigzag(Int64(id)))
        }
        lastFieldID = id
    }

    mutating func writeBool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func writeI8(_ id: Int16, _ value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func writeI16(_ id: Int16, _ value: Int16) {
        fieldHeader(id, .i16)
        writeVarint(zigzag(Int64(value)))
    }

    mutating func writeI32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        writeVarint(zigzag(Int64(value)))
    }

    mutating func writeI64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        writeVarint(zigzag(value))
    }

    mutating func writeDouble(_ id: Int16, _ value: Double) {
        fieldHeader(id, .double)
        writeRawDouble(value)
    }

    mutating func writeBinary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        writeRawBinary(value)
    }

    mutating func writeString(_ id: Int16, _ value: String) {
        fieldHeader(id, .binary)
        writeRawBinary(Array(value.utf8))
    }

    mutating func writeStruct(_ id: Int16, _ value: some ThriftStruct) {
        fieldHeader(id, .struct)
        value.encode(to: &self)
    }

    /// An empty struct as a union member (e.g. `LogicalType.STRING`, `ColumnOrder.TYPE_ORDER`): header + stop.
    mutating func writeEmptyStruct(_ id: Int16) {
        fieldHeader(id, .struct)
        bytes.append(ThriftType.stop.rawValue)
    }

    // MARK: - Lists

    /// Size ≤ 14 goes in the high nibble; otherwise `0xF0 | type` followed by a varint size.
    mutating func listHeader(_ elementType: ThriftType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count << 4) | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            writeVarint(UInt64(count))
        }
    }

    mutating func writeStructList<T: ThriftStruct>(_ id: Int16, _ values: [T]) {
        fieldHeader(id, .list)
        listHeader(.struct, count: values.count)
        for v in values { v.encode(to: &self) }
    }

    mutating func writeI32List(_ id: Int16, _ values: [Int32]) {
        fieldHeader(id, .list)
        listHeader(.i32, count: values.count)
        for v in values { writeVarint(zigzag(Int64(v))) }
    }

    mutating func writeI64List(_ id: Int16, _ values: [Int64]) {
        fieldHeader(id, .list)
        listHeader(.i64, count: values.count)
        for v in values { writeVarint(zigzag(v)) }
    }

    /// Bool list elements are one byte each; we write 1 for true and 2 for false as the spec says (readers accept 0).
    mutating func writeBoolList(_ id: Int16, _ values: [Bool]) {
        fieldHeader(id, .list)
        listHeader(.boolTrue, count: values.count)
        for v in values { bytes.append(v ? 1 : 2) }
    }

    mutating func writeBinaryList(_ id: Int16, _ values: [[UInt8]]) {
        fieldHeader(id, .list)
        listHeader(.binary, count: values.count)
        for v in values { writeRawBinary(v) }
    }

    mutating func writeStringList(_ id: Int16, _ values: [String]) {
        fieldHeader(id, .list)
        listHeader(.binary, count: values.count)
        for v in values { writeRawBinary(Array(v.utf8)) }
    }

    // MARK: - Raw values

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeRawBinary(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func writeRawDouble(_ value: Double) {
        let bits = value.bitPattern
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
    }

    @inline(__always)
    func zigzag(_ v: Int64) -> UInt64 {
        UInt64(bitPattern: (v << 1) ^ (v >> 63))
    }
}

/// A parquet.thrift structure with a symmetric encoder and decoder (the LevelDB `EncodeTo`/`DecodeFrom` shape).
protocol ThriftStruct: Sendable {
    /// Decodes one struct; skips unknown fields; throws on malformed input or a missing required field.
    init(from reader: inout ThriftCompactReader) throws(ParquetError)
    /// Appends the struct, including its stop byte.
    func encode(to writer: inout ThriftCompactWriter)
}

extension ThriftStruct {
    /// The compact-protocol bytes of this struct alone.
    func thriftBytes() -> [UInt8] {
        var w = ThriftCompactWriter()
        encode(to: &w)
        return w.bytes
    }

    /// Decodes a struct from `bytes` starting at `offset`; returns it and the number of bytes consumed
    /// (a page header's length is only known this way).
    static func decode(_ bytes: [UInt8], offset: Int = 0) throws(ParquetError) -> (value: Self, length: Int) {
        var r = ThriftCompactReader(bytes, offset: offset)
        let v = try Self(from: &r)
        return (v, r.position - offset)
    }
}
