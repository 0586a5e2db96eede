import Foundation
import Storage
import Testing
import TestSupport
import DuckLake

/// The writer and reader through the `ObjectStore` protocol (here `LocalObjectStore` rooted at data_path, so DuckDB
/// can read the same files from disk): staged, uploaded, committed, read back with ranged GETs.
@Test func writerAndReaderThroughAnObjectStore() async throws {
    let dir = try Oracle.temporaryDirectory("dl-objstore")
    let catalogPath = dir.appendingPathComponent("cat.sqlite").path
    let data = dir.appendingPathComponent("data").path
    try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
    let catalog = try SQLiteCatalog(path: catalogPath, dataPath: data)
    let store = try LocalObjectStore(root: data)
    let files = ObjectStoreLakeFiles(store: store, dataPath: catalog.dataPath,
                                     stagingDirectory: dir.appendingPathComponent("staging").path)
    var o = LakeWriterOptions()
    o.flushIntervalSeconds = 3600
    let w = try await LakeWriter(catalog: catalog, files: files, options: o)
    try await w.append(LakeFixtures.records(700, from: 0))
    try await w.flush()
    let theirs = try LakeOracle.rows(catalogPath)
    #expect(theirs.rows.count == 700)
    let reader = LakeReader(catalog: catalog, files: files)
    let r = try await reader.query(LakeQuery(columns: ["session_id", "timestamp"], includeRowID: true))
    #expect(r.rowIDs.sorted() == theirs.rows.map(\.rowID))
    let one = try await reader.query(LakeQuery(filters: [.equals(column: "session_id", values: [.text("call-9")])]))
    #expect(one.rows.count == 5)
    // Staging leftovers are gone after the upload.
    let staged = (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("staging").path)) ?? []
    #expect(staged.isEmpty)
}
