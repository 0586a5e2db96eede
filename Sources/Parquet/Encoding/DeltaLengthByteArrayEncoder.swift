/// DELTA_LENGTH_BYTE_ARRAY (Encodings.md §Delta-length byte array): all lengths DELTA_BINARY_PACKED as INT32, then
/// all bytes back to back. Keeping the payload bytes contiguous (no interleaved length prefixes) helps the codec.
enum DeltaLengthByteArrayEncoder {
    /// Appends the encoding of values `range` of `arrays`.
    static func encode(_ arrays: ByteArrays, range: Range<Int>, into out: inout [UInt8]) {
        var lengths = [Int32](repeating: 0, count: range.count)
        for (k, i) in range.enumerated() { lengths[k] = arrays.offsets[i + 1] - arrays.offsets[i] }
        lengths.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode($0, into: &out) }
        let a = Int(arrays.offsets[range.lowerBound]), b = Int(arrays.offsets[range.upperBound])
        arrays.data.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[a..<b])) }
    }
}
