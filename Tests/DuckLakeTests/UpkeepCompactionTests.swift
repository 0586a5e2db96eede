import Foundation
import Testing
import TestSupport
import DuckLake

/// Compaction of 500 small files: DuckDB 1.5.5 sees the same rows with the same row ids and the same per-row hash of
/// every column now, the same rows at every earlier version checked, before and after expiry + cleanup, and a second
/// compaction re-merges partial files.
@Test func compactionKeepsRowsRowIDsAndTimeTravel() async throws {
    let dir = try Oracle.temporaryDirectory("up-compact")
    let catalogPath = dir.appendingPathComponent("cat.sqlite").path
    let catalog = try SQLiteCatalog(path: catalogPath, dataPath: dir.appendingPathComponent("data").path)
    let files = LocalLakeFiles(root: catalog.dataPath)
    var o = LakeWriterOptions()
    o.flushIntervalSeconds = 3600
    let writer = try await LakeWriter(catalog: catalog, files: files, options: o)
    // 500 flushes of 3 records, 1 s apart from 2025-01-22 23:50: ~250 files per date partition.
    for k in 0..<500 {
        try await writer.append(LakeFixtures.records(3, from: k * 3))
        try await writer.flush()
    }
    let head = try catalog.currentSnapshot().id
    let table = try #require(try catalog.table(named: HEPTable.tableName, at: head))
    let smallFiles = try catalog.dataFiles(tableID: table.tableID, at: head)
    #expect(smallFiles.count >= 500)
    let versions: [Int64] = [3, head / 2, head]
    var before: [Int64: [LakeOracle.Key]] = [:]
    for v in versions { before[v] = try UpkeepOracle.rows(catalogPath, version: v).keys }
    #expect(before[head]?.count == 1500)
    let rowHashes = "SELECT rowid, CAST(hash(*COLUMNS(*)) AS VARCHAR) FROM hep_messages ORDER BY rowid"
    func hashes() throws -> [String] {
        try UpkeepOracle.sql(catalogPath, rowHashes).map { "\($0[0]) \($0[1])" }
    }
    let hashesBefore = try hashes()
    #expect(hashesBefore.count == 1500)

    let total = smallFiles.reduce(0) { $0 + $1.fileSizeBytes }
    let compactor = LakeCompactor(catalog: catalog, files: files)
    let result = try await compactor.compact(table: table, targetBytes: total / 4, smallBytes: total)
    // Greedy packing may leave a lone file at the end of a partition (nothing to merge it with).
    #expect(result.replacedFiles >= smallFiles.count - 2)
    let left = smallFiles.count - result.replacedFiles
    #expect(result.writtenFiles >= 2 && result.writtenFiles <= 8)
    let compacted = try #require(result.snapshotID)
    #expect(compacted == head + 1)

    let now = try UpkeepOracle.rows(catalogPath)
    #expect(now.error == nil, "\(now.error ?? "")")
    #expect(now.keys == before[head])
    #expect(try hashes() == hashesBefore)
    for v in versions { #expect(try UpkeepOracle.rows(catalogPath, version: v).keys == before[v], "version \(v)") }
    let theirFiles = try UpkeepOracle.sql(catalogPath, "SELECT count(*) FROM ducklake_list_files('homer_lake', 'hep_messages')")
    #expect((theirFiles.first?.first as? NSNumber)?.intValue == result.writtenFiles + left)
    let reader = LakeReader(catalog: catalog, files: files)
    let ours = try await reader.query(LakeQuery(columns: ["session_id", "timestamp"], includeRowID: true))
    #expect(ours.rowIDs.sorted() == now.keys.map(\.rowID))
    let oursOld = try await reader.query(LakeQuery(snapshot: .id(head / 2), columns: ["session_id"], includeRowID: true))
    #expect(oursOld.rowIDs.sorted() == before[head / 2]?.map(\.rowID))
    let call = try await reader.query(LakeQuery(filters: [.equals(column: "session_id", values: [.text("call-7")])]))
    #expect(call.rows.count == 5)

    // Expire everything before the compaction, clean up: the small files are gone, the lake reads the same.
    let expiry = try catalog.expireSnapshots(olderThanMicros: try catalog.snapshot(id: compacted).timeMicros)
    #expect(expiry.scheduledFiles == result.replacedFiles)
    var options = LakeMaintenanceOptions()
    options.targetFileSizeBytes = nil
    options.orphanGraceSeconds = nil
    #expect(try await LakeMaintenance(catalog: catalog, files: files, options: options).deleteScheduledFiles() == result.replacedFiles)
    let current = Set(try catalog.dataFiles(tableID: table.tableID, at: try catalog.currentSnapshot().id).map(\.path))
    for f in smallFiles { #expect(FileManager.default.fileExists(atPath: f.path) == current.contains(f.path)) }
    #expect(try UpkeepOracle.rows(catalogPath).keys == before[head])

    // More small files, then a second compaction that also re-reads the partial files written by the first.
    try await writer.append(LakeFixtures.records(30, from: 1500))
    try await writer.flush()
    let beforeSecond = try UpkeepOracle.rows(catalogPath).keys
    #expect(beforeSecond.count == 1530)
    let second = try await compactor.compact(table: table, targetBytes: total * 2, smallBytes: total * 2)
    #expect(second.writtenFiles >= 1)
    #expect(try UpkeepOracle.rows(catalogPath).keys == beforeSecond)
    #expect(try UpkeepOracle.rows(catalogPath, version: compacted).keys == before[head])
    let oursAfter = try await reader.query(LakeQuery(columns: ["session_id"], includeRowID: true))
    #expect(oursAfter.rowIDs.sorted() == beforeSecond.map(\.rowID))
}
