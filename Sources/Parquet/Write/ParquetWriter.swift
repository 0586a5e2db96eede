/// Writes a flat Parquet file (research notes §2.1 layout):
///
///     "PAR1" | row group 0 chunks | row group 0 bloom filters | … | ColumnIndex × all | OffsetIndex × all
///            | FileMetaData | u32 LE footer length | "PAR1"
///
/// Batches are buffered column-wise until a row group is full (`rowGroupRows` / `rowGroupBytes`), then each column
/// chunk is encoded, compressed and written; memory is bounded by one row group. `close()` writes the page
/// indexes and the footer, fsyncs, and returns what a catalog needs.
///
/// Not thread-safe: use one writer from one task at a time.
public final class ParquetWriter {
    /// The schema being written.
    public let schema: ParquetSchema
    /// The options in force.
    public let options: ParquetWriterOptions

    private let output: OutputFile
    private let keyValueMetadata: [String: String]
    private let encoders: ChunkEncoderPool
    private var buffers: [ColumnBuffer]
    private var rowGroups: [RowGroup] = []
    /// Data pages of each column's chunk being written; reused (capacity kept) from row group to row group.
    private var chunkData: [[UInt8]]
    /// Page indexes of every written chunk, [rowGroup][column], written at close.
    private var columnIndexes: [[ColumnIndex?]] = []
    private var offsetIndexes: [[OffsetIndex]] = []
    private var totals: [ParquetColumnSummary]
    private var rowCount: Int64 = 0
    private var closed = false
    /// The complete file when writing to memory (after `close()`); empty when writing to a path.
    public var bytes: [UInt8] { output.contents }

    /// Opens `path` (created or truncated) for writing.
    /// - Parameters:
    ///   - path: destination file.
    ///   - schema: flat schema; columns without a field_id get their 1-based position.
    ///   - options: row group, page, encoding, codec, statistics and bloom filter settings.
    ///   - keyValueMetadata: stored in the footer's key_value_metadata.
    public convenience init(path: String, schema: ParquetSchema, options: ParquetWriterOptions = ParquetWriterOptions(),
                            keyValueMetadata: [String: String] = [:]) throws {
        try self.init(output: OutputFile(path: path), schema: schema, options: options, keyValueMetadata: keyValueMetadata)
    }

    /// Writes to memory; the file is `bytes` after `close()`.
    public convenience init(schema: ParquetSchema, options: ParquetWriterOptions = ParquetWriterOptions(),
                            keyValueMetadata: [String: String] = [:]) throws {
        try self.init(output: OutputFile(), schema: schema, options: options, keyValueMetadata: keyValueMetadata)
    }

    private init(output: OutputFile, schema: ParquetSchema, options: ParquetWriterOptions,
                 keyValueMetadata: [String: String]) throws {
        guard !schema.columns.isEmpty else { throw ParquetError(.invalidArgument, "schema has no columns") }
        var names = Set<String>()
        for c in schema.columns where !names.insert(c.name).inserted {
            throw ParquetError(.invalidArgument, "duplicate column name \(c.name)")
        }
        self.output = output
        self.schema = schema
        self.options = options
        self.keyValueMetadata = keyValueMetadata
        self.encoders = try ChunkEncoderPool(options: options)
        chunkData = Array(repeating: [], count: schema.columns.count)
        let ids = schema.columns.enumerated().map { $1.fieldID ?? Int32($0 + 1) }
        buffers = zip(schema.columns, ids).map { ColumnBuffer(column: $0, fieldID: $1) }
        totals = zip(schema.columns, ids).map {
            ParquetColumnSummary(name: $0.name, fieldID: $1, compressedSize: 0, uncompressedSize: 0, valueCount: 0,
                                 nullCount: 0, min: nil, max: nil)
        }
        try output.write(Self.magic)
    }

    static let magic: [UInt8] = Array("PAR1".utf8)

    /// Appends a batch: one `ColumnData` per schema column, all with the same row count. Row groups are cut as the
    /// options say (a batch may span row groups).
    public func write(_ columns: [ColumnData]) throws {
        guard !closed else { throw ParquetError(.invalidArgument, "writer is closed") }
        guard columns.count == schema.columns.count else {
            throw ParquetError(.invalidArgument, "batch has \(columns.count) columns, schema \(schema.columns.count)")
        }
        let rows = columns[0].count
        for (i, c) in columns.enumerated() where c.count != rows {
            throw ParquetError(.invalidArgument, "column \(schema.columns[i].name) has \(c.count) rows, expected \(rows)")
        }
        var start = 0
        while start < rows {
            let room = max(options.rowGroupRows, 1) - buffers[0].rows
            let end = min(rows, start + room)
            for i in buffers.indices { try buffers[i].append(columns[i], start..<end) }
            start = end
            if buffers[0].rows >= max(options.rowGroupRows, 1)
                || buffers.reduce(0, { $0 + $1.estimatedBytes }) >= options.rowGroupBytes {
                try flushRowGroup()
            }
        }
        // Full row groups were encoded straight from the batch; keep only a copy of the rest.
        for i in buffers.indices { buffers[i].keepOwnCopy() }
    }

