import Foundation
import HEP
import Testing
import TestSupport
import DuckLake

/// LakeWriter + LakeReader against DuckDB 1.5.5: every snapshot, as DuckDB sees it, equals what our reader returns.
@Suite struct WriterReaderTests {
    let dir: URL
    var catalogPath: String { dir.appendingPathComponent("cat.sqlite").path }
    var dataPath: String { dir.appendingPathComponent("data").path + "/" }

    init() throws { dir = try Oracle.temporaryDirectory("dl-writer") }

    func writer(batch: Int = 100_000) async throws -> LakeWriter {
        var o = LakeWriterOptions()
        o.batchSize = batch
        o.flushIntervalSeconds = 3600
        return try await LakeWriter(catalogPath: catalogPath, dataPath: dataPath, options: o)
    }

    /// Our reader's (session_id, timestamp, rowid) at a snapshot, sorted by rowid.
    func ours(_ snapshot: LakeQuery.Snapshot) async throws -> LakeOracle.Rows {
        let reader = try LakeReader(catalogPath: catalogPath)
        let r = try await reader.query(LakeQuery(snapshot: snapshot, columns: ["session_id", "timestamp"], includeRowID: true))
        var keys: [LakeOracle.Key] = []
        for (row, id) in zip(r.rows, r.rowIDs) {
            guard case .text(let s) = row[0], case .timestamp(let t) = row[1] else { continue }
            keys.append(LakeOracle.Key(sessionID: s, timestamp: t, rowID: id))
        }
        return LakeOracle.Rows(rows: keys.sorted())
    }

