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
}
