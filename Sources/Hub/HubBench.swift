import API
import AsyncHTTPClient
import DuckLake
import Foundation
import HEP
import Logging
import NIOCore
import ServiceLifecycle

/// The Hub bench (issue 7): a search through the Hub versus the same search sent directly to the slowest node it
/// queries (goal: < 10 % added), and the time saved by routing versus querying every node (`routing: all`).
///
/// Self-contained: writes three lakes with the DuckLake writer (hot: the last hour; archive: a day a week ago; mid:
/// two hours of that day and ten minutes of the last hour), serves each with the node's `APIServer` over
/// `DuckLakeBackend` on loopback, and puts two Hubs (`check`, `all`) in front. Targets are timed interleaved, one
/// request at a time. `bench/hub_bench.py` does the same with real `homer serve` processes.
public enum HubBench {
    public struct Options: Sendable {
        /// Rows written to each node's lake. More rows = slower node searches = the Hub's fixed cost matters less.
        public var rowsPerNode = 200_000
        /// Timed searches per target and case.
        public var iterations = 100
        /// `limit` of the searches (the answer size drives the merge cost).
        public var limit = 100
        /// Where the lakes go (a fresh temporary directory when nil); removed afterwards.
        public var directory: String?

        public init() {}
    }

    struct Target {
        var label: String
        var url: String
    }

