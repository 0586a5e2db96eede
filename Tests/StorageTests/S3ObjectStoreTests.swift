import Foundation
import Testing
import TestSupport
@testable import Storage

/// The S3 store against a real S3 API (moto_server on loopback), with boto3 as the judge.
@Suite struct S3ObjectStoreTests {
    static func options(_ moto: MotoServer, bucket: String = "homer", prefix: String = "lake/",
                        key: String = "test", secret: String = "test") -> S3Options {
        S3Options(bucket: bucket, prefix: prefix, region: "us-east-1", accessKeyID: key, secretAccessKey: secret,
                  endpoint: moto.endpoint, urlStyle: .path, useSSL: false, maxRetries: 2)
    }

    static func boto(_ arguments: [String], env: [String: String] = [:]) throws -> String {
        try Oracle.run(Oracle.python, [Oracle.scripts.appendingPathComponent("storage_s3.py").path] + arguments,
                       environment: env).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func behaviourSuiteOnMoto() async throws {
        try await MotoServer.with { moto in
            let store = try S3ObjectStore(options: Self.options(moto))
            try await store.createBucket()
            try await store.createBucket()  // already ours: not an error
            let dir = try Oracle.temporaryDirectory("homer-s3-store")
            defer { try? FileManager.default.removeItem(at: dir) }
            try await StoreBehaviour.run(store, scratch: dir)
            // boto3 sees the same objects under the prefix, odd keys included.
            let keys = try JSONSerialization.jsonObject(with: Data(try Self.boto(["keys", moto.url, "homer", "lake/dir with space/"]).utf8)) as? [String]
            #expect(keys == ["lake/dir with space/naïve 東京 file+1=2&x?.parquet"])
            try await store.shutdown()
        }
    }

    /// moto with signature checking on: an IAM user's key is accepted, a wrong secret gets 403 SignatureDoesNotMatch.
    @Test func signatureIsCheckedByMoto() async throws {
        try await MotoServer.with(initialNoAuthActionCount: 3) { moto in
            let pair = try Self.boto(["iam-key", moto.url]).split(separator: " ").map(String.init)
            try #require(pair.count == 2)
            let store = try S3ObjectStore(options: Self.options(moto, key: pair[0], secret: pair[1]))
            try await store.createBucket()
            try await store.put("signed/object.bin", data: Array("signed".utf8))
            #expect(try await store.get("signed/object.bin") == Array("signed".utf8))
            #expect(try await store.get("signed/object.bin", range: 1..<4) == Array("ign".utf8))
            #expect(try await store.list(prefix: "signed/").map(\.key) == ["signed/object.bin"])
            try await store.shutdown()

            let wrong = try S3ObjectStore(options: Self.options(moto, key: pair[0], secret: pair[1] + "x"))
            do {
                try await wrong.put("signed/forged.bin", data: [1])
                Issue.record("a wrong secret was accepted")
            } catch let error as StorageError {
                #expect(error.status == 403)
                #expect(error.code == "SignatureDoesNotMatch")
                #expect(error.reason == .accessDenied)
            }
            #expect(wrong.statistics.retries.load(ordering: .relaxed) == 0)  // a 4xx is final
            try await wrong.shutdown()
            // The forged write did not happen (judged by boto3 with the real key).
            let keys = try Self.boto(["keys", moto.url, "homer", "lake/signed/"],
                                     env: ["AWS_ACCESS_KEY_ID": pair[0], "AWS_SECRET_ACCESS_KEY": pair[1]])
            #expect(keys == "[\"lake/signed/object.bin\"]")
        }
    }

    /// ListObjectsV2 answers at most 1000 keys per page: 1,050 keys need the continuation token.
    @Test func listPaginatesBeyondAThousandKeys() async throws {
        try await MotoServer.with { moto in
            let store = try S3ObjectStore(options: Self.options(moto))
            try await store.createBucket()
            let keys = (0..<1050).map { "many/part-\($0).parquet" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for chunk in stride(from: 0, to: keys.count, by: 75) {
                    group.addTask {
                        for key in keys[chunk..<min(chunk + 75, keys.count)] { try await store.put(key, data: Array(key.utf8)) }
                    }
                }
                try await group.waitForAll()
            }
            try await store.put("other/x", data: [1])
            let before = store.statistics.requests.load(ordering: .relaxed)
            let listed = try await store.list(prefix: "many/")
            #expect(store.statistics.requests.load(ordering: .relaxed) - before == 2)  // two pages
            #expect(listed.map(\.key) == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(listed.allSatisfy { $0.size == Int64($0.key.utf8.count) })
            let judged = try JSONSerialization.jsonObject(with: Data(try Self.boto(["keys", moto.url, "homer", "lake/many/"]).utf8)) as? [String]
            #expect(judged?.map { String($0.dropFirst("lake/".count)) } == listed.map(\.key))
            try await store.shutdown()
        }
    }

    /// A file above the threshold goes up in parts; boto3 downloads it byte-identical and sees a multipart ETag.
    @Test func multipartUploadReadBackByBoto3() async throws {
        try await MotoServer.with { moto in
            var options = Self.options(moto)
            options.multipartThreshold = 5 << 20
            options.partSize = 5 << 20
            let store = try S3ObjectStore(options: options)
            try await store.createBucket()
            let dir = try Oracle.temporaryDirectory("homer-s3-multipart")
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("big.parquet")
            let bytes = StoreBehaviour.pattern(12 * 1_048_576 + 12_345, seed: 7)
            try Data(bytes).write(to: file)
            let before = store.statistics.requests.load(ordering: .relaxed)
            try await store.putFile("main/hep/big file ü.parquet", from: file.path)
            // create + 3 parts + complete + HEAD check
            #expect(store.statistics.requests.load(ordering: .relaxed) - before == 6)
            let digest = try JSONSerialization.jsonObject(with: Data(try Self.boto(["digest", moto.url, "homer", "lake/main/hep/big file ü.parquet"]).utf8)) as? [String: Any]
            #expect(digest?["size"] as? Int == bytes.count)
            #expect(digest?["sha256"] as? String == (try Self.boto(["file-sha256", file.path])))
            #expect((digest?["etag"] as? String)?.hasSuffix("-3\"") == true)
            // Ranged reads across part boundaries.
            let boundary = 5 * 1_048_576
            #expect(try await store.get("main/hep/big file ü.parquet", range: Int64(boundary - 10)..<Int64(boundary + 10))
                        == Array(bytes[(boundary - 10)..<(boundary + 10)]))
            // A failed multipart upload (no such bucket) leaves nothing and reports the S3 code.
            var missing = options
            missing.bucket = "no-such-bucket"
            let other = try S3ObjectStore(options: missing)
            do {
                try await other.putFile("x.parquet", from: file.path)
                Issue.record("upload into a missing bucket succeeded")
            } catch let error as StorageError {
                #expect(error.code == "NoSuchBucket")
            }
            try await other.shutdown()
            try await store.shutdown()
        }
    }

