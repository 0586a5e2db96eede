import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Files written by `ParquetWriter`, judged by pyarrow and DuckDB 1.5.5 (scripts/oracle/parquet_write_check.py).
@Suite struct WriterInteropTests {
    typealias F = WriterFixture

    static let arrowTypes: [ParquetType: String] = [
        .boolean: "bool", .int32: "int32", .int64: "int64", .double: "double", .string: "string", .binary: "binary",
        .timestampMicros: "timestamp[us]", .date: "date32[day]",
    ]
    static let duckTypes: [ParquetType: String] = [
        .boolean: "BOOLEAN", .int32: "INTEGER", .int64: "BIGINT", .double: "DOUBLE", .string: "VARCHAR",
        .binary: "BLOB", .timestampMicros: "TIMESTAMP", .date: "DATE",
    ]
    static let codecNames: [ParquetCompression: String] = [
        .uncompressed: "UNCOMPRESSED", .snappy: "SNAPPY", .gzip: "GZIP", .zstd: "ZSTD",
    ]

    /// Reference min/max of rows `r` (nulls and NaN skipped; bytes compared unsigned; a zero min is −0.0 and a
    /// zero max +0.0), written independently of the writer's statistics code.
    static func referenceBounds(_ c: F.Column, _ r: Range<Int>) -> (ParquetValue?, ParquetValue?) {
        var lo: ParquetValue?, hi: ParquetValue?
        func less(_ a: ParquetValue, _ b: ParquetValue) -> Bool {
            switch (a, b) {
            case (.boolean(let x), .boolean(let y)): return !x && y
            case (.int32(let x), .int32(let y)): return x < y
            case (.int64(let x), .int64(let y)): return x < y
            case (.double(let x), .double(let y)): return x < y
            case (.bytes(let x), .bytes(let y)): return x.lexicographicallyPrecedes(y)
            default: return false
            }
        }
        for i in r {
            guard let v = c.data.value(at: i) else { continue }
            if case .double(let d) = v, d.isNaN { continue }
            if lo == nil || less(v, lo!) { lo = v }
            if hi == nil || less(hi!, v) { hi = v }
        }
        if case .double(let d)? = lo, d == 0 { lo = .double(-0.0) }
        if case .double(let d)? = hi, d == 0 { hi = .double(0.0) }
        return (lo, hi)
    }

