/// Decoder of the RLE / bit-packing hybrid (Encodings.md "Run Length Encoding / Bit-Packing Hybrid (RLE = 3)"),
/// used for definition levels, dictionary indices and RLE booleans.
///
/// A run header is a ULEB128: `(count << 1)` for an RLE run followed by the value in `ceil(bitWidth/8)` bytes, or
/// `(groups << 1) | 1` for `groups * 8` bit-packed values, LSB-first. The cursor must already exclude any 4-byte
/// length prefix. A final bit-packed run that is shorter than its header claims is accepted as far as whole values go
/// (writers pad the last group, but the values beyond the page's count are never requested).
struct RLEHybridDecoder {
    private var cursor: DecoderCursor
    let bitWidth: Int
    private var rleLeft = 0
    private var rleValue: UInt32 = 0
    private var packedLeft = 0
    private var packedStart = 0
    private var packedIndex = 0

    init(_ cursor: DecoderCursor, bitWidth: Int) throws {
        guard (0...32).contains(bitWidth) else {
            throw ParquetError(.corruptPage, "RLE bit width \(bitWidth) out of range")
        }
        self.cursor = cursor
        self.bitWidth = bitWidth
    }

    private mutating func nextRun() throws {
        let header = try cursor.uleb()
        if header & 1 == 0 {
            guard header >> 1 <= UInt64(Int32.max) else { throw ParquetError(.corruptPage, "RLE run too long") }
            rleLeft = Int(header >> 1)
            let width = (bitWidth + 7) / 8
            try cursor.require(width, "RLE run value")
            var v: UInt32 = 0
            for i in 0..<width { v |= UInt32(cursor.base[cursor.position + i]) << UInt32(8 * i) }
            cursor.position += width
            rleValue = v
        } else {
            guard header >> 1 <= UInt64(Int32.max / 8) else { throw ParquetError(.corruptPage, "bit-packed run too long") }
            let groups = Int(header >> 1)
            let bytes = groups * bitWidth
            let available = min(bytes, cursor.remaining)
            packedStart = cursor.position
            packedIndex = 0
            packedLeft = bitWidth == 0 ? groups * 8 : min(groups * 8, available * 8 / bitWidth)
            cursor.position += available
        }
        if rleLeft == 0 && packedLeft == 0 && cursor.remaining == 0 {
            throw ParquetError(.corruptPage, "RLE data ended early")
        }
    }

    /// Decodes `count` values, calling `body` on each.
    @inline(__always)
    mutating func decode(count: Int, _ body: (UInt32) throws -> Void) throws {
        var left = count
        while left > 0 {
            if rleLeft > 0 {
                let n = min(rleLeft, left)
                for _ in 0..<n { try body(rleValue) }
                rleLeft -= n
                left -= n
            } else if packedLeft > 0 {
                let n = min(packedLeft, left)
                let base = cursor.base, start = packedStart, width = bitWidth
                var bit = packedIndex * width
                for _ in 0..<n {
                    try body(UInt32(truncatingIfNeeded: DecoderCursor.bits(base, byteStart: start, bitOffset: bit, width: width)))
                    bit += width
                }
                packedIndex += n
                packedLeft -= n
                left -= n
            } else {
                try nextRun()
            }
        }
    }

    /// Moves past `count` values without producing them: O(runs), not O(values) (a lookup that needs a few rows of
    /// a page skips to them).
    mutating func skip(count: Int) throws {
        var left = count
        while left > 0 {
            if rleLeft > 0 {
                let n = min(rleLeft, left)
                rleLeft -= n
                left -= n
            } else if packedLeft > 0 {
                let n = min(packedLeft, left)
                packedIndex += n
                packedLeft -= n
                left -= n
            } else {
                try nextRun()
            }
        }
    }

    /// Decodes `count` values into an array.
    mutating func decode(count: Int) throws -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(count)
        try decode(count: count) { out.append($0) }
        return out
    }

    /// Decodes `count` levels as bytes (flat schemas have max level 1; nested ones at most a few).
    /// Written into uninitialised storage run by run (an RLE run is one fill): every optional column of every page
    /// read goes through here, most of them one or two runs long.
    mutating func decodeLevels(count: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: max(count, 0)) { buffer, initialized in
            guard let out = buffer.baseAddress else { return }
            var i = 0
            defer { initialized = i }
            while i < count {
                if rleLeft > 0 {
                    let n = min(rleLeft, count - i)
                    (out + i).initialize(repeating: UInt8(truncatingIfNeeded: rleValue), count: n)
                    rleLeft -= n
                    i += n
                } else if packedLeft > 0 {
                    let n = min(packedLeft, count - i)
                    let base = cursor.base, start = packedStart, width = bitWidth
                    var bit = packedIndex * width
                    if width == 1 {
                        // Flat schemas: one bit per level, expanded a byte at a time.
                        var k = 0
                        while k < n {
                            let byte = base[start + bit >> 3]
                            let shift = bit & 7
                            let take = min(8 - shift, n - k)
                            for t in 0..<take { (out + i + k + t).initialize(to: (byte >> UInt8(shift + t)) & 1) }
                            k += take
                            bit += take
                        }
                    } else {
                        for k in 0..<n {
                            (out + i + k).initialize(to: UInt8(truncatingIfNeeded:
                                DecoderCursor.bits(base, byteStart: start, bitOffset: bit, width: width)))
                            bit += width
                        }
                    }
                    packedIndex += n
                    packedLeft -= n
                    i += n
                } else {
                    try nextRun()
                }
            }
        }
    }
}
