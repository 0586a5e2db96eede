/// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY decoding (Encodings.md, encodings 6 and 7).
///
/// DELTA_LENGTH_BYTE_ARRAY: all lengths as one DELTA_BINARY_PACKED stream, then the bytes concatenated.
/// DELTA_BYTE_ARRAY: prefix lengths (DBP), then the suffixes as DELTA_LENGTH_BYTE_ARRAY; each value is the first
/// `prefix` bytes of the previous value followed by its suffix.
enum DeltaByteArrayDecoder {
    /// With `only` (ascending value positions), the other values are appended empty: their bytes are skipped, not
    /// copied (the caller reads just those positions).
    static func decodeLengthPrefixed(_ cursor: inout DecoderCursor, count: Int, into sink: inout ValueSink,
                                     only: [Int]? = nil) throws {
        let lengths = try DeltaBinaryPackedDecoder.decode(&cursor, limit: count)
        guard lengths.count >= count else {
            throw ParquetError(.corruptPage, "DELTA_LENGTH_BYTE_ARRAY has \(lengths.count) lengths, need \(count)")
        }
        sink.reserve(count)
        let base = cursor.base
        var next = only.map { $0.makeIterator() }
        var wanted = next?.next()
        for i in 0..<count {
            let length = lengths[i]
            guard length >= 0, length <= Int64(cursor.remaining) else {
                throw ParquetError(.corruptPage, "DELTA_LENGTH_BYTE_ARRAY length \(length) out of range")
            }
            if next == nil || wanted == i {
                sink.appendBytes(base, from: cursor.position, count: Int(length))
                wanted = next?.next()
            } else {
                sink.offsets.append(sink.data.count)
            }
            cursor.position += Int(length)
        }
    }

    static func decodeIncremental(_ cursor: inout DecoderCursor, count: Int, into sink: inout ValueSink) throws {
        let prefixes = try DeltaBinaryPackedDecoder.decode(&cursor, limit: count)
        var suffixes = ValueSink(shape: .bytes)
        try decodeLengthPrefixed(&cursor, count: count, into: &suffixes)
        guard prefixes.count >= count else {
            throw ParquetError(.corruptPage, "DELTA_BYTE_ARRAY has \(prefixes.count) prefixes, need \(count)")
        }
        sink.reserve(count)
        var previous: [UInt8] = []
        var current: [UInt8] = []
        for i in 0..<count {
            let prefix = prefixes[i]
            guard prefix >= 0, prefix <= Int64(previous.count) else {
                throw ParquetError(.corruptPage, "DELTA_BYTE_ARRAY prefix \(prefix) longer than the previous value")
            }
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: previous[0..<Int(prefix)])
            current.append(contentsOf: suffixes.data[suffixes.offsets[i]..<suffixes.offsets[i + 1]])
            sink.data.append(contentsOf: current)
            sink.offsets.append(sink.data.count)
            swap(&previous, &current)
        }
    }
}
