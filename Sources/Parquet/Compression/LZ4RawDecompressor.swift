/// LZ4_RAW decompression: one LZ4 *block* without frame (parquet-format Compression.md "LZ4_RAW"; the block format is
/// lz4/lz4:doc/lz4_Block_format.md).
///
/// A block is a series of sequences: a token (high nibble literal length, low nibble match length − 4, each 15 meaning
/// "more length bytes follow, 255 = continue"), the literals, then — except for the last sequence — a 2-byte LE
/// offset and the match, copied byte by byte from `offset` bytes back (overlap allowed). The output size is known
/// from the page header; producing any other size is corruption.
enum LZ4RawDecompressor {
    static func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws -> [UInt8] {
        guard uncompressedSize >= 0 else { throw ParquetError(.compression, "LZ4_RAW negative size") }
        var out = [UInt8](repeating: 0, count: uncompressedSize)
        var written = 0
        try out.withUnsafeMutableBytes { dst in
            var i = 0
            let n = input.count
            func length(_ initial: Int) throws -> Int {
                var len = initial
                guard initial == 15 else { return len }
                while true {
                    guard i < n else { throw ParquetError(.compression, "LZ4_RAW length runs past the input") }
                    let b = Int(input[i])
                    i += 1
                    len += b
                    guard len <= uncompressedSize + 15 else { throw ParquetError(.compression, "LZ4_RAW length too large") }
                    if b != 255 { return len }
                }
            }
            while true {
                guard i < n else {
                    if n == 0 && uncompressedSize == 0 { return }
                    throw ParquetError(.compression, "LZ4_RAW block ends without a final sequence")
                }
                let token = Int(input[i])
                i += 1
                let literals = try length(token >> 4)
                guard literals <= n - i, literals <= uncompressedSize - written else {
                    throw ParquetError(.compression, "LZ4_RAW literals overflow")
                }
                if literals > 0 {
                    dst.baseAddress!.advanced(by: written)
                        .copyMemory(from: input.baseAddress!.advanced(by: i), byteCount: literals)
                }
                i += literals
                written += literals
                if i == n { break }   // the last sequence has literals only
                guard n - i >= 2 else { throw ParquetError(.compression, "LZ4_RAW truncated match offset") }
                let offset = Int(input[i]) | Int(input[i + 1]) << 8
                i += 2
                guard offset > 0, offset <= written else {
                    throw ParquetError(.compression, "LZ4_RAW match offset \(offset) out of range")
                }
                let match = try length(token & 15) + 4
                guard match <= uncompressedSize - written else {
                    throw ParquetError(.compression, "LZ4_RAW match overflows the output")
                }
                var from = written - offset
                if offset >= match {
                    dst.baseAddress!.advanced(by: written)
                        .copyMemory(from: UnsafeRawPointer(dst.baseAddress!.advanced(by: from)), byteCount: match)
                } else {
                    for k in 0..<match { dst[written + k] = dst[from]; from += 1 }
                }
                written += match
            }
        }
        guard written == uncompressedSize else {
            throw ParquetError(.compression, "LZ4_RAW produced \(written) bytes, page says \(uncompressedSize)")
        }
        return out
    }
}
