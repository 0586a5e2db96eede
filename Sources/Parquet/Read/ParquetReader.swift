/// Reads flat Parquet files written by homer, pyarrow or DuckDB, with predicate pushdown.
///
/// `open` reads and checks the footer (one ranged read of the tail, a second one for footers larger than
/// `ParquetReaderOptions.footerReadSize`). `scan` then prunes row groups with statistics and bloom filters, selects
/// rows with the page index, reads only the needed byte ranges (coalesced), decodes and applies the residual filter
/// (research notes §2.11). Every malformed input surfaces as a thrown `ParquetError`.
public struct ParquetReader: Sendable {
    /// The file's columns as homer types (see `columnInfo` for the exact Parquet types of foreign files).
    public let schema: ParquetSchema
    /// Per-column details, in schema order.
    public let columnInfo: [ParquetColumnInfo]
    /// Rows in the file.
    public let rowCount: Int64
    /// Size of the file in bytes.
    public let fileSize: Int64
    /// Length of the Thrift FileMetaData (without the 8-byte tail).
    public let footerLength: Int
    /// The writer's `created_by`, if any.
    public let createdBy: String?
    /// Key/value metadata of the footer.
    public let keyValueMetadata: [String: String]
    /// The options given to `open`.
    public let options: ParquetReaderOptions

    var source: any RangeReader
    let metadata: FileMetaData
    let leaves: [LeafColumn]

    /// Number of row groups.
    public var rowGroupCount: Int { metadata.rowGroups.count }

    /// Opens a file: reads the footer and validates the metadata against the file size and schema.
    public static func open(_ source: some RangeReader, options: ParquetReaderOptions = ParquetReaderOptions())
        async throws -> ParquetReader {
        let size = try await source.size
        guard size >= 12 else { throw ParquetError(.corruptFile, "file of \(size) bytes is too small for Parquet") }
        let tailLength = Int(min(size, Int64(max(options.footerReadSize, 8))))
        var tail = try await source.read(offset: size - Int64(tailLength), length: tailLength)
        guard tail.count == tailLength else { throw ParquetError(.truncated, "short read of the footer") }
        guard tail[tailLength - 4] == 0x50, tail[tailLength - 3] == 0x41, tail[tailLength - 2] == 0x52,
              tail[tailLength - 1] == 0x31 else {
            throw ParquetError(.corruptFile, "no PAR1 magic at the end (encrypted PARE files are not supported)")
        }
        let footerLength = Int(UInt32(tail[tailLength - 8]) | UInt32(tail[tailLength - 7]) << 8
                               | UInt32(tail[tailLength - 6]) << 16 | UInt32(tail[tailLength - 5]) << 24)
        guard Int64(footerLength) <= size - 12 else {
            throw ParquetError(.corruptFile, "footer length \(footerLength) exceeds the file size \(size)")
        }
        if tailLength == Int(size) {
            guard tail[0] == 0x50, tail[1] == 0x41, tail[2] == 0x52, tail[3] == 0x31 else {
                throw ParquetError(.corruptFile, "no PAR1 magic at the start")
            }
        }
        let footerBytes: [UInt8]
        if footerLength + 8 <= tailLength {
            footerBytes = Array(tail[(tailLength - 8 - footerLength)..<(tailLength - 8)])
        } else {
            footerBytes = try await source.read(offset: size - 8 - Int64(footerLength), length: footerLength)
        }
        tail = []
        return try ParquetReader(source: source, footer: footerBytes, fileSize: size, options: options)
    }

    /// Parses and validates a footer (also the fuzzing entry point).
    init(source: any RangeReader, footer: [UInt8], fileSize: Int64, options: ParquetReaderOptions) throws {
        var r = ThriftCompactReader(footer)
        let meta = try FileMetaData(from: &r)
        try self.init(source: source, metadata: meta, footerLength: footer.count, fileSize: fileSize, options: options)
    }

