import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import TestSupport

/// End to end: three real `homer serve` nodes fed over HEP, and real `homer hub` processes in front of them. Needs the
/// `homer` binary of the full package (`swift build --product homer`, or `$HOMER_BIN`); reported as skipped with that
/// reason when it is absent (`HOMER_TARGETS=Hub` builds do not produce it).
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: Oracle.homerBinary),
                             "needs the homer binary: swift build --product homer (or set HOMER_BIN)"))
struct HubRealProcessTests {
    static let second: Int64 = 1_000_000
    static let minute = 60 * second
    static let hour = 60 * minute
    static let day = 24 * hour

    /// hot: the last hour; archive: one day a week ago; mid: two hours inside the archive day and ten minutes of the
    /// last hour. Call `split-…` starts on hot and ends on mid; one OPTIONS is captured by both hot and mid.
    struct Plan {
        let now: Int64
        var hot: [SentMessage] = []
        var archive: [SentMessage] = []
        var mid: [SentMessage] = []
        let splitID: String

        init() {
            now = Int64(Date().timeIntervalSince1970 * 1e6)
            let tag = UUID().uuidString.prefix(8)
            splitID = "split-\(tag)@hub.test"
            let weekAgo = now - 7 * day
            func call(_ id: String, at t: Int64, a: (String, Int), b: (String, Int)) -> [SentMessage] {
                [SentMessage.sip("INVITE sip:bob@b.example SIP/2.0", callID: id, cseq: "1 INVITE", at: t, src: a, dst: b),
                 SentMessage.sip("SIP/2.0 100 Trying", callID: id, cseq: "1 INVITE", at: t + 20_000, src: b, dst: a),
                 SentMessage.sip("SIP/2.0 200 OK", callID: id, cseq: "1 INVITE", at: t + 900_000, src: b, dst: a),
                 SentMessage.sip("ACK sip:bob@b.example SIP/2.0", callID: id, cseq: "1 ACK", at: t + 950_000, src: a, dst: b),
                 SentMessage.sip("BYE sip:bob@b.example SIP/2.0", callID: id, cseq: "2 BYE", at: t + 5_000_000, src: a, dst: b),
                 SentMessage.sip("SIP/2.0 200 OK", callID: id, cseq: "2 BYE", at: t + 5_010_000, src: b, dst: a)]
            }
            for i in 0..<6 {
                hot += call("hot-\(i)-\(tag)@hub.test", at: now - 55 * HubRealProcessTests.minute + Int64(i) * 10 * HubRealProcessTests.minute,
                            a: ("10.1.0.\(i + 1)", 5060), b: ("10.9.0.1", 5060))
                archive += call("arc-\(i)-\(tag)@hub.test", at: weekAgo + Int64(i) * 3 * HubRealProcessTests.hour,
                                a: ("10.2.0.\(i + 1)", 5060), b: ("10.9.0.2", 5060))
            }
            for i in 0..<3 {
                mid += call("mid-old-\(i)-\(tag)@hub.test", at: weekAgo + 2 * HubRealProcessTests.hour + Int64(i) * 30 * HubRealProcessTests.minute,
                            a: ("10.3.0.\(i + 1)", 5060), b: ("10.9.0.3", 5060))
                mid += call("mid-new-\(i)-\(tag)@hub.test", at: now - 40 * HubRealProcessTests.minute + Int64(i) * 3 * HubRealProcessTests.minute,
                            a: ("10.4.0.\(i + 1)", 5060), b: ("10.9.0.4", 5060))
            }
            let split = call(splitID, at: now - 35 * HubRealProcessTests.minute, a: ("10.5.0.1", 5060), b: ("10.5.0.2", 5080))
            hot += split.prefix(3)
            mid += split.suffix(3)
            let dup = SentMessage.sip("OPTIONS sip:ping@b.example SIP/2.0", callID: "dup-\(tag)@hub.test",
                                      cseq: "1 OPTIONS", at: now - 33 * HubRealProcessTests.minute, src: ("10.6.0.1", 5060),
                                      dst: ("10.6.0.2", 5060))
            hot.append(dup)
            mid.append(dup)
        }
    }

    final class Cluster: @unchecked Sendable {
        // Invariant: owned by one test, used sequentially.
        let plan = Plan()
        var nodes: [String: RealNode] = [:]
        var hubs: [HomerProcess] = []

        func stopAll() {
            for h in hubs { h.stop() }
            for n in nodes.values { n.process.stop() }
        }

