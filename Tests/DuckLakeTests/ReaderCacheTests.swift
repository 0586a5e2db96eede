import Foundation
import Testing
import TestSupport
import DuckLake

/// `LakeReader`'s footer + bloom-filter cache and its counts, judged by DuckDB 1.5.5 on the same lake.
@Suite struct ReaderCacheTests {
    let dir: URL
    let catalog: SQLiteCatalog
    let files: LocalLakeFiles
    var catalogPath: String { dir.appendingPathComponent("cat.sqlite").path }

    /// 24 flushes of 40 records (1 s apart from 2025-01-22 23:50, so one flush crosses midnight): ~25 files.
    init() async throws {
        dir = try Oracle.temporaryDirectory("dl-cache")
        catalog = try SQLiteCatalog(path: dir.appendingPathComponent("cat.sqlite").path,
                                    dataPath: dir.appendingPathComponent("data").path)
        files = LocalLakeFiles(root: catalog.dataPath)
        var o = LakeWriterOptions()
        o.flushIntervalSeconds = 3600
        let writer = try await LakeWriter(catalog: catalog, files: files, options: o)
        for k in 0..<24 {
            try await writer.append(LakeFixtures.records(40, from: k * 40))
            try await writer.flush()
        }
        try await writer.shutdown()
    }

    func duckCount(_ whereClause: String) throws -> Int64 {
        try LakeOracle.int(catalogPath, "SELECT count(*) FROM homer_lake.main.hep_messages WHERE \(whereClause)")
    }

    @Test func callIDLookupOpensOnlyTheFilesThatMayHoldTheID() async throws {
        let cached = LakeReader(catalog: catalog, files: files)
        var off = LakeReaderOptions()
        off.fileCacheBytes = 0
        let uncached = LakeReader(catalog: catalog, files: files, options: off)
        #expect(uncached.cache == nil)
        #expect(try await cached.warmCache() == 24)
        #expect(cached.cache?.statistics.entries == 24)
        var skipped = 0
        for id in ["call-3", "call-77", "call-150", "call-191", "nope-1", "call-1", "call-99"] {
            let q = LakeQuery(filters: [.equals(column: "session_id", values: [.text(id)])])
            let plain = try await uncached.query(q)
            let warm = try await cached.query(q)
            let expected = try duckCount("session_id = '\(id)'")
            #expect(Int64(plain.rows.count) == expected, "\(id)")
            #expect(warm.rows == plain.rows, "\(id)")
            let candidates = plain.stats.filesTotal - plain.stats.filesPrunedByCatalog
            #expect(plain.stats.filesOpened == candidates)
            #expect(warm.stats.filesPrunedByCatalog == plain.stats.filesPrunedByCatalog)
            // Footers and bloom filters in memory: a candidate file is opened only when they say it may hold the id.
            #expect(warm.stats.filesOpened + warm.stats.filesSkippedInMemory == candidates, "\(id): \(warm.stats)")
            #expect(warm.stats.filesOpened <= (expected == 0 ? 1 : 2), "\(id): \(warm.stats)")   // a false positive at most
            #expect(warm.stats.filesOpened >= (expected == 0 ? 0 : 1))
            skipped += warm.stats.filesSkippedInMemory
        }
        #expect(skipped > 0)
        let s = try #require(cached.cache?.statistics)
        #expect(s.entries == 24)
        #expect(s.hits > 0)
        #expect(s.bytes > 0 && s.bytes <= cached.cache!.budgetBytes)
    }

    @Test func aTinyBudgetEvictsButAnswersStayRight() async throws {
        var o = LakeReaderOptions()
        o.fileCacheBytes = 60_000
        let reader = LakeReader(catalog: catalog, files: files, options: o)
        #expect(try await reader.warmCache() == 24)
        let q = LakeQuery(filters: [.equals(column: "session_id", values: [.text("call-100")])])
        for _ in 0..<3 {
            let r = try await reader.query(q)
            #expect(Int64(r.rows.count) == (try duckCount("session_id = 'call-100'")))
        }
        let s = try #require(reader.cache?.statistics)
        #expect(s.bytes <= 60_000)
        #expect(s.evictions > 0)
        #expect(try await reader.warmCache() > 0)   // what was evicted is loaded again
    }

