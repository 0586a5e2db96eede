/// Compresses page bodies with the writer's codec, reusing its scratch state (the ZSTD context) across pages.
/// Owned by one writer; not shared between threads.
final class PageCompressor {
    let codec: CompressionCodec
    private let level: Int32
    private let zstd: ZstdCompressor?
    /// Reused output buffer: compressing into fresh worst-case-sized arrays costs a page fault per 4 KiB.
    private var scratch: [UInt8] = []

    init(_ compression: ParquetCompression, level: Int32, windowLog: Int32? = nil) throws(ParquetError) {
        codec = compression.codec
        self.level = level
        zstd = compression == .zstd ? try ZstdCompressor(level: level, windowLog: windowLog) : nil
    }

    /// The compressed form of `body` (the body itself when uncompressed).
    func compress(_ body: [UInt8]) throws(ParquetError) -> [UInt8] {
        if codec == .uncompressed { return body }
        var out = scratch
        scratch = []
        out.removeAll(keepingCapacity: true)
        defer { scratch = out }
        let r: Result<Void, ParquetError> = body.withUnsafeBytes { input in
            do throws(ParquetError) {
                switch codec {
                case .snappy:
                    Snappy.compress(input, into: &out)
                case .gzip:
                    try Gzip.compress(input, level: level, into: &out)
                case .zstd:
                    try zstd!.compress(input, into: &out)
                default:
                    out = body
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try r.get()
        return Array(out)
    }
}
