import AsyncHTTPClient
import Logging
import NIOCore
import ServiceLifecycle

/// Runs a Hub: its HTTP server and its poller as services of one `ServiceGroup`, sharing an HTTP client to the nodes.
public enum HubRunner {
    /// The HTTP client to the nodes: short connect timeout (an unreachable node must fail fast and be marked down),
    /// no connection retries, no redirects (a node never redirects; following one could leak the node token).
    public static func makeClient(options: HubOptions) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(min(1000, options.nodeTimeoutMilliseconds)))))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
        // A refused connection must fail the request now, not be retried until the request deadline: the Hub then
        // marks the node down at once and probes it with its own backoff instead of waiting a full timeout per query.
        configuration.connectionPool.retryConnectionEstablishment = false
        // No request spans: the Hub does not trace (a no-op span per node request is still work on the hot path).
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The Hub's services, in start order (the poller first so ranges are being fetched when the first query comes).
    public static func services(hub: Hub, logger: Logger,
                                onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> [any Service] {
        [HubPoller(hub: hub), HubHTTPServer.application(hub: hub, logger: logger, onServerRunning: onServerRunning)]
    }

    /// Runs until SIGTERM/SIGINT (graceful: in-flight requests finish), then closes the node client.
    public static func run(config: HubConfig, logger: Logger,
                           onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let client = makeClient(options: config.options)
        let hub = Hub(config: config, http: client, logger: logger)
        let group = ServiceGroup(services: services(hub: hub, logger: logger, onServerRunning: onServerRunning),
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
