import CZstd
import Foundation

/// ZSTD (RFC 8878 frames) through libzstd. Compression reuses one context per writer; decompression uses the page's
/// known uncompressed size because some writers omit the frame content size (pitfall 11).
final class ZstdCompressor {
    /// Advanced compression parameters (libzstd's `ZSTD_c_*`); nil leaves the level's own value.
    struct Parameters: Sendable, Equatable {
        /// log2 of the match window.
        var windowLog: Int32?
        /// log2 of the match-finder hash table.
        var hashLog: Int32?
        /// Long-distance matching (a second, sparse match finder over the whole window).
        var longDistanceMatching = false
        /// Row-based match finder of the greedy/lazy strategies: nil = libzstd's choice.
        var rowMatchFinder: Bool? = nil
    }

    // Owned exclusively by one writer (not Sendable); freed in deinit.
    private let context: OpaquePointer

    init(level: Int32, parameters: Parameters = Parameters()) throws(ParquetError) {
        guard let c = ZSTD_createCCtx() else { throw ParquetError(.compression, "zstd: cannot create context") }
        context = c
        try check(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level), "level \(level)")
        if let w = parameters.windowLog {
            try check(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, w), "windowLog \(w)")
        }
        if let h = parameters.hashLog {
            try check(ZSTD_CCtx_setParameter(c, ZSTD_c_hashLog, h), "hashLog \(h)")
        }
        if parameters.longDistanceMatching {
            try check(ZSTD_CCtx_setParameter(c, ZSTD_c_enableLongDistanceMatching, 1), "long-distance matching")
        }
        if let row = parameters.rowMatchFinder {
            // A speed hint only (the frames decode the same either way): an older libzstd that rejects the
            // experimental switch keeps its default instead of failing the writer.
            _ = ZSTD_CCtx_setParameter(c, homer_zstd_c_useRowMatchFinder(),
                                       Int32(row ? ZSTD_ps_enable.rawValue : ZSTD_ps_disable.rawValue))
        }
    }

    private func check(_ code: Int, _ what: String) throws(ParquetError) {
        guard ZSTD_isError(code) == 0 else {
            throw ParquetError(.compression, "zstd \(what): \(String(cString: ZSTD_getErrorName(code)))")
        }
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Worst-case compressed size of `n` bytes.
    static func bound(_ n: Int) -> Int { ZSTD_compressBound(n) }

    /// Compresses `input` as one frame into `out` (at least `bound(input.count)` bytes); returns the frame size.
    func compress(_ input: UnsafeRawBufferPointer, to out: UnsafeMutableRawBufferPointer) throws(ParquetError) -> Int {
        let written = ZSTD_compress2(context, out.baseAddress, out.count, input.baseAddress, input.count)
        guard ZSTD_isError(written) == 0 else {
            throw ParquetError(.compression, "zstd: \(String(cString: ZSTD_getErrorName(written)))")
        }
        return written
    }
}

enum Zstd {
    /// Decompresses one or more frames that must expand to exactly `uncompressedSize` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, uncompressedSize: Int) throws(ParquetError) -> [UInt8] {
        guard uncompressedSize >= 0 else { throw ParquetError(.compression, "zstd: negative page size") }
        var n = 0
        // Uninitialised output (every byte is written when the size matches, checked below) and a pooled context:
        // `ZSTD_decompress` allocates and frees a ~160 KB context per call, an mmap/munmap pair on glibc, which
        // costs more than decompressing a small page.
        let out = ZstdDecompressionContexts.shared.withContext { dctx in
            [UInt8](unsafeUninitializedCapacity: uncompressedSize) { dst, initialized in
                n = dctx.map { ZSTD_decompressDCtx($0, dst.baseAddress, uncompressedSize, input.baseAddress, input.count) }
                    ?? ZSTD_decompress(dst.baseAddress, uncompressedSize, input.baseAddress, input.count)
                initialized = ZSTD_isError(n) == 0 && n == uncompressedSize ? uncompressedSize : 0
            }
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

/// Decompression contexts kept for reuse by concurrent readers.
final class ZstdDecompressionContexts: @unchecked Sendable {
    // Invariant: `idle` is read and written only while `lock` is held; a context taken out of `idle` is used by one
    // thread until it is put back, so no context is ever shared.
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []
    /// Contexts kept beyond this many concurrent users are freed.
    private let keep = 16

    static let shared = ZstdDecompressionContexts()

    /// Runs `body` with a context of its own: an idle one, else a new one; nil when libzstd cannot allocate one
    /// (the caller then uses `ZSTD_decompress`, which makes a temporary context itself).
    func withContext<T>(_ body: (OpaquePointer?) -> T) -> T {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        guard let context = reused ?? ZSTD_createDCtx() else { return body(nil) }
        defer {
            lock.lock()
            if idle.count < keep { idle.append(context) } else { ZSTD_freeDCtx(context) }
            lock.unlock()
        }
        return body(context)
    }
}
