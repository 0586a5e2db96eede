import Foundation
import Testing
import TestSupport
@testable import Storage

@Suite struct S3OptionsTests {
    @Test func parsesS3URLs() throws {
        #expect(try S3Options.parseURL("s3://homer/lake/") == ("homer", "lake/"))
        #expect(try S3Options.parseURL("s3://homer/lake") == ("homer", "lake/"))
        #expect(try S3Options.parseURL("s3://homer") == ("homer", ""))
        #expect(try S3Options.parseURL("s3://homer/") == ("homer", ""))
        #expect(try S3Options.parseURL("S3://homer/a/b//") == ("homer", "a/b/"))
        #expect(throws: StorageError.self) { try S3Options.parseURL("s3:///lake/") }
        #expect(throws: StorageError.self) { try S3Options.parseURL("/var/lib/homer") }
        let options = try S3Options(url: "s3://bucket-1/x/y/")
        #expect(options.bucket == "bucket-1" && options.prefix == "x/y/")
    }

    @Test func environmentFillsOnlyWhatIsUnset() {
        let env = ["AWS_ACCESS_KEY_ID": "envkey", "AWS_SECRET_ACCESS_KEY": "envsecret",
                   "AWS_SESSION_TOKEN": "envtoken", "AWS_REGION": "eu-west-3"]
        let fromEnv = S3Options(bucket: "b").resolved(environment: env)
        #expect(fromEnv.accessKeyID == "envkey" && fromEnv.secretAccessKey == "envsecret")
        #expect(fromEnv.sessionToken == "envtoken" && fromEnv.effectiveRegion == "eu-west-3")
        #expect(fromEnv.effectiveEndpoint == "s3.eu-west-3.amazonaws.com")

        // Configured credentials win, and the environment's token never pairs with a configured key.
        let configured = S3Options(bucket: "b", region: "us-west-2", accessKeyID: "cfg", secretAccessKey: "cfgsecret")
            .resolved(environment: env)
        #expect(configured.accessKeyID == "cfg" && configured.secretAccessKey == "cfgsecret")
        #expect(configured.sessionToken == nil && configured.region == "us-west-2")

        let fallback = S3Options(bucket: "b").resolved(environment: ["AWS_DEFAULT_REGION": "ap-south-1"])
        #expect(fallback.accessKeyID == nil && fallback.effectiveRegion == "ap-south-1")
        #expect(S3Options(bucket: "b").resolved(environment: [:]).effectiveRegion == "us-east-1")
    }

    @Test func validationRejectsUnusableOptions() {
        #expect(throws: StorageError.self) { try S3Options(bucket: "").validate() }
        #expect(throws: StorageError.self) { try S3Options(bucket: "b", partSize: 1 << 20).validate() }
        #expect(throws: StorageError.self) { try S3Options(bucket: "b", prefix: "noslash").validate() }
        #expect(throws: StorageError.self) { try S3Options(bucket: "b", accessKeyID: "only-key").validate() }
        #expect(throws: StorageError.self) { try S3Options(bucket: "b", listPageSize: 5000).validate() }
    }

    @Test func factoryPicksTheStoreFromTheDataPath() async throws {
        let s3 = try ObjectStores.make(dataPath: "s3://homer/lake/",
                                       s3: S3Options(endpoint: "127.0.0.1:1", urlStyle: .path, useSSL: false))
        let store = try #require(s3 as? S3ObjectStore)
        #expect(store.options.bucket == "homer" && store.options.prefix == "lake/")
        #expect(store.options.endpoint == "127.0.0.1:1")
        #expect(s3.location == "s3://homer/lake/")
        try await s3.shutdown()
        try await s3.shutdown()  // idempotent

        let dir = try Oracle.temporaryDirectory("homer-factory")
        defer { try? FileManager.default.removeItem(at: dir) }
        let local = try ObjectStores.make(dataPath: dir.appendingPathComponent("data/").path)
        #expect(local is LocalObjectStore)
        #expect(local.location == dir.appendingPathComponent("data").path)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("data").path))
    }
}
