/// One column chunk, encoded and compressed, ready to be written at some file offset.
struct EncodedChunk {
    /// Dictionary page (if any) then the data pages, headers included.
    var bytes: [UInt8]
    /// True when `bytes` starts with a dictionary page.
    var hasDictionaryPage: Bool
    /// Offset of the first data page within `bytes`.
    var firstDataPageOffset: Int
    /// Data pages: offset within `bytes`, size including header, first row within the row group.
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
