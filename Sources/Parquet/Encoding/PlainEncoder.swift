/// PLAIN encoding (Encodings.md §Plain): fixed-width values little-endian, BYTE_ARRAY as u32 LE length + bytes,
/// BOOLEAN bit-packed LSB-first.
enum PlainEncoder {
    /// Appends fixed-width integers (INT32/INT64) or the bit patterns of doubles.
    static func append<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, into out: inout [UInt8]) {
        let bytes = values.count * MemoryLayout<T>.size
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bytes))
        out.withUnsafeMutableBytes { dst in
            // Little-endian host (x86-64, arm64): the in-memory layout is already the PLAIN layout.
            #if _endian(little)
            dst.baseAddress!.advanced(by: start).copyMemory(from: values.baseAddress!, byteCount: bytes)
            #else
            for (i, v) in values.enumerated() {
                dst.storeBytes(of: v.littleEndian, toByteOffset: start + i * MemoryLayout<T>.size, as: T.self)
            }
            #endif
        }
    }

    /// Appends doubles.
    static func append(_ values: UnsafeBufferPointer<Double>, into out: inout [UInt8]) {
        values.withMemoryRebound(to: UInt64.self) { append($0, into: &out) }
    }

    /// Appends byte arrays `indices` of `arrays` (or all when nil) with their u32 length prefixes.
    static func append(_ arrays: ByteArrays, range: Range<Int>, into out: inout [UInt8]) {
        let dataBytes = Int(arrays.offsets[range.upperBound] - arrays.offsets[range.lowerBound])
        out.reserveCapacity(out.count + dataBytes + 4 * range.count)
        arrays.data.withUnsafeBufferPointer { data in
            for i in range {
                let a = Int(arrays.offsets[i]), b = Int(arrays.offsets[i + 1])
                let n = UInt32(b - a)
                out.append(UInt8(truncatingIfNeeded: n))
                out.append(UInt8(truncatingIfNeeded: n >> 8))
                out.append(UInt8(truncatingIfNeeded: n >> 16))
                out.append(UInt8(truncatingIfNeeded: n >> 24))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: data[a..<b]))
            }
        }
    }

    /// Appends booleans bit-packed, LSB first, padded to a whole byte.
    static func append(_ values: UnsafeBufferPointer<Bool>, into out: inout [UInt8]) {
        var byte: UInt8 = 0
        var bit = 0
        for v in values {
            if v { byte |= 1 << bit }
            bit += 1
            if bit == 8 {
                out.append(byte)
                byte = 0
                bit = 0
            }
        }
        if bit > 0 { out.append(byte) }
    }
}
