import Foundation
import Testing
import TestSupport
@testable import Storage

/// The behaviour every `ObjectStore` must have, run against the local store and against S3 (moto).
/// Expected values come from the input bytes themselves, never from the store.
enum StoreBehaviour {
    static func pattern(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    static func expectReason(_ reason: StorageError.Reason, _ body: () async throws -> Void,
                             sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await body()
            Issue.record("expected StorageError.\(reason), got success", sourceLocation: sourceLocation)
        } catch let error as StorageError {
            #expect(error.reason == reason, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected StorageError.\(reason), got \(error)", sourceLocation: sourceLocation)
        }
    }

    static func run(_ store: any ObjectStore, scratch: URL) async throws {
        let data = pattern(300_000)
        let started = Date()

        // put / get / ranged get
        try await store.put("a/b/data.bin", data: data)
        #expect(try await store.get("a/b/data.bin") == data)
        #expect(try await store.get("a/b/data.bin", range: 1000..<1100) == Array(data[1000..<1100]))
        #expect(try await store.get("a/b/data.bin", range: 0..<1) == [data[0]])
        // The end of a range is clamped to the object size; an empty range reads nothing.
        #expect(try await store.get("a/b/data.bin", range: 299_990..<400_000) == Array(data[299_990...]))
        #expect(try await store.get("a/b/data.bin", range: 5..<5) == [])
        await expectReason(.invalidRange) { _ = try await store.get("a/b/data.bin", range: 300_000..<300_010) }

        // head
        let info = try #require(try await store.head("a/b/data.bin"))
        #expect(info.key == "a/b/data.bin")
        #expect(info.size == 300_000)
        if let modified = info.lastModified {
            #expect(abs(modified.timeIntervalSince(started)) < 120)
        } else {
            Issue.record("no lastModified")
        }
        #expect(try await store.head("a/b/missing.bin") == nil)
        #expect(try await store.head("a") == nil)  // a "directory" is not an object
        await expectReason(.notFound) { _ = try await store.get("a/b/missing.bin") }

        // overwrite replaces the whole object; empty objects exist
        let shorter = pattern(10, seed: 9)
        try await store.put("a/b/data.bin", data: shorter)
        #expect(try await store.get("a/b/data.bin") == shorter)
        try await store.put("empty", data: [])
        #expect(try await store.get("empty") == [])
        #expect(try await store.head("empty")?.size == 0)

        // keys with spaces, reserved characters and non-ASCII text
        let oddKeys = ["dir with space/naïve 東京 file+1=2&x?.parquet", "ü/€uro %41 ~tilde", "q'uote\"s;(x)*,!$@"]
        for (i, key) in oddKeys.enumerated() {
            try await store.put(key, data: pattern(100 + i, seed: UInt32(i)))
            #expect(try await store.get(key) == pattern(100 + i, seed: UInt32(i)), "\(key)")
            #expect(try await store.head(key)?.size == Int64(100 + i), "\(key)")
        }
        #expect(try await store.list(prefix: "dir with space/").map(\.key) == [oddKeys[0]])
        #expect(try await store.list(prefix: "ü/").map(\.key) == [oddKeys[1]])

        // list by prefix: plain string prefix (not only directories), UTF-8 byte order
        for key in ["list/x/2", "list/x/1", "list/xz", "list/y/1", "list/x/10", "list/X"] {
            try await store.put(key, data: Array(key.utf8))
        }
        #expect(try await store.list(prefix: "list/x").map(\.key) == ["list/x/1", "list/x/10", "list/x/2", "list/xz"])
        #expect(try await store.list(prefix: "list/x/").map(\.key) == ["list/x/1", "list/x/10", "list/x/2"])
        #expect(try await store.list(prefix: "list/").map(\.key)
                    == ["list/X", "list/x/1", "list/x/10", "list/x/2", "list/xz", "list/y/1"])
        #expect(try await store.list(prefix: "list/x/1").map(\.size) == [8, 9])
        #expect(try await store.list(prefix: "nothing-here/").isEmpty)
        let everything = try await store.list(prefix: "")
        #expect(everything.count == 2 + oddKeys.count + 6)
        #expect(everything.map(\.key) == everything.map(\.key).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })

        // putFile (below any multipart threshold)
        let file = scratch.appendingPathComponent("small.bin")
        let fileBytes = pattern(70_000, seed: 3)
        try Data(fileBytes).write(to: file)
        try await store.putFile("files/small.bin", from: file.path)
        #expect(try await store.get("files/small.bin") == fileBytes)
        await expectReason(.notFound) { try await store.putFile("files/none.bin", from: scratch.path + "/absent") }

        // delete: gone from get/head/list; deleting again is fine
        try await store.delete("list/x/1")
        #expect(try await store.head("list/x/1") == nil)
        #expect(try await store.list(prefix: "list/x/").map(\.key) == ["list/x/10", "list/x/2"])
        try await store.delete("list/x/1")
        try await store.delete("never/existed")

        // keys that cannot map onto a path are refused the same way by every store
        for bad in ["", "/abs", "a//b", "a/../b", "./a", "a/"] {
            await expectReason(.invalidKey) { try await store.put(bad, data: [1]) }
        }
    }
}
