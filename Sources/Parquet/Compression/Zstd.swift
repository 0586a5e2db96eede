import CZstd

/// ZSTD (RFC 8878 frames) through libzstd. Compression reuses one context per writer; decompression uses the page's
/// known uncompressed size because some writers omit the frame content size (pitfall 11).
final class ZstdCompressor {
    // Owned exclusively by one writer (not Sendable); freed in deinit.
    private let context: OpaquePointer

    init(level: Int32, windowLog: Int32? = nil) throws(ParquetError) {
        guard let c = ZSTD_createCCtx() else { throw ParquetError(.compression, "zstd: cannot create context") }
        context = c
        try check(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level), "level \(level)")
        if let windowLog {
            // A wider window plus long-distance matching finds repeats far back in big pages (SIP payloads repeat
            // the headers of earlier messages of the same call) at little CPU cost.
            try check(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, windowLog), "windowLog \(windowLog)")
            try check(ZSTD_CCtx_setParameter(c, ZSTD_c_enableLongDistanceMatching, 1), "long-distance matching")
        }
    }

    private func check(_ code: Int, _ what: String) throws(ParquetError) {
        guard ZSTD_isError(code) == 0 else {
            throw ParquetError(.compression, "zstd \(what): \(String(cString: ZSTD_getErrorName(code)))")
        }
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Appends one frame for `input` to `out`.
    func compress(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) throws(ParquetError) {
        let bound = ZSTD_compressBound(input.count)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: bound))
        let written = out.withUnsafeMutableBufferPointer { dst in
            ZSTD_compress2(context, dst.baseAddress! + start, bound, input.baseAddress, input.count)
        }
        guard ZSTD_isError(written) == 0 else {
            throw ParquetError(.compression, "zstd: \(String(cString: ZSTD_getErrorName(written)))")
        }
        out.removeLast(bound - written)
    }
}

enum Zstd {
    /// Decompresses one or more frames that must expand to exactly `uncompressedSize` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws(ParquetError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: uncompressedSize)
        let n = out.withUnsafeMutableBufferPointer { dst in
            ZSTD_decompress(dst.baseAddress, uncompressedSize, input.baseAddress, input.count)
        }
        guard ZSTD_isError(n) == 0 else {
            throw ParquetError(.compression, "zstd: \(String(cString: ZSTD_getErrorName(n)))")
        }
        guard n == uncompressedSize else {
            throw ParquetError(.compression, "zstd: produced \(n) of \(uncompressedSize) bytes")
        }
        return out
    }
}