        func lakes(_ names: [String]) -> [String] {
            names.flatMap { ["--lake", nodes[$0]!.catalog, nodes[$0]!.dataPath] }
        }
    }

    static func http(_ method: HTTPMethod, _ url: String, json: Any? = nil) async throws -> (Int, [UInt8]) {
        var r = HTTPClientRequest(url: url)
        r.method = method
        if let json { r.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: json)))) }
        let response = try await HTTPClient.shared.execute(r, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 256 << 20)
        return (Int(response.status.code), Array(body.readableBytesView))
    }

    static func object(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    /// The node's own count of search requests (`homer_api_queries_total{route="search"}`, all statuses).
    static func searchCount(_ node: RealNode) async throws -> Int {
        let (_, body) = try await http(.GET, node.url + "/metrics")
        var total = 0
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("homer_api_queries_total{") && line.contains("route=\"search\"") {
            total += Int(Double(line.split(separator: " ").last ?? "0") ?? 0)
        }
        return total
    }

    static func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(300))
        }
        Issue.record("timed out waiting for \(what)")
        throw TestFailure("timed out waiting for \(what)")
    }

    static func startHub(_ c: Cluster, routing: String) async throws -> String {
        let dir = try Oracle.temporaryDirectory("hub-proc")
        let port = Ports.free()
        let config: [String: Any] = [
            "hub": ["listen": "127.0.0.1:\(port)", "routing": routing, "probe_interval_sec": 1, "node_timeout_ms": 10000,
                    "check_timeout_ms": 2000, "probe_backoff_min_ms": 200],
            "nodes": ["hot", "archive", "mid"].map { ["name": $0, "url": c.nodes[$0]!.url] },
        ]
        let file = dir.appendingPathComponent("hub.json")
        try JSONSerialization.data(withJSONObject: config).write(to: file)
        let p = try HomerProcess(["hub", "--config", file.path], log: dir.appendingPathComponent("hub.log"))
        c.hubs.append(p)
        try await waitForPort(port)
        return "http://127.0.0.1:\(port)"
    }

    /// Starts the nodes, feeds each with `homer send --pcap` over HEP/TCP (a pcap of its messages with their capture
    /// times) and waits until every message is committed to each lake.
    static func startCluster() async throws -> Cluster {
        let c = Cluster()
        for name in ["hot", "archive", "mid"] { c.nodes[name] = try RealNode.start(name) }
        for (name, msgs) in [("hot", c.plan.hot), ("archive", c.plan.archive), ("mid", c.plan.mid)] {
            let node = c.nodes[name]!
            try await waitForPort(node.httpPort)
            let pcap = node.dir.appendingPathComponent("feed.pcap")
            try Data(SIPPcap.file(msgs.sorted { $0.timestampMicros < $1.timestampMicros })).write(to: pcap)
            let out = try Oracle.run(Oracle.homerBinary, ["send", "--pcap", pcap.path, "--tcp", "127.0.0.1:\(node.hepPort)"])
            #expect(out.contains("sent \(msgs.count) packets"), "\(out)")
        }
        for (name, msgs) in [("hot", c.plan.hot), ("archive", c.plan.archive), ("mid", c.plan.mid)] {
            let node = c.nodes[name]!
            try await waitUntil("\(name) lake holding \(msgs.count) rows") {
                let out = try Oracle.runPython("hub_union.py", c.lakes([name]) + ["--min-ns", "0", "--max-ns", "\(Int64.max)"])
                return ((try JSONSerialization.jsonObject(with: Data(out.utf8))) as? [Any])?.count == msgs.count
            }
            _ = node
        }
        return c
    }

    /// The merged answer equals DuckDB's union of the lakes, and exactly the expected nodes got the search.
    static func checkRange(_ c: Cluster, hub: String, label: String, lo: Int64, hi: Int64, expect: Set<String>) async throws {
        var before: [String: Int] = [:]
        for (n, node) in c.nodes { before[n] = try await searchCount(node) }
        let (status, body) = try await http(.POST, hub + "/api/v1/search",
                                            json: ["min_ts": lo, "max_ts": hi, "limit": 10000])
        #expect(status == 200, "\(label): \(String(decoding: body, as: UTF8.self))")
        let o = object(body)
        let nodes = o["nodes"] as? [String: Any] ?? [:]
        #expect(Set(nodes["queried"] as? [String] ?? []) == expect, "\(label): \(nodes)")
        #expect(o["partial"] as? Bool == false, "\(label)")
        for (n, node) in c.nodes {
            let after = try await searchCount(node)
            #expect(after - before[n]! == (expect.contains(n) ? 1 : 0), "\(label): searches that reached \(n)")
        }
        let records = o["records"] as? [[String: Any]] ?? []
        let got = records.map { r -> [String] in
            ["\((r["timestamp"] as? NSNumber)?.int64Value ?? 0)", r["session_id"] as? String ?? "",
             r["src_ip"] as? String ?? "", "\(r["src_port"] ?? "")", r["dst_ip"] as? String ?? "",
             "\(r["dst_port"] ?? "")", r["payload"] as? String ?? ""]
        }
        let out = try Oracle.runPython("hub_union.py", c.lakes(["hot", "archive", "mid"]) + ["--min-ns", "\(lo)", "--max-ns", "\(hi)"])
        let oracle: [String] = ((try JSONSerialization.jsonObject(with: Data(out.utf8))) as? [[Any]] ?? []).map { row in
            row.map { "\($0)" }.joined(separator: "\u{1}")
        }
        let gotRows: [String] = got.map { $0.joined(separator: "\u{1}") }
        #expect(gotRows.count == oracle.count, "\(label): \(gotRows.count) records, DuckDB union has \(oracle.count)")
        #expect(gotRows.sorted() == oracle.sorted(), "\(label)")
        let ts = records.map { ($0["timestamp"] as? NSNumber)?.int64Value ?? 0 }
        #expect(ts == ts.sorted(), "\(label): ascending")
    }

    static func ranges(_ c: Cluster) -> [(String, Int64, Int64, Set<String>)] { ranges(plan: c.plan) }

    static func ranges(plan: Plan) -> [(String, Int64, Int64, Set<String>)] {
        // Expected nodes: those whose [min, max] of sent timestamps overlaps the range (what metadata/check answers).
        func hull(_ m: [SentMessage]) -> (Int64, Int64) {
            (m.map(\.timestampNanos).min()!, m.map(\.timestampNanos).max()!)
        }
        let hulls = ["hot": hull(plan.hot), "archive": hull(plan.archive), "mid": hull(plan.mid)]
        let now = plan.now * 1000, minute = minute * 1000, day = day * 1000
        let list: [(String, Int64, Int64)] = [
            ("last 10 minutes", now - 10 * minute, now),
            ("last hour", now - 60 * minute, now),
            ("a week ago, late in the day", now - 7 * day + 10 * 60 * minute, now - 7 * day + 20 * 60 * minute),
            ("three weeks ago", now - 21 * day, now - 20 * day),
            ("everything", now - 30 * day, now + 60 * minute),
        ]
        return list.map { (label, lo, hi) in
            (label, lo, hi, Set(hulls.filter { $0.value.0 <= hi && $0.value.1 >= lo }.keys))
        }
    }

    @Test func hubOverThreeRealNodes() async throws {
        let c = try await Self.startCluster()
        defer { c.stopAll() }
        let ranges = Self.ranges(c)
        #expect(ranges[0].3 == ["hot"])
        #expect(ranges[3].3.isEmpty)

        // Routing by metadata/check.
        let hub = try await Self.startHub(c, routing: "check")
        for (label, lo, hi, expect) in ranges {
            try await Self.checkRange(c, hub: hub, label: "check: \(label)", lo: lo, hi: hi, expect: expect)
        }

        // Routing by polled stats: the same answers once every node was polled.
        let statsHub = try await Self.startHub(c, routing: "stats")
        try await Self.waitUntil("stats hub polled every node") {
            let (_, body) = try await Self.http(.GET, statsHub + "/api/v1/hub/nodes")
            let nodes = Self.object(body)["nodes"] as? [[String: Any]] ?? []
            return nodes.count == 3 && nodes.allSatisfy { ($0["last_range"] as? [String: Any])?["max_ts"] is NSNumber }
        }
        for (label, lo, hi, expect) in ranges {
            try await Self.checkRange(c, hub: statsHub, label: "stats: \(label)", lo: lo, hi: hi, expect: expect)
        }

        // A call split across hot and mid comes back whole, in order; its pcap has every message (tshark judges).
        let (status, body) = try await Self.http(.GET, hub + "/api/v1/calls/\(c.plan.splitID)")
        #expect(status == 200)
        let call = Self.object(body)
        let messages = (call["messages"] as? [[String: Any]]) ?? (call["records"] as? [[String: Any]]) ?? []
        let sent = (c.plan.hot + c.plan.mid).filter { $0.callID == c.plan.splitID }.sorted { $0.timestampMicros < $1.timestampMicros }
        #expect(messages.map { ($0["timestamp"] as? NSNumber)?.int64Value ?? 0 } == sent.map(\.timestampNanos))
        #expect(messages.map { $0["payload"] as? String ?? "" } == sent.map(\.payload))
        let (pstatus, pcap) = try await Self.http(.GET, hub + "/api/v1/calls/\(c.plan.splitID)/pcap")
        #expect(pstatus == 200)
        let file = try Oracle.temporaryDirectory("hub-e2e").appendingPathComponent("split.pcap")
        try Data(pcap).write(to: file)
        let ids = try Oracle.run("tshark", ["-r", file.path, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"])
        #expect(ids.split(separator: "\n").map(String.init) == Array(repeating: c.plan.splitID, count: sent.count))

        // Killing mid: answers are partial, with everything the others hold.
        c.nodes["mid"]!.process.kill()
        let now = c.plan.now * 1000
        let (kstatus, kbody) = try await Self.http(.POST, hub + "/api/v1/search",
                                                   json: ["min_ts": now - 3_600_000_000_000, "max_ts": now, "limit": 10000])
        #expect(kstatus == 200)
        let k = Self.object(kbody)
        #expect(k["partial"] as? Bool == true)
        let failed = ((k["nodes"] as? [String: Any])?["failed"] as? [[String: Any]]) ?? []
        #expect(failed.map { $0["name"] as? String ?? "" } == ["mid"])
        let out = try Oracle.runPython("hub_union.py", c.lakes(["hot"]) + ["--min-ns", "\(now - 3_600_000_000_000)",
                                                                             "--max-ns", "\(now)"])
        let expected = (try JSONSerialization.jsonObject(with: Data(out.utf8))) as? [Any] ?? []
        #expect((k["records"] as? [Any])?.count == expected.count)

        // SIGTERM stops the hub cleanly.
        for h in c.hubs {
            h.stop()
            #expect(h.process.terminationReason == .exit && h.process.terminationStatus == 0, "\(h.logText)")
        }
    }

    /// `homer hub` as a process in front of stub nodes: it serves merged answers, prints its listening line, and stops
    /// cleanly (exit 0) on SIGTERM. Independent of the storage pipeline.
    @Test func hubProcessServesAndStopsOnSIGTERM() async throws {
        let data = StubData()
        let hot = try await StubNode.start(name: "hot", records: data.hot)
        let mid = try await StubNode.start(name: "mid", records: data.mid)
        let dir = try Oracle.temporaryDirectory("hub-proc-stub")
        let port = Ports.free()
        let config: [String: Any] = [
            "hub": ["listen": "127.0.0.1:\(port)", "probe_interval_sec": 1],
            "nodes": [["name": "hot", "url": hot.url], ["name": "mid", "url": mid.url]],
        ]
        let file = dir.appendingPathComponent("hub.json")
        try JSONSerialization.data(withJSONObject: config).write(to: file)
        let hub = try HomerProcess(["hub", "--config", file.path], log: dir.appendingPathComponent("hub.log"))
        do {
            try await waitForPort(port)
            let now = data.now
            let (status, body) = try await Self.http(.POST, "http://127.0.0.1:\(port)/api/v1/search",
                                                     json: ["min_ts": now - 20 * 60 * StubData.second, "max_ts": now])
            #expect(status == 200)
            let o = Self.object(body)
            #expect((o["nodes"] as? [String: Any])?["queried"] as? [String] == ["hot"])
            #expect((o["records"] as? [Any])?.count == data.expected(now - 20 * 60 * StubData.second, now).count)
        } catch {
            hub.kill()
            await hot.stop(); await mid.stop()
            throw error
        }
        hub.stop()
        #expect(hub.process.terminationReason == .exit && hub.process.terminationStatus == 0, "\(hub.logText)")
        #expect(hub.logText.contains("homer hub listening on 127.0.0.1:\(port)"))
        await hot.stop()
        await mid.stop()
    }

    @Test func badConfigExitsWithStatus2NamingTheKey() throws {
        let dir = try Oracle.temporaryDirectory("hub-badcfg")
        let file = dir.appendingPathComponent("hub.json")
        try Data(#"{"hub": {"node_timeout_ms": "slow"}, "nodes": [{"name": "a", "url": "http://127.0.0.1:1"}]}"#.utf8)
            .write(to: file)
        do {
            try Oracle.run(Oracle.homerBinary, ["hub", "--config", file.path])
            Issue.record("homer hub accepted a bad config")
        } catch let e as ProcessError {
            #expect(e.status == 2)
            #expect(e.stderr.contains("hub.node_timeout_ms"))
        }
    }
}
