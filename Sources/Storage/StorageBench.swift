import Foundation

/// Upload and ranged-read throughput of an object store (`homer bench storage` / `bench/storage.sh`).
public enum StorageBench {
    /// What one run measured.
    public struct Result: Sendable, CustomStringConvertible {
        public var store: String
        public var objectBytes: Int64
        public var uploads: Int
        /// putFile throughput, MB/s (10^6 bytes), over all uploads; multipart above the store's threshold.
        public var uploadMBps: Double
        /// Whole-object get throughput, MB/s.
        public var downloadMBps: Double
        public var rangedReads: Int
        public var rangeBytes: Int
        /// Sequential ranged reads: latency percentiles in milliseconds.
        public var rangeLatencyP50ms: Double
        public var rangeLatencyP99ms: Double
        /// Ranged reads with `concurrency` in flight: reads per second and MB/s.
        public var concurrency: Int
        public var concurrentReadsPerSecond: Double
        public var concurrentRangeMBps: Double

        public var description: String {
            let mib = objectBytes >> 20
            return String(format: "%@: upload %d × %lld MiB: %.1f MB/s | get whole: %.1f MB/s | %d × %d KiB ranged reads: "
                            + "p50 %.2f ms, p99 %.2f ms sequential; %.0f reads/s = %.1f MB/s at concurrency %d",
                          store, uploads, mib, uploadMBps, downloadMBps, rangedReads, rangeBytes >> 10,
                          rangeLatencyP50ms, rangeLatencyP99ms, concurrentReadsPerSecond, concurrentRangeMBps,
                          concurrency)
        }
    }

    /// Uploads `uploads` copies of a random `objectMiB` MiB file with `putFile`, reads one back whole, then does
    /// `rangedReads` random `rangeKiB` KiB ranged reads sequentially and again with `concurrency` in flight.
    /// Objects go under `bench/` in the store and are deleted afterwards. `scratchDirectory` holds the source file.
    public static func run(store: any ObjectStore, scratchDirectory: String, objectMiB: Int = 64, uploads: Int = 3,
                           rangedReads: Int = 1000, rangeKiB: Int = 64, concurrency: Int = 8) async throws -> Result {
        let size = objectMiB << 20
        let source = scratchDirectory + "/storage-bench-\(UUID().uuidString.prefix(8)).bin"
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: size)
        bytes.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for i in words.indices { words[i] = generator.next() }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        defer { try? FileManager.default.removeItem(atPath: source) }

        let clock = ContinuousClock()
        var keys: [String] = []
        let uploadStart = clock.now
        for i in 0..<uploads {
            let key = "bench/object-\(i).bin"
            try await store.putFile(key, from: source)
            keys.append(key)
        }
        let uploadSeconds = seconds(clock.now - uploadStart)

        let downloadStart = clock.now
        let whole = try await store.get(keys[0])
        let downloadSeconds = seconds(clock.now - downloadStart)
        guard whole.count == size, whole == bytes else {
            throw StorageError(.sizeMismatch, message: "bench object read back differs", key: keys[0])
        }

        let rangeBytes = rangeKiB << 10
        let offsets = (0..<rangedReads).map { _ in Int64.random(in: 0...Int64(size - rangeBytes)) }
        var latencies: [Double] = []
        latencies.reserveCapacity(rangedReads)
        for offset in offsets {
            let start = clock.now
            let part = try await store.get(keys[0], range: offset..<(offset + Int64(rangeBytes)))
            latencies.append(seconds(clock.now - start) * 1000)
            guard part.count == rangeBytes, part[0] == bytes[Int(offset)] else {
                throw StorageError(.sizeMismatch, message: "ranged read returned wrong bytes", key: keys[0])
            }
        }
        latencies.sort()

        let concurrentStart = clock.now
        let key = keys[0]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<concurrency {
                group.addTask {
                    for index in stride(from: lane, to: offsets.count, by: concurrency) {
                        let offset = offsets[index]
                        let part = try await store.get(key, range: offset..<(offset + Int64(rangeBytes)))
                        guard part.count == rangeBytes else {
                            throw StorageError(.sizeMismatch, message: "short ranged read", key: key)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let concurrentSeconds = seconds(clock.now - concurrentStart)
        for key in keys { try await store.delete(key) }

        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        return Result(store: store.location, objectBytes: Int64(size), uploads: uploads,
                      uploadMBps: Double(size * uploads) / 1e6 / uploadSeconds,
                      downloadMBps: Double(size) / 1e6 / downloadSeconds,
                      rangedReads: rangedReads, rangeBytes: rangeBytes,
                      rangeLatencyP50ms: percentile(0.5), rangeLatencyP99ms: percentile(0.99),
                      concurrency: concurrency,
                      concurrentReadsPerSecond: Double(rangedReads) / concurrentSeconds,
                      concurrentRangeMBps: Double(rangedReads * rangeBytes) / 1e6 / concurrentSeconds)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
