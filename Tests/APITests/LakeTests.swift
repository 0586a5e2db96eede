import API
import DuckLake
import Foundation
import HEP
import Testing
import TestSupport

extension HEPRecord {
    /// The HEP record a stored row came from (test corpus → lake writer).
    init(_ r: SearchRecord) {
        self.init(timestamp: r.timestamp, sessionID: r.sessionID, correlationID: r.correlationID, protoType: r.protoType,
                  ipFamily: r.ipFamily, transport: r.transport, srcIP: r.srcIP, dstIP: r.dstIP, srcPort: r.srcPort,
                  dstPort: r.dstPort, captureID: r.captureID, nodeName: r.nodeName, vlan: r.vlan, method: r.method,
                  responseCode: r.responseCode, cseqNumber: r.cseqNumber, cseqMethod: r.cseqMethod,
                  fromUser: r.fromUser, fromDomain: r.fromDomain, fromTag: r.fromTag, toUser: r.toUser,
                  toDomain: r.toDomain, toTag: r.toTag, ruriUser: r.ruriUser, ruriDomain: r.ruriDomain,
                  userAgent: r.userAgent, payload: r.payloadBytes)
    }
}

/// A lake written by the real DuckLake writer: the corpus in `flushes` commits (one snapshot each), small row
/// groups so that pruning is visible.
struct TestLake {
    let dir: URL
    let catalog: String
    let data: String
    let writer: LakeWriter
    let records: [SearchRecord]

    static func make(calls: Int = 40, flushes: Int = 4, label: String) async throws -> TestLake {
        let dir = try Oracle.temporaryDirectory(label)
        let catalog = dir.appendingPathComponent("catalog.sqlite").path
        let data = dir.appendingPathComponent("data").path + "/"
        var options = LakeWriterOptions()
        options.batchSize = 1_000_000
        options.flushIntervalSeconds = 3600
        options.parquet.rowGroupRows = 32
        options.parquet.pageRows = 8
        let writer = try await LakeWriter(catalogPath: catalog, dataPath: data, options: options)
        let records = Corpus.records(calls: calls)
        let per = (records.count + flushes - 1) / flushes
        for start in stride(from: 0, to: records.count, by: per) {
            try await writer.append(records[start..<min(start + per, records.count)].map { HEPRecord($0) })
            _ = try await writer.flush()
        }
        return TestLake(dir: dir, catalog: catalog, data: data, writer: writer, records: records)
    }

    var oracleArgs: [String] { ["--lake", catalog, data] }
}

