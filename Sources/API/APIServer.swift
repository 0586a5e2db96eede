import DuckLake
import Foundation
import Hummingbird
import Logging

/// Options of the HTTP API server.
public struct APIServerOptions: Sendable {
    /// Bind host (`http.listen`, default `127.0.0.1`).
    public var host: String = "127.0.0.1"
    /// Bind port (default 9080).
    public var port: Int = 9080
    /// Bearer token required on every route except `/health` when set (`http.auth_token`). nil = open API.
    public var authToken: String?

    public init(host: String = "127.0.0.1", port: Int = 9080, authToken: String? = nil) {
        self.host = host
        self.port = port
        self.authToken = authToken
    }
}

/// Builds the node's HTTP API (Hummingbird). Routes so far: `GET /health` and, when a provider is given,
/// `GET /api/v1/debug/ingest` (the ingest counters and the last records, used by tests until storage exists).
/// Other modules extend it by adding providers here; only `HomerServer` wires it to real data.
public struct APIServer: Sendable {
    /// Produces a JSON document (already encoded) for a route.
    public typealias JSONProvider = @Sendable () async throws -> Data

    public var options: APIServerOptions
    /// `GET /api/v1/debug/ingest`.
    public var debugIngest: JSONProvider?

    public init(options: APIServerOptions, debugIngest: JSONProvider? = nil) {
        self.options = options
        self.debugIngest = debugIngest
    }

    /// The router with every route.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        if let token = options.authToken {
            router.add(middleware: BearerAuthMiddleware(token: token, open: ["/health"]))
        }
        router.get("/health") { _, _ -> Response in
            APIServer.json(Data(#"{"status":"ok"}"#.utf8))
        }
        if let debugIngest {
            router.get("/api/v1/debug/ingest") { _, _ -> Response in
                APIServer.json(try await debugIngest())
            }
        }
        return router
    }

    /// The server as a swift-service-lifecycle `Service` (Hummingbird's `Application`); it logs its address once bound.
    public func makeApplication(logger: Logger) -> some ApplicationProtocol {
        let address = "\(options.host):\(options.port)"
        return Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "homer"),
            onServerRunning: { _ in logger.info("HTTP API ready", metadata: ["address": "\(address)"]) },
            logger: logger)
    }

    static func json(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Rejects requests without `Authorization: Bearer <token>` (401), except on the open paths.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String
    let open: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if open.contains(request.uri.path) { return try await next(request, context) }
        guard request.headers[.authorization] == "Bearer \(token)" else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
        }
        return try await next(request, context)
    }
}
