import API
import DuckLake
import Foundation
import HEP
import Storage
import Testing
import TestSupport
@testable import HomerServer

/// `storage.ducklake.storage_policy`: every key, its defaults and its errors, and a tiered lake opened from the
/// configuration whose moved files the API search still finds (moto as the S3 volume).
@Suite struct StoragePolicyTests: ConfigLoading {
    @Test func defaultsAndEveryKey() throws {
        let d = HomerConfig().storage.ducklake.storagePolicy
        #expect(!d.enable && d.ttlMoveIntervalSec == 3600 && d.moveFactor == 0.8 && d.volumes.isEmpty)
        #expect(HomerConfig().storage.ducklake.effectiveDataPath == "./data/homer_parquet/")
        let c = try load("""
            {"storage": {"ducklake": {"storage_policy": {"enable": true, "ttl_move_interval_sec": 60, "move_factor": 0.5,
              "volumes": [
                {"name": "cold", "type": "s3", "path": "s3://bucket/homer/cold/", "priority": 1, "max_data_age_days": 90,
                 "s3": {"region": "eu-west-1", "access_key_id": "AK", "secret_access_key": "SK", "session_token": "ST",
                        "endpoint": "127.0.0.1:9000", "url_style": "vhost", "use_ssl": false}},
                {"name": "hot", "type": "local", "path": "/data/hot/", "priority": 0, "max_data_age_days": 7,
                 "max_size_gb": 0.5}]}}}}
            """)
        let p = c.storage.ducklake.storagePolicy
        #expect(p.enable && p.ttlMoveIntervalSec == 60 && p.moveFactor == 0.5)
        #expect(p.ordered.map(\.name) == ["hot", "cold"])
        let hot = p.ordered[0], cold = p.ordered[1]
        #expect(hot.type == "local" && hot.path == "/data/hot/" && hot.maxDataAgeDays == 7 && hot.maxSizeGB == 0.5 && hot.s3 == nil)
        #expect(cold.type == "s3" && cold.maxDataAgeDays == 90 && cold.maxSizeGB == 0)
        var s3 = HomerConfig.S3()
        s3.region = "eu-west-1"
        s3.accessKeyID = "AK"
        s3.secretAccessKey = "SK"
        s3.sessionToken = "ST"
        s3.endpoint = "127.0.0.1:9000"
        s3.urlStyle = "vhost"
        s3.useSSL = false
        #expect(cold.s3 == s3)
        // New data lands on the first volume: it is the data path.
        #expect(c.storage.ducklake.effectiveDataPath == "/data/hot/")
        // Type from the path, priority from the position; environment overrides (volumes as JSON text).
        let e = try load("{}", env: [
            "HOMER_STORAGE_DUCKLAKE_STORAGE_POLICY_ENABLE": "true",
            "HOMER_STORAGE_DUCKLAKE_STORAGE_POLICY_MOVE_FACTOR": "0.9",
            "HOMER_STORAGE_DUCKLAKE_STORAGE_POLICY_TTL_MOVE_INTERVAL_SEC": "120",
            "HOMER_STORAGE_DUCKLAKE_STORAGE_POLICY_VOLUMES": #"[{"name": "a", "path": "/a"}, {"name": "b", "path": "s3://b/x"}]"#,
        ])
        let ep = e.storage.ducklake.storagePolicy
        #expect(ep.moveFactor == 0.9 && ep.ttlMoveIntervalSec == 120)
        #expect(ep.ordered.map(\.type) == ["local", "s3"] && ep.ordered.map(\.priority) == [0, 1])
        #expect(e.storage.ducklake.effectiveDataPath == "/a")
    }

    static let volumes = "storage.ducklake.storage_policy.volumes"

