import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TestSupport
@testable import Hub

/// A Hub running in-process (its real services: HTTP server + poller) in front of some nodes, and a client to it.
struct HubHarness: Sendable {
    let port: Int
    let hub: Hub
    let client: HTTPClient
    let group: ServiceGroup
    let task: Task<Void, any Error>

    static func start(nodes: [HubNode], configure: (inout HubOptions) -> Void = { _ in }) async throws -> HubHarness {
        var options = HubOptions()
        options.listenHost = "127.0.0.1"
        options.listenPort = Ports.free()
        options.nodeTimeoutMilliseconds = 1500
        options.checkTimeoutMilliseconds = 3000  // generous: the test machine is a loaded 2-core box
        options.probeIntervalSeconds = 0.5
        options.probeBackoffMinMilliseconds = 200
        configure(&options)
        let config = HubConfig(options: options, nodes: nodes)
        let client = HubRunner.makeClient(options: options)
        var logger = Logger(label: "hub.test")
        logger.logLevel = .warning
        let hub = Hub(config: config, http: client, logger: logger)
        let group = ServiceGroup(services: HubRunner.services(hub: hub, logger: logger), logger: logger)
        let task = Task { try await group.run() }
        try await waitForPort(options.listenPort)
        return HubHarness(port: options.listenPort, hub: hub, client: client, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        try? await client.shutdown()
    }

    struct Answer {
        var status: Int
        var body: [UInt8]
        var headers: [String: String]
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
    }

    func request(_ method: HTTPMethod = .GET, _ path: String, body: Any? = nil, rawBody: String? = nil,
                 token: String? = nil) async throws -> Answer {
        var r = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        r.method = method
        if let token { r.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            r.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body))))
        } else if let rawBody {
            r.body = .bytes(ByteBuffer(string: rawBody))
        }
        let response = try await client.execute(r, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        var headers: [String: String] = [:]
        for h in response.headers { headers[h.name.lowercased()] = h.value }
        return Answer(status: Int(response.status.code), body: Array(bytes.readableBytesView), headers: headers)
    }

    func search(_ body: [String: Any], token: String? = nil) async throws -> Answer {
        try await request(.POST, "/api/v1/search", body: body, token: token)
    }
}

/// Reading a Hub answer's `nodes` block.
extension HubHarness.Answer {
    var queried: [String] { ((json["nodes"] as? [String: Any])?["queried"] as? [String]) ?? [] }
    var skipped: [String] { ((json["nodes"] as? [String: Any])?["skipped"] as? [String]) ?? [] }
    var failed: [String: String] {
        var out: [String: String] = [:]
        for f in ((json["nodes"] as? [String: Any])?["failed"] as? [[String: Any]]) ?? [] {
            out[f["name"] as? String ?? "?"] = f["reason"] as? String ?? ""
        }
        return out
    }
    var partial: Bool? { json["partial"] as? Bool }
    /// `records` of a search, `messages` of a call flow.
    var records: [[String: Any]] { (json["records"] as? [[String: Any]]) ?? (json["messages"] as? [[String: Any]]) ?? [] }
    var timestamps: [Int64] { records.map { ($0["timestamp"] as? NSNumber)?.int64Value ?? -1 } }
}
