import CZlib

/// zlib glue for the compressed payload chunk 0x0010 ("gzip/inflate" in the HEP3 spec table). Agents differ in the
/// container they use (captagent: zlib or gzip), so inflate auto-detects gzip and zlib headers and falls back to a raw
/// deflate stream.
enum HEPInflate {
    /// Inflates `input`, rejecting outputs larger than `limit` bytes.
    static func inflate(_ input: UnsafeRawBufferPointer, limit: Int) throws(HEPError) -> [UInt8] {
        // windowBits 15+32: zlib or gzip header auto-detected (zlib.h, inflateInit2).
        switch run(input, windowBits: 15 + 32, limit: limit) {
        case .success(let out): return out
        case .failure(let error) where error.reason == .payloadTooLarge: throw error
        case .failure:
            // windowBits -15: raw deflate, no header.
            return try run(input, windowBits: -15, limit: limit).get()
        }
    }

    private static func run(_ input: UnsafeRawBufferPointer, windowBits: Int32, limit: Int) -> Result<[UInt8], HEPError> {
        guard input.count > 0, let inBase = input.baseAddress else {
            return .failure(HEPError(.decompressionFailed, "empty compressed payload"))
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(HEPError(.decompressionFailed, "inflateInit2 failed"))
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: min(max(input.count * 4, 1024), 65536))
        while true {
            let status: Int32 = chunk.withUnsafeMutableBufferPointer { buf in
                stream.next_out = buf.baseAddress
                stream.avail_out = uInt(buf.count)
                return CZlib.inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.avail_out)
            if output.count + produced > limit {
                return .failure(HEPError(.payloadTooLarge, "inflated payload exceeds \(limit) bytes"))
            }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_STREAM_END:
                return .success(output)
            case Z_OK:
                if stream.avail_in == 0 && produced == 0 {
                    return .failure(HEPError(.decompressionFailed, "compressed payload truncated"))
                }
            case Z_BUF_ERROR:
                if stream.avail_in == 0 {
                    return .failure(HEPError(.decompressionFailed, "compressed payload truncated"))
                }
            default:
                return .failure(HEPError(.decompressionFailed, "zlib status \(status)"))
            }
        }
    }

    /// Compresses `input` with zlib (RFC 1950) framing, or gzip when `gzip` is set. Used by the encoder when asked
    /// to emit chunk 0x0010.
    static func deflate(_ input: [UInt8], gzip: Bool) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        var out = [UInt8](repeating: 0, count: bound)
        var input = input
        let written: Int = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                guard CZlib.deflate(&stream, Z_FINISH) == Z_STREAM_END else { return -1 }
                return outBuf.count - Int(stream.avail_out)
            }
        }
        guard written >= 0 else { return [] }
        out.removeSubrange(written...)
        return out
    }
}
