import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Issue 6: a real `homer serve` whose `data_path` is on S3 (moto_server) loses its object store for 30 s while
/// `homer send` streams into it. The outage is a TCP forwarder in front of moto that is killed and started again
/// (moto keeps objects only in memory, so moto itself must stay up). Afterwards DuckDB (httpfs) reads every packet
/// exactly once, and reading every row proves that no catalog row names a missing object.
@Suite(.serialized) struct S3OutageTests {
    @Test func thirtySecondOutageDuringIngestLosesNothing() async throws {
        let moto = MotoServer()
        try moto.start()
        defer { moto.stop() }
        try Oracle.createBucket(moto.url, "homer")
        let proxyPort = Ports.free()
        let targetPort = try #require(Int(moto.endpoint.split(separator: ":").last ?? ""))
        func startProxy() throws -> ChildProcess {
            let p = try ChildProcess(Oracle.python, [Oracle.repositoryRoot.appendingPathComponent("scripts/oracle/tcp_proxy.py").path,
                                                     "\(proxyPort)", "\(targetPort)"])
            let end = ContinuousClock.now + .seconds(10)
            while !MotoServer.accepts(port: proxyPort), ContinuousClock.now < end { usleep(50_000) }
            return p
        }
        var proxy = try startProxy()
        defer { proxy.stop() }

        let server = try LakeServer(label: "s3-outage", batchSize: 500, flushSeconds: 1, dataPath: "s3://homer/lake/",
                                    extraEnvironment: [
                                        "HOMER_STORAGE_DUCKLAKE_S3_ENDPOINT": "127.0.0.1:\(proxyPort)",
                                        "HOMER_STORAGE_DUCKLAKE_S3_USE_SSL": "false",
                                        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                                    ])
        try await server.start()
        let homer = try LakeServer.binary()
        func send(_ count: Int, seed: Int) throws {
            try Oracle.run(homer, ["send", "--generate", "--tcp", "127.0.0.1:\(server.tcp)", "--count", "\(count)",
                                   "--rate", "400", "--seed", "\(seed)"])
        }

        try send(800, seed: 11)                       // before: committed to S3
        #expect(try await server.waitForRecords(800))
        proxy.stop()                                  // outage starts
        let outageStart = ContinuousClock.now
        try send(1_200, seed: 12)                     // during: accepted, spooled, flushes fail and retry
        let remaining = Duration.seconds(30) - (ContinuousClock.now - outageStart)
        if remaining > .zero { try await Task.sleep(for: remaining) }
        proxy = try startProxy()                      // outage ends
        try send(500, seed: 13)                       // after
        let total = 2_500

        // The writer retries its buffered batches; wait until DuckDB sees everything, then stop cleanly.
        let end = ContinuousClock.now + .seconds(90)
        var seen = 0
        while ContinuousClock.now < end {
            seen = (try? Self.committedRows(server.catalog, moto.endpoint)) ?? seen
            if seen >= total { break }
            try await Task.sleep(for: .seconds(1))
        }
        let (status, stderr) = server.stop()
        #expect(status == 0, "\(stderr.suffix(2000))")
        #expect(stderr.contains("lake flush failed"), "the outage never reached the writer")

        // Every row read (all columns of every file, so a catalog row naming a missing object fails the query),
        // no duplicates, nothing missing.
        let r = try Oracle.lakeSQL(server.catalog, s3: moto.endpoint, ["""
            SELECT count(*), count(DISTINCT (session_id, cseq_number, cseq_method, method, response_code)),
                   count(DISTINCT session_id), sum(length(payload)) FROM hep_messages
            """])
        let row = try #require(r.first)
        #expect((row[0] as? NSNumber)?.intValue == total)
        #expect((row[1] as? NSNumber)?.intValue == total)
        #expect(((row[3] as? NSNumber)?.intValue ?? 0) > 0)
    }

    static func committedRows(_ catalog: String, _ endpoint: String) throws -> Int {
        let r = try Oracle.lakeSQL(catalog, s3: endpoint, ["SELECT count(*) FROM hep_messages"])
        return (r.first?.first as? NSNumber)?.intValue ?? 0
    }
}
