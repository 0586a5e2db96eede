import AsyncHTTPClient
import Logging
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

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

    /// Keeps the Hub's answer-sized buffers in the malloc heap (`homer hub` calls this once at start). A search moves
    /// each answer through a few buffers of its size (the node's body, the merged answer, the server's copy); above
    /// glibc's adaptive thresholds (128 KiB rising to the largest freed block, and a trim threshold of twice that)
    /// they were mapped fresh and returned to the system on every request, and page faults on those fresh pages were
    /// a quarter of the Hub's CPU on a 1000-record search. With these bounds, blocks up to 16 MiB (a 10 000-record
    /// answer) are reused, and at most 16 MiB of free memory per malloc arena is kept instead of returned.
    /// Returns false where it does not apply (not glibc) or was refused.
    @discardableResult
    public static func keepAnswerBuffersInHeap() -> Bool {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export: looked up by name.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        // <malloc.h>: M_TRIM_THRESHOLD is -1, M_MMAP_THRESHOLD is -3.
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3, sixteenMiB: Int32 = 16 << 20
        return mallopt(mmapThreshold, sixteenMiB) == 1 && mallopt(trimThreshold, sixteenMiB) == 1
        #else
        return false
        #endif
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
