import DuckLake
import Foundation
import HEP
import Storage
import Testing
import TestSupport
@testable import HomerServer

/// The server side of lake upkeep: `maintenance.*` keys, and `LakeStorage` opening an `s3://` lake (credentials from
/// the AWS_* environment) on which a maintenance pass drops, expires and deletes objects.
@Suite struct LakeUpkeepServerTests {
    @Test func maintenanceKeysAreReadAndOverridden() throws {
        var c = HomerConfig()
        try ConfigLoader.apply(json: Data("""
            {"maintenance": {"enable": true, "interval_sec": 600, "target_file_size_mb": 64, "retention_days": 30,
                             "expire_snapshots_older_than_hours": 0}}
            """.utf8), to: &c)
        try ConfigLoader.apply(environment: ["HOMER_MAINTENANCE_RETENTION_DAYS": "7"], to: &c)
        #expect(c.maintenance.enable)
        #expect(c.maintenance.intervalSec == 600)
        let o = c.maintenance.options
        #expect(o.targetFileSizeBytes == 64 << 20)
        #expect(o.retentionDays == 7)
        #expect(o.expireSnapshotsOlderThanHours == nil)
        #expect(HomerConfig().maintenance.options.retentionDays == nil)
        var bad = HomerConfig()
        #expect(throws: ConfigError.self) {
            try ConfigLoader.apply(json: Data(#"{"maintenance": {"retention_days": -1}}"#.utf8), to: &bad)
        }
    }

    @Test func s3LakeFromConfigIsWrittenAndMaintained() async throws {
        let moto = MotoServer()
        try moto.start()
        defer { moto.stop() }
        try Oracle.createBucket(moto.url, "homer")
        let dir = try Oracle.temporaryDirectory("up-server-s3")
        var c = HomerConfig()
        c.storage.ducklake.catalogPath = dir.appendingPathComponent("cat.sqlite").path
        c.storage.ducklake.dataPath = "s3://homer/lake"
        c.storage.ducklake.s3.endpoint = moto.endpoint
        c.storage.ducklake.s3.useSSL = false
        // No keys in the s3 block: they come from the standard variables.
        let lake = try LakeStorage.open(c.storage.ducklake, dataDirectory: c.dataDirectory,
                                        environment: ["AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"])
        #expect(lake.catalog.dataPath == "s3://homer/lake/")
        var o = LakeWriterOptions()
        o.flushIntervalSeconds = 3600
        let writer = try await LakeWriter(catalog: lake.catalog, files: lake.files, options: o)
        let start: Int64 = 1_737_589_800_000_000_000   // 2025-01-22 23:50 UTC
        for day in 0..<2 {
            let records = (0..<20).map { i in
                HEPRecord(timestamp: start + Int64(day) * 86_400_000_000_000 + Int64(i) * 1_000_000_000,
                          sessionID: "s\(day)-\(i / 4)", correlationID: nil, protoType: 1, ipFamily: 2, transport: 17,
                          srcIP: "10.0.0.1", dstIP: "10.0.0.2", srcPort: 5060, dstPort: 5060, captureID: 1,
                          nodeName: nil, vlan: nil, method: "INVITE", responseCode: nil, cseqNumber: 1,
                          cseqMethod: "INVITE", fromUser: "a", fromDomain: "x", fromTag: nil, toUser: "b",
                          toDomain: "y", toTag: nil, ruriUser: "b", ruriDomain: "y", userAgent: nil,
                          payload: Array("INVITE sip:b@y SIP/2.0\r\n\r\n".utf8))
            }
            try await writer.append(records)
            try await writer.flush()
        }
        let table = try #require(try lake.catalog.table(named: HEPTable.tableName, at: try lake.catalog.currentSnapshot().id))
        let old = try lake.catalog.dataFiles(tableID: table.tableID, at: try lake.catalog.currentSnapshot().id)
            .filter { $0.path.contains("date=2025-01-22/") }
        #expect(old.count == 1)
        let inspected = try lake.catalog.inspect()
        #expect(inspected.volume == "s3")
        #expect(inspected.partitions.map(\.value) == ["2025-01-22", "2025-01-23"])
        #expect(inspected.rows == 40)

        // Retention of 1 day at 2025-01-24 12:00, and expiry of everything older than that pass: the S3 object of
        // the dropped partition is deleted, the other partition still reads.
        var options = HomerConfig.Maintenance()
        options.retentionDays = 1
        options.expireSnapshotsOlderThanHours = 0
        let maintenance = LakeMaintenance(catalog: lake.catalog, files: lake.files, options: options.options)
        let report = try await maintenance.run(nowMicros: 1_737_720_000_000_000)
        #expect(report.droppedPartitions == ["2025-01-22"])
        let expired = try lake.catalog.expireSnapshots(olderThanMicros: try lake.catalog.currentSnapshot().timeMicros)
        #expect(expired.scheduledFiles == 1)
        #expect(try await maintenance.deleteScheduledFiles() == 1)
        let store = try #require((lake.files as? ObjectStoreLakeFiles)?.store)
        #expect(try await store.head(String(old[0].path.dropFirst(lake.catalog.dataPath.count))) == nil)
        let rows = try await LakeReader(catalog: lake.catalog, files: lake.files).query(LakeQuery(columns: ["session_id"]))
        #expect(rows.rows.count == 20)
        try await (store as? S3ObjectStore)?.shutdown()
    }
}
