import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Pruning on HEP-shaped files (8 row groups of 2048 rows sorted by time, Call-IDs repeated 8 times, random so that
/// min/max cannot prune them) written by pyarrow (page index + bloom filter) and DuckDB 1.5.5 (its own bloom
/// filters). DuckDB computes each query's answer and picks Call-IDs its `parquet_bloom_probe` excludes from every
/// other row group, so the expected pruning is exact. (scripts/oracle/parquet_read_pruning.py)
@Suite struct PruningTests {
    static func predicate(_ j: [String: Any]) throws -> ParquetPredicate {
        let column = j["column"] as? String ?? ""
        func value(_ v: Any?) throws -> ParquetValue {
            if let s = v as? String { return .string(s) }
            if let n = v as? NSNumber { return .int64(n.int64Value) }
            throw ParquetError(.invalidArgument, "bad value \(String(describing: v))")
        }
        switch j["op"] as? String {
        case "equal": return .equal(column, try value(j["value"]))
        case "in": return .in(column, try (j["values"] as? [Any] ?? []).map(value))
        case "between": return .between(column, try value(j["low"]), try value(j["high"]))
        case "and": return .and(try (j["args"] as? [[String: Any]] ?? []).map(predicate))
        default: throw ParquetError(.invalidArgument, "bad predicate \(j)")
        }
    }

    static let columns = ["ts", "call_id", "method", "src_port", "payload"]

    /// Runs every scenario of every file in `manifest`, checking rows against DuckDB and the pruning counters.
    static func check(manifest: [String: Any], pageIndexFiles: Set<String>) async throws {
        let files = try #require(manifest["files"] as? [[String: Any]])
        for file in files {
            let name = try #require(file["name"] as? String)
            let path = try #require(file["path"] as? String)
            let groups = try #require(file["row_groups"] as? Int)
            let size = try #require(file["file_size"] as? Int)
            let scenarios = try #require(file["scenarios"] as? [String: [String: Any]])
            let reader = try await ParquetReader.open(LocalFileReader(path: path))
            #expect(reader.rowGroupCount == groups)
            var noPruning = ParquetReaderOptions()
            noPruning.useStatistics = false
            noPruning.useBloomFilters = false
            noPruning.usePageIndex = false
            let plain = try await ParquetReader.open(LocalFileReader(path: path), options: noPruning)
            for (scenario, spec) in scenarios.sorted(by: { $0.key < $1.key }) {
                let label = "\(name)/\(scenario)"
                let p = try predicate(try #require(spec["predicate"] as? [String: Any]))
                let result = try await reader.scan(columns: columns, where: p)
                let expected = try #require(spec["columns"] as? [String: Any])
                let problems = ReaderOracle.compare(result, expected: expected, label: label)
                #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
                #expect(result.rowCount == spec["rows"] as? Int, "\(label) row count")
                // Pruning never changes the answer.
                let unpruned = try await plain.scan(columns: columns, where: p)
                #expect(unpruned.stats.rowGroupsRead == groups, "\(label): no pruning reads every row group")
                #expect(ReaderOracle.compare(unpruned, expected: expected, label: label + "(unpruned)").isEmpty)
                let s = result.stats
                #expect(s.rowGroupsTotal == groups)
                switch scenario {
                case "lookup":
                    #expect(s.rowGroupsRead == 1, "\(label): \(s)")
                    #expect(s.rowGroupsPrunedByBloomFilter == groups - 1, "\(label): \(s)")
                    #expect(s.bytesRead * 4 < Int64(size), "\(label): \(s.bytesRead) of \(size) bytes")
                case "lookup_in":
                    #expect(s.rowGroupsRead == 2, "\(label): \(s)")
                case "absent":
                    #expect(s.rowGroupsRead == 0 && result.rowCount == 0, "\(label): \(s)")
                    #expect(s.rowGroupsPrunedByBloomFilter == groups, "\(label): \(s)")
                case "time_range", "time_and_method":
                    #expect(s.rowGroupsRead == 1, "\(label): \(s)")
                    #expect(s.rowGroupsPrunedByStatistics == groups - 1, "\(label): \(s)")
                    if pageIndexFiles.contains(name) {
                        // 120 rows of a 2048-row group: pages of ≤ 256 rows, so at most 2 pages of each column
                        // (3 for payload, whose 8 KiB pages hold fewer rows) instead of ≥ 8 per column.
                        #expect(s.pagesRead <= 5 * 4, "\(label): \(s)")
                        #expect(s.pagesRead > 5, "\(label): the range crosses page boundaries: \(s)")
                        #expect(s.pagesRead * 3 < s.pagesTotal, "\(label): \(s)")
                        #expect(s.rowsDecoded < 600, "\(label): \(s)")
                        // Default options coalesce reads: at most one for the page index and one per column's
                        // run of selected pages; without coalescing only the selected pages are fetched.
                        #expect(s.readRequests <= 1 + columns.count, "\(label): \(s)")
                        var exact = ParquetReaderOptions()
                        exact.coalesceGap = 0
                        let narrow = try await ParquetReader.open(LocalFileReader(path: path), options: exact)
                            .scan(columns: columns, where: p)
                        #expect(narrow.stats.bytesRead * 15 < Int64(size), "\(label): \(narrow.stats)")
                        #expect(narrow.rowCount == result.rowCount)
                    }
                default:
                    break
                }
            }
        }
    }

    @Test func pyarrowAndDuckDBFilesArePrunedExactly() async throws {
        let dir = try Oracle.temporaryDirectory("parquet-prune")
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = try ReaderOracle.json("parquet_read_pruning.py", [dir.path])
        try await Self.check(manifest: manifest, pageIndexFiles: ["pa_pruning.parquet"])
    }

    /// The same rows written by our writer (row groups of 2048, pages of ≤ 256 rows / 8 KiB, bloom filter on
    /// call_id): DuckDB answers the queries on our file and its bloom probes must agree with ours.
    @Test func ourWriterFileIsPrunedExactly() async throws {
        let dir = try Oracle.temporaryDirectory("parquet-prune-own")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rowsJSON = dir.appendingPathComponent("rows.json")
        try Oracle.runPython("parquet_read_pruning.py", ["--dump-rows", rowsJSON.path])
        let dump = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: rowsJSON)) as? [String: Any])
        func values(_ name: String) throws -> [Any] {
            let spec = try #require(dump[name] as? [String: Any])
            return try #require(spec["values"] as? [Any])
        }
        func bytes(_ hex: String) -> [UInt8] {
            var out: [UInt8] = []
            var it = hex.utf8.makeIterator()
            func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
            while let a = it.next(), let b = it.next() { out.append(nibble(a) << 4 | nibble(b)) }
            return out
        }
        let ts = try values("ts").map { Int64($0 as? String ?? "") ?? 0 }
        let port = try values("src_port").map { Int32($0 as? String ?? "") ?? 0 }
        let schema = ParquetSchema(columns: [
            ParquetColumn(name: "ts", type: .timestampMicros), ParquetColumn(name: "call_id", type: .string),
            ParquetColumn(name: "method", type: .string), ParquetColumn(name: "src_port", type: .int32),
            ParquetColumn(name: "payload", type: .binary),
        ])
        let columns = [
            ColumnData(values: .int64(ts)),
            ColumnData(values: .bytes(ByteArrays(try values("call_id").map { bytes($0 as? String ?? "") }))),
            ColumnData(values: .bytes(ByteArrays(try values("method").map { bytes($0 as? String ?? "") }))),
            ColumnData(values: .int32(port)),
            ColumnData(values: .bytes(ByteArrays(try values("payload").map { bytes($0 as? String ?? "") }))),
        ]
        var options = ParquetWriterOptions()
        options.rowGroupRows = 2048
        options.pageRows = 256
        options.pageBytes = 8192
        options.bloomFilterColumns = ["call_id"]
        options.fsync = false
        let path = dir.appendingPathComponent("homer_pruning.parquet").path
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        try writer.write(columns)
        _ = try writer.close()
        let manifest = try ReaderOracle.json("parquet_read_pruning.py", [dir.path, path])
        try await Self.check(manifest: manifest, pageIndexFiles: ["pa_pruning.parquet", "homer_pruning.parquet"])
    }
}
