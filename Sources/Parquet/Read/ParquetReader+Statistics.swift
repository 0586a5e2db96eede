/// Statistics of one column chunk as the footer states them.
public struct ParquetColumnChunkStatistics: Sendable, Hashable {
    /// Column name.
    public var name: String
    /// Values in the chunk, nulls included.
    public var valueCount: Int64
    /// Nulls, nil when the writer did not say.
    public var nullCount: Int64?
    /// Lower bound of the non-null values (decoded in the column's physical type; FLOAT widened), nil when absent
    /// or unusable (e.g. deprecated signed statistics of a string column).
    public var min: ParquetValue?
    /// Upper bound of the non-null values.
    public var max: ParquetValue?
    /// Whether `min` / `max` are the actual extremes rather than truncated bounds.
    public var isMinExact: Bool
    public var isMaxExact: Bool
    /// Bytes of the chunk on disk (page headers included) and uncompressed.
    public var compressedSize: Int64
    public var uncompressedSize: Int64
    /// Encodings the chunk uses (parquet.thrift names, e.g. "RLE_DICTIONARY").
    public var encodings: [String]
    /// Whether the chunk has a bloom filter and a page index.
    public var hasBloomFilter: Bool
    public var hasPageIndex: Bool
}

/// Statistics of one row group.
public struct ParquetRowGroupStatistics: Sendable, Hashable {
    /// Rows in the row group.
    public var rowCount: Int64
    /// Column chunks, in schema order.
    public var columns: [ParquetColumnChunkStatistics]
}

extension ParquetReader {
    /// Per row group, per column statistics from the footer (no further read).
    public func rowGroupStatistics() -> [ParquetRowGroupStatistics] {
        metadata.rowGroups.map { group in
            ParquetRowGroupStatistics(rowCount: group.numRows, columns: group.columns.enumerated().map { i, chunk in
                let md = chunk.metaData
                let view = leaves[i].statsView(md?.statistics, rowCount: md?.numValues ?? 0)
                return ParquetColumnChunkStatistics(
                    name: leaves[i].name, valueCount: md?.numValues ?? 0, nullCount: view.nullCount,
                    min: view.min, max: view.max, isMinExact: view.min != nil && view.minExact,
                    isMaxExact: view.max != nil && view.maxExact,
                    compressedSize: md?.totalCompressedSize ?? 0, uncompressedSize: md?.totalUncompressedSize ?? 0,
                    encodings: (md?.encodings ?? []).map(\.description),
                    hasBloomFilter: (md?.bloomFilterOffset ?? 0) > 0,
                    hasPageIndex: (chunk.offsetIndexOffset ?? 0) > 0 && (chunk.columnIndexOffset ?? 0) > 0)
            })
        }
    }
}
