import API
import Foundation
import Testing
import TestSupport

/// Search bodies shared by the memory and lake tests: each is run through the API and, translated independently to
/// SQL by scripts/oracle/api_search.py, through DuckDB.
enum SearchMatrix {
    static func bodies(lo: Int64, hi: Int64) -> [String] {
        let mid = lo + (hi - lo) / 2
        return [
            #"{"min_ts":\#(lo),"max_ts":\#(hi)}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":7,"order":"desc"}"#,
            #"{"min_ts":\#(mid),"max_ts":\#(hi),"limit":50,"order":"asc"}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(mid),"limit":10000,"filters":{"method":"INVITE"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"method":["BYE","ACK"],"node_name":"node-b"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"response_code":[180,200],"src_port":5060}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"session_id":"c7-*"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"session_id":["c3-5ccd@10.0.3.1","b3-leg@sbc.example"]}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"correlation_id":"*@10.0.1.1"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"from_user":"a_b%c5"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"from_user":"a_b*"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"to_user":"star*"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"to_user":"star*3"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"ruri_user":"bob1*","from_user":"alice*"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"src_ip":"2001:db8::*","dst_port":[5060,5061]}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"dst_ip":"192.168.1.1","proto_type":1}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"proto_type":5}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"capture_id":2002,"method":"INVITE"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"user_agent":"*Polycom*"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"payload_contains":"X-CID: c5"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"payload_contains":["AB","SIP/2.0 180"]}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"filters":{"method":"NOTIFY"}}"#,
            #"{"min_ts":\#(hi + 1),"max_ts":\#(hi + 1_000_000_000)}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(lo)}"#,
            // Counts: no limit applies.
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"count_only":true}"#,
            #"{"min_ts":\#(mid),"max_ts":\#(hi),"count_only":true,"limit":5}"#,
            #"{"min_ts":\#(lo + 1),"max_ts":\#(mid - 1),"count_only":true,"filters":{"method":"INVITE"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"count_only":true,"filters":{"session_id":"c7-*"}}"#,
            #"{"min_ts":\#(lo),"max_ts":\#(hi),"count_only":true,"filters":{"payload_contains":["AB","SIP/2.0 180"]}}"#,
            #"{"min_ts":\#(hi + 1),"max_ts":\#(hi + 1_000_000_000),"count_only":true}"#,
        ]
    }

    /// Runs every body through the API and through the oracle (`oracleArgs` picks jsonl or lake mode) and expects
    /// the same records in the same order.
    static func compare(client: APIClient, bodies: [String], oracleArgs: [String], dir: URL) async throws {
        let queries = dir.appendingPathComponent("queries-\(UUID().uuidString.prefix(6)).json")
        try Data(("[" + bodies.joined(separator: ",") + "]").utf8).write(to: queries)
        let oracle = try JSONValue.parse(Array(try Oracle.runPython("api_search.py", oracleArgs + ["--queries", queries.path]).utf8))
        guard let expected = oracle.array, expected.count == bodies.count else {
            Issue.record("oracle answered \(oracle)")
            return
        }
        for (body, truth) in zip(bodies, expected) {
            let reply = try await client.send(.POST, "/api/v1/search", body: Array(body.utf8))
            guard let rows = truth.array else {
                // DuckDB refused (e.g. the table does not exist at that snapshot): the API must refuse too.
                #expect(reply.status == 404, "\(body): DuckDB said \(truth), the API \(reply.status) \(reply.text)")
                continue
            }
            #expect(reply.status == 200, "\(body): \(reply.text)")
            let o = try reply.object()
            if body.contains("count_only") {
                guard case .object(let c)? = rows.first else {
                    Issue.record("\(body): oracle answered \(truth)")
                    continue
                }
                #expect(o["count"]?.int == c["count"]?.int, "\(body): count \(o["count"]?.int ?? -1) vs DuckDB \(c["count"]?.int ?? -1)")
                #expect(o["records"]?.array?.isEmpty == true, "\(body)")
                continue
            }
            let got = try (o["records"]?.array ?? []).map { try SearchRecord(json: $0) }
            let want = try rows.map { try SearchRecord(json: $0) }
            #expect(o["count"]?.int == Int64(want.count), "\(body)")
            #expect(got == want, "\(body): \(got.count) records vs DuckDB \(want.count)")
        }
    }
}

@Suite struct SearchTests {
    @Test func matrixMatchesDuckDB() async throws {
        let dir = try Oracle.temporaryDirectory("api-search")
        let records = Corpus.records(calls: 40)
        let file = dir.appendingPathComponent("rows.jsonl")
        try Corpus.jsonl(records).write(to: file)
        let backend = MemoryBackend()
        backend.commit(records, time: 1)
        let lo = records.map(\.timestamp).min()!, hi = records.map(\.timestamp).max()!
        try await LiveServer.with(backend: backend) { client in
            try await SearchMatrix.compare(client: client, bodies: SearchMatrix.bodies(lo: lo, hi: hi),
                                           oracleArgs: ["--jsonl", file.path], dir: dir)
        }
    }

