/// Options of `ParquetReader`. The defaults suit local files and S3 alike.
public struct ParquetReaderOptions: Sendable, Hashable {
    /// Bytes read from the end of the file by `open` in one request, hoping to get the whole footer at once.
    /// Default 64 KiB: one round trip for typical footers; a larger footer costs a second read.
    public var footerReadSize: Int = 64 * 1024
    /// Two byte ranges of one row group closer than this are fetched in one read, the gap read and discarded.
    /// Default 256 KiB: fewer requests (S3 charges latency per GET) at the price of reading some skipped pages.
    public var coalesceGap: Int = 256 * 1024
    /// Prune row groups with column chunk statistics (min/max/null count). Default true.
    public var useStatistics: Bool = true
    /// Prune row groups with split-block bloom filters for `=` and `IN`. Default true; costs one read per filter.
    public var useBloomFilters: Bool = true
    /// Select rows and pages with the page index (ColumnIndex + OffsetIndex) when the file has one. Default true;
    /// costs one read per row group for the index.
    public var usePageIndex: Bool = true

    /// The defaults.
    public init() {}
}