    /// DuckDB and our reader agree at every snapshot from the table's creation to now.
    func expectAgreementAtEverySnapshot(from first: Int64 = 1, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let catalog = try SQLiteCatalog(path: catalogPath, dataPath: nil, readOnly: true)
        let head = try catalog.currentSnapshot().id
        for v in first...head {
            guard (try? catalog.snapshot(id: v)) != nil else { continue }   // expired
            let theirs = try LakeOracle.rows(catalogPath, version: v)
            let mine = try await ours(.id(v))
            #expect(mine == theirs, "snapshot \(v): ours \(mine.rows.count) rows, DuckDB \(theirs.rows.count)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func flushesBecomeSnapshotsThatDuckDBAndOurReaderAgreeOn() async throws {
        let w = try await writer()
        var times: [String] = []
        var expectedCount = 0
        for (k, n) in [700, 450, 900].enumerated() {
            let records = LakeFixtures.records(n, from: expectedCount)
            try await w.append(Array(records[..<(n / 2)]), through: LakeSpoolPosition(segment: UInt64(k), offset: 1))
            try await w.append(Array(records[(n / 2)...]), through: LakeSpoolPosition(segment: UInt64(k), offset: 2))
            let pending = await w.pendingStatistics()
            #expect(pending.rows == n)
            let commit = try #require(try await w.flush())
            expectedCount += n
            // The batch spans midnight: one file per date partition, all in one snapshot.
            #expect(commit.dataFileIDs.count == (k == 0 ? 2 : 1))
            #expect(try w.committedSpoolPosition() == LakeSpoolPosition(segment: UInt64(k), offset: 2))
            let theirs = try LakeOracle.rows(catalogPath)
            #expect(theirs.rows.count == expectedCount)
            #expect(try await ours(.current) == theirs)
            try await Task.sleep(for: .milliseconds(10))
            times.append(try SQLiteCatalog(path: catalogPath, dataPath: nil).currentSnapshot().time)
            try await Task.sleep(for: .milliseconds(10))
        }
        try await expectAgreementAtEverySnapshot()
        // AT (TIMESTAMP => …) between commits = the snapshot committed just before.
        for (i, t) in times.enumerated() {
            let theirs = try LakeOracle.rows(catalogPath, timestamp: t)
            #expect(theirs.rows.count == [700, 1150, 2050][i])
            let micros = try #require(StatsText.parseTimestamp(t))
            #expect(try await ours(.asOf(micros: micros)) == theirs)
        }
        // Files: hive partition folders, field ids, sorted, bloom filters — as DuckDB and pyarrow see them.
        let files = try LakeOracle.sql(catalogPath,
            "SELECT data_file FROM ducklake_list_files('homer_lake', 'hep_messages')", readOnly: true)
        #expect(files.count == 4)
        #expect(files.allSatisfy { ($0[0] as? String ?? "").contains("/main/hep_messages/date=2025-01-2") })
        let parts = try LakeOracle.sql(catalogPath,
            "SELECT DISTINCT date::VARCHAR FROM hep_messages ORDER BY 1", readOnly: true).map { $0[0] as? String ?? "" }
        #expect(parts == ["2025-01-22", "2025-01-23"])
        // Catalog statistics equal DuckDB's aggregates.
        let agg = try LakeOracle.sql(catalogPath, "SELECT count(*), min(timestamp), max(timestamp) FROM hep_messages", readOnly: true)
        let stats = try LakeReader(catalogPath: catalogPath).statistics()
        #expect(stats.rowCount == (agg[0][0] as? NSNumber)?.int64Value)
        #expect(stats.minTimestampMicros == (agg[0][1] as? NSNumber)?.int64Value)
        #expect(stats.maxTimestampMicros == (agg[0][2] as? NSNumber)?.int64Value)
        let snaps = try LakeReader(catalogPath: catalogPath).snapshots(limit: 3)
        #expect(snaps.map(\.rowsAdded) == [900, 450, 700])
        #expect(snaps.allSatisfy { $0.snapshot.author == "homer" && $0.snapshot.changes == "inserted_into_table:1" })
    }

    @Test func payloadsComeBackByteIdentical() async throws {
        let w = try await writer()
        let records = LakeFixtures.records(120, from: 0)
        try await w.append(records)
        try await w.flush()
        let rows = try LakeOracle.sql(catalogPath, """
            SELECT session_id, timestamp, hex(coalesce(payload::BLOB, payload_bin)), payload IS NULL
            FROM hep_messages ORDER BY timestamp
            """, readOnly: true)
        #expect(rows.count == records.count)
        for (row, r) in zip(rows, records.sorted { $0.timestamp < $1.timestamp }) {
            #expect(row[2] as? String == StatsText.hex(r.payload))
            #expect(row[3] as? Bool == !UTF8Check.isValid(r.payload))
        }
        #expect(records.contains { !UTF8Check.isValid($0.payload) })
        let mine = try await LakeReader(catalogPath: catalogPath).query(LakeQuery(columns: ["payload", "payload_bin"]))
        for (row, r) in zip(mine.rows, records.sorted { $0.timestamp < $1.timestamp }) {
            switch (row[0], row[1]) {
            case (.text(let s), .null): #expect(Array(s.utf8) == r.payload)
            case (.null, .bytes(let b)): #expect(b == r.payload)
            default: Issue.record("payload columns \(row)")
            }
        }
    }

    @Test func seedQueriesInValidDuckDBSyntax() async throws {
        let w = try await writer()
        try await w.append(LakeFixtures.records(50, from: 0))
        try await w.flush()
        try await Task.sleep(for: .milliseconds(10))
        let between = try SQLiteCatalog(path: catalogPath, dataPath: nil).currentSnapshot().time
        try await Task.sleep(for: .milliseconds(10))
        try await w.append(LakeFixtures.records(50, from: 50))
        let second = try #require(try await w.flush())
        let callID = "call-3"   // records 15…19, all in the first flush
        let late = "call-12"    // records 60…64, only in the second
        func count(_ sql: String) throws -> Int64 { try LakeOracle.int(catalogPath, sql) }
        #expect(try count("SELECT count(*) FROM homer_lake.hep_messages WHERE session_id = '\(callID)'") == 5)
        #expect(try count("SELECT count(*) FROM homer_lake.hep_messages AT (VERSION => \(second.snapshotID - 1)) WHERE session_id = '\(late)'") == 0)
        #expect(try count("SELECT count(*) FROM homer_lake.hep_messages AT (VERSION => \(second.snapshotID)) WHERE session_id = '\(late)'") == 5)
        #expect(try count("SELECT count(*) FROM homer_lake.hep_messages AT (TIMESTAMP => TIMESTAMPTZ '\(between)') WHERE session_id = '\(callID)'") == 5)
        #expect(try count("SELECT count(*) FROM homer_lake.hep_messages AT (TIMESTAMP => TIMESTAMPTZ '\(between)') WHERE session_id = '\(late)'") == 0)
        // HOMER 11's spelling is a parser error, which is why docs/duckdb.md shows the forms above.
        #expect(throws: (any Error).self) { try count("SELECT count(*) FROM homer_lake.hep_messages AT SNAPSHOT 4") }
        // Our reader answers the same Call-ID lookup, and prunes: only the first flush's files can hold call-3.
        let r = try await LakeReader(catalogPath: catalogPath).query(LakeQuery(filters: [.equals(column: "session_id", values: [.text(callID)])]))
        #expect(r.rows.count == 5)
        #expect(r.stats.filesPrunedByCatalog >= 1)
    }

    @Test func readerFiltersMatchDuckDB() async throws {
        let w = try await writer()
        try await w.append(LakeFixtures.records(600, from: 0))
        try await w.flush()
        try await w.append(LakeFixtures.records(300, from: 600))
        try await w.flush()
        let reader = try LakeReader(catalogPath: catalogPath)
        let lo = LakeFixtures.start + 500 * 1_000_000_000, hi = LakeFixtures.start + 700 * 1_000_000_000
        let cases: [(LakeQuery, String)] = [
            (LakeQuery(minTimestamp: lo, maxTimestamp: hi),
             "timestamp BETWEEN make_timestamp(\(lo / 1000)) AND make_timestamp(\(hi / 1000))"),
            (LakeQuery(filters: [.equals(column: "session_id", values: [.text("call-7"), .text("call-150")])]),
             "session_id IN ('call-7', 'call-150')"),
            (LakeQuery(filters: [.matches(column: "from_user", pattern: "alice1*"), .equals(column: "dst_port", values: [.int(5061)])]),
             "from_user LIKE 'alice1%' AND dst_port = 5061"),
            (LakeQuery(filters: [.matches(column: "src_ip", pattern: "*::3")]), "src_ip LIKE '%::3'"),
            (LakeQuery(filters: [.payloadContains(Array("200 OK".utf8))]),
             "contains(coalesce(payload::BLOB, payload_bin)::VARCHAR, '200 OK')"),
            (LakeQuery(filters: [.equals(column: "correlation_id", values: [.text("x-3")])]), "correlation_id = 'x-3'"),
        ]
        for (q, whereSQL) in cases {
            var query = q
            query.columns = ["session_id", "timestamp"]
            query.includeRowID = true
            let mine = try await reader.query(query)
            let theirs = try LakeOracle.sql(catalogPath, "SELECT rowid FROM hep_messages WHERE \(whereSQL) ORDER BY timestamp, rowid", readOnly: true)
            #expect(mine.rowIDs == theirs.map { ($0[0] as? NSNumber)?.int64Value ?? -1 }, "\(whereSQL)")
            #expect(!mine.rowIDs.isEmpty, "\(whereSQL) matched nothing")
        }
        // Descending with a limit: the newest rows.
        let newest = try await reader.query(LakeQuery(columns: ["timestamp"], order: .descending, limit: 7, includeRowID: true))
        let theirs = try LakeOracle.sql(catalogPath, "SELECT rowid FROM hep_messages ORDER BY timestamp DESC LIMIT 7", readOnly: true)
        #expect(newest.rowIDs == theirs.map { ($0[0] as? NSNumber)?.int64Value ?? -1 })
        // A Call-ID lookup reads fewer row groups than exist (catalog stats / cached bloom filters and footers /
        // row-group stats): files it skipped in memory are not opened, so their row groups are not in the total.
        let one = try await reader.query(LakeQuery(filters: [.equals(column: "session_id", values: [.text("call-170")])]))
        #expect(one.rows.count == 5)
        let groups = try await reader.query(LakeQuery(columns: ["timestamp"])).stats.rowGroupsTotal
        #expect(one.stats.rowGroupsRead < groups, "\(one.stats)")
    }

    @Test func duckDBModificationsThenOurReaderAndWriterAgree() async throws {
        do {
            let w = try await writer()
            for k in 0..<3 {
                try await w.append(LakeFixtures.records(200, from: k * 200))
                try await w.flush()
            }
        }
        // DuckDB: a Parquet insert, an inlined insert, a positional delete, an inlined delete.
        _ = try LakeOracle.sql(catalogPath,
            "INSERT INTO hep_messages (timestamp, date, session_id, payload) SELECT TIMESTAMP '2025-01-23 01:00:00' + INTERVAL (i) SECOND, DATE '2025-01-23', 'duck-' || (i // 5), 'x' FROM range(40) t(i)")
        _ = try LakeOracle.sql(catalogPath,
            "INSERT INTO hep_messages (timestamp, date, session_id) VALUES (TIMESTAMP '2025-01-23 02:00:00', DATE '2025-01-23', 'inl-1'), (TIMESTAMP '2025-01-23 02:00:01', DATE '2025-01-23', 'inl-2')")
        _ = try LakeOracle.sql(catalogPath, "DELETE FROM hep_messages WHERE session_id LIKE 'call-1%'")
        _ = try LakeOracle.sql(catalogPath, "DELETE FROM hep_messages WHERE session_id IN ('call-50', 'inl-1')")
        try await expectAgreementAtEverySnapshot()
        // Our writer continues after DuckDB's ids.
        do {
            let w = try await writer()
            try await w.append(LakeFixtures.records(100, from: 600, prefix: "after"))
            try await w.flush()
        }
        let all = try LakeOracle.rows(catalogPath)
        #expect(Set(all.rows.map(\.rowID)).count == all.rows.count)
        #expect(try await ours(.current) == all)
        // Compaction, expiry and cleanup by DuckDB.
        _ = try LakeOracle.sql(catalogPath, "CALL ducklake_merge_adjacent_files('homer_lake')")
        try await expectAgreementAtEverySnapshot()
        let head = try SQLiteCatalog(path: catalogPath, dataPath: nil).currentSnapshot().id
        _ = try LakeOracle.sql(catalogPath, "CALL ducklake_expire_snapshots('homer_lake', versions => [2, 3])",
                               "CALL ducklake_cleanup_old_files('homer_lake', cleanup_all => true)")
        try await expectAgreementAtEverySnapshot()
        #expect(try await ours(.id(head)) == LakeOracle.rows(catalogPath, version: head))
        // And the writer once more, on the compacted lake; orphan cleanup must not touch DuckDB's files.
        do {
            let w = try await writer()
            try await w.append(LakeFixtures.records(50, from: 700, prefix: "last"))
            try await w.flush()
        }
        let final = try LakeOracle.rows(catalogPath)
        #expect(Set(final.rows.map(\.rowID)).count == final.rows.count)
        #expect(try await ours(.current) == final)
        try await expectAgreementAtEverySnapshot()
    }

    @Test func startupRemovesOrphansOnly() async throws {
        do {
            let w = try await writer()
            try await w.append(LakeFixtures.records(30, from: 0))
            try await w.flush()
        }
        let partition = dataPath + "main/hep_messages/date=2025-01-22/"
        let orphan = partition + "homer-00000000-dead-beef-0000-000000000000.parquet"
        let staged = partition + ".homer-1234.parquet.tmp"
        let foreign = partition + "ducklake-not-ours.parquet"
        for p in [orphan, staged, foreign] { _ = FileManager.default.createFile(atPath: p, contents: Data("PAR1".utf8)) }
        let before = try LakeOracle.rows(catalogPath)
        _ = try await writer()
        #expect(!FileManager.default.fileExists(atPath: orphan))
        #expect(!FileManager.default.fileExists(atPath: staged))
        #expect(FileManager.default.fileExists(atPath: foreign))
        #expect(try LakeOracle.rows(catalogPath) == before)
        #expect(before.rows.count == 30)
    }

    @Test func periodicFlushAndShutdown() async throws {
        var o = LakeWriterOptions()
        o.batchSize = 1_000_000
        o.flushIntervalSeconds = 0.3
        let w = try await LakeWriter(catalogPath: catalogPath, dataPath: dataPath, options: o)
        let loop = Task { try await w.run() }
        try await w.append(LakeFixtures.records(10, from: 0), through: LakeSpoolPosition(segment: 9, offset: 9))
        // The interval flush commits without any explicit flush call.
        var committed: Int64 = 0
        for _ in 0..<100 where committed == 0 {
            try await Task.sleep(for: .milliseconds(100))
            committed = try SQLiteCatalog(path: catalogPath, dataPath: nil).statistics(tableID: 1, at: nil).rowCount
        }
        #expect(committed == 10)
        #expect(try LakeOracle.rows(catalogPath).rows.count == 10)
        try await w.append(LakeFixtures.records(5, from: 10), through: LakeSpoolPosition(segment: 9, offset: 10))
        loop.cancel()
        try await loop.value
        #expect(try LakeOracle.rows(catalogPath).rows.count == 15)
        #expect(try w.committedSpoolPosition() == LakeSpoolPosition(segment: 9, offset: 10))
        await #expect(throws: DuckLakeError.self) { try await w.append(LakeFixtures.records(1, from: 20)) }
    }
}

/// The data files themselves, as pyarrow sees them: field_id = column_id, bloom filters on the id columns, a page
/// index, rows sorted by Call-ID then timestamp (judged by pyarrow), and the catalog's size/footer numbers exact.
@Test func dataFilesHaveTheRequiredLayout() async throws {
    let dir = try Oracle.temporaryDirectory("dl-layout")
    let catalogPath = dir.appendingPathComponent("cat.sqlite").path
    var o = LakeWriterOptions()
    o.flushIntervalSeconds = 3600
    let w = try await LakeWriter(catalogPath: catalogPath, dataPath: dir.appendingPathComponent("data").path, options: o)
    try await w.append(LakeFixtures.records(300, from: 0).reversed())   // unsorted input
    try await w.flush()
    let catalog = try SQLiteCatalog(path: catalogPath, dataPath: nil)
    let files = try catalog.dataFiles(tableID: 1, at: catalog.currentSnapshot().id)
    #expect(files.count == 1)
    for f in files {
        let json = try Oracle.runPython(LakeOracle.script, ["fileinfo", f.path])
        let info = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let ids = info["field_ids"] as? [String: Int] ?? [:]
        #expect(ids == Dictionary(uniqueKeysWithValues: HEPTable.columns.map { ($0.name, Int($0.id)) }))
        #expect(info["bloom"] as? [String] == ["correlation_id", "from_user", "session_id", "to_user"])
        #expect(info["page_index"] as? Bool == true)
        #expect(info["sorted"] as? Bool == true)
        #expect((info["footer_size"] as? NSNumber)?.int64Value == f.footerSize)
        let size = try FileManager.default.attributesOfItem(atPath: f.path)[.size] as? NSNumber
        #expect(size?.int64Value == f.fileSizeBytes)
        #expect(f.path.contains("/main/hep_messages/date=2025-01-22/homer-"))
        #expect(f.rowIDStart == 0 && f.recordCount == 300)
    }
}
