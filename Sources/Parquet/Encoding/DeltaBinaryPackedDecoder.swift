/// DELTA_BINARY_PACKED decoding (Encodings.md "Delta Encoding (DELTA_BINARY_PACKED = 5)").
///
/// Header: `<block size> <miniblocks per block> <total value count> <first value (zigzag)>`, then blocks of
/// `<min delta (zigzag)> <one bit-width byte per miniblock> <miniblocks>`. Only the miniblocks that hold values are
/// present; the last one is padded to its full size. Arithmetic wraps (the spec allows overflow), so INT32 columns
/// decode through Int64 and truncate.
enum DeltaBinaryPackedDecoder {
    /// Decodes every value of one DBP stream and leaves `cursor` just after it.
    static func decode(_ cursor: inout DecoderCursor, limit: Int = Int(Int32.max)) throws -> [Int64] {
        var out: [Int64] = []
        try decode(&cursor, limit: limit) { out.append($0) }
        return out
    }

    /// Decodes every value of one DBP stream, calling `body` on each, and leaves `cursor` just after it.
    static func decode(_ cursor: inout DecoderCursor, limit: Int = Int(Int32.max), _ body: (Int64) -> Void) throws {
        let blockSize = try cursor.count(limit: 1 << 20, "DELTA block size")
        let miniblocks = try cursor.count(limit: 1 << 16, "DELTA miniblock count")
        let total = try cursor.count(limit: limit, "DELTA value count")
        var value = try cursor.zigzag()
        guard blockSize > 0, miniblocks > 0, blockSize % 128 == 0, blockSize % miniblocks == 0,
              (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetError(.corruptPage, "DELTA block size \(blockSize) / miniblocks \(miniblocks) invalid")
        }
        guard total > 0 else { return }
        body(value)
        var left = total - 1
        let perMiniblock = blockSize / miniblocks
        let base = cursor.base
        while left > 0 {
            let minDelta = try cursor.zigzag()
            try cursor.require(miniblocks, "DELTA bit widths")
            let widthsAt = cursor.position
            cursor.position += miniblocks
            var m = 0
            while m < miniblocks && left > 0 {
                let width = Int(base[widthsAt + m])
                guard width <= 64 else { throw ParquetError(.corruptPage, "DELTA bit width \(width)") }
                let bytes = perMiniblock * width / 8
                // The last miniblock may be cut short by some writers; require the bytes of the values we need.
                let needed = min(perMiniblock, left)
                let neededBytes = (needed * width + 7) / 8
                try cursor.require(neededBytes, "DELTA miniblock")
                let start = cursor.position
                var bit = 0
                for _ in 0..<needed {
                    let delta = DecoderCursor.bits(base, byteStart: start, bitOffset: bit, width: width)
                    value = value &+ minDelta &+ Int64(bitPattern: delta)
                    body(value)
                    bit += width
                }
                left -= needed
                cursor.position += min(bytes, cursor.remaining)
                m += 1
            }
        }
    }
}
