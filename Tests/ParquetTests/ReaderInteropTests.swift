import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Files written by pyarrow and DuckDB 1.5.5 with every encoding / codec / page version combination we claim to read
/// (scripts/oracle/parquet_read_fixtures.py) are scanned by our reader and compared row by row with what pyarrow or
/// DuckDB themselves read back: NULLs, empty and non-ASCII and 9000-byte strings, extreme integers, ±inf and -0.0,
/// timestamps before 1970 in ms/us/ns, dates, FLOAT widened to DOUBLE.
@Suite struct ReaderInteropTests {
    @Test func readsEveryPyArrowAndDuckDBVariant() async throws {
        let dir = try Oracle.temporaryDirectory("parquet-read")
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = try ReaderOracle.json("parquet_read_fixtures.py", [dir.path])
        let files = try #require(manifest["files"] as? [[String: Any]])
        #expect(files.count >= 15)
        for file in files {
            let name = try #require(file["name"] as? String)
            let expected = try #require(file["columns"] as? [String: Any])
            let reader = try await ParquetReader.open(LocalFileReader(path: dir.appendingPathComponent(name).path))
            #expect(reader.rowCount == Int64(file["rows"] as? Int ?? -1), "\(name) row count")
            let result = try await reader.scan()
            let problems = ReaderOracle.compare(result, expected: expected, label: name, info: reader.columnInfo)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            #expect(result.stats.pagesRead == result.stats.pagesTotal, "\(name): a full scan decodes every page")
        }
    }

    /// Statistics in unsigned order (uint32/uint64 above 2^31/2^63), int8, and strings compared as unsigned bytes:
    /// our row counts equal DuckDB's, and row-group pruning reads exactly the groups holding matches.
    @Test func sortOrdersMatchDuckDB() async throws {
        let dir = try Oracle.temporaryDirectory("parquet-orders")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("orders.parquet").path
        let answers = try ReaderOracle.json("parquet_read_orders.py", [path])
        let queries = try #require(answers["queries"] as? [[String: Any]])
        let reader = try await ParquetReader.open(LocalFileReader(path: path))
        #expect(reader.columnInfo.map(\.isUnsigned) == [true, true, false, false])
        for q in queries {
            let column = try #require(q["column"] as? String)
            let value: ParquetValue
            if let s = q["value"] as? String {
                value = .string(s)
            } else {
                let n = try #require(q["value"] as? NSNumber)
                value = .int64(n.int64Value < 0 || n.uint64Value > UInt64(Int64.max)
                               ? Int64(bitPattern: n.uint64Value) : n.int64Value)
            }
            let p: ParquetPredicate = switch q["op"] as? String {
            case ">": .greater(column, value)
            case ">=": .greaterOrEqual(column, value)
            default: .less(column, value)
            }
            let r = try await reader.scan(columns: [column], where: p)
            #expect(r.rowCount == q["rows"] as? Int, "\(p)")
            #expect(r.stats.rowGroupsRead == q["groups"] as? Int, "\(p): \(r.stats)")
        }
    }
}
