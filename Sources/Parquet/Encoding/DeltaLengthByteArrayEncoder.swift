/// DELTA_LENGTH_BYTE_ARRAY (Encodings.md §Delta-length byte array): all lengths DELTA_BINARY_PACKED as INT32, then
/// all bytes back to back. Keeping the payload bytes contiguous (no interleaved length prefixes) helps the codec.
enum DeltaLengthByteArrayEncoder {
    /// Appends the encoding of values `range` of `arrays`.
    static func encode(_ arrays: ByteArrays, range: Range<Int>, into out: inout [UInt8]) {
        let bytes = encodeLengths(arrays, range: range, into: &out)
        arrays.data.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[bytes])) }
    }

    /// Appends only the lengths part of the encoding and returns the range of `arrays.data` that must follow it
    /// (the values' bytes, already back to back there), so a caller can hand both to the compressor uncopied.
    static func encodeLengths(_ arrays: ByteArrays, range: Range<Int>, into out: inout [UInt8]) -> Range<Int> {
        let lengths = [Int32](unsafeUninitializedCapacity: range.count) { buf, count in
            arrays.offsets.withUnsafeBufferPointer { o in
                var prev = o[range.lowerBound]
                for k in 0..<range.count {
                    let next = o[range.lowerBound + k + 1]
                    buf[k] = next - prev
                    prev = next
                }
            }
            count = range.count
        }
        lengths.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &out) }
        return Int(arrays.offsets[range.lowerBound])..<Int(arrays.offsets[range.upperBound])
    }
}
