/// Compresses page bodies with the writer's codec, reusing its scratch state (the ZSTD context and one output
/// buffer) across pages. Owned by one column encoder at a time; not shared between threads.
final class PageCompressor {
    let codec: CompressionCodec
    private let level: Int32
    private let zstd: ZstdCompressor?
    /// Reused output buffer, grown to the largest worst-case bound seen and never shrunk: compressing into fresh
    /// (zero-filled) worst-case-sized arrays cost a memset and a page fault per 4 KiB of every page.
    private var scratch: [UInt8] = []

    init(_ compression: ParquetCompression, level: Int32, zstd options: ZstdCompressor.Parameters = .init())
        throws(ParquetError) {
        codec = compression.codec
        self.level = level
        zstd = compression == .zstd ? try ZstdCompressor(level: level, parameters: options) : nil
    }

    /// The compressed form of `body` (the body itself when uncompressed).
    func compress(_ body: [UInt8]) throws(ParquetError) -> [UInt8] {
        try page(header: { _ in [] }, head: body, tail: [], 0..<0)
    }

    /// One page as written to the file: `header(compressedSize)` followed by the compressed concatenation of
    /// `head` and `tail[tailRange]`, in a single array (one copy of the compressed bytes). The tail is the bulk of a
    /// DELTA_LENGTH_BYTE_ARRAY page, still in the column buffer: SNAPPY and UNCOMPRESSED read it in place; ZSTD and
    /// GZIP, which want one contiguous input, get the two parts gathered first.
    func page(header: (Int) -> [UInt8], head: [UInt8], tail: [UInt8],
              _ tailRange: Range<Int>) throws(ParquetError) -> [UInt8] {
        let r: Result<[UInt8], ParquetError> = head.withUnsafeBytes { h in
            tail.withUnsafeBytes { t in
                do throws(ParquetError) {
                    return .success(try page(header: header, head: h, tail: UnsafeRawBufferPointer(rebasing: t[tailRange])))
                } catch {
                    return .failure(error)
                }
            }
        }
        return try r.get()
    }

    private func page(header: (Int) -> [UInt8], head: UnsafeRawBufferPointer,
                      tail: UnsafeRawBufferPointer) throws(ParquetError) -> [UInt8] {
        let total = head.count + tail.count
        if codec == .uncompressed {
            let h = header(total)
            return Self.concatenate(h, [head, tail], total)
        }
        if codec == .snappy {
            let bound = Snappy.maxCompressedLength(total)
            ensureScratch(bound)
            let n = scratch.withUnsafeMutableBufferPointer { Snappy.compress([head, tail], to: $0.baseAddress!) }
            return finish(header(n), n)
        }
        if !tail.isEmpty {
            var joined = [UInt8]()
            joined.reserveCapacity(total)
            joined.append(contentsOf: head)
            joined.append(contentsOf: tail)
            return try page(header: header, head: joined, tail: [], 0..<0)
        }
        var n = 0
        switch codec {
        case .zstd:
            ensureScratch(ZstdCompressor.bound(total))
            let r: Result<Int, ParquetError> = scratch.withUnsafeMutableBytes { out in
                do throws(ParquetError) { return .success(try zstd!.compress(head, to: out)) } catch { return .failure(error) }
            }
            n = try r.get()
        case .gzip:
            var out: [UInt8] = []
            try Gzip.compress(head, level: level, into: &out)
            return header(out.count) + out
        default:
            throw ParquetError(.unsupported, "compression codec \(codec.rawValue)")
        }
        return finish(header(n), n)
    }

    private func ensureScratch(_ bound: Int) {
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
    }

    /// `header` + the first `n` bytes of `scratch`.
    private func finish(_ header: [UInt8], _ n: Int) -> [UInt8] {
        scratch.withUnsafeBytes { s in Self.concatenate(header, [UnsafeRawBufferPointer(rebasing: s[0..<n])], n) }
    }

    private static func concatenate(_ header: [UInt8], _ parts: [UnsafeRawBufferPointer], _ total: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: header.count + total) { buf, count in
            var at = 0
            for b in header {
                buf[at] = b
                at += 1
            }
            for p in parts where !p.isEmpty {
                UnsafeMutableRawPointer(buf.baseAddress! + at).copyMemory(from: p.baseAddress!, byteCount: p.count)
                at += p.count
            }
            count = at
        }
    }
}