    @Test(arguments: [ParquetCompression.uncompressed, .snappy, .gzip, .zstd])
    func everyTypeReadBackByPyarrowAndDuckDB(codec: ParquetCompression) throws {
        let rows = 2500
        let cols = F.allTypes(rows: rows, seed: UInt64(Self.codecNames[codec]!.count))
        var options = ParquetWriterOptions(codec: codec)
        options.rowGroupRows = 1000
        options.pageRows = 300
        let (path, summary) = try F.write(cols, options: options, batch: 700, metadata: ["homer.table": "hep"])
        let judged = try F.judge(path)
        let pa = try #require(judged["pyarrow"] as? [String: Any])
        let duck = try #require(judged["duckdb"] as? [String: Any])
        let paColumns = try #require(pa["columns"] as? [String: Any])
        let duckColumns = try #require(duck["columns"] as? [String: Any])
        let duckTypes = try #require(duck["types"] as? [String: String])
        let schema = try #require(pa["schema"] as? [[String: Any]])

        #expect(pa["num_rows"] as? Int == rows)
        #expect((pa["metadata"] as? [String: String])?["homer.table"] == "hep")
        #expect((pa["created_by"] as? String)?.hasPrefix("homer") == true)
        for (i, c) in cols.enumerated() {
            let expected = F.expected(c)
            #expect(F.strings(paColumns[c.column.name]) == expected, "pyarrow values of \(c.column.name)")
            #expect(F.strings(duckColumns[c.column.name]) == expected, "DuckDB values of \(c.column.name)")
            #expect(schema[i]["name"] as? String == c.column.name)
            #expect(schema[i]["type"] as? String == Self.arrowTypes[c.column.type], "arrow type of \(c.column.name)")
            #expect(schema[i]["nullable"] as? Bool == c.column.optional)
            #expect(schema[i]["field_id"] as? Int == i + 1, "field_id of \(c.column.name)")
            #expect(duckTypes[c.column.name] == Self.duckTypes[c.column.type], "DuckDB type of \(c.column.name)")
        }

        // Row-group statistics as pyarrow reads them (has_min_max also proves column_orders is present).
        let groups = try #require(pa["row_groups"] as? [[String: Any]])
        #expect(groups.count == 3)
        for (g, group) in groups.enumerated() {
            let range = g * 1000..<min(rows, (g + 1) * 1000)
            let stats = try #require(group["columns"] as? [[String: Any]])
            for (i, c) in cols.enumerated() {
                let s = stats[i]
                let name = c.column.name
                #expect(s["compression"] as? String == Self.codecNames[codec])
                #expect(s["has_index"] as? Bool == true, "column index of \(name)")
                #expect(s["has_offset_index"] as? Bool == true, "offset index of \(name)")
                let nulls = range.filter { !c.data.isValid($0) }.count
                #expect(s["null_count"] as? Int == nulls, "null_count of \(name) in group \(g)")
                let (lo, hi) = Self.referenceBounds(c, range)
                #expect(s["has_min_max"] as? Bool == (lo != nil), "has_min_max of \(name) in group \(g)")
                guard let lo, let hi else { continue }
                let loLong = lo.plainBytes.count > options.statisticsTruncateLength
                let hiLong = hi.plainBytes.count > options.statisticsTruncateLength
                if !loLong { #expect(s["min"] as? String == F.canon(lo, c.column.type), "min of \(name) in \(g)") }
                if !hiLong { #expect(s["max"] as? String == F.canon(hi, c.column.type), "max of \(name) in \(g)") }
                if let exact = s["is_min_exact"] as? Bool { #expect(exact == !loLong, "is_min_exact of \(name)") }
                if let exact = s["is_max_exact"] as? Bool { #expect(exact == !hiLong, "is_max_exact of \(name)") }
            }
        }

        // DuckDB's view of the same statistics.
        let meta = try #require(duck["metadata"] as? [[String: Any]])
        #expect(meta.count == 3 * cols.count)
        for m in meta {
            let g = try #require(m["row_group_id"] as? Int)
            let name = try #require(m["path_in_schema"] as? String)
            let c = try #require(cols.first { $0.column.name == name })
            let range = g * 1000..<min(rows, (g + 1) * 1000)
            #expect(m["stats_null_count"] as? Int == range.filter { !c.data.isValid($0) }.count)
            #expect(m["compression"] as? String == Self.codecNames[codec])
            if c.column.type == .int32 || c.column.type == .int64 {
                let (lo, hi) = Self.referenceBounds(c, range)
                #expect(m["stats_min_value"] as? String == F.canon(lo, c.column.type), "DuckDB min of \(name)")
                #expect(m["stats_max_value"] as? String == F.canon(hi, c.column.type), "DuckDB max of \(name)")
            }
        }

        // The summary agrees with the file.
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(summary.fileSize == Int64(size ?? -1))
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let footerLength = bytes[bytes.count - 8..<bytes.count - 4].enumerated().reduce(0) { $0 | Int($1.1) << (8 * $1.0) }
        #expect(summary.footerSize == Int64(footerLength))
        #expect(summary.rowCount == Int64(rows))
        #expect(summary.rowGroupCount == 3)
        for (i, c) in cols.enumerated() {
            let s = summary.columns[i]
            #expect(s.fieldID == Int32(i + 1))
            #expect(s.valueCount == Int64(rows))
            #expect(s.nullCount == Int64(c.data.nullCount))
            let (lo, hi) = Self.referenceBounds(c, 0..<rows)
            #expect(s.min == lo, "summary min of \(c.column.name)")
            #expect(s.max == hi, "summary max of \(c.column.name)")
            let paSizes = groups.compactMap { ($0["columns"] as? [[String: Any]])?[i]["total_compressed_size"] as? Int }
            #expect(s.compressedSize == Int64(paSizes.reduce(0, +)))
        }
    }
}
