/// The rows a scan returned, column by column, and what the scan had to read.
public struct ParquetScanResult: Sendable {
    /// The projected columns by name, each with `rowCount` slots.
    public var columns: [String: ColumnData]
    /// Projected column names in the order asked for (file order when `columns` was nil).
    public var columnNames: [String]
    /// Rows returned (after the residual filter).
    public var rowCount: Int
    /// What the scan read and skipped.
    public var stats: ParquetScanStats

    public init(columns: [String: ColumnData], columnNames: [String], rowCount: Int, stats: ParquetScanStats) {
        self.columns = columns
        self.columnNames = columnNames
        self.rowCount = rowCount
        self.stats = stats
    }
}

/// Counters that let a caller (and the tests) see how much pruning did.
public struct ParquetScanStats: Sendable, Hashable {
    /// Row groups in the file (or in the batch, for a streamed scan).
    public var rowGroupsTotal = 0
    /// Row groups whose pages were read.
    public var rowGroupsRead = 0
    /// Row groups skipped because their statistics exclude the predicate.
    public var rowGroupsPrunedByStatistics = 0
    /// Row groups skipped because a bloom filter excludes every `=`/`IN` value.
    public var rowGroupsPrunedByBloomFilter = 0
    /// Row groups skipped because the page index selected no page.
    public var rowGroupsPrunedByPageIndex = 0
    /// Data pages of the needed column chunks (projection ∪ predicate) in the row groups read.
    public var pagesTotal = 0
    /// Data pages of those chunks that were decoded.
    public var pagesRead = 0
    /// Rows of the row groups read, and rows decoded after page selection.
    public var rowsTotal: Int64 = 0
    public var rowsDecoded: Int64 = 0
    /// Bytes fetched through the `RangeReader` by this scan (data, bloom filters, page indexes; not the footer).
    public var bytesRead: Int64 = 0
    /// Number of `RangeReader.read` calls by this scan.
    public var readRequests = 0

    public init() {}

    mutating func add(_ o: ParquetScanStats) {
        rowGroupsTotal += o.rowGroupsTotal
        rowGroupsRead += o.rowGroupsRead
        rowGroupsPrunedByStatistics += o.rowGroupsPrunedByStatistics
        rowGroupsPrunedByBloomFilter += o.rowGroupsPrunedByBloomFilter
        rowGroupsPrunedByPageIndex += o.rowGroupsPrunedByPageIndex
        pagesTotal += o.pagesTotal
        pagesRead += o.pagesRead
        rowsTotal += o.rowsTotal
        rowsDecoded += o.rowsDecoded
        bytesRead += o.bytesRead
        readRequests += o.readRequests
    }
}
