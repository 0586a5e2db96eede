import API
import Foundation
import Testing
import TestSupport

@Suite struct MetadataTests {
    /// The seed's example: a node holding 2025-01-22T00:00:00Z … 2025-01-23T23:59:59.999999999Z answers the seed's
    /// check request and stats exactly as the seed prints them (values copied from the seed document).
    @Test func seedExample() async throws {
        let backend = MemoryBackend(dataPath: "/data/homer_parquet")
        backend.commit([SearchRecord(timestamp: 1_737_504_000_000_000_000, sessionID: "abc123@host", srcIP: "10.0.0.1",
                                     dstIP: "10.0.0.2", srcPort: 5060, dstPort: 5060),
                        SearchRecord(timestamp: 1_737_676_799_999_999_999, sessionID: "abc123@host", srcIP: "10.0.0.2",
                                     dstIP: "10.0.0.1", srcPort: 5060, dstPort: 5060)], time: 1)
        try await LiveServer.with(backend: backend) { client in
            for path in ["/api/v1/metadata/check", "/api/v1/ducklake/check"] {
                let reply = try await client.send(.POST, path,
                                                  body: Array(#"{"min_ts": 1737590400000000000, "max_ts": 1737676799999999999}"#.utf8))
                #expect(reply.status == 200)
                #expect(reply.header("content-type")?.hasPrefix("application/json") == true)
                let o = try reply.object()
                #expect(o["has_data"] == .bool(true))
                #expect(o["node_min_ts"] == .integer(1_737_504_000_000_000_000))
                #expect(o["node_max_ts"] == .integer(1_737_676_799_999_999_999))
                #expect(o["oldest_data"] == .string("2025-01-22T00:00:00Z"))
                #expect(o["newest_data"] == .string("2025-01-23T23:59:59Z"))
                #expect(o["data_span_hours"] == .integer(48))
            }
            for path in ["/api/v1/metadata/stats", "/api/v1/ducklake/stats"] {
                let o = try await client.send(.GET, path).object()
                #expect(o["row_count"] == .integer(2))
                #expect(o["min_timestamp"] == .integer(1_737_504_000_000_000_000))
                #expect(o["max_timestamp"] == .integer(1_737_676_799_999_999_999))
                #expect(o["oldest_data"] == .string("2025-01-22T00:00:00Z"))
                #expect(o["newest_data"] == .string("2025-01-23T23:59:59Z"))
                #expect(o["catalog_type"] == .string("sqlite"))
                #expect(o["data_path"] == .string("/data/homer_parquet"))
            }
        }
    }

    /// Stats and has_data against DuckDB's count(*) / min / max over the same rows, for ranges before, inside,
    /// overlapping and after the data; buffered rows count before they are committed.
    @Test func rangesAgainstDuckDB() async throws {
        let dir = try Oracle.temporaryDirectory("api-meta")
        let records = Corpus.records(calls: 40)
        let file = dir.appendingPathComponent("rows.jsonl")
        try Corpus.jsonl(records).write(to: file)
        let oracle = try JSONValue.parse(Array(try Oracle.runPython("api_search.py", ["--jsonl", file.path, "--stats"]).utf8))
        guard case .object(let truth) = oracle, let count = truth["row_count"]?.int, let lo = truth["min_ts"]?.int,
              let hi = truth["max_ts"]?.int else { Issue.record("oracle answered \(oracle)"); return }

        let backend = MemoryBackend()
        backend.commit(Array(records.prefix(100)), time: 1)
        backend.commit(Array(records.dropFirst(100)), time: 2)
        try await LiveServer.with(backend: backend) { client in
            let stats = try await client.send(.GET, "/api/v1/metadata/stats").object()
            #expect(stats["row_count"]?.int == count)
            #expect(stats["min_timestamp"]?.int == lo)
            #expect(stats["max_timestamp"]?.int == hi)
            let hour: Int64 = 3_600_000_000_000
            let cases: [(String, Int64, Int64)] = [
                ("before", lo - 2 * hour, lo - 1), ("touching start", lo - hour, lo), ("inside", lo + 1, hi - 1),
                ("overlapping start", lo - hour, lo + hour), ("overlapping end", hi - 1, hi + hour),
                ("covering", lo - hour, hi + hour), ("after", hi + 1, hi + hour), ("open", 0, 0),
                ("min only, after", hi + 1, 0), ("max only, before", 0, lo - 1),
            ]
            for (name, a, b) in cases {
                let o = try await client.send(.POST, "/api/v1/metadata/check",
                                              body: Array(#"{"min_ts":\#(a),"max_ts":\#(b)}"#.utf8)).object()
                let askLo = a == 0 ? Int64.min : a, askHi = b == 0 ? Int64.max : b
                #expect(o["has_data"]?.bool == (lo <= askHi && hi >= askLo), "\(name)")
                #expect(o["node_min_ts"]?.int == lo, "\(name)")
                #expect(o["node_max_ts"]?.int == hi, "\(name)")
            }
            // A row received but not committed: a Hub must not skip this node for its time.
            let late = hi + 10 * hour
            backend.buffer([SearchRecord(timestamp: late, sessionID: "late@x", srcIP: "1.1.1.1", dstIP: "2.2.2.2",
                                         srcPort: 5060, dstPort: 5060)])
            let after = try await client.send(.POST, "/api/v1/metadata/check",
                                              body: Array(#"{"min_ts":\#(late - 1),"max_ts":\#(late + 1)}"#.utf8)).object()
            #expect(after["has_data"] == .bool(true))
            let stats2 = try await client.send(.GET, "/api/v1/metadata/stats").object()
            #expect(stats2["row_count"]?.int == count + 1)
            #expect(stats2["max_timestamp"]?.int == late)
        }
    }

    @Test func emptyNode() async throws {
        try await LiveServer.with(backend: MemoryBackend()) { client in
            let o = try await client.send(.POST, "/api/v1/metadata/check", body: Array(#"{"min_ts":0,"max_ts":0}"#.utf8)).object()
            #expect(o["has_data"] == .bool(false))
            #expect(o["oldest_data"] == .string(""))
            #expect(o["data_span_hours"] == .integer(0))
        }
    }
}