    @Test func countsEqualDuckDBs() async throws {
        let reader = LakeReader(catalog: catalog, files: files)
        let start = LakeFixtures.start
        let second: Int64 = 1_000_000_000
        let ranges: [(Int64?, Int64?)] = [
            (nil, nil), (start, start + 959 * second), (start + 100 * second, start + 500 * second),
            (start + 123 * second + 5, start + 777 * second - 5), (start - 10 * second, start - second),
            (start + 40 * second, start + 79 * second),
        ]
        func sql(_ lo: Int64?, _ hi: Int64?) -> String {
            "epoch_ns(timestamp) BETWEEN \(lo ?? Int64.min + 1) AND \(hi ?? Int64.max)"
        }
        var fromCatalog = 0
        for (lo, hi) in ranges {
            let r = try await reader.count(LakeQuery(minTimestamp: lo, maxTimestamp: hi))
            #expect(r.count == (try duckCount(sql(lo, hi))), "\(String(describing: lo))…\(String(describing: hi))")
            fromCatalog += r.stats.filesCountedFromCatalog
            let invites = try await reader.count(LakeQuery(minTimestamp: lo, maxTimestamp: hi,
                                                           filters: [.equals(column: "method", values: [.text("INVITE")])]))
            #expect(invites.count == (try duckCount(sql(lo, hi) + " AND method = 'INVITE'")))
            #expect(invites.stats.filesCountedFromCatalog == 0)
            let pattern = try await reader.count(LakeQuery(minTimestamp: lo, maxTimestamp: hi,
                                                           filters: [.matches(column: "from_user", pattern: "alice1*")]))
            #expect(pattern.count == (try duckCount(sql(lo, hi) + " AND from_user LIKE 'alice1%'")))
        }
        #expect(fromCatalog > 20)   // whole files inside the bounds are not opened

        // Rows deleted by DuckDB (a delete file): those files are read, the count follows.
        _ = try LakeOracle.sql(catalogPath, "DELETE FROM homer_lake.main.hep_messages WHERE session_id IN ('call-3', 'call-90')")
        for (lo, hi) in ranges {
            let r = try await reader.count(LakeQuery(minTimestamp: lo, maxTimestamp: hi))
            #expect(r.count == (try duckCount(sql(lo, hi))), "after delete: \(String(describing: lo))")
        }
    }

    @Test func compactionRetiresCachedFiles() async throws {
        let reader = LakeReader(catalog: catalog, files: files)
        #expect(try await reader.warmCache() == 24)
        let q = LakeQuery(filters: [.equals(column: "session_id", values: [.text("call-42")])])
        let before = try await reader.query(q)
        #expect(before.rows.count == 5)
        let table = try #require(try catalog.table(named: HEPTable.tableName, at: try catalog.currentSnapshot().id))
        let total = try catalog.dataFiles(tableID: table.tableID, at: try catalog.currentSnapshot().id)
            .reduce(0) { $0 + $1.fileSizeBytes }
        let result = try await LakeCompactor(catalog: catalog, files: files)
            .compact(table: table, targetBytes: total * 2, smallBytes: total * 2)
        #expect(result.replacedFiles > 20)
        let after = try await reader.query(q)
        #expect(after.rows == before.rows)
        let s = try #require(reader.cache?.statistics)
        #expect(s.retired == result.replacedFiles)
        #expect(s.entries <= 24 - s.retired + after.stats.filesTotal)
        #expect(try await reader.warmCache() >= 0)
        #expect(reader.cache?.statistics.entries == after.stats.filesTotal)
        // Merged (partial) files: counts and lookups agree with DuckDB.
        let again = try await reader.query(q)
        #expect(again.rows == before.rows)
        #expect(again.stats.filesOpened <= 1)
        let all = try await reader.count(LakeQuery())
        #expect(all.count == (try duckCount("true")))
    }
}
