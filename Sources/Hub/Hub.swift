import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// An HTTP answer of the Hub, independent of the server library.
public struct HubReply: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var headers: [(String, String)]

    public init(status: Int, contentType: String = "application/json", body: [UInt8], headers: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }

    static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> HubReply {
        var body = JSONCodec.serialize(value)
        body.append(0x0A)
        return HubReply(status: status, body: body, headers: headers)
    }

    static func error(_ status: Int, _ message: String) -> HubReply {
        json(status, .object(JSONObject([("error", .string(message))])))
    }
}

/// The Homer Hub: routes each query to the nodes whose time range overlaps it, asks them concurrently and merges
/// their answers (issue 7; the smart router of the design seed and HOMER 11's coordinator, docs §4.3).
///
/// This type is the logic, free of the HTTP server: `HubHTTPServer` serves it, `HubPoller` keeps node state fresh.
public struct Hub: Sendable {
    public let config: HubConfig
    let client: NodeClient
    let registry: NodeRegistry
    let logger: Logger

    /// - Parameter http: the client used to reach nodes; its owner shuts it down (see `HubRunner`).
    public init(config: HubConfig, http: HTTPClient, logger: Logger = Logger(label: "homer.hub")) {
        self.config = config
        self.client = NodeClient(http: http, maxResponseBytes: config.options.maxResponseBytes)
        self.registry = NodeRegistry(nodes: config.nodes, options: config.options)
        self.logger = logger
    }

    var options: HubOptions { config.options }

    /// Decides which nodes may hold `[lo, hi]` (ns; both 0 = any time), following `hub.routing`.
    public func route(_ lo: Int64, _ hi: Int64) async -> RoutePlan {
        let decisions = await withTaskGroup(of: (Int, Decision).self) { group in
            for (i, node) in config.nodes.enumerated() {
                group.addTask { (i, await decide(node, lo, hi)) }
            }
            var out = [Decision?](repeating: nil, count: config.nodes.count)
            for await (i, d) in group { out[i] = d }
            return out
        }
        var plan = RoutePlan()
        for (node, decision) in zip(config.nodes, decisions) {
            switch decision {
            case .query?: plan.targets.append(node)
            case .skip?: plan.skipped.append(node.name)
            case .fail(let reason)?: plan.failed.append(NodeFailure(name: node.name, reason: reason))
            case nil: plan.failed.append(NodeFailure(name: node.name, reason: "routing did not finish"))
            }
        }
        return plan
    }

    enum Decision: Sendable {
        case query, skip, fail(String)

        var isQuery: Bool {
            if case .query = self { return true }
            return false
        }
    }

    func decide(_ node: HubNode, _ lo: Int64, _ hi: Int64) async -> Decision {
        if let d = await knownDecision(node, lo, hi) { return d }
        return await liveCheck(node, lo, hi)
    }

    /// The decision that needs no request to the node, or nil when only a live `metadata/check` can tell (`check`
    /// routing, when the node's last known range does not already prove the overlap).
    func knownDecision(_ node: HubNode, _ lo: Int64, _ hi: Int64) async -> Decision? {
        let state = await registry.routingState(node.name)
        let now = wallNanoseconds()
        let slack = Int64(options.statsSlackSeconds * 1e9)
        if !state.up {
            // Down: skipping it is safe only when its last known range cannot overlap; otherwise it is reported
            // failed while its backoff runs, and tried again (as a probe) once the backoff expired.
            if let r = state.range, !r.mayOverlap(lo, hi, now: now, slackNanoseconds: slack) {
                return .skip
            }
            if state.heldDown {
                return .fail("down: \(state.lastError ?? "unreachable")")
            }
        }
        switch options.routing {
        case .all:
            return .query
        case .stats:
            guard let r = state.range else { return .query }  // never polled yet: fan out
            return r.mayOverlap(lo, hi, now: now, slackNanoseconds: slack) ? .query : .skip
        case .check:
            // The live check answers whether the node's [min, max] overlaps the range. A range the node was seen
            // holding (poll or earlier check) that already overlaps gives the same answer without the round trip:
            // a node's range only grows, except by retention, and querying a node that turns out to hold nothing
            // is harmless (it answers no records). A node is skipped only on a live answer, so a node that just
            // received data outside its known range is never skipped on stale knowledge.
            if let r = state.range, r.overlaps(lo, hi) { return .query }
            return nil
        }
    }

