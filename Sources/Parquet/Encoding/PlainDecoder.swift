/// PLAIN decoding (Encodings.md "Plain: (PLAIN = 0)"): little-endian fixed-width values, BYTE_ARRAY as a u32 LE length
/// followed by the bytes, BOOLEAN bit-packed LSB-first.
enum PlainDecoder {
    /// Appends `count` values read from `cursor` to `sink`.
    static func decode(_ cursor: inout DecoderCursor, kind: PhysicalKind, count: Int, into sink: inout ValueSink) throws {
        sink.reserve(count)
        let base = cursor.base
        switch kind {
        case .boolean:
            try cursor.require((count + 7) / 8, "PLAIN booleans")
            let start = cursor.position
            for i in 0..<count { sink.booleans.append(base[start + i >> 3] >> UInt8(i & 7) & 1 == 1) }
            cursor.position += (count + 7) / 8
        case .int32:
            try cursor.require(count * 4, "PLAIN INT32")
            let p = cursor.position
            for i in 0..<count {
                sink.int32s.append(Int32(littleEndian: base.loadUnaligned(fromByteOffset: p + 4 * i, as: Int32.self)))
            }
            cursor.position += count * 4
        case .int64:
            try cursor.require(count * 8, "PLAIN INT64")
            let p = cursor.position
            for i in 0..<count {
                sink.int64s.append(Int64(littleEndian: base.loadUnaligned(fromByteOffset: p + 8 * i, as: Int64.self)))
            }
            cursor.position += count * 8
        case .float:
            try cursor.require(count * 4, "PLAIN FLOAT")
            let p = cursor.position
            for i in 0..<count {
                let bits = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p + 4 * i, as: UInt32.self))
                sink.doubles.append(Double(Float(bitPattern: bits)))
            }
            cursor.position += count * 4
        case .double:
            try cursor.require(count * 8, "PLAIN DOUBLE")
            let p = cursor.position
            for i in 0..<count {
                let bits = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: p + 8 * i, as: UInt64.self))
                sink.doubles.append(Double(bitPattern: bits))
            }
            cursor.position += count * 8
        case .byteArray:
            // Two passes: the value spans first (bounds checked), then one copy per value into storage grown once
            // (a dictionary page of Call-IDs or tags holds thousands of values).
            var spans: [(start: Int, length: Int)] = []
            spans.reserveCapacity(count)
            var total = 0
            for _ in 0..<count {
                let length = Int(try cursor.le32())
                try cursor.require(length, "PLAIN BYTE_ARRAY")
                spans.append((cursor.position, length))
                total += length
                cursor.position += length
            }
            sink.appendBytes(base, spans: spans, total: total)
        case .int96, .fixedLenByteArray:
            let width = kind.fixedWidth ?? 0
            guard width > 0 else { throw ParquetError(.corruptFile, "FIXED_LEN_BYTE_ARRAY without a length") }
            try cursor.require(count * width, "PLAIN fixed-width bytes")
            for _ in 0..<count {
                sink.appendBytes(base, from: cursor.position, count: width)
                cursor.position += width
            }
        }
    }
}