    /// Snapshots of the memory backend: each one sees what was committed up to it, by id and by time.
    @Test func timeTravel() async throws {
        let dir = try Oracle.temporaryDirectory("api-tt")
        let records = Corpus.records(calls: 12)
        let backend = MemoryBackend()
        let parts = [Array(records[0..<30]), Array(records[30..<60]), Array(records[60...])]
        let times: [Int64] = [1_800_000_000_000_000_000, 1_800_000_100_000_000_000, 1_800_000_200_000_000_000]
        for (p, t) in zip(parts, times) { backend.commit(p, time: t) }
        let lo = records.map(\.timestamp).min()!, hi = records.map(\.timestamp).max()!
        try await LiveServer.with(backend: backend) { client in
            for n in 1...3 {
                let visible = Array(parts[0..<n].joined())
                let file = dir.appendingPathComponent("snap\(n).jsonl")
                try Corpus.jsonl(visible).write(to: file)
                let asOf = RFC3339.format9(times[n - 1] + 50_000_000_000)
                let bodies = [
                    #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"snapshot_id":\#(n)}"#,
                    #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":10000,"as_of":"\#(asOf)","filters":{"method":"INVITE"}}"#,
                ]
                try await SearchMatrix.compare(client: client, bodies: bodies, oracleArgs: ["--jsonl", file.path], dir: dir)
                let o = try await client.send(.POST, "/api/v1/search", body: Array(bodies[1].utf8)).object()
                #expect(o["snapshot_id"]?.int == Int64(n))
            }
            let missing = try await client.send(.POST, "/api/v1/search",
                                                body: Array(#"{"min_ts":0,"max_ts":1,"snapshot_id":99}"#.utf8))
            #expect(missing.status == 404)
            let early = try await client.send(.POST, "/api/v1/search",
                                              body: Array(#"{"min_ts":0,"max_ts":1,"as_of":"2020-01-01T00:00:00Z"}"#.utf8))
            #expect(early.status == 404)
            let snaps = try await client.send(.GET, "/api/v1/snapshots").object()
            #expect(snaps["count"]?.int == 3)
            let first = snaps["snapshots"]?.array?.first
            if case .object(let s)? = first {
                #expect(s["snapshot_id"]?.int == 3)
                #expect(s["rows_added"]?.int == Int64(parts[2].count))
                #expect(s["time"]?.string == RFC3339.micros(times[2]))
            } else {
                Issue.record("no snapshot listed")
            }
        }
    }

    /// Every malformed body is a 400 whose message names the field.
    @Test func validation() async throws {
        let cases: [(String, String)] = [
            (#"{"min_ts":1}"#, "max_ts"),
            (#"{"min_ts":"1","max_ts":2}"#, "min_ts"),
            (#"{"min_ts":5,"max_ts":2}"#, "min_ts"),
            (#"{"min_ts":1,"max_ts":2,"limit":10001}"#, "limit"),
            (#"{"min_ts":1,"max_ts":2,"limit":0}"#, "limit"),
            (#"{"min_ts":1,"max_ts":2,"limit":"10"}"#, "limit"),
            (#"{"min_ts":1,"max_ts":2,"order":"up"}"#, "order"),
            (#"{"min_ts":1,"max_ts":2,"filters":{"callid":"x"}}"#, "filters.callid"),
            (#"{"min_ts":1,"max_ts":2,"filters":{"src_port":"5060"}}"#, "filters.src_port"),
            (#"{"min_ts":1,"max_ts":2,"filters":{"src_port":[5060,"x"]}}"#, "filters.src_port"),
            (#"{"min_ts":1,"max_ts":2,"filters":{"method":5}}"#, "filters.method"),
            (#"{"min_ts":1,"max_ts":2,"filters":{"method":[]}}"#, "filters.method"),
            (#"{"min_ts":1,"max_ts":2,"filters":[]}"#, "filters"),
            (#"{"min_ts":1,"max_ts":2,"snapshot_id":1,"as_of":"2025-01-01T00:00:00Z"}"#, "as_of"),
            (#"{"min_ts":1,"max_ts":2,"as_of":"yesterday"}"#, "as_of"),
            (#"{"min_ts":1,"max_ts":2,"snapshot":3}"#, "snapshot"),
        ]
        try await LiveServer.with(backend: MemoryBackend()) { client in
            for (body, field) in cases {
                let reply = try await client.send(.POST, "/api/v1/search", body: Array(body.utf8))
                #expect(reply.status == 400, "\(body)")
                let o = try reply.object()
                #expect(o["field"]?.string == field, "\(body): \(reply.text)")
                #expect(o["error"]?.string?.contains(field) == true, "\(body): \(reply.text)")
            }
            let broken = try await client.send(.POST, "/api/v1/search", body: Array(#"{"min_ts":1,"#.utf8))
            #expect(broken.status == 400)
            #expect(try broken.object()["error"]?.string?.contains("JSON") == true)
            let checkBad = try await client.send(.POST, "/api/v1/metadata/check", body: Array(#"{"min_ts":9,"max_ts":2}"#.utf8))
            #expect(checkBad.status == 400)
            #expect(try checkBad.object()["field"]?.string == "min_ts")
            let checkJunk = try await client.send(.POST, "/api/v1/metadata/check", body: Array("not json".utf8))
            #expect(checkJunk.status == 400)
        }
    }
}
