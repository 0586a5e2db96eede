/// A bounds-checked read position over page bytes, used by every decoder.
///
/// Every read past `end` throws `ParquetError(.corruptPage)`: decoders never index out of range, whatever the input.
/// The buffer must outlive the cursor (decoders run inside `withUnsafeBytes` of the page buffer).
struct DecoderCursor {
    let base: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    init(_ base: UnsafeRawBufferPointer, from start: Int = 0, to end: Int? = nil) {
        self.base = base
        let e = min(end ?? base.count, base.count)
        self.end = max(e, 0)
        self.position = min(max(start, 0), self.end)
    }

    var remaining: Int { end - position }

    /// Throws unless `n` more bytes are available.
    @inline(__always)
    func require(_ n: Int, _ what: @autoclosure () -> String = "value") throws {
        guard n >= 0, n <= end - position else {
            throw ParquetError(.corruptPage, "\(what()) needs \(n) bytes, \(end - position) left")
        }
    }

    @inline(__always)
    mutating func skip(_ n: Int) throws {
        try require(n)
        position += n
    }

    @inline(__always)
    mutating func byte() throws -> UInt8 {
        try require(1)
        let b = base[position]
        position += 1
        return b
    }

    /// Unsigned LEB128 varint, at most 10 bytes (thrift-compact-protocol.md "Integer encoding").
    mutating func uleb() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63 && b > 1 { throw ParquetError(.corruptPage, "varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw ParquetError(.corruptPage, "varint longer than 10 bytes") }
        }
    }

    /// A ULEB128 that must fit a non-negative Int no larger than `limit`.
    mutating func count(limit: Int = Int(Int32.max), _ what: String) throws -> Int {
        let v = try uleb()
        guard v <= UInt64(limit) else { throw ParquetError(.corruptPage, "\(what) \(v) exceeds \(limit)") }
        return Int(v)
    }

    /// Zigzag-encoded signed varint.
    mutating func zigzag() throws -> Int64 {
        let v = try uleb()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    mutating func le32() throws -> UInt32 {
        try require(4)
        let v = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position += 4
        return v
    }

    /// Reads `width` bits starting `bitOffset` bits after byte `byteStart`, LSB-first (Encodings.md "Bit-packed").
    /// The caller guarantees the bits lie inside the buffer.
    @inline(__always)
    static func bits(_ base: UnsafeRawBufferPointer, byteStart: Int, bitOffset: Int, width: Int) -> UInt64 {
        if width == 0 { return 0 }
        let byte = byteStart + bitOffset >> 3
        let shift = bitOffset & 7
        var word: UInt64
        if byte + 8 <= base.count {
            word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
        } else {
            word = 0
            var i = 0
            while byte + i < base.count && i < 8 {
                word |= UInt64(base[byte + i]) << UInt64(8 * i)
                i += 1
            }
        }
        var v = word >> UInt64(shift)
        if shift + width > 64 && byte + 8 < base.count {
            v |= UInt64(base[byte + 8]) << UInt64(64 - shift)
        }
        return width == 64 ? v : v & ((1 << UInt64(width)) - 1)
    }
}
