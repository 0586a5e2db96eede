import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Serves the Hub's HTTP API (Hummingbird 2): the node search API re-served across nodes, plus the Hub's own status.
///
/// Routes: `POST /api/v1/search`, `GET /api/v1/calls/{id}`, `GET /api/v1/calls/{id}/pcap`, `GET /api/v1/hub/nodes`,
/// `GET /metrics`, `GET /health`. `/health` and `/metrics` need no token, as on a node (issue 5 §5–6).
public enum HubHTTPServer {
    /// The largest request body accepted (a search body is a few hundred bytes); larger → 413, as on a node.
    static let maxRequestBody = 1 << 20

    /// Builds the Hummingbird application serving `hub`. It is a `Service`: run it in a `ServiceGroup`.
    /// `onServerRunning` receives the bound port (useful with port 0).
    public static func application(hub: Hub, logger: Logger,
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: BearerAuthMiddleware(token: hub.options.authToken))
        router.get("/health") { _, _ in
            response(HubReply.json(200, .object(JSONObject([("status", .string("ok"))]))))
        }
        router.get("/metrics") { _, _ in
            let text = await hub.metricsText()
            return response(HubReply(status: 200, contentType: "text/plain; version=0.0.4", body: Array(text.utf8)))
        }
        router.get("/api/v1/hub/nodes") { _, _ in response(await hub.nodesStatus()) }
        router.post("/api/v1/search") { request, _ in
            let body = try await request.body.collect(upTo: maxRequestBody)
            return response(await hub.search(body: Array(body.readableBytesView)))
        }
        router.get("/api/v1/calls/{id}") { request, context in
            let id = try callID(context)
            return response(await hub.call(id, query: query(request)))
        }
        router.get("/api/v1/calls/{id}/pcap") { request, context in
            let id = try callID(context)
            return response(await hub.pcap(id, query: query(request)))
        }
        for path in ["/api/v1/search"] {
            for method in [HTTPRequest.Method.get, .put, .delete, .patch] {
                router.on(RouterPath(path), method: method) { _, _ in response(HubReply.error(405, "use POST")) }
            }
        }
        for path in ["/api/v1/calls/{id}", "/api/v1/calls/{id}/pcap", "/api/v1/hub/nodes"] {
            for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
                router.on(RouterPath(path), method: method) { _, _ in response(HubReply.error(405, "use GET")) }
            }
        }
        let address: BindAddress = .hostname(hub.options.listenHost, port: hub.options.listenPort)
        return Application(router: router, configuration: ApplicationConfiguration(address: address, serverName: "homer-hub"),
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                           logger: logger)
    }

    static func callID(_ context: BasicRequestContext) throws -> String {
        guard let raw = context.parameters.get("id") else { throw HTTPError(.badRequest, message: "missing call id") }
        // The router hands the raw segment; Call-IDs often carry '@' or '%' and arrive percent-encoded.
        return raw.removingPercentEncoding ?? raw
    }

    static func query(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    static func response(_ reply: HubReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        for (name, value) in reply.headers {
            guard let field = HTTPField.Name(name) else { continue }
            // Header values carry node error texts: keep them to printable ASCII on one line.
            let clean = String(value.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f ? Character($0) : " " })
            headers[field] = String(clean.prefix(2000))
        }
        return Response(status: .init(code: reply.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}

/// `Authorization: Bearer <token>` on every route but `/health` and `/metrics`, compared in constant time.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response {
        guard let token, request.uri.path != "/health", request.uri.path != "/metrics" else {
            return try await next(request, context)
        }
        let given = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        guard given.hasPrefix(prefix), constantTimeEqual(Array(given.utf8.dropFirst(prefix.utf8.count)), Array(token.utf8)) else {
            var r = HubHTTPServer.response(HubReply.error(401, "missing or wrong bearer token"))
            r.headers[.wwwAuthenticate] = "Bearer"
            return r
        }
        return try await next(request, context)
    }
}

/// Compares two byte strings in time that depends only on their lengths, not on where they differ.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var diff = UInt8(a.count == b.count ? 0 : 1)
    let n = max(a.count, b.count)
    for i in 0..<n {
        let x = i < a.count ? a[i] : 0
        let y = i < b.count ? b[i] : 0
        diff |= x ^ y
    }
    return diff == 0
}
