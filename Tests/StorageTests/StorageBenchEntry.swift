import Foundation
import Testing
import TestSupport
import Storage

/// Not a test: the entry point of `bench/storage.sh`, which sets HOMER_STORAGE_BENCH=1 and builds in release mode.
/// Runs `StorageBench` against moto (S3 API on loopback) and against a local directory and prints the figures.
@Suite struct StorageBenchEntry {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HOMER_STORAGE_BENCH"] != nil,
                   "bench entry point, run by bench/storage.sh"))
    func storageBench() async throws {
        let env = ProcessInfo.processInfo.environment
        let objectMiB = Int(env["HOMER_STORAGE_BENCH_MIB"] ?? "") ?? 64
        let dir = try Oracle.temporaryDirectory("homer-storage-bench")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await MotoServer.with { moto in
            let store = try S3ObjectStore(options: S3Options(bucket: "bench", region: "us-east-1", accessKeyID: "test",
                                                             secretAccessKey: "test", endpoint: moto.endpoint,
                                                             urlStyle: .path, useSSL: false))
            try await store.createBucket()
            let result = try await StorageBench.run(store: store, scratchDirectory: dir.path, objectMiB: objectMiB)
            print("STORAGE-BENCH moto(S3, multipart \(store.options.partSize >> 20) MiB parts × \(store.options.uploadConcurrency)): \(result)")
            try await store.shutdown()
        }
        let local = try LocalObjectStore(root: dir.appendingPathComponent("local").path)
        let result = try await StorageBench.run(store: local, scratchDirectory: dir.path, objectMiB: objectMiB)
        print("STORAGE-BENCH local(fsync): \(result)")
    }
}