    init(source: any RangeReader, metadata meta: FileMetaData, footerLength: Int, fileSize: Int64,
         options: ParquetReaderOptions) throws {
        guard let root = meta.schema.first else { throw ParquetError(.corruptFile, "empty schema") }
        let elements = meta.schema.dropFirst()
        guard Int(root.numChildren ?? 0) == elements.count, !elements.isEmpty else {
            throw ParquetError(.unsupported, "nested or empty schema: root has \(root.numChildren ?? 0) children, "
                               + "\(elements.count) elements follow")
        }
        var infos: [ParquetColumnInfo] = []
        var leaves: [LeafColumn] = []
        for (i, e) in elements.enumerated() {
            guard e.numChildren == nil || e.numChildren == 0 else {
                throw ParquetError(.unsupported, "nested column \(e.name)")
            }
            guard e.repetitionType != .repeated else { throw ParquetError(.unsupported, "repeated column \(e.name)") }
            let info = try ParquetColumnInfo(element: e, index: i)
            let order: ColumnOrder? = meta.columnOrders.flatMap { i < $0.count ? $0[i] : nil }
            infos.append(info)
            leaves.append(try LeafColumn(element: e, info: info, columnOrder: order, hasOrders: meta.columnOrders != nil))
        }
        guard meta.numRows >= 0 else { throw ParquetError(.corruptFile, "negative row count") }
        var rows: Int64 = 0
        for (g, group) in meta.rowGroups.enumerated() {
            guard group.columns.count == leaves.count else {
                throw ParquetError(.corruptFile, "row group \(g) has \(group.columns.count) columns, schema \(leaves.count)")
            }
            guard group.numRows >= 0 else { throw ParquetError(.corruptFile, "row group \(g) has negative rows") }
            let (sum, overflow) = rows.addingReportingOverflow(group.numRows)
            guard !overflow else { throw ParquetError(.corruptFile, "row count overflows") }
            rows = sum
            for (c, chunk) in group.columns.enumerated() {
                guard let md = chunk.metaData else {
                    throw ParquetError(.unsupported, "row group \(g) column \(c) has no inline metadata")
                }
                guard chunk.filePath == nil else {
                    throw ParquetError(.unsupported, "column chunk in another file (\(chunk.filePath ?? ""))")
                }
                guard md.type == leaves[c].physical else {
                    throw ParquetError(.corruptFile, "row group \(g) column \(c) type \(md.type) != schema")
                }
                let (start, length) = try Self.chunkRange(md)
                guard start >= 4, length >= 0, start + length <= fileSize - 8 - Int64(footerLength) else {
                    throw ParquetError(.corruptFile, "row group \(g) column \(c) bytes \(start)+\(length) outside the file")
                }
                guard md.numValues >= 0 else { throw ParquetError(.corruptFile, "negative value count") }
            }
        }
        guard rows == meta.numRows else {
            throw ParquetError(.corruptFile, "row groups hold \(rows) rows, footer says \(meta.numRows)")
        }
        self.source = source
        self.metadata = meta
        self.leaves = leaves
        self.columnInfo = infos
        self.schema = ParquetSchema(columns: infos.map(\.column))
        self.rowCount = meta.numRows
        self.fileSize = fileSize
        self.footerLength = footerLength
        self.createdBy = meta.createdBy
        var kv: [String: String] = [:]
        for e in meta.keyValueMetadata ?? [] { kv[e.key] = e.value ?? "" }
        self.keyValueMetadata = kv
        self.options = options
    }

    /// Byte range of a column chunk: from its dictionary page (when one exists) for `total_compressed_size` bytes.
    /// Some writers set `dictionary_page_offset` to 0 or past the data page; the smaller valid offset wins.
    static func chunkRange(_ md: ColumnMetaData) throws(ParquetError) -> (start: Int64, length: Int64) {
        var start = md.dataPageOffset
        if let d = md.dictionaryPageOffset, d > 0, d < start { start = d }
        guard md.totalCompressedSize >= 0, md.totalCompressedSize <= Int64(Int32.max) * 4 else {
            throw ParquetError(.corruptFile, "column chunk size \(md.totalCompressedSize)")
        }
        return (start, md.totalCompressedSize)
    }
}
