import Foundation
import Testing
import TestSupport
import DuckLake

/// Retention, snapshot expiry, cleanup and orphan removal, with DuckDB 1.5.5 reading the lake after each step.
@Test func retentionExpiryAndCleanupAsDuckDBSeesThem() async throws {
    let dir = try Oracle.temporaryDirectory("up-retention")
    let catalogPath = dir.appendingPathComponent("cat.sqlite").path
    let data = dir.appendingPathComponent("data").path
    let catalog = try SQLiteCatalog(path: catalogPath, dataPath: data)
    let files = LocalLakeFiles(root: catalog.dataPath)
    var o = LakeWriterOptions()
    o.flushIntervalSeconds = 3600
    let writer = try await LakeWriter(catalog: catalog, files: files, options: o)
    // Three flushes on three UTC dates (fixtures start 2025-01-22 23:50): 2025-01-22, -23, -24.
    for day in 0..<3 {
        try await writer.append(LakeFixtures.records(60, from: day * 86_400, prefix: "d\(day)"))
        try await writer.flush()
    }
    let before = try catalog.currentSnapshot().id
    let all = try UpkeepOracle.rows(catalogPath)
    #expect(all.keys.count == 180)
    let table = try #require(try catalog.table(named: HEPTable.tableName, at: before))
    let oldFiles = try catalog.dataFiles(tableID: table.tableID, at: before).filter { $0.path.contains("date=2025-01-22/") }
    #expect(oldFiles.count == 1)

    // Retention: one day kept relative to 2025-01-24 12:00 UTC → partitions before 2025-01-23 go.
    var options = LakeMaintenanceOptions()
    options.retentionDays = 1
    options.orphanGraceSeconds = nil
    options.targetFileSizeBytes = nil
    let now: Int64 = 1_737_720_000_000_000
    let report = try await LakeMaintenance(catalog: catalog, files: files, options: options).run(nowMicros: now)
    #expect(report.droppedPartitions == ["2025-01-22"])
    #expect(report.retentionSnapshot == before + 1)
    let kept = try UpkeepOracle.rows(catalogPath)
    #expect(kept.keys == all.keys.filter { !$0.sessionID.hasPrefix("d0-") })
    #expect(kept.keys.count == 120)
    // Time travel before the retention snapshot still shows everything (research §5.4).
    #expect(try UpkeepOracle.rows(catalogPath, version: before).keys == all.keys)
    let reader = LakeReader(catalog: catalog, files: files)
    let ours = try await reader.query(LakeQuery(columns: ["session_id"], includeRowID: true))
    #expect(ours.rowIDs.sorted() == kept.keys.map(\.rowID))
    // The dropped file still exists: a kept snapshot needs it.
    #expect(FileManager.default.fileExists(atPath: oldFiles[0].path))

    // Expiry of every snapshot before the retention snapshot, then cleanup: the dropped file is scheduled and
    // deleted, DuckDB reads the kept snapshot and refuses the expired one.
    let retention = try catalog.snapshot(id: before + 1)
    let expired = try catalog.expireSnapshots(olderThanMicros: retention.timeMicros)
    #expect(expired.expired == Array(0...before))
    #expect(expired.scheduledFiles == 1)
    let maintenance = LakeMaintenance(catalog: catalog, files: files, options: options)
    #expect(try await maintenance.deleteScheduledFiles() == 1)
    #expect(!FileManager.default.fileExists(atPath: oldFiles[0].path))
    #expect(try catalog.scheduledFiles().isEmpty)
    #expect(try UpkeepOracle.rows(catalogPath).keys == kept.keys)
    #expect(try UpkeepOracle.rows(catalogPath, version: before + 1).keys == kept.keys)
    #expect(try UpkeepOracle.rows(catalogPath, version: before).error != nil)
    let snapshots = try UpkeepOracle.sql(catalogPath, "SELECT snapshot_id FROM homer_lake.snapshots() ORDER BY 1")
    #expect(snapshots.compactMap { ($0.first as? NSNumber)?.int64Value } == [before + 1])
    // DuckDB's own cleanup finds nothing left to do, and our reader still agrees.
    let theirCleanup = try UpkeepOracle.sql(catalogPath, "SELECT count(*) FROM ducklake_cleanup_old_files('homer_lake', cleanup_all => true, dry_run => true)")
    #expect((theirCleanup.first?.first as? NSNumber)?.intValue == 0)
    let after = try await reader.query(LakeQuery(columns: ["session_id"], includeRowID: true))
    #expect(after.rowIDs.sorted() == kept.keys.map(\.rowID))

    // Orphans: an unknown homer file older than the grace period goes, a fresh one stays (a writer may be about to
    // commit it), a non-homer file stays.
    let partition = data + "/main/hep_messages/date=2025-01-24/"
    let stale = partition + "homer-00000000-0000-0000-0000-000000000001.parquet"
    let fresh = partition + "homer-00000000-0000-0000-0000-000000000002.parquet"
    let foreign = partition + "notes.parquet"
    for p in [stale, fresh, foreign] { #expect(FileManager.default.createFile(atPath: p, contents: Data([1, 2, 3]))) }
    var old = [timespec(tv_sec: time(nil) - 7200, tv_nsec: 0), timespec(tv_sec: time(nil) - 7200, tv_nsec: 0)]
    #expect(utimensat(AT_FDCWD, stale, &old, 0) == 0)
    #expect(utimensat(AT_FDCWD, foreign, &old, 0) == 0)
    options.orphanGraceSeconds = 3600
    options.retentionDays = nil
    let orphanReport = try await LakeMaintenance(catalog: catalog, files: files, options: options).run()
    #expect(orphanReport.deletedOrphans == ["main/hep_messages/date=2025-01-24/homer-00000000-0000-0000-0000-000000000001.parquet"])
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: fresh) && FileManager.default.fileExists(atPath: foreign))
    #expect(try UpkeepOracle.rows(catalogPath).keys == kept.keys)
}
