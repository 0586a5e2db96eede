import Foundation
import Parquet
import Testing
import TestSupport
import DuckLake

/// Local files that fail to publish while `failing` is set (a full disk, an unreachable bucket).
final class FlakyFiles: LakeFiles, @unchecked Sendable {
    // `failing` is guarded by `lock`; `inner` is immutable.
    let inner: LocalLakeFiles
    private let lock = NSLock()
    private var _failing = false
    var failing: Bool {
        get { lock.lock(); defer { lock.unlock() }; return _failing }
        set { lock.lock(); _failing = newValue; lock.unlock() }
    }

    init(root: String) { inner = LocalLakeFiles(root: root) }

    func stagingPath(for relativePath: String) throws -> String { try inner.stagingPath(for: relativePath) }
    func publish(staged: String, as relativePath: String) async throws {
        if failing {
            unlink(staged)
            throw DuckLakeError(.io, "injected upload failure")
        }
        try await inner.publish(staged: staged, as: relativePath)
    }
    func list(prefix: String) async throws -> [String] { try await inner.list(prefix: prefix) }
    func delete(_ relativePath: String) async throws { try await inner.delete(relativePath) }
    func reader(fullPath: String, size: Int64?) async throws -> any RangeReader {
        try await inner.reader(fullPath: fullPath, size: size)
    }
}

/// Storage failures never lose or duplicate records: a batch is either buffered (and later committed exactly once)
/// or refused with an error (and retried by the caller).
@Test func failingStorageKeepsRecordsAndRefusesWhenFull() async throws {
    let dir = try Oracle.temporaryDirectory("dl-fail")
    let catalogPath = dir.appendingPathComponent("cat.sqlite").path
    let catalog = try SQLiteCatalog(path: catalogPath, dataPath: dir.appendingPathComponent("data").path)
    let files = FlakyFiles(root: catalog.dataPath)
    var o = LakeWriterOptions()
    o.batchSize = 10
    o.maxBufferedBatches = 2
    o.flushIntervalSeconds = 3600
    let w = try await LakeWriter(catalog: catalog, files: files, options: o)
    files.failing = true
    var sent = 0, refused = 0, accepted: [Int] = []
    for k in 0..<8 {
        do {
            try await w.append(LakeFixtures.records(10, from: k * 10), through: LakeSpoolPosition(segment: 0, offset: UInt64(k)))
            sent += 10
            accepted.append(k)
        } catch {
            refused += 1
        }
    }
    // While storage fails, at most maxBufferedBatches (≥ 2) batches wait; the others are refused whole.
    #expect(sent + refused * 10 == 80)
    #expect(refused >= 1)
    #expect(sent <= 30)
    #expect(await w.pendingStatistics().rows == sent)
    #expect(try catalog.statistics(tableID: 1, at: nil).rowCount == 0)
    #expect(try catalog.committedSpoolPosition() == nil)
    files.failing = false
    try await w.append(LakeFixtures.records(10, from: 80), through: LakeSpoolPosition(segment: 0, offset: 8))
    try await w.flush()
    let rows = try LakeOracle.rows(catalogPath)
    #expect(rows.rows.count == sent + 10)
    let expected = accepted.flatMap { LakeFixtures.records(10, from: $0 * 10) } + LakeFixtures.records(10, from: 80)
    #expect(rows.rows.map(\.timestamp).sorted() == expected.map { $0.timestamp / 1000 }.sorted())
    #expect(try catalog.committedSpoolPosition() == LakeSpoolPosition(segment: 0, offset: 8))
    // No staged or orphan files were left behind by the failed flushes.
    let left = try await files.list(prefix: "main/hep_messages/").filter { !$0.hasSuffix(".parquet") || $0.contains("/.") }
    #expect(left.isEmpty)
}

@Test func spoolPositionEncoding() {
    let p = LakeSpoolPosition(segment: 0x0102_0304_0506_0708, offset: 42)
    #expect(p.bytes.count == 16)
    #expect(p.segmentOffset?.segment == 0x0102_0304_0506_0708)
    #expect(p.segmentOffset?.offset == 42)
    #expect(LakeSpoolPosition(bytes: [1, 2]).segmentOffset == nil)
}
