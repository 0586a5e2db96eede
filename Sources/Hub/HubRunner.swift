import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
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
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Makes the event loops of `MultiThreadedEventLoopGroup.singleton` (where the Hub's HTTP server and its client
    /// to the nodes do their I/O) Swift Concurrency's global executor, so a request's tasks continue on the event loop
    /// that read it instead of handing off to the concurrency pool and back at every await (each hand-off is a thread
    /// wake-up; a Hub search made several, which on a busy 2-core machine cost more than the merge itself). Process-wide
    /// and once only: for the `homer hub` process, called before the Hub starts. Nothing in the Hub blocks a thread
    /// (all I/O is asynchronous; the merge is CPU work bounded by `limit`). Returns false when it could not be
    /// installed (already installed, unsupported platform).
    @discardableResult
    public static func runTasksOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
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
