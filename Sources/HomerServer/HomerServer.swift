import API
import Foundation
import Ingest
import Logging
import ServiceLifecycle

/// Wires the server from its configuration: the spool, the HEP ingest service, the sink and the HTTP API, run in one
/// `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT (listeners close, batches flush, spool fsyncs).
public enum HomerServer {
    /// Runs `homer serve` until SIGTERM/SIGINT.
    public static func run(config: HomerConfig, logger: Logger) async throws {
        let ingestOptions = config.ingestOptions
        let spool = try Spool(options: ingestOptions.spool)
        // DuckLake storage plugs in here (a RecordSink that commits the spool position with each snapshot); until
        // then every record goes to the counting sink behind the debug route.
        let sink = CountingSink(spool: spool)
        if config.storage.enable {
            logger.warning("DuckLake storage is not wired in this build: records are counted, not stored")
        }
        let ingest = IngestService(options: ingestOptions, spool: spool, sink: sink,
                                   logger: Logger(label: "homer.ingest"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let api = APIServer(
            options: APIServerOptions(host: config.http.listen.host, port: config.http.listen.port,
                                      authToken: config.http.authToken),
            debugIngest: { try encoder.encode(IngestDebugReport(stats: ingest.stats.snapshot(), sink: sink)) })
        logger.info("homer starting", metadata: [
            "spool": "\(ingestOptions.spool.directory)",
            "hep_udp": "\(config.hep.udp?.description ?? "off")",
            "hep_tcp": "\(config.hep.tcp?.description ?? "off")",
            "hep_tls": "\(config.hep.tls.listen?.description ?? "off")",
            "http": "\(config.http.listen)",
        ])
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: ingest, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: api.makeApplication(logger: Logger(label: "homer.http")),
                      successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("homer stopped")
    }
}
