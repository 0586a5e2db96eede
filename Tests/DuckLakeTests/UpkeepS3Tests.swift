import Foundation
import Storage
import Testing
import TestSupport
import DuckLake

/// `data_path = s3://…` against a real S3 API (moto_server): the writer uploads, verifies and only then commits;
/// an outage fails the flush without losing records or leaving catalog rows that name missing objects; DuckDB with
/// httpfs reads the same rows as our reader.
@Test func lakeOnS3SurvivesAnOutageAndDuckDBReadsIt() async throws {
    let moto = MotoServer()
    try moto.start()
    defer { moto.stop() }
    try Oracle.createBucket(moto.url, "homer")
    let dir = try Oracle.temporaryDirectory("up-s3")
    let catalogPath = dir.appendingPathComponent("cat.sqlite").path
    let catalog = try SQLiteCatalog(path: catalogPath, dataPath: "s3://homer/lake/")
    let store = try S3ObjectStore(options: S3Options(bucket: "homer", prefix: "lake/", region: "us-east-1",
                                                 accessKeyID: "test", secretAccessKey: "test", endpoint: moto.endpoint,
                                                 urlStyle: .path, useSSL: false, maxRetries: 1, connectTimeout: 1,
                                                 requestTimeout: 10))
    let files = ObjectStoreLakeFiles(store: store, dataPath: catalog.dataPath,
                                     stagingDirectory: dir.appendingPathComponent("staging").path)
    var o = LakeWriterOptions()
    o.flushIntervalSeconds = 3600
    let writer = try await LakeWriter(catalog: catalog, files: files, options: o)
    let empty = try catalog.currentSnapshot().id

    // Outage: the flush fails, nothing is committed, the records stay buffered.
    moto.stop()
    try await writer.append(LakeFixtures.records(200, from: 0))
    await #expect(throws: (any Error).self) { try await writer.flush() }
    #expect(try catalog.currentSnapshot().id == empty)
    #expect(await writer.pendingStatistics().rows == 200)
    // moto keeps no state across restarts: the bucket is created again, empty, on the same port.
    try moto.start()
    try Oracle.createBucket(moto.url, "homer")
    try await writer.flush()
    try await writer.append(LakeFixtures.records(300, from: 200))
    try await writer.flush()
    #expect(await writer.pendingStatistics().rows == 0)

    // Every catalog row names an object of exactly its recorded size.
    let table = try #require(try catalog.table(named: HEPTable.tableName, at: try catalog.currentSnapshot().id))
    let entries = try catalog.dataFiles(tableID: table.tableID, at: try catalog.currentSnapshot().id)
    #expect(!entries.isEmpty)
    for e in entries {
        let key = String(e.path.dropFirst(catalog.dataPath.count))
        let info = try await store.head(key)
        #expect(info?.size == e.fileSizeBytes, "\(key)")
    }
    // No staged leftovers.
    let staged = (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("staging").path)) ?? []
    #expect(staged.isEmpty)

    let theirs = try UpkeepOracle.rows(catalogPath, s3: moto.endpoint)
    #expect(theirs.error == nil, "\(theirs.error ?? "")")
    #expect(theirs.keys.count == 500)
    #expect(Set(theirs.keys.map(\.sessionID)) == Set(LakeFixtures.records(500, from: 0).map(\.sessionID)))
    let reader = LakeReader(catalog: catalog, files: files)
    let ours = try await reader.query(LakeQuery(columns: ["session_id"], includeRowID: true))
    #expect(ours.rowIDs.sorted() == theirs.keys.map(\.rowID))
    let call = try await reader.query(LakeQuery(filters: [.equals(column: "session_id", values: [.text("call-42")])]))
    #expect(call.rows.count == theirs.keys.filter { $0.sessionID == "call-42" }.count)
    #expect(call.rows.count == 5)
    try await store.shutdown()
}
