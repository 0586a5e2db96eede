/// What a catalog (DuckLake) needs about a written file.
public struct ParquetFileSummary: Sendable, Hashable {
    /// Total bytes of the file.
    public var fileSize: Int64
    /// Length of the Thrift-encoded FileMetaData (the value stored before the closing "PAR1"), which DuckLake
    /// records as `footer_size`.
    public var footerSize: Int64
    /// Rows in the file.
    public var rowCount: Int64
    /// Number of row groups.
    public var rowGroupCount: Int
    /// One entry per schema column, in schema order.
    public var columns: [ParquetColumnSummary]
}

/// Per-column totals of a written file.
public struct ParquetColumnSummary: Sendable, Hashable {
    /// Column name.
    public var name: String
    /// The field_id written for the column.
    public var fieldID: Int32
    /// Bytes on disk of all its column chunks (page headers included).
    public var compressedSize: Int64
    /// Bytes before compression (page headers included).
    public var uncompressedSize: Int64
    /// Rows including nulls (Parquet `num_values` of a flat column).
    public var valueCount: Int64
    /// Null rows.
    public var nullCount: Int64
    /// Exact (untruncated) smallest non-null value in the column's sort order, nil when all null (or all NaN).
    public var min: ParquetValue?
    /// Exact (untruncated) largest non-null value.
    public var max: ParquetValue?
}
