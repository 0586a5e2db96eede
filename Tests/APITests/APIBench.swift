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
        // HOMER_BENCH_LAKE=<dir> keeps the lake (and the sampled records) between runs: written once, reused after.
        let dir = try env["HOMER_BENCH_LAKE"].map { path in
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return URL(fileURLWithPath: path)
        } ?? Oracle.temporaryDirectory("api-bench")
        let catalog = dir.appendingPathComponent("catalog.sqlite").path
        let data = dir.appendingPathComponent("data").path + "/"
        let sampleFile = dir.appendingPathComponent("sample.tsv")
        let day: Int64 = 86_400_000_000_000
        var sample: [(timestamp: Int64, sessionID: String, fromUser: String?)] = []
        let clock = ContinuousClock()
        if let saved = try? String(contentsOf: sampleFile, encoding: .utf8), FileManager.default.fileExists(atPath: catalog) {
            for line in saved.split(separator: "\n") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                if f.count == 3, let ts = Int64(f[0]) { sample.append((ts, f[1], f[2].isEmpty ? nil : f[2])) }
            }
            print("API-BENCH lake: reusing \(catalog) (\(sample.count) sampled records)")
        } else {
            var options = LakeWriterOptions()
            options.batchSize = 10_000_000
            options.flushIntervalSeconds = 86_400
            let writer = try await LakeWriter(catalogPath: catalog, dataPath: data, options: options)
            var generator = SIPTrafficGenerator(options: .init())
            let interval = day / Int64(rows)
            let per = rows / files
            let writeStart = clock.now
            for f in 0..<files {
                let packets = generator.packets(count: per, start: Corpus.base + Int64(f * per) * interval, interval: interval)
                let records = packets.map { HEPRecord(packet: $0, receivedAt: 0) }
                if f % max(1, files / 20) == 0 {
                    let r = records[per / 2]
                    sample.append((r.timestamp, r.sessionID, r.fromUser))
                }
                try await writer.append(records)
                _ = try await writer.flush()
            }
            try await writer.shutdown()
            try Data(sample.map { "\($0.timestamp)\t\($0.sessionID)\t\($0.fromUser ?? "")" }.joined(separator: "\n").utf8)
                .write(to: sampleFile)
            print("API-BENCH lake: \(rows) rows, \(files) files, written in \(clock.now - writeStart)")
        }
        // HOMER_BENCH_PARTS: which parts run (default all): check (open loop), wrk, search.
        let parts = Set((env["HOMER_BENCH_PARTS"] ?? "check,wrk,search").split(separator: ",").map(String.init))

        let picked = sample
        // HOMER_BENCH_SCAN_CONCURRENCY: files one query reads at a time (LakeReaderOptions.scanConcurrency).
        var readerOptions = LakeReaderOptions()
        if let n = env["HOMER_BENCH_SCAN_CONCURRENCY"].flatMap({ Int($0) }) { readerOptions.scanConcurrency = n }
        let backend = DuckLakeBackend(reader: try LakeReader(catalogPath: catalog, options: readerOptions))
        try await LiveServer.with(backend: backend) { client in
            func ms(_ d: Duration) -> String { String(format: "%.3f", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1000) }
            // 1. metadata/check at a fixed 1000 requests/s for 10 s (open loop: requests start on schedule).
            if parts.contains("check") {
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
            print("API-BENCH metadata/check open loop: \(total) requests in \(elapsed) (target 1000/s): p50 \(ms(latencies[total / 2])) ms, p99 \(ms(latencies[total * 99 / 100])) ms, max \(ms(latencies[total - 1])) ms")

            }
            // 2. wrk, closed loop, 1 thread / 4 connections, 10 s.
            if parts.contains("wrk") {
            let lua = dir.appendingPathComponent("check.lua")
            try Data(#"wrk.method = "POST"; wrk.body = '{"min_ts":1737590400000000000,"max_ts":1737676799999999999}'; wrk.headers["Content-Type"] = "application/json""#.utf8).write(to: lua)
            let wrk = try Oracle.run("/usr/bin/wrk", ["-t1", "-c4", "-d10s", "--latency", "-s", lua.path, client.baseURL + "/api/v1/metadata/check"])
            print("API-BENCH wrk -t1 -c4 -d10s --latency POST /api/v1/metadata/check:\n" + wrk)
            }
            guard parts.contains("search") else { return }

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
            // An extension (4 digits, 9 000 of them): in about half of the files, unlike a phone number.
            if let ext = picked.compactMap(\.fromUser).first(where: { $0.count == 4 && $0.allSatisfy(\.isNumber) }) {
                bodies.append(("from_user-ext-day", #"{"min_ts":\#(Corpus.base),"max_ts":\#(Corpus.base + day),"limit":10000,"filters":{"from_user":"\#(ext)"}}"#))
            }
            bodies.append(("hour-all-limit10000", #"{"min_ts":\#(Corpus.base + 5 * hour),"max_ts":\#(Corpus.base + 6 * hour),"limit":10000}"#))
            bodies.append(("hour-count", #"{"min_ts":\#(Corpus.base + 5 * hour),"max_ts":\#(Corpus.base + 6 * hour),"count_only":true}"#))
            bodies.append(("hour-count-unaligned", #"{"min_ts":\#(Corpus.base + 5 * hour + 123_456_789),"max_ts":\#(Corpus.base + 6 * hour + 987_654_321),"count_only":true}"#))
            // HOMER_BENCH_ONLY=<substring>: only the searches whose name contains it; HOMER_BENCH_RUNS: runs per
            // search (default 5); HOMER_BENCH_DUCKDB=0 skips DuckDB (profiling our side).
            if let only = env["HOMER_BENCH_ONLY"], !only.isEmpty { bodies = bodies.filter { $0.0.contains(only) } }
            let runCount = max(1, Int(env["HOMER_BENCH_RUNS"] ?? "") ?? 5)
            let queries = dir.appendingPathComponent("bench-queries.json")
            try Data(("[" + bodies.map(\.1).joined(separator: ",") + "]").utf8).write(to: queries)
            let duck = env["HOMER_BENCH_DUCKDB"] == "0" ? [] : try JSONValue.parse(Array(try Oracle.runPython("api_search.py", ["--lake", catalog, data, "--queries", queries.path, "--time", "5"]).utf8)).array ?? []
            for (n, (name, b)) in bodies.enumerated() {
                var runs: [Duration] = []
                var first = ""
                var count = 0
                var stats = ""
                for _ in 0..<runCount {
                    let t = clock.now
                    let reply = try await client.send(.POST, "/api/v1/search", body: Array(b.utf8))
                    runs.append(clock.now - t)
                    if first.isEmpty { first = ms(runs[0]) }
                    let o = try reply.object()
                    count = Int(o["count"]?.int ?? -1)
                    if case .object(let s)? = o["stats"] {
                        var server = "?"
                        if case .double(let d)? = s["elapsed_ms"] { server = String(format: "%.3f", d) }
                        stats = "server \(server) ms, files \(s["files_read"]?.int ?? 0)/\(s["files_total"]?.int ?? 0), row groups \(s["row_groups_read"]?.int ?? 0)/\(s["row_groups_total"]?.int ?? 0)"
                    }
                }
                runs.sort()
                var duckMs = "?", duckRows = "?"
                if n < duck.count, case .array(let pair) = duck[n], pair.count == 2 {
                    if case .double(let d) = pair[0] { duckMs = String(format: "%.3f", d) }
                    if case .integer(let i) = pair[0] { duckMs = String(i) }
                    duckRows = pair[1].int.map(String.init) ?? "?"
                }
                print("API-BENCH search \(name): API median \(ms(runs[runs.count / 2])) ms (first \(first) ms; \(count) rows; \(stats)) | DuckDB median \(duckMs) ms (\(duckRows) rows)")
            }
        }
    }
}
