import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Every encoding the writer can be told to use, on every type including extremes, read back by pyarrow and DuckDB.
@Suite struct WriterEncodingTests {
    typealias F = WriterFixture

    @Test(arguments: [ParquetColumnEncoding.plain, .dictionary, .deltaBinaryPacked, .deltaLengthByteArray])
    func forcedEncodingReadsBack(encoding: ParquetColumnEncoding) throws {
        let cols = F.allTypes(rows: 1500, seed: 99)
        var options = ParquetWriterOptions(codec: .snappy)
        options.pageRows = 400
        for c in cols { options.columnEncodings[c.column.name] = encoding }
        let (path, _) = try F.write(cols, options: options, batch: 600)
        let judged = try F.judge(path)
        let pa = try #require((judged["pyarrow"] as? [String: Any])?["columns"] as? [String: Any])
        let duck = try #require((judged["duckdb"] as? [String: Any])?["columns"] as? [String: Any])
        let groups = try #require((judged["pyarrow"] as? [String: Any])?["row_groups"] as? [[String: Any]])
        let chunks = try #require(groups.first?["columns"] as? [[String: Any]])
        for (i, c) in cols.enumerated() {
            #expect(F.strings(pa[c.column.name]) == F.expected(c), "pyarrow \(c.column.name) with \(encoding)")
            #expect(F.strings(duck[c.column.name]) == F.expected(c), "DuckDB \(c.column.name) with \(encoding)")
            let encodings = chunks[i]["encodings"] as? [String] ?? []
            let kind = c.column.type.valuesKind
            switch (encoding, kind) {
            case (.deltaBinaryPacked, .int32), (.deltaBinaryPacked, .int64):
                #expect(encodings.contains("DELTA_BINARY_PACKED"), "\(c.column.name): \(encodings)")
            case (.deltaLengthByteArray, .bytes) where c.column.name != "all_null":
                #expect(encodings.contains("DELTA_LENGTH_BYTE_ARRAY"), "\(c.column.name): \(encodings)")
            case (.dictionary, _) where kind != .boolean && c.column.name != "all_null":
                #expect(encodings.contains("RLE_DICTIONARY"), "\(c.column.name): \(encodings)")
            default:
                #expect(!encodings.contains("RLE_DICTIONARY") || encoding == .dictionary, "\(c.column.name): \(encodings)")
            }
        }
    }

    @Test func inMemoryWriterProducesTheSameBytesAsAFile() throws {
        let cols = F.allTypes(rows: 800, seed: 5)
        var options = ParquetWriterOptions(codec: .zstd)
        options.zstdWindowLog = 24
        options.zstdLongDistanceMatching = true
        let (path, summary) = try F.write(cols, options: options, batch: 800)
        let w = try ParquetWriter(schema: ParquetSchema(columns: cols.map(\.column)), options: options)
        try w.write(cols.map(\.data))
        let memorySummary = try w.close()
        #expect(w.bytes == [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(memorySummary == summary)
    }

    /// ZSTD level 5 with libzstd's row-based match finder forced off and on: both files read back in pyarrow and
    /// DuckDB (the switch changes only how matches are searched, not the frame format).
    @Test(arguments: [false, true])
    func zstdMatchFinderSwitchReadsBack(rowMatchFinder: Bool) throws {
        let cols = F.allTypes(rows: 1200, seed: 17)
        var options = ParquetWriterOptions(codec: .zstd, level: 5)
        options.zstdRowMatchFinder = rowMatchFinder
        let (path, _) = try F.write(cols, options: options, batch: 1200)
        try Self.bothOraclesReadBack(path, cols)
    }

    /// The file depends neither on the batching (a single batch is borrowed, so its row groups read the caller's
    /// bytes at offsets that do not start at 0; a row group spanning batches copies) nor on `encodingThreads`; and
    /// pyarrow and DuckDB read the threaded file back.
    @Test(arguments: [ParquetCompression.snappy, .zstd, .uncompressed])
    func batchingAndThreadsDoNotChangeTheFile(codec: ParquetCompression) throws {
        let cols = F.allTypes(rows: 2500, seed: 11)
        let rows = 2500
        var options = ParquetWriterOptions(codec: codec)
        options.rowGroupRows = 700
        options.pageRows = 300
        options.bloomFilterColumns = Set(cols.map(\.column.name))
        func bytes(_ o: ParquetWriterOptions, batch: Int) throws -> [UInt8] {
            let w = try ParquetWriter(schema: ParquetSchema(columns: cols.map(\.column)), options: o)
            if batch >= rows {
                try w.write(cols.map(\.data))
            } else {
                for start in stride(from: 0, to: rows, by: batch) {
                    try w.write(cols.map { F.slice($0.data, start..<min(rows, start + batch)) })
                }
            }
            try w.close()
            return w.bytes
        }
        let reference = try bytes(options, batch: rows)
        #expect(try bytes(options, batch: 333) == reference)
        var threaded = options
        threaded.encodingThreads = 3
        #expect(try bytes(threaded, batch: rows) == reference)
        #expect(try bytes(threaded, batch: 1000) == reference)

        let (path, _) = try F.write(cols, options: threaded, batch: rows)
        try Self.bothOraclesReadBack(path, cols)
    }

    /// pyarrow and DuckDB read every column of the file at `path` back as written.
    static func bothOraclesReadBack(_ path: String, _ cols: [F.Column]) throws {
        let judged = try F.judge(path)
        let pa = try #require((judged["pyarrow"] as? [String: Any])?["columns"] as? [String: Any])
        let duck = try #require((judged["duckdb"] as? [String: Any])?["columns"] as? [String: Any])
        for c in cols {
            #expect(F.strings(pa[c.column.name]) == F.expected(c), "pyarrow \(c.column.name)")
            #expect(F.strings(duck[c.column.name]) == F.expected(c), "DuckDB \(c.column.name)")
        }
    }
}
