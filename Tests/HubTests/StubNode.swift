import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TestSupport
@testable import Hub

/// A fake homer node speaking the node API (issue 5 wire format) over real HTTP, for the Hub tests that need a node to
/// misbehave (slow, 5xx, bad JSON, dead) — a real `homer serve` cannot be made to. Its data is a list of records.
actor StubNodeState {
    enum Mode: Sendable { case normal, slow(Int), error500, badJSON }

    var records: [[String: Any & Sendable]]
    var mode: Mode = .normal
    /// Routes the mode applies to (nil = all).
    var modeRoutes: Set<String>? = nil
    /// Requests received, by route ("check", "stats", "search", "call", "pcap").
    var hits: [String: Int] = [:]
    var lastAsOf: String? = nil

    init(records: [[String: Any & Sendable]]) { self.records = records }

    func setMode(_ m: Mode, routes: Set<String>? = nil) { mode = m; modeRoutes = routes }
    func hit(_ route: String) -> Mode {
        hits[route, default: 0] += 1
        return modeRoutes.map { $0.contains(route) } ?? true ? mode : .normal
    }
    func count(_ route: String) -> Int { hits[route] ?? 0 }
    func resetHits() { hits = [:] }
    func setLastAsOf(_ s: String?) { lastAsOf = s }
    func all() -> [[String: Any & Sendable]] { records }
    func append(_ r: [String: Any & Sendable]) { records.append(r) }
}

