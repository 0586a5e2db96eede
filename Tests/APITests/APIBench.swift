import API
import AsyncHTTPClient
import DuckLake
import Foundation
import HEP
import Testing
import TestSupport

/// The HTTP API bench (issue 5), not a test: runs only with HOMER_BENCH=api (see bench/api.sh), in a release build.
/// Builds a lake of HOMER_BENCH_ROWS generated SIP messages in HOMER_BENCH_FILES commits over one day, then measures
/// metadata/check latency at a fixed 1000 requests/s, wrk's closed-loop figures, and Call-ID / from_user searches
/// through the API next to DuckDB 1.5.5 running the same SQL on the same lake (median of repeated runs).
@Suite struct APIBench {
    static let enabled = ProcessInfo.processInfo.environment["HOMER_BENCH"] == "api"

    @Test(.enabled(if: enabled)) func apiBench() async throws {
        let env = ProcessInfo.processInfo.environment
        let rows = Int(env["HOMER_BENCH_ROWS"] ?? "") ?? 1_000_000
        let files = Int(env["HOMER_BENCH_FILES"] ?? "") ?? 100
        let dir = try Oracle.temporaryDirectory("api-bench")
        let catalog = dir.appendingPathComponent("catalog.sqlite").path
        let data = dir.appendingPathComponent("data").path + "/"
        var options = LakeWriterOptions()
        options.batchSize = 10_000_000
        options.flushIntervalSeconds = 86_400
        let writer = try await LakeWriter(catalogPath: catalog, dataPath: data, options: options)
        var generator = SIPTrafficGenerator(options: .init())
        let day: Int64 = 86_400_000_000_000
        let interval = day / Int64(rows)
        let per = rows / files
        var sample: [HEPRecord] = []
        let clock = ContinuousClock()
        let writeStart = clock.now
        for f in 0..<files {
            let packets = generator.packets(count: per, start: Corpus.base + Int64(f * per) * interval, interval: interval)
            let records = packets.map { HEPRecord(packet: $0, receivedAt: 0) }
            if f % max(1, files / 20) == 0 { sample.append(records[per / 2]) }
            try await writer.append(records)
            _ = try await writer.flush()
        }
        try await writer.shutdown()
        print("API-BENCH lake: \(rows) rows, \(files) files, written in \(clock.now - writeStart)")

        let picked = sample
        let backend = try DuckLakeBackend(catalogPath: catalog)
        try await LiveServer.with(backend: backend) { client in
            // 1. metadata/check at a fixed 1000 requests/s for 10 s (open loop: requests start on schedule).
            let body = Array(#"{"min_ts":1737590400000000000,"max_ts":1737676799999999999}"#.utf8)
            for _ in 0..<200 { _ = try await client.send(.POST, "/api/v1/metadata/check", body: body) }
            let total = 10_000
            let start = clock.now
            let latencies = try await withThrowingTaskGroup(of: Duration.self) { group in
                for i in 0..<total {
                    try await clock.sleep(until: start + .microseconds(1000 * i))
                    group.addTask {
                        let t = clock.now
                        let reply = try await client.send(.POST, "/api/v1/metadata/check", body: body)
                        precondition(reply.status == 200)
                        return clock.now - t
                    }
                }
                var all: [Duration] = []
                for try await d in group { all.append(d) }
                return all.sorted()
            }
            let elapsed = clock.now - start
            func ms(_ d: Duration) -> String { String(format: "%.3f", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000) }
            print("API-BENCH metadata/check open loop: \(total) requests in \(elapsed) (target 1000/s): p50 \(ms(latencies[total / 2])) ms, p99 \(ms(latencies[total * 99 / 100])) ms, max \(ms(latencies[total - 1])) ms")

            // 2. wrk, closed loop, 1 thread / 4 connections, 10 s.
            let lua = dir.appendingPathComponent("check.lua")
            try Data(#"wrk.method = "POST"; wrk.body = '{"min_ts":1737590400000000000,"max_ts":1737676799999999999}'; wrk.headers["Content-Type"] = "application/json""#.utf8).write(to: lua)
            let wrk = try Oracle.run("/usr/bin/wrk", ["-t1", "-c4", "-d10s", "--latency", "-s", lua.path, client.baseURL + "/api/v1/metadata/check"])
            print("API-BENCH wrk -t1 -c4 -d10s --latency POST /api/v1/metadata/check:\n" + wrk)

            // 3. Searches through the API vs DuckDB on the same lake (same SQL semantics as api_search.py).
            let ids = picked.map(\.sessionID)
            let hour: Int64 = 3_600_000_000_000
            var bodies: [(String, String)] = []
            for (i, id) in ids.prefix(10).enumerated() {
                bodies.append(("callid-nobound-\(i)", #"{"min_ts":0,"max_ts":9223372036854775807,"limit":10000,"filters":{"session_id":"\#(id)"}}"#))
            }
            for (i, r) in picked.prefix(10).enumerated() {
                bodies.append(("callid-1h-\(i)", #"{"min_ts":\#(r.timestamp - hour / 2),"max_ts":\#(r.timestamp + hour / 2),"limit":10000,"filters":{"session_id":"\#(r.sessionID)"}}"#))
            }
            if let user = picked.first?.fromUser {
                bodies.append(("from_user-day", #"{"min_ts":\#(Corpus.base),"max_ts":\#(Corpus.base + day),"limit":10000,"filters":{"from_user":"\#(user)"}}"#))
            }
            bodies.append(("hour-all-limit10000", #"{"min_ts":\#(Corpus.base + 5 * hour),"max_ts":\#(Corpus.base + 6 * hour),"limit":10000}"#))
            let queries = dir.appendingPathComponent("bench-queries.json")
            try Data(("[" + bodies.map(\.1).joined(separator: ",") + "]").utf8).write(to: queries)
            let duck = try JSONValue.parse(Array(try Oracle.runPython("api_search.py", ["--lake", catalog, data, "--queries", queries.path, "--time", "5"]).utf8)).array ?? []
            for (n, (name, b)) in bodies.enumerated() {
                var runs: [Duration] = []
                var count = 0
                var stats = ""
                for _ in 0..<5 {
                    let t = clock.now
                    let reply = try await client.send(.POST, "/api/v1/search", body: Array(b.utf8))
                    runs.append(clock.now - t)
                    let o = try reply.object()
                    count = Int(o["count"]?.int ?? -1)
                    if case .object(let s)? = o["stats"] {
                        stats = "files \(s["files_read"]?.int ?? 0)/\(s["files_total"]?.int ?? 0), row groups \(s["row_groups_read"]?.int ?? 0)/\(s["row_groups_total"]?.int ?? 0)"
                    }
                }
                runs.sort()
                var duckMs = "?", duckRows = "?"
                if n < duck.count, case .array(let pair) = duck[n], pair.count == 2 {
                    if case .double(let d) = pair[0] { duckMs = String(format: "%.3f", d) }
                    if case .integer(let i) = pair[0] { duckMs = String(i) }
                    duckRows = pair[1].int.map(String.init) ?? "?"
                }
                print("API-BENCH search \(name): API median \(ms(runs[2])) ms (\(count) rows; \(stats)) | DuckDB median \(duckMs) ms (\(duckRows) rows)")
            }
        }
    }
}