    /// Stop moto mid-way, restart it on the same port: an operation issued during the outage succeeds after the
    /// restart thanks to retries; a 4xx is answered at once, without retry.
    @Test func retriesRideOutAnEndpointRestart() async throws {
        let moto = MotoServer()
        try moto.start()
        defer { moto.stop() }
        var options = Self.options(moto)
        options.maxRetries = 40
        options.retryBaseDelay = 0.05
        options.retryMaxDelay = 0.4
        let store = try S3ObjectStore(options: options)
        try await store.createBucket()
        try await store.put("before", data: [1])

        moto.stop()
        #expect(!MotoServer.accepts(port: moto.port))
        // moto keeps state in memory: after the restart the bucket is gone, and creating it is the retried call.
        async let recreated: Void = store.createBucket()
        // Wait until an attempt has failed against the stopped server (AsyncHTTPClient itself keeps trying to
        // connect until the connect timeout, so the first failure surfaces after up to `connectTimeout`).
        let clock = ContinuousClock()
        let waitStart = clock.now
        while store.statistics.retries.load(ordering: .relaxed) == 0 && clock.now - waitStart < .seconds(20) {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(store.statistics.retries.load(ordering: .relaxed) >= 1)
        try moto.start()
        try await recreated
        try await store.put("after", data: [2, 3])
        #expect(try Self.boto(["keys", moto.url, "homer", "lake/"]) == "[\"lake/after\"]")

        let retriesBefore = store.statistics.retries.load(ordering: .relaxed)
        await StoreBehaviour.expectReason(.notFound) { _ = try await store.get("before") }
        #expect(store.statistics.retries.load(ordering: .relaxed) == retriesBefore)
        try await store.shutdown()
    }

    /// A fake endpoint judges the policy by counting the requests that reached it: 503 SlowDown is retried until
    /// it clears; 403 is not retried.
    @Test func slowDownIsRetriedAndForbiddenIsNot() async throws {
        for (mode, expectedRequests) in [("slowdown:2", 3), ("forbidden", 1)] {
            let port = Ports.free()
            let dir = try Oracle.temporaryDirectory("homer-flaky")
            defer { try? FileManager.default.removeItem(at: dir) }
            let log = dir.appendingPathComponent("requests.log").path
            let server = Process()
            server.executableURL = URL(fileURLWithPath: Oracle.python)
            server.arguments = [Oracle.scripts.appendingPathComponent("storage_flaky_s3.py").path, String(port), mode, log]
            try server.run()
            // SIGKILL: the child inherits a signal mask in which SIGTERM may be blocked.
            defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
            let deadline = Date().addingTimeInterval(20)
            while !MotoServer.accepts(port: port) && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            let store = try S3ObjectStore(options: S3Options(bucket: "b", endpoint: "127.0.0.1:\(port)", urlStyle: .path,
                                                             useSSL: false, maxRetries: 5, retryBaseDelay: 0.01))
            do {
                let body = try await store.get("k")
                #expect(mode.hasPrefix("slowdown") && body == Array("hello".utf8))
            } catch let error as StorageError {
                #expect(mode == "forbidden" && error.status == 403 && error.code == "AccessDenied", "\(error)")
            }
            try await store.shutdown()
            let lines = (try String(contentsOfFile: log, encoding: .utf8)).split(separator: "\n")
            #expect(lines.count == expectedRequests, "\(mode): \(lines)")
        }
    }
}
