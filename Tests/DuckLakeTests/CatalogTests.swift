import Foundation
import Testing
import TestSupport
import DuckLake

/// The catalog layer against DuckDB 1.5.5: files written by pyarrow, registered by `SQLiteCatalog`.
@Suite struct CatalogTests {
    let dir: URL
    var catalogPath: String { dir.appendingPathComponent("cat.sqlite").path }
    var dataPath: String { dir.appendingPathComponent("data").path + "/" }

    init() throws { dir = try Oracle.temporaryDirectory("dl-catalog") }

    /// Writes a pyarrow file into the table's date partition and returns it ready to register.
    func pyarrowFile(_ table: LakeTableInfo, date: String, start: Int64, count: Int, prefix: String) throws -> LakeNewDataFile {
        let rel = "date=\(date)/homer-\(UUID().uuidString.lowercased()).parquet"
        let full = dataPath + table.directory + rel
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        var file = try LakeOracle.pyarrowFile(out: full, date: date, startMicros: start, count: count, prefix: prefix)
        file.path = rel
        return file
    }

    @Test func createdCatalogIsWhatDuckDBExpects() throws {
        let catalog = try SQLiteCatalog(path: catalogPath, dataPath: dataPath)
        let table = try catalog.ensureHEPTable()
        #expect(table.tableID == 1)
        #expect(table.directory == "main/hep_messages/")
        // Idempotent: a second call and a reopen find the same table, no new snapshot.
        #expect(try catalog.ensureHEPTable() == table)
        #expect(try SQLiteCatalog(path: catalogPath, dataPath: nil).ensureHEPTable() == table)
        #expect(try catalog.currentSnapshot().id == 1)
        let columns = try LakeOracle.sql(catalogPath, """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_catalog = 'homer_lake' AND table_name = 'hep_messages' ORDER BY ordinal_position
            """, readOnly: true)
        let expectedTypes: [LakeColumnType: String] = [.timestamp: "TIMESTAMP", .date: "DATE", .varchar: "VARCHAR",
                                                       .int32: "INTEGER", .int64: "BIGINT", .blob: "BLOB"]
        #expect(columns.map { $0[0] as? String ?? "" } == HEPTable.columnNames)
        #expect(columns.map { $0[1] as? String ?? "" } == HEPTable.columns.map { expectedTypes[$0.type]! })
        #expect(try LakeOracle.int(catalogPath, "SELECT count(*) FROM hep_messages") == 0)
        let mode = try Oracle.run(Oracle.python, ["-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode').fetchone()[0])", catalogPath])
        #expect(mode.trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
    }

