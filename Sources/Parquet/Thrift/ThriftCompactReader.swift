/// Thrift compact protocol decoder for parquet.thrift structures.
///
/// Robustness rules (research notes §2.2, pitfall 10): unknown field ids are skipped, nesting depth is capped,
/// every length is checked against the bytes left, varints longer than 10 bytes are rejected, and every malformed
/// input surfaces as `ParquetError(.malformedThrift)` or `.truncated`, never as a trap.
struct ThriftCompactReader: Sendable {
    /// Maximum struct/list nesting accepted (parquet.thrift needs about 6).
    static let maxDepth = 64

    let bytes: [UInt8]
    /// Index of the next unread byte.
    private(set) var position: Int
    private var lastFieldID: Int16 = 0
    private var stack: [Int16] = []
    private var depth = 0

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.position = offset
    }

    var remaining: Int { bytes.count - position }

    // MARK: - Structs and fields

    mutating func structBegin() throws(ParquetError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw ParquetError(.malformedThrift, "nesting deeper than \(Self.maxDepth)") }
        stack.append(lastFieldID)
        lastFieldID = 0
    }

    mutating func structEnd() {
        depth -= 1
        lastFieldID = stack.popLast() ?? 0
    }

    /// The next field's id and compact type, or nil at the struct's stop byte.
    mutating func fieldHeader() throws(ParquetError) -> (id: Int16, type: UInt8)? {
        let b = try readByte()
        if b == 0 { return nil }
        let type = b & 0x0F
        guard type <= ThriftType.struct.rawValue else {
            throw ParquetError(.malformedThrift, "field type \(type) at \(position - 1)")
        }
        let delta = Int16(b >> 4)
        let id: Int16
        if delta != 0 {
            let (sum, overflow) = lastFieldID.addingReportingOverflow(delta)
            guard !overflow else { throw ParquetError(.malformedThrift, "field id overflow") }
            id = sum
        } else {
            id = try readI16()
        }
        lastFieldID = id
        return (id, type)
    }

    /// Throws unless the field's wire type is the expected one (a type mismatch means corrupt metadata).
    @inline(__always)
    func expect(_ type: UInt8, _ expected: ThriftType, _ what: StaticString) throws(ParquetError) {
        let ok = expected == .boolTrue ? (type == 1 || type == 2) : type == expected.rawValue
        guard ok else { throw ParquetError(.malformedThrift, "\(what): wire type \(type), expected \(expected)") }
    }

    // MARK: - Values

    /// A bool field's value lives in its header's type nibble.
    func boolValue(fieldType: UInt8) throws(ParquetError) -> Bool {
        switch fieldType {
        case 1: return true
        case 2: return false
        default: throw ParquetError(.malformedThrift, "bool field with type \(fieldType)")
        }
    }

    mutating func readByte() throws(ParquetError) -> UInt8 {
        guard position < bytes.count else { throw ParquetError(.truncated, "thrift input ends at \(position)") }
        let b = bytes[position]
        position += 1
        return b
    }

    mutating func readVarint() throws(ParquetError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try readByte()
            if shift == 63 && b > 1 { throw ParquetError(.malformedThrift, "varint overflow") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ParquetError(.malformedThrift, "varint longer than 10 bytes") }
        }
    }

    mutating func readI64() throws(ParquetError) -> Int64 {
        let u = try readVarint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    mutating func readI32() throws(ParquetError) -> Int32 {
        let v = try readI64()
        guard let r = Int32(exactly: v) else { throw ParquetError(.malformedThrift, "i32 out of range: \(v)") }
        return r
    }

    mutating func readI16() throws(ParquetError) -> Int16 {
        let v = try readI64()
        guard let r = Int16(exactly: v) else { throw ParquetError(.malformedThrift, "i16 out of range: \(v)") }
        return r
    }

    mutating func readI8() throws(ParquetError) -> Int8 {
        Int8(bitPattern: try readByte())
    }

    mutating func readDouble() throws(ParquetError) -> Double {
        guard remaining >= 8 else { throw ParquetError(.truncated, "double at \(position)") }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += 8
        return Double(bitPattern: bits)
    }

    mutating func readBinary() throws(ParquetError) -> [UInt8] {
        let n = try readVarint()
        guard n <= UInt64(remaining) else {
            throw ParquetError(.truncated, "binary of \(n) bytes with \(remaining) left")
        }
        let r = Array(bytes[position..<position + Int(n)])
        position += Int(n)
        return r
    }

    /// Strings are decoded leniently (invalid UTF-8 becomes U+FFFD): names and created_by are informational.
    mutating func readString() throws(ParquetError) -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    // MARK: - Lists

    /// A list header: element type and count. The count is capped by the bytes left (every element takes at
    /// least one byte), which bounds allocation on hostile input.
    mutating func listHeader() throws(ParquetError) -> (type: UInt8, count: Int) {
        let b = try readByte()
        let type = b & 0x0F
        guard type != 0, type <= ThriftType.struct.rawValue else {
            throw ParquetError(.malformedThrift, "list element type \(type)")
        }
        var count = UInt64(b >> 4)
        if count == 15 { count = try readVarint() }
        guard count <= UInt64(remaining) else {
            throw ParquetError(.truncated, "list of \(count) elements with \(remaining) bytes left")
        }
        return (type, Int(count))
    }

    mutating func readList<T>(_ expected: ThriftType, _ what: StaticString,
                              _ element: (inout ThriftCompactReader) throws(ParquetError) -> T) throws(ParquetError) -> [T] {
        let (type, count) = try listHeader()
        try expect(type, expected, what)
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw ParquetError(.malformedThrift, "nesting deeper than \(Self.maxDepth)") }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try element(&self)) }
        return out
    }

    mutating func readStructList<T: ThriftStruct>(_ what: StaticString) throws(ParquetError) -> [T] {
        try readList(.struct, what) { (r: inout ThriftCompactReader) throws(ParquetError) in try T(from: &r) }
    }

    mutating func readI32List(_ what: StaticString) throws(ParquetError) -> [Int32] {
        try readList(.i32, what) { (r: inout ThriftCompactReader) throws(ParquetError) in try r.readI32() }
    }

    mutating func readI64List(_ what: StaticString) throws(ParquetError) -> [Int64] {
        try readList(.i64, what) { (r: inout ThriftCompactReader) throws(ParquetError) in try r.readI64() }
    }

    mutating func readBinaryList(_ what: StaticString) throws(ParquetError) -> [[UInt8]] {
        try readList(.binary, what) { (r: inout ThriftCompactReader) throws(ParquetError) in try r.readBinary() }
    }

    mutating func readStringList(_ what: StaticString) throws(ParquetError) -> [String] {
        try readList(.binary, what) { (r: inout ThriftCompactReader) throws(ParquetError) in try r.readString() }
    }

    /// Bool list elements are one byte: 1 is true; 0 and 2 are false (both conventions exist).
    mutating func readBoolList(_ what: StaticString) throws(ParquetError) -> [Bool] {
        try readList(.boolTrue, what) { (r: inout ThriftCompactReader) throws(ParquetError) in
            let b = try r.readByte()
            guard b <= 2 else { throw ParquetError(.malformedThrift, "bool list element \(b)") }
            return b == 1
        }
    }

    // MARK: - Skipping

    /// Skips a field's value of compact type `type`. Bool fields have no value bytes.
    mutating func skip(_ type: UInt8) throws(ParquetError) {
        try skip(type, inList: false)
    }

    private mutating func skip(_ type: UInt8, inList: Bool) throws(ParquetError) {
        switch type {
        case 1, 2:
            if inList { _ = try readByte() }
        case 3:
            _ = try readByte()
        case 4, 5, 6:
            _ = try readVarint()
        case 7:
            guard remaining >= 8 else { throw ParquetError(.truncated, "double at \(position)") }
            position += 8
        case 8:
            let n = try readVarint()
            guard n <= UInt64(remaining) else { throw ParquetError(.truncated, "binary of \(n) bytes") }
            position += Int(n)
        case 9, 10:
            let (elementType, count) = try listHeader()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw ParquetError(.malformedThrift, "nesting too deep") }
            for _ in 0..<count { try skip(elementType, inList: true) }
        case 11:
            let count = try readVarint()
            guard count <= UInt64(remaining) else { throw ParquetError(.truncated, "map of \(count) entries") }
            if count > 0 {
                let kv = try readByte()
                let (k, v) = (kv >> 4, kv & 0x0F)
                guard k != 0, v != 0, k <= 12, v <= 12 else { throw ParquetError(.malformedThrift, "map types \(kv)") }
                depth += 1
                defer { depth -= 1 }
                guard depth <= Self.maxDepth else { throw ParquetError(.malformedThrift, "nesting too deep") }
                for _ in 0..<count {
                    try skip(k, inList: true)
                    try skip(v, inList: true)
                }
            }
        case 12:
            try structBegin()
            while let f = try fieldHeader() { try skip(f.type, inList: false) }
            structEnd()
        default:
            throw ParquetError(.malformedThrift, "cannot skip type \(type)")
        }
    }
}
