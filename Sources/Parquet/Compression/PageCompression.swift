/// One entry point per direction for the page codecs, keyed by the footer's `CompressionCodec`.
enum PageCompression {
    /// Decompresses a page body of codec `codec` that must expand to `uncompressedSize` bytes.
    /// Supports UNCOMPRESSED, SNAPPY, GZIP, ZSTD and LZ4_RAW; other codecs throw `.unsupported`.
    static func decompress(_ codec: CompressionCodec, _ input: UnsafeRawBufferPointer,
                           uncompressedSize: Int) throws(ParquetError) -> [UInt8] {
        guard uncompressedSize >= 0 else { throw ParquetError(.corruptPage, "negative uncompressed size") }
        switch codec {
        case .uncompressed:
            guard input.count == uncompressedSize else {
                throw ParquetError(.corruptPage, "uncompressed page of \(input.count) bytes, header says \(uncompressedSize)")
            }
            return Array(input)
        case .snappy:
            return try Snappy.decompress(input, expectedSize: uncompressedSize)
        case .gzip:
            return try Gzip.decompress(input, uncompressedSize: uncompressedSize)
        case .zstd:
            return try Zstd.decompress(input, uncompressedSize: uncompressedSize)
        case .lz4Raw:
            do {
                return try LZ4RawDecompressor.decompress(input, uncompressedSize: uncompressedSize)
            } catch let e as ParquetError {
                throw e
            } catch {
                throw ParquetError(.compression, "lz4_raw: \(error)")
            }
        default:
            throw ParquetError(.unsupported, "compression codec \(codec.rawValue)")
        }
    }

    /// Convenience over an array slice (e.g. a page body inside a larger read).
    static func decompress(_ codec: CompressionCodec, _ input: ArraySlice<UInt8>,
                           uncompressedSize: Int) throws(ParquetError) -> [UInt8] {
        let r: Result<[UInt8], ParquetError> = input.withUnsafeBytes { buf in
            do throws(ParquetError) {
                return .success(try decompress(codec, buf, uncompressedSize: uncompressedSize))
            } catch {
                return .failure(error)
            }
        }
        return try r.get()
    }
}