    /// Asks the node `POST /api/v1/metadata/check` for `[lo, hi]` (`check` routing) and caches the range it reports.
    func liveCheck(_ node: HubNode, _ lo: Int64, _ hi: Int64) async -> Decision {
        let now = wallNanoseconds()
        let body = JSONCodec.serialize(.object(JSONObject([("min_ts", .int(lo)), ("max_ts", .int(hi))])))
        do {
            let (answer, _) = try await client.json(node, method: .POST, path: "/api/v1/metadata/check", body: body,
                                                    timeoutMilliseconds: options.checkTimeoutMilliseconds)
            await registry.markReachable(node.name, latency: nil)
            guard let hasData = answer["has_data"]?.boolValue else {
                await registry.countFailed(node.name, kind: "check")
                return .fail("metadata/check: no boolean has_data")
            }
            let mn = answer["node_min_ts"]?.intValue, mx = answer["node_max_ts"]?.intValue
            let empty = (mn ?? 0) == 0 && (mx ?? 0) == 0
            await registry.setRange(node.name, NodeRange(minTimestamp: empty ? nil : mn, maxTimestamp: empty ? nil : mx,
                                                          observedAt: now))
            return hasData ? .query : .skip
        } catch {
            await noteFailure(node, error, stage: "check")
            return .fail("metadata/check: \(error.detail)")
        }
    }

    /// Records a failed exchange with a node: counters, last error, and down-marking when it was unreachable.
    func noteFailure(_ node: HubNode, _ error: HubError, stage: String) async {
        let kind: String
        switch error.reason {
        case .timeout: kind = "timeout"
        case .unreachable: kind = "unreachable"
        default: kind = "bad_response"
        }
        // Failures of routing checks and background probes are counted apart from query failures.
        await registry.countFailed(node.name, kind: stage == "query" ? kind : "\(stage)_\(kind)")
        if error.reason == .unreachable {
            await registry.markUnreachable(node.name, error: "\(stage): \(error.detail)")
        } else {
            await registry.noteError(node.name, "\(stage): \(error.description)")
            // It answered something (or is slow): reachable.
            if error.reason == .badNodeResponse { await registry.markReachable(node.name, latency: nil) }
        }
        logger.debug("node failed", metadata: ["node": "\(node.name)", "stage": "\(stage)", "error": "\(error)"])
    }

    /// Polls `GET /api/v1/metadata/stats` of `nodes` (all when nil): refreshes ranges for `stats` routing, health and
    /// latency for `/api/v1/hub/nodes`, and brings nodes back up.
    public func poll(_ nodes: [HubNode]? = nil) async {
        await withTaskGroup(of: Void.self) { group in
            for node in nodes ?? config.nodes {
                group.addTask { await pollStats(node) }
            }
        }
    }

    private func pollStats(_ node: HubNode) async {
        let started = wallNanoseconds()
        do {
            let (stats, latency) = try await client.json(node, method: .GET, path: "/api/v1/metadata/stats",
                                                         timeoutMilliseconds: options.checkTimeoutMilliseconds)
            await registry.markReachable(node.name, latency: latency)
            let rows = stats["row_count"]?.intValue
            var mn = stats["min_timestamp"]?.intValue, mx = stats["max_timestamp"]?.intValue
            if rows == 0 || (mn ?? 0) == 0 && (mx ?? 0) == 0 { mn = nil; mx = nil }
            await registry.setRange(node.name, NodeRange(minTimestamp: mn, maxTimestamp: mx, rowCount: rows,
                                                          observedAt: started))
        } catch {
            await noteFailure(node, error, stage: "stats")
        }
    }

    /// Re-probes the nodes that are down and whose backoff expired.
    public func probeDownNodes() async {
        let due = await registry.dueForProbe()
        if !due.isEmpty { await poll(due) }
    }
}
