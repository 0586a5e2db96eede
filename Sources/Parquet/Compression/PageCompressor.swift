/// Compresses page bodies with the writer's codec, reusing its scratch state (the ZSTD context and one output
/// buffer) across pages. Owned by one column encoder at a time; not shared between threads.
final class PageCompressor {
    let codec: CompressionCodec
    private let level: Int32
    private let zstd: ZstdCompressor?
    /// Reused output buffer, grown to the largest worst-case bound seen and never shrunk: compressing into fresh
    /// (zero-filled) worst-case-sized arrays cost a memset and a page fault per 4 KiB of every page.
    private var scratch: [UInt8] = []
    /// Reused input buffer for codecs that need the head and tail of a page body contiguous.
    private var joined: [UInt8] = []

    init(_ compression: ParquetCompression, level: Int32, zstd options: ZstdCompressor.Parameters = .init())
        throws(ParquetError) {
        codec = compression.codec
        self.level = level
        zstd = compression == .zstd ? try ZstdCompressor(level: level, parameters: options) : nil
    }

    /// The compressed form of `body` (the body itself when uncompressed).
    func compress(_ body: [UInt8]) throws(ParquetError) -> [UInt8] {
        var out: [UInt8] = []
        _ = try appendPage(header: { _ in [] }, head: body, tail: [], 0..<0, to: &out)
        return out
    }

    /// Appends one page as written to the file to `out`: `header(compressedSize)` followed by the compressed
    /// concatenation of `head` and `tail[tailRange]`; returns the header's size. The tail is the bulk of a
    /// DELTA_LENGTH_BYTE_ARRAY page, still in the column buffer: SNAPPY and UNCOMPRESSED read it in place; ZSTD and
    /// GZIP, which want one contiguous input, get the two parts gathered first (into a reused buffer).
    func appendPage(header: (Int) -> [UInt8], head: [UInt8], tail: [UInt8], _ tailRange: Range<Int>,
                    to out: inout [UInt8]) throws(ParquetError) -> Int {
        let total = head.count + tailRange.count
        if codec == .uncompressed {
            let h = header(total)
            out.append(contentsOf: h)
            out.append(contentsOf: head)
            out.append(contentsOf: tail[tailRange])
            return h.count
        }
        var n = 0
        if codec == .snappy {
            ensureScratch(Snappy.maxCompressedLength(total))
            n = head.withUnsafeBytes { h in
                tail.withUnsafeBytes { t in
                    scratch.withUnsafeMutableBufferPointer {
                        Snappy.compress([h, UnsafeRawBufferPointer(rebasing: t[tailRange])], to: $0.baseAddress!)
                    }
                }
            }
        } else {
            if !tailRange.isEmpty {
                joined.removeAll(keepingCapacity: true)
                joined.append(contentsOf: head)
                joined.append(contentsOf: tail[tailRange])
            }
            let input = tailRange.isEmpty ? head : joined
            switch codec {
            case .zstd:
                ensureScratch(ZstdCompressor.bound(total))
                let r: Result<Int, ParquetError> = input.withUnsafeBytes { i in
                    scratch.withUnsafeMutableBytes { o in
                        do throws(ParquetError) { return .success(try zstd!.compress(i, to: o)) } catch { return .failure(error) }
                    }
                }
                n = try r.get()
            case .gzip:
                var z: [UInt8] = []
                let r: Result<Void, ParquetError> = input.withUnsafeBytes { i in
                    do throws(ParquetError) { return .success(try Gzip.compress(i, level: level, into: &z)) } catch { return .failure(error) }
                }
                try r.get()
                let h = header(z.count)
                out.append(contentsOf: h)
                out.append(contentsOf: z)
                return h.count
            default:
                throw ParquetError(.unsupported, "compression codec \(codec.rawValue)")
            }
        }
        let h = header(n)
        out.append(contentsOf: h)
        scratch.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<n])) }
        return h.count
    }

    private func ensureScratch(_ bound: Int) {
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
    }
}
