/// DELTA_BINARY_PACKED (Encodings.md §Delta encoding) for INT32 and INT64:
///
///     header := varint(blockSize=128) varint(miniblocks=4) varint(totalCount) zigzag-varint(firstValue)
///     block  := zigzag-varint(minDelta) 4 × u8 bitWidth  miniblocks (32 values each, bitWidth bits, LSB first)
///
/// Deltas use the column type's wrapping arithmetic, so an INT32 column never needs more than 32 bits. Miniblocks
/// past the last value are omitted with width 0; the last used one is zero-padded (the spec's rules).
enum DeltaBinaryPackedEncoder {
    static let blockSize = 128
    static let miniblocks = 4
    static let miniblockSize = 32

    /// Appends the encoding of `values` to `out`.
    static func encode<T: FixedWidthInteger & SignedInteger>(_ values: UnsafeBufferPointer<T>,
                                                             into out: inout [UInt8]) where T.Magnitude: UnsignedInteger {
        RLEHybridEncoder.writeVarint(UInt64(blockSize), into: &out)
        RLEHybridEncoder.writeVarint(UInt64(miniblocks), into: &out)
        RLEHybridEncoder.writeVarint(UInt64(values.count), into: &out)
        let first = values.isEmpty ? 0 : Int64(values[0])
        RLEHybridEncoder.writeVarint(zigzag(first), into: &out)
        guard values.count > 1 else { return }
        var deltas = [T](repeating: 0, count: blockSize)
        var adjusted = [UInt64](repeating: 0, count: blockSize)
        var i = 1
        while i < values.count {
            let n = min(blockSize, values.count - i)
            var minDelta = T.max
            for k in 0..<n {
                let d = values[i + k] &- values[i + k - 1]
                deltas[k] = d
                if d < minDelta { minDelta = d }
            }
            for k in 0..<n {
                adjusted[k] = UInt64(T.Magnitude(truncatingIfNeeded: deltas[k] &- minDelta))
            }
            RLEHybridEncoder.writeVarint(zigzag(Int64(minDelta)), into: &out)
            let usedMiniblocks = (n + miniblockSize - 1) / miniblockSize
            var widths = [Int](repeating: 0, count: miniblocks)
            for m in 0..<usedMiniblocks {
                var maxV: UInt64 = 0
                for k in m * miniblockSize..<min(n, (m + 1) * miniblockSize) { maxV |= adjusted[k] }
                widths[m] = RLEHybridEncoder.bitWidth(maxV)
            }
            for w in widths { out.append(UInt8(w)) }
            for m in 0..<usedMiniblocks {
                pack(adjusted, from: m * miniblockSize, count: min(miniblockSize, n - m * miniblockSize),
                     bitWidth: widths[m], into: &out)
            }
            i += n
        }
    }

    @inline(__always)
    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    /// Packs one miniblock (32 slots, zero-padded) of `bitWidth`-bit values LSB first.
    private static func pack(_ values: [UInt64], from: Int, count: Int, bitWidth: Int, into out: inout [UInt8]) {
        guard bitWidth > 0 else { return }
        var acc: UInt64 = 0
        var bits = 0
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        for k in 0..<miniblockSize {
            let v = k < count ? values[from + k] & mask : 0
            // Emit in two halves so a 64-bit value never overflows the accumulator.
            var remaining = bitWidth
            var value = v
            while remaining > 0 {
                let take = min(remaining, 32)
                acc |= (value & ((1 << UInt64(take)) - 1)) << UInt64(bits)
                bits += take
                value >>= UInt64(take)
                remaining -= take
                while bits >= 8 {
                    out.append(UInt8(truncatingIfNeeded: acc))
                    acc >>= 8
                    bits -= 8
                }
            }
        }
        if bits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
    }
}
