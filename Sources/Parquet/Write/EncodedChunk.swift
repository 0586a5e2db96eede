/// One column chunk, encoded and compressed, ready to be written at some file offset.
struct EncodedChunk {
    /// The dictionary page with its header, empty when there is none. The data pages follow it in the file; they
    /// are in the buffer the encoder appended them to.
    var dictionaryPage: [UInt8]
    /// Total bytes of the chunk: dictionary page plus data pages.
    var size: Int
    /// True when the chunk starts with a dictionary page.
    var hasDictionaryPage: Bool
    /// Offset of the first data page within the chunk.
    var firstDataPageOffset: Int
    /// Data pages: offset within the chunk, size including header, first row within the row group.
    var pages: [(offset: Int, size: Int, firstRow: Int64)]
    /// Nil when a page has values but no bounds (all NaN).
    var columnIndex: ColumnIndex?
    var encodings: [Encoding]
    var encodingStats: [PageEncodingStats]
    var uncompressedSize: Int64
    var numValues: Int64
    var nullCount: Int64
    var statistics: Statistics
    var bloomFilter: SplitBlockBloomFilter?
    /// Exact min/max for the file summary.
    var min: ParquetValue?
    var max: ParquetValue?
}
