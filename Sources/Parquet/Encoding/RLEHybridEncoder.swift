/// The RLE / bit-packing hybrid (Encodings.md §RLE), for definition levels and dictionary indices:
///
///     run := rle-run | bit-packed-run
///     rle-run        := varint(count << 1)          value in ceil(bitWidth / 8) bytes LE
///     bit-packed-run := varint(groups << 1 | 1)     groups × 8 values, bitWidth bits each, LSB first
///
/// Repeats of 8 or more become RLE runs; everything else is bit-packed in groups of 8 (the last group zero-padded;
/// readers stop at the page's value count). No length prefix is written here: v1 levels add it, indices do not.
enum RLEHybridEncoder {
    /// Number of bits needed for `maxValue` (0 for 0).
    static func bitWidth(_ maxValue: UInt64) -> Int { maxValue == 0 ? 0 : 64 - maxValue.leadingZeroBitCount }

    /// Appends the hybrid encoding of `values` (each < 2^bitWidth) to `out`.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into out: inout [UInt8]) {
        let n = values.count
        let valueBytes = (bitWidth + 7) / 8
        var i = 0
        @inline(__always) func runLength(at k: Int) -> Int {
            let v = values[k]
            var j = k + 1
            while j < n && values[j] == v { j += 1 }
            return j - k
        }
        while i < n {
            let run = runLength(at: i)
            if run >= 8 || bitWidth == 0 {
                let count = bitWidth == 0 ? n - i : run
                writeVarint(UInt64(count) << 1, into: &out)
                let v = values[i]
                for b in 0..<valueBytes { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(b)))) }
                i += count
                continue
            }
            // Bit-packed: take groups of 8 until a run of ≥ 8 starts at a group boundary or the input ends.
            var end = i
            repeat {
                end = min(end + 8, n)
            } while end < n && (end + 8 > n || runLength(at: end) < 8) && (end - i) / 8 < 1 << 20
            let groups = (end - i + 7) / 8
            writeVarint(UInt64(groups) << 1 | 1, into: &out)
            packBits(values, from: i, count: end - i, padTo: groups * 8, bitWidth: bitWidth, into: &out)
            i = end
        }
    }

    /// Bit-packs `count` values starting at `from`, LSB first, padding with zero values up to `padTo`.
    static func packBits(_ values: UnsafeBufferPointer<UInt32>, from: Int, count: Int, padTo: Int, bitWidth: Int,
                         into out: inout [UInt8]) {
        var acc: UInt64 = 0
        var bits = 0
        for k in 0..<padTo {
            let v = k < count ? UInt64(values[from + k]) : 0
            acc |= v << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: acc))
                acc >>= 8
                bits -= 8
            }
        }
        if bits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
    }

    /// Definition levels of a flat OPTIONAL column (bit width 1) for data page v1: u32 LE byte length, then the
    /// hybrid runs (Encodings.md: "the v1 data page levels are prefixed by their length").
    static func encodeDefinitionLevels(_ validity: UnsafeBufferPointer<Bool>, into out: inout [UInt8]) {
        let lengthAt = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        let n = validity.count
        var i = 0
        while i < n {
            let v = validity[i]
            var j = i + 1
            while j < n && validity[j] == v { j += 1 }
            if j - i >= 8 {
                writeVarint(UInt64(j - i) << 1, into: &out)
                out.append(v ? 1 : 0)
                i = j
                continue
            }
            var end = i
            repeat {
                end = min(end + 8, n)
            } while end < n && (end + 8 > n || !startsRun(validity, end))
            let groups = (end - i + 7) / 8
            writeVarint(UInt64(groups) << 1 | 1, into: &out)
            var k = i
            for _ in 0..<groups {
                var byte: UInt8 = 0
                for b in 0..<8 where k + b < end && validity[k + b] { byte |= 1 << b }
                out.append(byte)
                k += 8
            }
            i = end
        }
        let len = UInt32(out.count - lengthAt - 4)
        for b in 0..<4 { out[lengthAt + b] = UInt8(truncatingIfNeeded: len >> (8 * UInt32(b))) }
    }

    @inline(__always)
    private static func startsRun(_ v: UnsafeBufferPointer<Bool>, _ k: Int) -> Bool {
        guard k + 8 <= v.count else { return false }
        let x = v[k]
        for j in k + 1..<k + 8 where v[j] != x { return false }
        return true
    }

    @inline(__always)
    static func writeVarint(_ value: UInt64, into out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