struct StubNode: Sendable {
    let name: String
    let port: Int
    let state: StubNodeState
    let group: ServiceGroup
    let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)" }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(data))))
    }

    static func ts(_ r: [String: Any]) -> Int64 { (r["timestamp"] as? NSNumber)?.int64Value ?? 0 }

    /// Applies the misbehaviour mode; returns a response to send instead of the real one, if any.
    static func misbehave(_ mode: StubNodeState.Mode) async -> Response? {
        switch mode {
        case .normal: return nil
        case .slow(let ms):
            try? await Task.sleep(for: .milliseconds(ms))
            return nil
        case .error500: return json(["error": "boom"], status: .internalServerError)
        case .badJSON:
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"records\": [ {\"timestamp\": 1,")))
        }
    }

    /// The messages of a call as a node returns them: session_id or correlation_id equal to the id, plus the legs
    /// whose session_id is a correlation_id of those (one hop, as issue 5 describes).
    static func callRecords(_ id: String, _ all: [[String: Any & Sendable]]) -> [[String: Any & Sendable]] {
        let direct = all.filter { ($0["session_id"] as? String) == id || ($0["correlation_id"] as? String) == id }
        let linked = Set(direct.compactMap { $0["correlation_id"] as? String })
        return all.filter { r in
            direct.contains { ts($0) == ts(r) && ($0["session_id"] as? String) == (r["session_id"] as? String) }
                || linked.contains((r["session_id"] as? String) ?? "")
        }.sorted { ts($0) < ts($1) }
    }

    static func start(name: String, records: [[String: Any & Sendable]], authToken: String? = nil) async throws -> StubNode {
        let state = StubNodeState(records: records)
        let router = Router(context: BasicRequestContext.self)
        router.post("/api/v1/metadata/check") { request, _ in
            if let r = await misbehave(await state.hit("check")) { return r }
            if let authToken, request.headers[.authorization] != "Bearer \(authToken)" { return json(["error": "auth"], status: .unauthorized) }
            let body = try await request.body.collect(upTo: 1 << 20)
            let q = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
            let lo = (q["min_ts"] as? NSNumber)?.int64Value ?? 0, hi = (q["max_ts"] as? NSNumber)?.int64Value ?? 0
            let all = await state.all()
            let mn = all.map(ts).min() ?? 0, mx = all.map(ts).max() ?? 0
            let has = !all.isEmpty && (lo == 0 && hi == 0 || (mn <= hi && mx >= lo))
            return json(["has_data": has, "node_min_ts": mn, "node_max_ts": mx, "oldest_data": "", "newest_data": "",
                         "data_span_hours": Int((mx - mn) / 3_600_000_000_000)])
        }
        router.get("/api/v1/metadata/stats") { request, _ in
            if let r = await misbehave(await state.hit("stats")) { return r }
            let all = await state.all()
            return json(["row_count": all.count, "min_timestamp": all.map(ts).min() ?? 0,
                         "max_timestamp": all.map(ts).max() ?? 0, "catalog_type": "sqlite", "data_path": "/x"])
        }
        router.post("/api/v1/search") { request, _ in
            let mode = await state.hit("search")
            if let authToken, request.headers[.authorization] != "Bearer \(authToken)" { return json(["error": "auth"], status: .unauthorized) }
            if let r = await misbehave(mode) { return r }
            let body = try await request.body.collect(upTo: 1 << 20)
            let q = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
            await state.setLastAsOf(q["as_of"] as? String)
            if q["bogus"] != nil { return json(["error": "unknown field bogus"], status: .badRequest) }
            let lo = (q["min_ts"] as? NSNumber)?.int64Value ?? 0, hi = (q["max_ts"] as? NSNumber)?.int64Value ?? 0
            let limit = (q["limit"] as? NSNumber)?.intValue ?? 100
            let desc = (q["order"] as? String) == "desc"
            var hits = await state.all().filter { ts($0) >= lo && ts($0) <= hi }
            hits.sort { desc ? ts($0) > ts($1) : ts($0) < ts($1) }
            return json(["count": min(limit, hits.count), "snapshot_id": 7, "records": Array(hits.prefix(limit))])
        }
        router.get("/api/v1/calls/{id}") { _, context in
            if let r = await misbehave(await state.hit("call")) { return r }
            let id = context.parameters.get("id").flatMap { $0.removingPercentEncoding } ?? ""
            let recs = callRecords(id, await state.all())
            if recs.isEmpty { return json(["error": "call not found"], status: .notFound) }
            var hosts: [String] = []
            for r in recs {
                for h in ["\(r["src_ip"]!):\(r["src_port"]!)", "\(r["dst_ip"]!):\(r["dst_port"]!)"] where !hosts.contains(h) {
                    hosts.append(h)
                }
            }
            let sessions = recs.compactMap { $0["session_id"] as? String }.reduce(into: [id]) { if !$0.contains($1) { $0.append($1) } }
            return json(["session_id": id, "count": recs.count, "snapshot_id": 7, "truncated": false, "sessions": sessions,
                         "hosts": hosts, "messages": recs])
        }
        router.get("/api/v1/calls/{id}/pcap") { _, context in
            if let r = await misbehave(await state.hit("pcap")) { return r }
            let id = context.parameters.get("id").flatMap { $0.removingPercentEncoding } ?? ""
            let recs = callRecords(id, await state.all())
            return Response(status: .ok, headers: [.contentType: "application/vnd.tcpdump.pcap"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: PcapFixture.file(recs.map {
                                (ts($0), Array((($0["payload"] as? String) ?? "").utf8))
                            }))))
        }
        let port = Ports.free()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              logger: Logger(label: "stub.\(name)"))
        let group = ServiceGroup(services: [app], logger: Logger(label: "stub"))
        let task = Task { try await group.run() }
        try await waitForPort(port)
        return StubNode(name: name, port: port, state: state, group: group, task: task)
    }

    /// Stops serving: the port then refuses connections.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// Waits until something accepts TCP connections on 127.0.0.1:port.
func waitForPort(_ port: Int, timeout: Duration = .seconds(20)) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if rc == 0 { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TestFailure("nothing listening on 127.0.0.1:\(port)")
}

/// Builds classic pcap files (microsecond or nanosecond) for tests, independently of the Hub's merge code.
enum PcapFixture {
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }

    /// A pcap with link type 147 (USER0) holding `packets` (timestamp ns, bytes).
    static func file(_ packets: [(Int64, [UInt8])], nano: Bool = true, linkType: UInt32 = 147) -> [UInt8] {
        var out = le32(nano ? 0xa1b2_3c4d : 0xa1b2_c3d4) + [2, 0, 4, 0] + le32(0) + le32(0) + le32(65535) + le32(linkType)
        for (ts, data) in packets {
            out += le32(UInt32(ts / 1_000_000_000))
            out += le32(UInt32(nano ? ts % 1_000_000_000 : ts % 1_000_000_000 / 1000))
            out += le32(UInt32(data.count)) + le32(UInt32(data.count)) + data
        }
        return out
    }
}

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
