import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Test data and oracle plumbing shared by the writer tests.
enum WriterFixture {
    /// A column of test data with its expected canonical values (as the oracle script prints them).
    struct Column {
        var column: ParquetColumn
        var data: ColumnData
    }

    /// Deterministic generator so failures reproduce.
    typealias Random = SplitMix64

    static let strings = ["", "a", "INVITE", "BYE", "Zürich", "日本語のテキスト", "emoji 🎉 here", "\u{7F}", "é",
                          "sip:alice@example.com", "zzz", "ÿ", "\u{10FFFF}"]

    /// Every supported type, optional and required, with nulls, empty strings, non-ASCII, long strings, extreme
    /// integers, negative timestamps and dates.
    static func allTypes(rows: Int, seed: UInt64 = 1) -> [Column] {
        var rng = Random(state: seed)
        func validity(_ p: Double) -> [Bool] { (0..<rows).map { _ in Double.random(in: 0..<1, using: &rng) >= p } }
        let bools = (0..<rows).map { _ in Bool.random(using: &rng) }
        let i32 = (0..<rows).map { i -> Int32 in
            switch i % 7 {
            case 0: return .min
            case 1: return .max
            case 2: return 0
            default: return Int32.random(in: -1000...1000, using: &rng)
            }
        }
        let i64 = (0..<rows).map { i -> Int64 in
            switch i % 5 {
            case 0: return .min
            case 1: return .max
            default: return Int64.random(in: .min ... .max, using: &rng)
            }
        }
        let doubles = (0..<rows).map { i -> Double in
            switch i % 9 {
            case 0: return -0.0
            case 1: return 0.0
            case 2: return .infinity
            case 3: return -.greatestFiniteMagnitude
            case 4: return 1e-300
            default: return Double.random(in: -1e6...1e6, using: &rng)
            }
        }
        // Sorted timestamps straddling 1970 (µs), as HEP tables are sorted by time.
        let ts = (0..<rows).map { Int64($0) * 1_234_567 - 5_000_000_000_000 }
        let dates = (0..<rows).map { _ in Int32.random(in: -30000...30000, using: &rng) }
        let str = (0..<rows).map { i -> String in
            if i % 11 == 3 { return String(repeating: "long-\(i)-é", count: 30) }
            return strings[Int.random(in: 0..<strings.count, using: &rng)] + (i % 3 == 0 ? "\(i % 50)" : "")
        }
        let bins = (0..<rows).map { i -> [UInt8] in
            (0..<(i % 13)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        let callIDs = (0..<rows).map { "call-\($0 / 4)@host-\($0 % 3)" }
        return [
            Column(column: ParquetColumn(name: "b", type: .boolean, optional: true),
                   data: ColumnData(values: .boolean(bools), validity: validity(0.2))),
            Column(column: ParquetColumn(name: "b_req", type: .boolean, optional: false),
                   data: ColumnData(values: .boolean(bools.reversed()))),
            Column(column: ParquetColumn(name: "i32", type: .int32, optional: true),
                   data: ColumnData(values: .int32(i32), validity: validity(0.1))),
            Column(column: ParquetColumn(name: "i32_req", type: .int32, optional: false),
                   data: ColumnData(values: .int32(i32.reversed()))),
            Column(column: ParquetColumn(name: "i64", type: .int64, optional: true),
                   data: ColumnData(values: .int64(i64), validity: validity(0.3))),
            Column(column: ParquetColumn(name: "f64", type: .double, optional: true),
                   data: ColumnData(values: .double(doubles), validity: validity(0.05))),
            Column(column: ParquetColumn(name: "ts", type: .timestampMicros, optional: false),
                   data: ColumnData(values: .int64(ts))),
            Column(column: ParquetColumn(name: "day", type: .date, optional: true),
                   data: ColumnData(values: .int32(dates), validity: validity(0.1))),
            Column(column: ParquetColumn(name: "s", type: .string, optional: true),
                   data: ColumnData(values: .bytes(ByteArrays(str)), validity: validity(0.15))),
            Column(column: ParquetColumn(name: "call_id", type: .string, optional: false),
                   data: ColumnData(values: .bytes(ByteArrays(callIDs)))),
            Column(column: ParquetColumn(name: "raw", type: .binary, optional: true),
                   data: ColumnData(values: .bytes(ByteArrays(bins)), validity: validity(0.1))),
            Column(column: ParquetColumn(name: "all_null", type: .string, optional: true),
                   data: ColumnData(values: .bytes(ByteArrays(Array(repeating: "x", count: rows))),
                                    validity: Array(repeating: false, count: rows))),
        ]
    }

    /// The oracle's canonical form of a value.
    static func canon(_ v: ParquetValue?, _ type: ParquetType) -> String? {
        guard let v else { return nil }
        switch v {
        case .boolean(let b): return b ? "true" : "false"
        case .int32(let x): return String(x)
        case .int64(let x): return String(x)
        case .double(let d): return "d:" + hex(withUnsafeBytes(of: d.bitPattern.littleEndian) { Array($0) })
        case .bytes(let b): return type == .string ? "s:" + String(decoding: b, as: UTF8.self) : "x:" + hex(b)
        }
    }

    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    /// Expected canonical values of a column.
    static func expected(_ c: Column) -> [String?] {
        (0..<c.data.count).map { canon(c.data.value(at: $0), c.column.type) }
    }

    /// Writes `columns` with `options` (in batches of `batch` rows) to a temporary file.
    static func write(_ columns: [Column], options: ParquetWriterOptions, batch: Int = 1000,
                      metadata: [String: String] = [:]) throws -> (path: String, summary: ParquetFileSummary) {
        let dir = try Oracle.temporaryDirectory("parquet-writer")
        let path = dir.appendingPathComponent("t.parquet").path
        let writer = try ParquetWriter(path: path, schema: ParquetSchema(columns: columns.map(\.column)),
                                       options: options, keyValueMetadata: metadata)
        let rows = columns[0].data.count
        var start = 0
        while start < rows {
            let end = min(rows, start + batch)
            try writer.write(columns.map { slice($0.data, start..<end) })
            start = end
        }
        return (path, try writer.close())
    }

    /// Rows `r` of a column as a new batch column.
    static func slice(_ d: ColumnData, _ r: Range<Int>) -> ColumnData {
        let values: ColumnValues = switch d.values {
        case .boolean(let v): .boolean(Array(v[r]))
        case .int32(let v): .int32(Array(v[r]))
        case .int64(let v): .int64(Array(v[r]))
        case .double(let v): .double(Array(v[r]))
        case .bytes(let b): .bytes(ByteArrays(r.map { Array(b[$0]) }))
        }
        return ColumnData(values: values, validity: d.validity.map { Array($0[r]) })
    }

    /// Runs the oracle's `read` mode.
    static func judge(_ path: String) throws -> [String: Any] {
        let out = try Oracle.runPython("parquet_write_check.py", ["read", path])
        return try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    /// Turns a JSON array of strings/nulls into Swift.
    static func strings(_ any: Any?) -> [String?] {
        (any as? [Any] ?? []).map { $0 as? String }
    }
}
