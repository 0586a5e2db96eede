import API
import DuckLake
import Foundation
import HEP
import Logging
import NIOHTTP1
import ServiceLifecycle
import Testing
import TestSupport
@testable import Hub

/// A real node without the ingest process: the API module's `APIServer` over `DuckLakeBackend`, reading a lake the
/// DuckLake writer produced from HEP records. Three of them, in-process on loopback, behind the Hub.
struct LakeNode: Sendable {
    let name: String
    let catalog: String
    let data: String
    let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)" }

    static func record(_ m: SentMessage) -> HEPRecord {
        HEPRecord(timestamp: m.timestampNanos, sessionID: m.callID, protoType: 1, ipFamily: 2, transport: 17,
                  srcIP: m.srcIP, dstIP: m.dstIP, srcPort: Int32(m.srcPort), dstPort: Int32(m.dstPort), captureID: 2001,
                  payload: Array(m.payload.utf8))
    }

    static func start(_ name: String, messages: [SentMessage]) async throws -> LakeNode {
        let dir = try Oracle.temporaryDirectory("hub-lake-\(name)")
        let catalog = dir.appendingPathComponent("catalog.sqlite").path
        let data = dir.appendingPathComponent("data").path + "/"
        var options = LakeWriterOptions()
        options.batchSize = 1_000_000
        options.flushIntervalSeconds = 3600
        let writer = try await LakeWriter(catalogPath: catalog, dataPath: data, options: options)
        // Two commits: the lake has several files and snapshots, as a live node would.
        let half = messages.count / 2
        try await writer.append(messages[..<half].map(record))
        _ = try await writer.flush()
        try await writer.append(messages[half...].map(record))
        _ = try await writer.flush()
        let backend = await DuckLakeBackend(writer: writer)
        var logger = Logger(label: "lake-node.\(name)")
        logger.logLevel = .critical
        let server = APIServer(options: APIOptions(host: "127.0.0.1", port: 0), backend: backend, logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = server.makeApplication { port in continuation.yield(port) }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("\(name) never reported its port") }
        return LakeNode(name: name, catalog: catalog, data: data, port: port, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

@Suite(.serialized) struct HubLakeNodeTests {
    typealias Plan = HubRealProcessTests.Plan

    struct Cluster {
        let plan: Plan
        let nodes: [String: LakeNode]
        func lakes(_ names: [String]) -> [String] { names.flatMap { ["--lake", nodes[$0]!.catalog, nodes[$0]!.data] } }
        func stop() async { for n in nodes.values { await n.stop() } }
    }

    static func cluster() async throws -> Cluster {
        let plan = Plan()
        var nodes: [String: LakeNode] = [:]
        for (name, msgs) in [("hot", plan.hot), ("archive", plan.archive), ("mid", plan.mid)] {
            nodes[name] = try await LakeNode.start(name, messages: msgs)
        }
        return Cluster(plan: plan, nodes: nodes)
    }

    static func searchCount(_ url: String) async throws -> Int {
        let (_, body) = try await HubRealProcessTests.http(.GET, url + "/metrics")
        var total = 0
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("homer_api_queries_total{") && line.contains("route=\"search\"") {
            total += Int(Double(line.split(separator: " ").last ?? "0") ?? 0)
        }
        return total
    }

    /// Ranges reach exactly the nodes whose data overlaps (counted by the nodes' own metrics), and the merged answer
    /// equals DuckDB's UNION over the three lakes.
    /// Returns the merged answers (as comparable rows) per range, so a second routing mode can be compared to them.
    @discardableResult
    func checkRanges(_ c: Cluster, hub: HubHarness, label: String, against known: [[String]]? = nil) async throws -> [[String]] {
        var answers: [[String]] = []
        for (i, (label2, lo, hi, expect)) in HubRealProcessTests.ranges(plan: c.plan).enumerated() {
            let tag = "\(label) \(label2)"
            var before: [String: Int] = [:]
            for (n, node) in c.nodes { before[n] = try await Self.searchCount(node.url) }
            let a = try await hub.search(["min_ts": lo, "max_ts": hi, "limit": 10000])
            #expect(a.status == 200, "\(tag): \(String(decoding: a.body, as: UTF8.self))")
            #expect(Set(a.queried) == expect, "\(tag)")
            #expect(a.partial == false, "\(tag): \(a.failed)")
            for (n, node) in c.nodes {
                let after = try await Self.searchCount(node.url)
                #expect(after - before[n]! == (expect.contains(n) ? 1 : 0), "\(tag): searches reaching \(n)")
            }
            let got = a.records.map { r -> String in
                ["\((r["timestamp"] as? NSNumber)?.int64Value ?? 0)", r["session_id"] as? String ?? "",
                 r["src_ip"] as? String ?? "", "\(r["src_port"] ?? "")", r["dst_ip"] as? String ?? "",
                 "\(r["dst_port"] ?? "")", r["payload"] as? String ?? ""].joined(separator: "\u{1}")
            }
            answers.append(got)
            let oracle: [String]
            if let known {
                oracle = known[i]  // already proven equal to DuckDB's union
            } else {
                let out = try Oracle.runPython("hub_union.py", c.lakes(["hot", "archive", "mid"]) + ["--min-ns", "\(lo)", "--max-ns", "\(hi)"])
                oracle = ((try JSONSerialization.jsonObject(with: Data(out.utf8))) as? [[Any]] ?? []).map { row in
                    row.map { "\($0)" }.joined(separator: "\u{1}")
                }
            }
            #expect(got.count == oracle.count, "\(tag): hub \(got.count), DuckDB union \(oracle.count)")
            #expect(got.sorted() == oracle.sorted(), "\(tag)")
            #expect(a.timestamps == a.timestamps.sorted(), "\(tag): ascending")
        }
        return answers
    }

    @Test func hubOverThreeLakeNodes() async throws {
        let c = try await Self.cluster()
        let nodes = ["hot", "archive", "mid"].map { HubNode(name: $0, url: c.nodes[$0]!.url) }
        let hub = try await HubHarness.start(nodes: nodes) { $0.routing = .check }
        let statsHub = try await HubHarness.start(nodes: nodes) { $0.routing = .stats }
        do {
            let truth = try await checkRanges(c, hub: hub, label: "check:")
            try await checkRanges(c, hub: statsHub, label: "stats:", against: truth)

            // The split call, whole and in order, from hot and mid.
            let sent = (c.plan.hot + c.plan.mid).filter { $0.callID == c.plan.splitID }.sorted { $0.timestampMicros < $1.timestampMicros }
            let call = try await hub.request(.GET, "/api/v1/calls/\(c.plan.splitID)")
            #expect(call.status == 200)
            #expect(call.records.map { ($0["timestamp"] as? NSNumber)?.int64Value ?? 0 } == sent.map(\.timestampNanos))
            #expect(call.records.map { $0["payload"] as? String ?? "" } == sent.map(\.payload))
            #expect(Set(call.queried) == ["hot", "archive", "mid"])
            // Its pcap, merged from two nodes' pcaps: tshark sees every SIP message with the Call-ID, in time order.
            let pcap = try await hub.request(.GET, "/api/v1/calls/\(c.plan.splitID)/pcap")
            #expect(pcap.status == 200)
            let file = try Oracle.temporaryDirectory("hub-lake-pcap").appendingPathComponent("split.pcap")
            try Data(pcap.body).write(to: file)
            let out = try Oracle.run("tshark", ["-r", file.path, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID",
                                                "-e", "frame.time_epoch"])
            let lines = out.split(separator: "\n")
            #expect(lines.count == sent.count)
            #expect(lines.allSatisfy { $0.hasPrefix(c.plan.splitID + "\t") })
            #expect(pcap.headers["x-homer-nodes-queried"].map { Set($0.split(separator: ",").map(String.init)) } == Set(call.queried))
            #expect(pcap.headers["x-homer-partial"] == "false")

            // One node down: the answer is partial, with everything the others hold (DuckDB over their lakes).
            await c.nodes["mid"]!.stop()
            let now = c.plan.now * 1000, hour: Int64 = 3_600_000_000_000
            let k = try await hub.search(["min_ts": now - hour, "max_ts": now, "limit": 10000])
            #expect(k.status == 200)
            #expect(k.partial == true)
            #expect(k.failed.keys.sorted() == ["mid"])
            let rest = try Oracle.runPython("hub_union.py", c.lakes(["hot"]) + ["--min-ns", "\(now - hour)", "--max-ns", "\(now)"])
            #expect(k.records.count == ((try JSONSerialization.jsonObject(with: Data(rest.utf8))) as? [Any])?.count)
            // And the call split across hot and mid comes back with hot's half, flagged partial.
            let half = try await hub.request(.GET, "/api/v1/calls/\(c.plan.splitID)")
            #expect(half.partial == true)
            #expect(half.records.count == c.plan.hot.filter { $0.callID == c.plan.splitID }.count)
        } catch {
            await hub.stop(); await statsHub.stop(); await c.stop()
            throw error
        }
        await hub.stop()
        await statsHub.stop()
        await c.stop()
    }
}