    /// Writes any buffered rows as a row group now (e.g. to bound latency). No-op when nothing is buffered.
    public func flushRowGroup() throws {
        guard buffers[0].rows > 0 else { return }
        guard rowGroups.count < Int(Int16.max) else { throw ParquetError(.invalidArgument, "too many row groups") }
        let rows = Int64(buffers[0].rows)
        var chunks: [ColumnChunk] = []
        var groupColumnIndexes: [ColumnIndex?] = []
        var groupOffsetIndexes: [OffsetIndex] = []
        var blooms: [(Int, SplitBlockBloomFilter)] = []
        var totalUncompressed: Int64 = 0
        var totalCompressed: Int64 = 0
        let groupStart = output.offset
        let encodedChunks = try encoders.encode(buffers, into: &chunkData)
        for i in buffers.indices {
            let encoded = encodedChunks[i]
            let start = output.offset
            if !encoded.dictionaryPage.isEmpty { try output.write(encoded.dictionaryPage) }
            try output.write(chunkData[i])
            let c = buffers[i].column
            let meta = ColumnMetaData(type: c.type.physicalType, encodings: encoded.encodings, pathInSchema: [c.name],
                                      codec: options.codec.codec, numValues: encoded.numValues,
                                      totalUncompressedSize: encoded.uncompressedSize,
                                      totalCompressedSize: Int64(encoded.size),
                                      dataPageOffset: start + Int64(encoded.firstDataPageOffset),
                                      dictionaryPageOffset: encoded.hasDictionaryPage ? start : nil,
                                      statistics: encoded.statistics, encodingStats: encoded.encodingStats)
            chunks.append(ColumnChunk(fileOffset: 0, metaData: meta))
            groupColumnIndexes.append(encoded.columnIndex)
            groupOffsetIndexes.append(OffsetIndex(pageLocations: encoded.pages.map {
                PageLocation(offset: start + Int64($0.offset), compressedPageSize: Int32($0.size), firstRowIndex: $0.firstRow)
            }))
            if let b = encoded.bloomFilter { blooms.append((i, b)) }
            totalUncompressed += encoded.uncompressedSize
            totalCompressed += Int64(encoded.size)
            accumulate(i, encoded)
            buffers[i].reset()
        }
        // Bloom filters right after their row group (arrow-rs does the same), so they never sit in memory for long.
        for (i, bloom) in blooms {
            let bytes = bloom.serialized()
            chunks[i].metaData?.bloomFilterOffset = output.offset
            chunks[i].metaData?.bloomFilterLength = Int32(bytes.count)
            try output.write(bytes)
        }
        rowGroups.append(RowGroup(columns: chunks, totalByteSize: totalUncompressed, numRows: rows,
                                  fileOffset: groupStart, totalCompressedSize: totalCompressed,
                                  ordinal: Int16(rowGroups.count)))
        columnIndexes.append(groupColumnIndexes)
        offsetIndexes.append(groupOffsetIndexes)
        rowCount += rows
    }

    private func accumulate(_ i: Int, _ e: EncodedChunk) {
        totals[i].compressedSize += Int64(e.size)
        totals[i].uncompressedSize += e.uncompressedSize
        totals[i].valueCount += e.numValues
        totals[i].nullCount += e.nullCount
        if let m = e.min, totals[i].min.map({ StatisticsOrder.compare(m, $0) < 0 }) ?? true { totals[i].min = m }
        if let m = e.max, totals[i].max.map({ StatisticsOrder.compare(m, $0) > 0 }) ?? true { totals[i].max = m }
    }

    /// Flushes the last row group, writes the page indexes and the footer, fsyncs (per options) and closes.
    /// - Returns: file size, footer length, row count and per-column totals.
    @discardableResult
    public func close() throws -> ParquetFileSummary {
        guard !closed else { throw ParquetError(.invalidArgument, "writer is already closed") }
        try flushRowGroup()
        closed = true
        // PageIndex.md: all ColumnIndexes, then all OffsetIndexes, after the row groups.
        for g in rowGroups.indices {
            for c in rowGroups[g].columns.indices {
                guard let index = columnIndexes[g][c] else { continue }
                let bytes = index.thriftBytes()
                rowGroups[g].columns[c].columnIndexOffset = output.offset
                rowGroups[g].columns[c].columnIndexLength = Int32(bytes.count)
                try output.write(bytes)
            }
        }
        for g in rowGroups.indices {
            for c in rowGroups[g].columns.indices {
                let bytes = offsetIndexes[g][c].thriftBytes()
                rowGroups[g].columns[c].offsetIndexOffset = output.offset
                rowGroups[g].columns[c].offsetIndexLength = Int32(bytes.count)
                try output.write(bytes)
            }
        }
        var elements = schema.schemaElements
        for i in buffers.indices { elements[i + 1].fieldID = buffers[i].fieldID }
        let kv = keyValueMetadata.sorted { $0.key < $1.key }.map { KeyValue(key: $0.key, value: $0.value) }
        let footer = FileMetaData(version: 1, schema: elements, numRows: rowCount, rowGroups: rowGroups,
                                  keyValueMetadata: kv.isEmpty ? nil : kv, createdBy: options.createdBy,
                                  columnOrders: Array(repeating: .typeDefinedOrder, count: schema.columns.count))
            .thriftBytes()
        try output.write(footer)
        let n = UInt32(footer.count)
        try output.write([UInt8(truncatingIfNeeded: n), UInt8(truncatingIfNeeded: n >> 8),
                          UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 24)])
        try output.write(Self.magic)
        try output.close(sync: options.fsync)
        return ParquetFileSummary(fileSize: output.offset, footerSize: Int64(footer.count), rowCount: rowCount,
                                  rowGroupCount: rowGroups.count, columns: totals)
    }
}
