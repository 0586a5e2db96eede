import Foundation
import Hummingbird
import Logging
import NIOCore

/// The node's HTTP API: builds the Hummingbird router with every route, its middlewares (auth, 405, 413) and the
/// application that serves it. `HomerServer` runs `makeApplication()` inside its service group.
public struct APIServer: Sendable {
    /// Produces a JSON document (already encoded) for a debug route.
    public typealias JSONProvider = @Sendable () async throws -> Data

    public var options: APIOptions
    public var backend: any NodeBackend
    public var metrics: APIMetrics
    /// `GET /api/v1/debug/ingest`: the ingest counters and last records (registered only when set).
    public var debugIngest: JSONProvider?
    var logger: Logger

    public init(options: APIOptions, backend: any NodeBackend = MemoryBackend(), metrics: APIMetrics = APIMetrics(),
                logger: Logger = Logger(label: "homer.api"), debugIngest: JSONProvider? = nil) {
        self.options = options
        self.backend = backend
        self.metrics = metrics
        self.logger = logger
        self.debugIngest = debugIngest
    }

    /// One route of the API: what the router registers and what `docs/openapi.yaml` documents.
    public struct Route: Sendable, Hashable, CustomStringConvertible {
        public let method: HTTPRequest.Method
        /// Path with `{name}` captures, as in OpenAPI.
        public let path: String
        /// False for `/health` and `/metrics`, which answer without the bearer token.
        public let authenticated: Bool
        public var description: String { "\(method.rawValue) \(path)" }
    }

    /// Every route the API registers.
    public static let routes: [Route] = [
        Route(method: .get, path: "/health", authenticated: false),
        Route(method: .get, path: "/metrics", authenticated: false),
        Route(method: .post, path: "/api/v1/metadata/check", authenticated: true),
        Route(method: .post, path: "/api/v1/ducklake/check", authenticated: true),
        Route(method: .get, path: "/api/v1/metadata/stats", authenticated: true),
        Route(method: .get, path: "/api/v1/ducklake/stats", authenticated: true),
        Route(method: .post, path: "/api/v1/search", authenticated: true),
        Route(method: .get, path: "/api/v1/calls/{session_id}", authenticated: true),
        Route(method: .get, path: "/api/v1/calls/{session_id}/pcap", authenticated: true),
        Route(method: .get, path: "/api/v1/snapshots", authenticated: true),
        Route(method: .get, path: "/api/v1/tables", authenticated: true),
        Route(method: .get, path: "/api/v1/debug/ingest", authenticated: true),
    ]

    /// The router with every route. Middlewares are added first: Hummingbird wraps a route with the middlewares
    /// present when it is registered.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: GuardMiddleware(options: options, routes: Self.routes))
        router.get("/health") { _, _ in try await self.health() }
        router.get("/metrics") { _, _ in try await self.metricsText() }
        for prefix in ["/api/v1/metadata", "/api/v1/ducklake"] {
            router.post("\(prefix)/check") { req, _ in
                try await self.timed("metadata_check") { try await self.metadataCheck(req) }
            }
            router.get("\(prefix)/stats") { _, _ in
                try await self.timed("metadata_stats") { try await self.metadataStats() }
            }
        }
        router.post("/api/v1/search") { req, _ in try await self.timed("search") { try await self.search(req) } }
        router.get("/api/v1/calls/{session_id}") { req, ctx in
            try await self.timed("call") { try await self.call(req, ctx, pcap: false) }
        }
        router.get("/api/v1/calls/{session_id}/pcap") { req, ctx in
            try await self.timed("call_pcap") { try await self.call(req, ctx, pcap: true) }
        }
        router.get("/api/v1/snapshots") { req, _ in try await self.timed("snapshots") { try await self.snapshots(req) } }
        router.get("/api/v1/tables") { _, _ in try await self.timed("tables") { try await self.tables() } }
        if let debugIngest {
            router.get("/api/v1/debug/ingest") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                         body: .init(byteBuffer: ByteBuffer(bytes: try await debugIngest())))
            }
        }
        return router
    }

    /// The application, logging its address once bound (what `HomerServer` runs in its service group).
    public func makeApplication(logger: Logger) -> Application<RouterResponder<BasicRequestContext>> {
        var copy = self
        copy.logger = logger
        let address = "\(options.host):\(options.port)"
        return copy.makeApplication { port in
            logger.info("HTTP API ready", metadata: ["address": "\(address)", "port": "\(port)"])
        }
    }

    /// The Hummingbird application on `options.host:options.port`. `onServerRunning` gets the bound port (useful
    /// with port 0).
    public func makeApplication(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<BasicRequestContext>> {
        Application(router: makeRouter(),
                    configuration: .init(address: .hostname(options.host, port: options.port), serverName: "homer"),
                    onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                    logger: logger)
    }

    // MARK: helpers shared by the routes

    /// Runs a route body, counting it and its latency in the metrics by route and status.
    func timed(_ route: String, _ body: () async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let response = try await body()
            metrics.recordQuery(route: route, status: Int(response.status.code), duration: clock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordQuery(route: route, status: Int(status), duration: clock.now - start)
            if !(error is any HTTPResponseError) {
                logger.error("\(route) failed: \(error)")
                throw APIError(.backendFailure, "\(route) failed: \(error)")
            }
            throw error
        }
    }

    /// Runs `operation` with `options.queryTimeout`; past it the operation is cancelled and the request gets 504.
    func withQueryTimeout<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let timeout = options.queryTimeout
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw APIError(.timeout, "query cancelled after \(timeout) (http.query_timeout_sec)")
            }
            return value
        }
    }

    /// Reads the whole body, refusing more than `options.maxBodyBytes` with 413.
    func body(_ request: Request) async throws -> [UInt8] {
        var buffer = try await request.body.collect(upTo: options.maxBodyBytes)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// A JSON response.
    func json(_ writer: JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }
}
