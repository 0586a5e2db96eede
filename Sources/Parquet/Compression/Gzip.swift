import CZlib

/// GZIP (RFC 1952) through zlib, as Parquet's GZIP codec requires (Compression.md): zlib's `windowBits` 15 + 16
/// selects the gzip wrapper. Decompression accepts multi-member streams (Compression.md: readers should).
enum Gzip {
    /// Appends the gzip member for `input` to `out`. `level` is zlib's 0…9 (−1 = default 6).
    static func compress(_ input: UnsafeRawBufferPointer, level: Int32, into out: inout [UInt8]) throws(ParquetError) {
        var stream = z_stream()
        let lvl = level < -1 || level > 9 ? Z_DEFAULT_COMPRESSION : level
        guard deflateInit2_(&stream, lvl, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetError(.compression, "gzip: deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bound))
        var status: Int32 = Z_OK
        out.withUnsafeMutableBufferPointer { dst in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = dst.baseAddress! + start
            stream.avail_out = uInt(bound)
            status = deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else { throw ParquetError(.compression, "gzip: deflate returned \(status)") }
        out.removeLast(bound - Int(stream.total_out))
    }

    /// Inflates gzip (or zlib) data that must expand to exactly `uncompressedSize` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws(ParquetError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetError(.compression, "gzip: inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: uncompressedSize)
        var failure: ParquetError?
        var produced = 0
        out.withUnsafeMutableBufferPointer { dst in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = dst.baseAddress
            stream.avail_out = uInt(uncompressedSize)
            while true {
                let status = inflate(&stream, Z_NO_FLUSH)
                if status == Z_STREAM_END {
                    // Another gzip member may follow.
                    if stream.avail_in > 0 && stream.avail_out > 0 {
                        guard inflateReset(&stream) == Z_OK else { failure = ParquetError(.compression, "gzip: reset"); return }
                        continue
                    }
                    break
                }
                if status == Z_BUF_ERROR && stream.avail_out == 0 {
                    failure = ParquetError(.compression, "gzip: data larger than \(uncompressedSize) bytes")
                    return
                }
                guard status == Z_OK else {
                    failure = ParquetError(.compression, "gzip: inflate returned \(status)")
                    return
                }
                if stream.avail_in == 0 {
                    failure = ParquetError(.compression, "gzip: truncated stream")
                    return
                }
            }
            produced = uncompressedSize - Int(stream.avail_out)
        }
        if let failure { throw failure }
        guard produced == uncompressedSize else {
            throw ParquetError(.compression, "gzip: produced \(produced) of \(uncompressedSize) bytes")
        }
        return out
    }
}