    @Test func refusesOtherVersionsAndConflictingDataPath() throws {
        _ = try SQLiteCatalog(path: catalogPath, dataPath: dataPath)
        #expect(throws: DuckLakeError.self) { try SQLiteCatalog(path: catalogPath, dataPath: dataPath + "other/") }
        do {
            _ = try SQLiteCatalog(path: catalogPath, dataPath: dir.appendingPathComponent("x").path)
            Issue.record("conflicting data_path accepted")
        } catch let e as DuckLakeError {
            #expect(e.reason == .dataPathConflict)
        }
        // Same path without the trailing slash is not a conflict.
        _ = try SQLiteCatalog(path: catalogPath, dataPath: String(dataPath.dropLast()))
        try Oracle.run(Oracle.python, ["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE ducklake_metadata SET value = '0.3' WHERE key = 'version'\"); c.commit()", catalogPath])
        do {
            _ = try SQLiteCatalog(path: catalogPath, dataPath: nil)
            Issue.record("version 0.3 accepted")
        } catch let e as DuckLakeError {
            #expect(e.reason == .unsupportedVersion)
            #expect(e.detail.contains("0.3"))
        }
        #expect(throws: DuckLakeError.self) {
            try SQLiteCatalog(path: dir.appendingPathComponent("new.sqlite").path, dataPath: nil)
        }
    }

    @Test func registeredFilesTimeTravelInDuckDBAndIdsContinueAfterDuckDB() throws {
        let catalog = try SQLiteCatalog(path: catalogPath, dataPath: dataPath)
        let table = try catalog.ensureHEPTable()
        let day1: Int64 = 1_737_504_000_000_000   // 2025-01-22 00:00:00 UTC
        let f1 = try pyarrowFile(table, date: "2025-01-22", start: day1 + 3_600_000_000, count: 100, prefix: "a")
        let f2 = try pyarrowFile(table, date: "2025-01-23", start: day1 + 86_400_000_000, count: 50, prefix: "b")
        let c1 = try catalog.commitInsert(tableID: table.tableID, files: [f1, f2],
                                          spoolPosition: LakeSpoolPosition(segment: 1, offset: 100), author: "homer", message: nil)
        #expect(c1.dataFileIDs == [0, 1])
        #expect(c1.rowIDStarts == [0, 100])
        Thread.sleep(forTimeInterval: 0.02)
        let between = try catalog.currentSnapshot().time
        Thread.sleep(forTimeInterval: 0.02)
        let f3 = try pyarrowFile(table, date: "2025-01-22", start: day1 + 7_200_000_000, count: 30, prefix: "c")
        let c2 = try catalog.commitInsert(tableID: table.tableID, files: [f3],
                                          spoolPosition: LakeSpoolPosition(segment: 2, offset: 7), author: "homer", message: "batch 2")
        #expect(c2.snapshotID == c1.snapshotID + 1)
        #expect(try catalog.committedSpoolPosition()?.segmentOffset?.segment == 2)

        #expect(try LakeOracle.rows(catalogPath).rows.count == 180)
        #expect(try LakeOracle.rows(catalogPath, version: c1.snapshotID).rows.count == 150)
        #expect(try LakeOracle.rows(catalogPath, timestamp: between).rows.count == 150)
        #expect(try LakeOracle.rows(catalogPath, version: c1.snapshotID - 1).rows.isEmpty)
        // Pruning by the stats we registered: an equality on session_id reads one file.
        #expect(try LakeOracle.int(catalogPath, "SELECT count(*) FROM hep_messages WHERE session_id = 'b-3'") == 4)
        #expect(try LakeOracle.int(catalogPath, "SELECT count(*) FROM hep_messages WHERE date = DATE '2025-01-23'") == 50)
        #expect(try LakeOracle.int(catalogPath, "SELECT count(*) FROM hep_messages WHERE timestamp >= TIMESTAMP '2025-01-22 02:00:00'") == 80)

        // DuckDB writes on top (a Parquet insert and an inlined insert), then we continue with fresh ids.
        _ = try LakeOracle.sql(catalogPath,
            "INSERT INTO hep_messages (timestamp, date, session_id) SELECT TIMESTAMP '2025-01-22 05:00:00' + INTERVAL (i) SECOND, DATE '2025-01-22', 'd-' || i FROM range(20) t(i)",
            "INSERT INTO hep_messages (timestamp, date, session_id) VALUES (TIMESTAMP '2025-01-22 06:00:00', DATE '2025-01-22', 'inl')")
        let f4 = try pyarrowFile(table, date: "2025-01-22", start: day1 + 9_000_000_000, count: 10, prefix: "e")
        let c3 = try catalog.commitInsert(tableID: table.tableID, files: [f4], spoolPosition: nil, author: "homer", message: nil)
        let all = try LakeOracle.rows(catalogPath)
        #expect(all.rows.count == 211)
        #expect(Set(all.rows.map(\.rowID)).count == 211)
        #expect(c3.rowIDStarts == [201])
        #expect(c3.dataFileIDs.first ?? 0 > 3)
        // Our spool position survived DuckDB's commits (it ignores our table).
        #expect(try catalog.committedSpoolPosition()?.segmentOffset?.segment == 2)
        let stats = try catalog.statistics(tableID: table.tableID, at: nil)
        #expect(stats.rowCount == 211)
        #expect(stats.minTimestampMicros == day1 + 3_600_000_000)
        #expect(stats.maxTimestampMicros == day1 + 86_400_000_000 + 49_000)
    }

    @Test func duckDBReaderHoldingTheCatalogDoesNotBlockCommits() throws {
        let catalog = try SQLiteCatalog(path: catalogPath, dataPath: dataPath, busyTimeoutMillis: 2000, retries: 0)
        let table = try catalog.ensureHEPTable()
        let f1 = try pyarrowFile(table, date: "2025-01-22", start: 1_737_504_000_000_000, count: 10, prefix: "a")
        _ = try catalog.commitInsert(tableID: table.tableID, files: [f1], spoolPosition: nil, author: "homer", message: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Oracle.python)
        p.arguments = [Oracle.scripts.appendingPathComponent(LakeOracle.script).path, "hold", "--catalog", catalogPath,
                       "--seconds", "4"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let handle = out.fileHandleForReading
        var buffer = Data()
        while !String(decoding: buffer, as: UTF8.self).contains("ready") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer += chunk
        }
        #expect(String(decoding: buffer, as: UTF8.self).contains("\"count\": 10"))
        let f2 = try pyarrowFile(table, date: "2025-01-22", start: 1_737_504_100_000_000, count: 5, prefix: "b")
        let started = Date()
        _ = try catalog.commitInsert(tableID: table.tableID, files: [f2], spoolPosition: nil, author: "homer", message: nil)
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 1.0, "commit waited \(elapsed) s behind a DuckDB reader")
        p.waitUntilExit()
        let rest = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0)
        // Snapshot isolation: the reader's open transaction still saw 10 rows.
        #expect(rest.contains("\"count_in_transaction\": 10"))
        #expect(try LakeOracle.int(catalogPath, "SELECT count(*) FROM hep_messages") == 15)
    }
}