    @Test(arguments: [
        (#"{"storage": {"ducklake": {"storage_policy": {"enable": "yes"}}}}"#, "storage.ducklake.storage_policy.enable", "boolean"),
        (#"{"storage": {"ducklake": {"storage_policy": {"ttl_move_interval_sec": 0}}}}"#,
         "storage.ducklake.storage_policy.ttl_move_interval_sec", "out of range"),
        (#"{"storage": {"ducklake": {"storage_policy": {"move_factor": 1.5}}}}"#, "storage.ducklake.storage_policy.move_factor", "out of range"),
        (#"{"storage": {"ducklake": {"storage_policy": {"move_factor": "0.8"}}}}"#, "storage.ducklake.storage_policy.move_factor", "got a string"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": {}}}}}"#, volumes, "array of volume objects"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volume": []}}}}"#, "storage.ducklake.storage_policy.volume", "unknown key"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"path": "/a"}]}}}}"#, volumes + "[0].name", "required"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a"}]}}}}"#, volumes + "[0].path", "required"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "/a", "type": "azure"}]}}}}"#,
         volumes + "[0].type", "not one of"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "/a", "type": "s3"}]}}}}"#,
         volumes + "[0].path", "s3://bucket"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "s3://b/", "type": "local"}]}}}}"#,
         volumes + "[0].path", "local volume"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "/a"}, {"name": "b", "path": "/b", "max_data_age_days": -1}]}}}}"#,
         volumes + "[1].max_data_age_days", "out of range"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "/a", "max_size_gb": "big"}]}}}}"#,
         volumes + "[0].max_size_gb", "got a string"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "/a", "max_size_gb": -0.5}]}}}}"#,
         volumes + "[0].max_size_gb", "out of range"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "/a", "priority": "1"}]}}}}"#,
         volumes + "[0].priority", "integer"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "/a", "colour": 1}]}}}}"#,
         volumes + "[0].colour", "unknown key"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "s3://b/", "s3": {"endpoint": "x"}}]}}}}"#,
         volumes + "[0].s3.endpoint", "host:port"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "s3://b/", "s3": {"use_ssl": "no"}}]}}}}"#,
         volumes + "[0].s3.use_ssl", "boolean"),
        (#"{"storage": {"ducklake": {"storage_policy": {"volumes": [{"name": "a", "path": "/a", "s3": {}}]}}}}"#,
         volumes + "[0].s3", "only for volumes of type s3"),
        (#"{"storage": {"ducklake": {"storage_policy": {"enable": true}}}}"#, volumes, "at least one volume"),
        (#"{"storage": {"ducklake": {"storage_policy": {"enable": true, "volumes": [{"name": "a", "path": "/a"}, {"name": "a", "path": "/b"}]}}}}"#,
         volumes + "[1].name", "duplicate"),
        (#"{"storage": {"ducklake": {"storage_policy": {"enable": true, "volumes": [{"name": "a", "path": "/a", "priority": 1}, {"name": "b", "path": "/b", "priority": 1}]}}}}"#,
         volumes + "[1].priority", "duplicate"),
        (#"{"storage": {"ducklake": {"data_path": "/elsewhere/", "storage_policy": {"enable": true, "volumes": [{"name": "a", "path": "/a"}]}}}}"#,
         "storage.ducklake.data_path", "first volume"),
    ])
    func errorsNameTheKey(json: String, key: String, fragment: String) throws {
        let e = try #require(error(json))
        #expect(e.key == key)
        #expect(e.description.contains(fragment), "\(e)")
    }

    @Test func badEnvironmentVolumesNameTheVariable() throws {
        let e = try #require(error("{}", env: ["HOMER_STORAGE_DUCKLAKE_STORAGE_POLICY_VOLUMES": "[{"]))
        #expect(e.key == "HOMER_STORAGE_DUCKLAKE_STORAGE_POLICY_VOLUMES")
        let f = try #require(error("{}", env: ["HOMER_STORAGE_DUCKLAKE_STORAGE_POLICY_MOVE_FACTOR": "lots"]))
        #expect(f.key == "HOMER_STORAGE_DUCKLAKE_STORAGE_POLICY_MOVE_FACTOR")
    }

    /// The server's view: LakeStorage builds the tiered files from the config, a maintenance pass (as `homer lake
    /// maintain` runs it) moves the older day to S3, and the API search returns the same records as before.
    @Test func tieredLakeFromConfigAndTheAPISearch() async throws {
        let moto = MotoServer()
        try moto.start()
        defer { moto.stop() }
        try Oracle.createBucket(moto.url, "cold")
        let dir = try Oracle.temporaryDirectory("up-server-tier")
        let c = try load("""
            {"storage": {"ducklake": {"catalog_path": "\(dir.path)/cat.sqlite",
              "storage_policy": {"enable": true, "volumes": [
                {"name": "hot", "type": "local", "path": "\(dir.path)/hot", "max_data_age_days": 1},
                {"name": "cold", "type": "s3", "path": "s3://cold/homer", "s3": {"endpoint": "\(moto.endpoint)", "use_ssl": false}}]}}}}
            """)
        let lake = try LakeStorage.open(c.storage.ducklake, dataDirectory: c.dataDirectory,
                                        environment: ["AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"])
        let tiered = try #require(lake.files as? TieredLakeFiles)
        #expect(lake.catalog.dataPath == dir.path + "/hot/")
        #expect(tiered.policy.volumes.map(\.root) == [dir.path + "/hot/", "s3://cold/homer/"])
        var o = LakeWriterOptions()
        o.flushIntervalSeconds = 3600
        let writer = try await LakeWriter(catalog: lake.catalog, files: lake.files, options: o)
        let start: Int64 = 1_737_589_800_000_000_000   // 2025-01-22 23:50 UTC
        for day in 0..<2 {
            try await writer.append((0..<20).map { i in
                HEPRecord(timestamp: start + Int64(day) * 86_400_000_000_000 + Int64(i) * 1_000_000_000,
                          sessionID: "s\(day)-\(i / 4)", correlationID: nil, protoType: 1, ipFamily: 2, transport: 17,
                          srcIP: "10.0.0.1", dstIP: "10.0.0.2", srcPort: 5060, dstPort: 5060, captureID: 1,
                          nodeName: nil, vlan: nil, method: "INVITE", responseCode: nil, cseqNumber: 1,
                          cseqMethod: "INVITE", fromUser: "a", fromDomain: "x", fromTag: nil, toUser: "b",
                          toDomain: "y", toTag: nil, ruriUser: "b", ruriDomain: "y", userAgent: nil,
                          payload: Array("INVITE sip:b@y SIP/2.0\r\nCall-ID: s\(day)-\(i / 4)\r\n\r\n".utf8))
            })
            try await writer.flush()
        }
        let backend = await DuckLakeBackend(writer: writer)
        let query = SearchQuery(filters: [SearchFilter(.sessionID, [.string("s0-1"), .string("s1-2")])], limit: 100)
        let before = try await backend.search(query)
        #expect(before.records.count == 8)

        var options = c.maintenance.options
        options.tiering = tiered.policy
        options.targetFileSizeBytes = nil
        let report = try await LakeMaintenance(catalog: lake.catalog, files: lake.files, options: options)
            .run(nowMicros: 1_737_720_000_000_000)   // 2025-01-24 12:00: 2025-01-22 is past hot's age
        #expect(report.tiering.moves.map(\.files) == [1])
        let after = try await backend.search(query)
        #expect(after.records == before.records)
        #expect(after.snapshotID == (before.snapshotID ?? 0) + 1)
        let inspected = try lake.catalog.inspect(volumes: LakeStorage.volumeRoots(c.storage.ducklake, catalogDataPath: lake.catalog.dataPath))
        #expect(inspected.volumes.map(\.files) == [1, 1])
        #expect(inspected.text.contains("cold"))
        try await writer.shutdown()
        try await tiered.policy.volumes[1].store.shutdown()
    }

    /// The CLI: `homer lake maintain --config` moves the files past the hot volume's age (real clock: the data is
    /// from 2025) to the second local volume, `homer lake inspect --config` counts them there, DuckDB reads them all.
    @Test func lakeMaintainAndInspectCommandsUseTheVolumes() async throws {
        let binary = try LakeServer.binary()
        let dir = try Oracle.temporaryDirectory("up-cli-tier")
        let configPath = dir.appendingPathComponent("homer.json").path
        let json = """
            {"storage": {"ducklake": {"catalog_path": "\(dir.path)/cat.sqlite",
              "storage_policy": {"enable": true, "volumes": [
                {"name": "hot", "path": "\(dir.path)/hot", "max_data_age_days": 1},
                {"name": "warm", "path": "\(dir.path)/warm"}]}}}}
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: configPath))
        let c = try load(json)
        let lake = try LakeStorage.open(c.storage.ducklake, dataDirectory: c.dataDirectory, environment: [:])
        var o = LakeWriterOptions()
        o.flushIntervalSeconds = 3600
        let writer = try await LakeWriter(catalog: lake.catalog, files: lake.files, options: o)
        let start: Int64 = 1_737_589_800_000_000_000   // 2025-01-22 23:50 UTC: rows on two dates
        try await writer.append((0..<40).map { i in
            HEPRecord(timestamp: start + Int64(i) * 30_000_000_000, sessionID: "c\(i / 4)", correlationID: nil,
                      protoType: 1, ipFamily: 2, transport: 17, srcIP: "10.0.0.1", dstIP: "10.0.0.2", srcPort: 5060,
                      dstPort: 5060, captureID: 1, nodeName: nil, vlan: nil, method: "INVITE", responseCode: nil,
                      cseqNumber: 1, cseqMethod: "INVITE", fromUser: "a", fromDomain: "x", fromTag: nil, toUser: "b",
                      toDomain: "y", toTag: nil, ruriUser: "b", ruriDomain: "y", userAgent: nil,
                      payload: Array("INVITE sip:b@y SIP/2.0\r\n\r\n".utf8))
        })
        try await writer.shutdown()

        let report = try Oracle.run(binary, ["lake", "maintain", "--config", configPath, "--target-file-size-mb", "0"])
        #expect(report.contains("tiering: moved 2 file(s)") && report.contains("hot→warm"), "\(report)")
        let head = try lake.catalog.currentSnapshot().id
        let table = try #require(try lake.catalog.table(named: HEPTable.tableName, at: head))
        let files = try lake.catalog.dataFiles(tableID: table.tableID, at: head)
        #expect(files.count == 2 && files.allSatisfy { $0.path.hasPrefix(dir.path + "/warm/main/hep_messages/date=") })
        let inspect = try Oracle.run(binary, ["lake", "inspect", "--config", configPath])
        let warm = inspect.split(separator: "\n").first { $0.hasPrefix("warm") }.map { $0.split(separator: " ").map(String.init) }
        #expect(warm?.prefix(3) == ["warm", "2", "40"], "\(inspect)")
        let rows = try Oracle.runPython("upkeep_oracle.py", ["rows", "--catalog", dir.path + "/cat.sqlite"])
        let count = (try JSONSerialization.jsonObject(with: Data(rows.utf8)) as? [String: Any])?["count"] as? Int
        #expect(count == 40, "\(rows)")
    }
}
