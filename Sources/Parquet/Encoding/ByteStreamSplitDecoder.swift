/// BYTE_STREAM_SPLIT decoding (Encodings.md "Byte Stream Split (BYTE_STREAM_SPLIT = 9)"): for values of W bytes,
/// W streams of N bytes; byte k of value i is at `k * N + i`. N is the number of non-null values in the page.
enum ByteStreamSplitDecoder {
    static func decode(_ cursor: inout DecoderCursor, kind: PhysicalKind, count: Int, into sink: inout ValueSink) throws {
        guard let width = kind.fixedWidth, kind != .int96 else {
            throw ParquetError(.unsupported, "BYTE_STREAM_SPLIT for \(kind)")
        }
        try cursor.require(count * width, "BYTE_STREAM_SPLIT values")
        // Streams span the whole value section: N is implied by its length when the page holds exactly N values.
        let n = count
        let base = cursor.base, start = cursor.position
        sink.reserve(count)
        var scratch = [UInt8](repeating: 0, count: width)
        for i in 0..<n {
            var bits: UInt64 = 0
            if width <= 8 {
                for k in 0..<width { bits |= UInt64(base[start + k * n + i]) << UInt64(8 * k) }
            }
            switch kind {
            case .int32: sink.int32s.append(Int32(truncatingIfNeeded: bits))
            case .int64: sink.int64s.append(Int64(bitPattern: bits))
            case .float: sink.doubles.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))))
            case .double: sink.doubles.append(Double(bitPattern: bits))
            default:
                for k in 0..<width { scratch[k] = base[start + k * n + i] }
                sink.data.append(contentsOf: scratch)
                sink.offsets.append(sink.data.count)
            }
        }
        cursor.position += count * width
    }
}
