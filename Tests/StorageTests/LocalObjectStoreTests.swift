import Foundation
import Testing
import TestSupport
@testable import Storage

@Suite struct LocalObjectStoreTests {
    @Test func behaviourSuite() async throws {
        let dir = try Oracle.temporaryDirectory("homer-local-store")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try LocalObjectStore(root: dir.appendingPathComponent("root").path)
        try await StoreBehaviour.run(store, scratch: dir)
        try await store.shutdown()
    }

    @Test func objectsAreFilesUnderTheRootAndNoTemporaryFilesRemain() async throws {
        let dir = try Oracle.temporaryDirectory("homer-local-store")
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = dir.appendingPathComponent("lake")
        let store = try LocalObjectStore(root: root.path + "/")
        #expect(store.root == root.path)
        let bytes = StoreBehaviour.pattern(5000)
        // Concurrent writers of one key: every reader sees one complete version, never a mix.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for seed in 1...8 {
                group.addTask { try await store.put("main/t/f.parquet", data: StoreBehaviour.pattern(5000, seed: UInt32(seed))) }
                group.addTask {
                    if let read = try? await store.get("main/t/f.parquet") {
                        #expect((1...8).contains { read == StoreBehaviour.pattern(5000, seed: UInt32($0)) })
                    }
                }
            }
            try await group.waitForAll()
        }
        try await store.put("main/t/f.parquet", data: bytes)
        // The object is a plain file at <root>/<key>, readable without the store.
        let onDisk = try Data(contentsOf: root.appendingPathComponent("main/t/f.parquet"))
        #expect(Array(onDisk) == bytes)
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("main/t").path)
        #expect(names == ["f.parquet"])
        // A leftover temporary file (a crash mid-put) is never listed.
        try Data([1, 2]).write(to: root.appendingPathComponent("main/t/.homer-tmp-crashed"))
        #expect(try await store.list(prefix: "main/").map(\.key) == ["main/t/f.parquet"])
        // Deleting the last object of a directory removes the emptied directories (S3 has none).
        try FileManager.default.removeItem(at: root.appendingPathComponent("main/t/.homer-tmp-crashed"))
        try await store.delete("main/t/f.parquet")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("main").path))
        #expect(FileManager.default.fileExists(atPath: root.path))
    }

    @Test func largeFileCopyAndRangedReads() async throws {
        let dir = try Oracle.temporaryDirectory("homer-local-store")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try LocalObjectStore(root: dir.appendingPathComponent("root").path)
        // 3.5 MiB: spans several 1 MiB copy chunks, with a partial last one.
        let bytes = StoreBehaviour.pattern(3 * 1_048_576 + 524_289, seed: 42)
        let source = dir.appendingPathComponent("big.bin")
        try Data(bytes).write(to: source)
        try await store.putFile("big/big.bin", from: source.path)
        #expect(try await store.head("big/big.bin")?.size == Int64(bytes.count))
        #expect(try await store.get("big/big.bin") == bytes)
        for start in [0, 1_048_575, 1_048_576, 2_000_001, bytes.count - 7] {
            let range = Int64(start)..<Int64(start + 65_536)
            #expect(try await store.get("big/big.bin", range: range)
                        == Array(bytes[start..<min(start + 65_536, bytes.count)]))
        }
        // The RangeReader-shaped view reads a "footer" the way the Parquet reader does.
        let reader = ObjectRangeReader(store: store, key: "big/big.bin")
        let size = try await reader.size
        #expect(size == Int64(bytes.count))
        #expect(try await reader.read(offset: size - 8, length: 8) == Array(bytes.suffix(8)))
        #expect(try await ObjectRangeReader(store: store, key: "big/big.bin", size: 99).size == 99)
        await StoreBehaviour.expectReason(.notFound) { _ = try await ObjectRangeReader(store: store, key: "big/none").size }
    }
}