@Suite(.serialized) struct LakeTests {
    /// Metadata over a real lake equals DuckDB's count(*) / min / max; buffered rows count before their commit.
    @Test func metadataAgainstDuckDB() async throws {
        let lake = try await TestLake.make(label: "api-lake-meta")
        let truth = try JSONValue.parse(Array(try Oracle.runPython("api_search.py", lake.oracleArgs + ["--stats"]).utf8))
        guard case .object(let t) = truth, let count = t["row_count"]?.int, let lo = t["min_ts"]?.int,
              let hi = t["max_ts"]?.int else { Issue.record("oracle: \(truth)"); return }
        #expect(count == Int64(lake.records.count))
        let backend = await DuckLakeBackend(writer: lake.writer)
        try await LiveServer.with(backend: backend) { client in
            let stats = try await client.send(.GET, "/api/v1/metadata/stats").object()
            #expect(stats["row_count"]?.int == count)
            #expect(stats["min_timestamp"]?.int == lo)
            #expect(stats["max_timestamp"]?.int == hi)
            #expect(stats["data_path"]?.string == lake.data)
            let hour: Int64 = 3_600_000_000_000
            for (a, b) in [(lo - 2 * hour, lo - 1), (lo + 1, hi - 1), (lo - hour, lo + hour), (hi - 1, hi + hour),
                           (hi + 1, hi + hour), (0, 0)] {
                let o = try await client.send(.POST, "/api/v1/ducklake/check",
                                              body: Array(#"{"min_ts":\#(a),"max_ts":\#(b)}"#.utf8)).object()
                let askLo = a == 0 ? Int64.min : a, askHi = b == 0 ? Int64.max : b
                #expect(o["has_data"]?.bool == (lo <= askHi && hi >= askLo), "\(a)...\(b)")
            }
            let tables = try await client.send(.GET, "/api/v1/tables").object()
            let table = tables["tables"]?.array?.first
            if case .object(let tt)? = table {
                #expect(tt["row_count"]?.int == count)
                #expect((tt["files"]?.int ?? 0) >= 4)
            }
            // Received, not yet committed: counted by metadata, not searchable.
            let late = hi + 5 * hour
            try await lake.writer.append([HEPRecord(SearchRecord(timestamp: late, sessionID: "late@x", srcIP: "10.9.9.9",
                                                                 dstIP: "10.9.9.8", srcPort: 5060, dstPort: 5060))])
            let after = try await client.send(.GET, "/api/v1/metadata/stats").object()
            #expect(after["row_count"]?.int == count + 1)
            #expect(after["max_timestamp"]?.int == late)
            let check = try await client.send(.POST, "/api/v1/metadata/check",
                                              body: Array(#"{"min_ts":\#(late),"max_ts":\#(late)}"#.utf8)).object()
            #expect(check["has_data"] == .bool(true))
        }
        try await lake.writer.shutdown()
    }

    /// The filter matrix at the current snapshot, and every snapshot by id and by time, equal DuckDB's answers with
    /// `AT (VERSION => n)` / `AT (TIMESTAMP => t)` on the same lake; a Call-ID search prunes.
    @Test func searchAndTimeTravelAgainstDuckDB() async throws {
        let lake = try await TestLake.make(label: "api-lake-search")
        try await lake.writer.shutdown()
        let backend = try DuckLakeBackend(catalogPath: lake.catalog)
        let lo = lake.records.map(\.timestamp).min()!, hi = lake.records.map(\.timestamp).max()!
        try await LiveServer.with(backend: backend) { client in
            try await SearchMatrix.compare(client: client, bodies: SearchMatrix.bodies(lo: lo, hi: hi),
                                           oracleArgs: lake.oracleArgs, dir: lake.dir)
            let snaps = try await client.send(.GET, "/api/v1/snapshots").object()
            let list = (snaps["snapshots"]?.array ?? []).compactMap { s -> (Int64, Int64)? in
                guard case .object(let o) = s, let id = o["snapshot_id"]?.int, let t = o["time_ns"]?.int else { return nil }
                return (id, t)
            }
            #expect(list.count >= 4)
            var bodies: [String] = []
            for (id, time) in list {
                bodies.append(#"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"snapshot_id":\#(id)}"#)
                bodies.append(#"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"order":"desc","as_of":"\#(RFC3339.micros(time))","filters":{"method":["INVITE","BYE"]}}"#)
            }
            try await SearchMatrix.compare(client: client, bodies: bodies, oracleArgs: lake.oracleArgs, dir: lake.dir)

            // Call-ID lookup without time bound: pruning by catalog stats / bloom filters / row-group stats.
            let callID = lake.records[lake.records.count / 2].sessionID
            let o = try await client.send(.POST, "/api/v1/search",
                                          body: Array(#"{"min_ts":0,"max_ts":9223372036854775807,"filters":{"session_id":"\#(callID)"}}"#.utf8)).object()
            #expect(o["count"]?.int == Int64(lake.records.filter { $0.sessionID == callID }.count))
            guard case .object(let st)? = o["stats"], let ft = st["files_total"]?.int, let fr = st["files_read"]?.int,
                  let gt = st["row_groups_total"]?.int, let gr = st["row_groups_read"]?.int else {
                Issue.record("no stats: \(o)")
                return
            }
            #expect(ft >= 4)
            #expect(fr + gr < ft + gt, "files \(fr)/\(ft), row groups \(gr)/\(gt)")
            #expect(gr < gt || fr < ft)
            // Again: the footers and bloom filters are cached now, so only files that may hold the id are opened.
            let again = try await client.send(.POST, "/api/v1/search",
                                              body: Array(#"{"min_ts":0,"max_ts":9223372036854775807,"filters":{"session_id":"\#(callID)"}}"#.utf8)).object()
            #expect(again["count"] == o["count"])
            if case .object(let st2)? = again["stats"], let fr2 = st2["files_read"]?.int {
                #expect(fr2 < ft, "second lookup opened \(fr2) of \(ft) files")
                #expect(fr2 <= fr)
            } else {
                Issue.record("no stats: \(again)")
            }

            // The call's pcap straight from the lake, judged by tshark.
            let pcap = try await client.callPcap(callID)
            let sip = try CallTests.tsharkSIP(pcap, dir: lake.dir)
            let legs = Set([callID] + lake.records.filter { $0.correlationID == callID }.map(\.sessionID))
            #expect(sip.count == lake.records.filter { legs.contains($0.sessionID) }.count)
            #expect(Set(sip.map(\.callID)) == legs)
        }
    }
}
