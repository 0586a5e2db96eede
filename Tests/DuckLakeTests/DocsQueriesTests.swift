import Foundation
import Testing
import TestSupport
import DuckLake

/// Every SQL statement of docs/duckdb.md's "Time travel" and "Example queries" sections runs in DuckDB 1.5.5
/// against a lake written by homer (the documented syntax is valid, and the lookups find the call).
@Test func documentedQueriesRunInDuckDB() async throws {
    let doc = try String(contentsOf: Oracle.repositoryRoot.appendingPathComponent("docs/duckdb.md"), encoding: .utf8)
    var statements: [String] = []
    var section = "", inBlock = false, current = ""
    for line in doc.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("## ") { section = String(line) }
        if line.hasPrefix("```") { inBlock.toggle(); continue }
        guard inBlock, section == "## Time travel" || section == "## Example queries" else { continue }
        let code = line.split(separator: "--", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        current += code + "\n"
        if code.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
            statements.append(current)
            current = ""
        }
    }
    #expect(statements.count >= 8)
    let dir = try Oracle.temporaryDirectory("dl-docs")
    let catalogPath = dir.appendingPathComponent("cat.sqlite").path
    var o = LakeWriterOptions()
    o.flushIntervalSeconds = 3600
    let w = try await LakeWriter(catalogPath: catalogPath, dataPath: dir.appendingPathComponent("data").path, options: o)
    for k in 0..<4 {
        try await w.append(LakeFixtures.records(40, from: k * 40))
        try await w.flush()
    }
    let last = try SQLiteCatalog(path: catalogPath, dataPath: nil).currentSnapshot().time
    let sql = statements.map {
        $0.replacingOccurrences(of: "abc123@host", with: "call-3")
          .replacingOccurrences(of: "2025-01-23 09:00:00+00", with: last)
    }
    for statement in sql {
        do {
            _ = try LakeOracle.sql(catalogPath, statement, readOnly: true)
        } catch {
            Issue.record("documented query failed: \(statement)\n\(error)")
        }
    }
    let call = try LakeOracle.sql(catalogPath, sql.first { $0.contains("AT (VERSION => 4)") } ?? "", readOnly: true)
    #expect(call.count == 5)
}