    static func syntheticRecords(node: String, start: Int64, span: Int64, count: Int) -> [HEPRecord] {
        let lines = ["INVITE sip:bob@b.example SIP/2.0", "SIP/2.0 100 Trying", "SIP/2.0 200 OK",
                     "ACK sip:bob@b.example SIP/2.0", "BYE sip:bob@b.example SIP/2.0", "SIP/2.0 200 OK"]
        let step = max(1, span / Int64(max(count, 1)))
        var out: [HEPRecord] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let call = i / 6
            let callID = "\(node)-\(call)@bench"
            let a = "10.\(call % 200).\(call / 200 % 250).1", b = "10.250.0.1"
            let forward = [0, 3, 4].contains(i % 6)
            let payload = "\(lines[i % 6])\r\nVia: SIP/2.0/UDP \(forward ? a : b):5060;branch=z9hG4bK\(i)\r\n"
                + "From: <sip:alice@a.example>;tag=a\(call)\r\nTo: <sip:bob@b.example>\r\nCall-ID: \(callID)\r\n"
                + "CSeq: 1 INVITE\r\nUser-Agent: bench\r\nContent-Length: 0\r\n\r\n"
            out.append(HEPRecord(timestamp: start + Int64(i) * step, sessionID: callID, protoType: 1, ipFamily: 2,
                                 transport: 17, srcIP: forward ? a : b, dstIP: forward ? b : a, srcPort: 5060,
                                 dstPort: 5060, captureID: 2001, method: i % 6 == 0 ? "INVITE" : nil,
                                 fromUser: "alice", toUser: "bob", userAgent: "bench", payload: Array(payload.utf8)))
        }
        return out
    }

    /// Runs the bench and returns the report (also passed line by line to `log`).
    public static func run(_ options: Options = Options(), log: @Sendable (String) -> Void = { print($0) }) async throws
        -> String {
        var report: [String] = []
        func say(_ s: String) { report.append(s); log(s) }
        let root = options.directory ?? NSTemporaryDirectory() + "homer-hub-bench-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let second: Int64 = 1_000_000_000, hour = 3600 * second, day = 24 * hour
        let now = Int64(Date().timeIntervalSince1970) * second
        let week = now - 7 * day
        let plan: [(String, [(Int64, Int64)])] = [
            ("hot", [(now - hour, hour - 60 * second)]),
            ("archive", [(week, day)]),
            ("mid", [(week + hour, 2 * hour), (now - 40 * 60 * second, 10 * 60 * second)]),
        ]
        var logger = Logger(label: "hub-bench")
        logger.logLevel = .critical
        var groups: [ServiceGroup] = []
        var tasks: [Task<Void, any Error>] = []
        var nodeURLs: [String: String] = [:]
        let client = HubRunner.makeClient(options: HubOptions())
        do {
            for (name, spans) in plan {
                let clock = ContinuousClock.now
                var w = LakeWriterOptions()
                w.batchSize = 100_000
                w.flushIntervalSeconds = 3600
                let writer = try await LakeWriter(catalogPath: "\(root)/\(name)/catalog.sqlite",
                                                  dataPath: "\(root)/\(name)/data/", options: w)
                let per = options.rowsPerNode / spans.count
                for (start, span) in spans {
                    let records = syntheticRecords(node: name, start: start, span: span, count: per)
                    for chunkStart in stride(from: 0, to: records.count, by: 100_000) {
                        try await writer.append(Array(records[chunkStart..<min(chunkStart + 100_000, records.count)]))
                        _ = try await writer.flush()
                    }
                }
                let backend = await DuckLakeBackend(writer: writer)
                let server = APIServer(options: APIOptions(host: "127.0.0.1", port: 0), backend: backend, logger: logger)
                let (ports, continuation) = AsyncStream<Int>.makeStream()
                let group = ServiceGroup(services: [server.makeApplication { continuation.yield($0) }], logger: logger)
                groups.append(group)
                tasks.append(Task { try await group.run() })
                var it = ports.makeAsyncIterator()
                guard let port = await it.next() else { throw HubError(.unreachable, "bench node \(name) did not start") }
                nodeURLs[name] = "http://127.0.0.1:\(port)"
                say("node \(name): \(per * spans.count) rows written in \(ContinuousClock.now - clock)")
            }
            var hubURLs: [RoutingMode: String] = [:]
            for routing in [RoutingMode.check, .all] {
                var o = HubOptions()
                o.listenPort = 0
                o.routing = routing
                o.nodeTimeoutMilliseconds = 60_000
                let hub = Hub(config: HubConfig(options: o, nodes: plan.map { HubNode(name: $0.0, url: nodeURLs[$0.0]!) }),
                              http: client, logger: logger)
                let (ports, continuation) = AsyncStream<Int>.makeStream()
                let group = ServiceGroup(services: HubRunner.services(hub: hub, logger: logger) { continuation.yield($0) },
                                         logger: logger)
                groups.append(group)
                tasks.append(Task { try await group.run() })
                var it = ports.makeAsyncIterator()
                guard let port = await it.next() else { throw HubError(.unreachable, "bench hub did not start") }
                hubURLs[routing] = "http://127.0.0.1:\(port)"
            }
            let cases: [(String, Int64, Int64, [String])] = [
                ("last 10 min (hot only)", now - 600 * second, now, ["hot"]),
                ("last hour (hot + mid)", now - hour, now, ["hot", "mid"]),
                ("a day a week ago (archive + mid)", week, week + day, ["archive", "mid"]),
            ]
            say("rows per node \(options.rowsPerNode), limit \(options.limit), \(options.iterations) timed searches per "
                + "target; p50 / mean in ms")
            for (label, lo, hi, queried) in cases {
                let body = Array("{\"min_ts\":\(lo),\"max_ts\":\(hi),\"limit\":\(options.limit)}".utf8)
                var targets = queried.map { Target(label: "direct \($0)", url: nodeURLs[$0]!) }
                targets.append(Target(label: "hub check", url: hubURLs[.check]!))
                targets.append(Target(label: "hub all", url: hubURLs[.all]!))
                var times = [[Double]](repeating: [], count: targets.count)
                for round in -3..<options.iterations {  // three warm-up rounds
                    for (i, t) in targets.enumerated() {
                        var request = HTTPClientRequest(url: t.url + "/api/v1/search")
                        request.method = .POST
                        request.body = .bytes(ByteBuffer(bytes: body))
                        let started = ContinuousClock.now
                        let response = try await client.execute(request, timeout: .seconds(120))
                        _ = try await response.body.collect(upTo: 1 << 30)
                        let ms = Hub.seconds(ContinuousClock.now - started) * 1000
                        guard response.status.code == 200 else {
                            throw HubError(.badNodeResponse, "\(t.label): HTTP \(response.status.code)")
                        }
                        if round >= 0 { times[i].append(ms) }
                    }
                }
                func p50(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
                say("")
                say(label)
                for (i, t) in targets.enumerated() {
                    let mean = times[i].reduce(0, +) / Double(times[i].count)
                    say("  \(t.label.padding(toLength: 16, withPad: " ", startingAt: 0)) "
                        + String(format: "%8.2f %8.2f", p50(times[i]), mean))
                }
                let slowest = queried.indices.map { p50(times[$0]) }.max() ?? 0
                let check = p50(times[targets.count - 2]), all = p50(times[targets.count - 1])
                say(String(format: "  hub overhead vs slowest queried node (p50): %+.2f ms (%+.1f %%)", check - slowest,
                           (check / slowest - 1) * 100))
                say(String(format: "  saved by skipping vs querying every node (p50): %+.2f ms", all - check))
            }
        } catch {
            for g in groups { await g.triggerGracefulShutdown() }
            for t in tasks { _ = await t.result }
            try? await client.shutdown()
            throw error
        }
        for g in groups { await g.triggerGracefulShutdown() }
        for t in tasks { _ = await t.result }
        try await client.shutdown()
        return report.joined(separator: "\n")
    }
}
