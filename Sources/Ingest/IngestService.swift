import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The whole ingest stage as one swift-service-lifecycle `Service`: on `run` it replays the spool after the sink's
/// committed position, binds the configured listeners and feeds the sink until a graceful shutdown (SIGTERM/SIGINT
/// through `ServiceGroup`); then it closes the listeners, flushes every partial batch through the spool to the sink,
/// fsyncs and returns.
public final class IngestService: Service, Sendable {
    public let options: IngestOptions
    public let stats: IngestStats
    public let spool: Spool
    let pipeline: IngestPipeline
    private let logger: Logger
    private let group: EventLoopGroup
    private let committedPosition: @Sendable () async throws -> SpoolPosition?
    private let boundState = Mutex<(addresses: [HEPTransport: ListenAddress]?,
                                    waiters: [CheckedContinuation<[HEPTransport: ListenAddress], Never>])>((nil, []))

    /// - Parameters:
    ///   - spool: the opened spool (the sink usually keeps a reference to call `markCommitted`).
    ///   - committedPosition: where the sink's durable data ends (the DuckLake catalog's stored position); replay starts
    ///     there. Default: the spool's own `committed` marker.
    public init(options: IngestOptions, spool: Spool, sink: any RecordSink, stats: IngestStats = IngestStats(),
                logger: Logger = Logger(label: "homer.ingest"),
                group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                committedPosition: @escaping @Sendable () async throws -> SpoolPosition? = { nil }) {
        self.options = options
        self.stats = stats
        self.spool = spool
        self.logger = logger
        self.group = group
        self.committedPosition = committedPosition
        self.pipeline = IngestPipeline(options: options, spool: spool, sink: sink, stats: stats, logger: logger)
    }

    public func run() async throws {
        _ = try await pipeline.replay(after: committedPosition())
        let listeners: HEPListeners
        do {
            listeners = try await HEPListeners.bind(pipeline: pipeline, group: group, logger: logger)
        } catch {
            pipeline.finish()
            await pipeline.run()
            throw error
        }
        let waiters = boundState.withLock { s in
            s.addresses = listeners.bound
            let w = s.waiters
            s.waiters = []
            return w
        }
        for w in waiters { w.resume(returning: listeners.bound) }

        async let consumer: Void = pipeline.run()
        // Returns on graceful shutdown, throws on cancellation: either way, stop and flush.
        try? await gracefulShutdown()
        logger.info("HEP ingest stopping: flushing")
        await listeners.close()
        pipeline.finish()
        await consumer
        logger.info("HEP ingest stopped", metadata: ["stats": "\(stats.snapshot().transports.mapValues(\.received))"])
    }

    /// The addresses the listeners bound (real ports when 0 was configured); waits until they are bound.
    public func listening() async -> [HEPTransport: ListenAddress] {
        await withCheckedContinuation { c in
            let ready = boundState.withLock { s -> [HEPTransport: ListenAddress]? in
                if let a = s.addresses { return a }
                s.waiters.append(c)
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
