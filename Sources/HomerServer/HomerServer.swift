import API
import DuckLake
import Foundation
import Ingest
import Logging
import Metrics
import ServiceLifecycle

/// Wires the server from its configuration: the spool, the HEP ingest service, the DuckLake writer and the HTTP API,
/// run in one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
///
/// Shutdown order (the reverse of the service list): the HTTP API stops, then ingest closes its listeners, flushes its
/// partial batches through the spool into the lake writer and closes it (the writer writes and commits what it
/// buffers), and last the writer's flush timer stops.
public enum HomerServer {
    /// Runs `homer serve` until SIGTERM/SIGINT.
    public static func run(config: HomerConfig, logger: Logger) async throws {
        let metrics = APIMetrics()
        MetricsSystem.bootstrap(metrics.factory)

        let ingestOptions = config.ingestOptions
        let spool = try Spool(options: ingestOptions.spool)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let sink: CountingSink
        let backend: any NodeBackend
        let committedPosition: @Sendable () async throws -> SpoolPosition?
        if config.storage.enable {
            let writer = try await openLake(config.storage.ducklake, dataDirectory: config.dataDirectory)
            let lakeSink = await LakeSink(writer: writer, spool: spool)
            sink = CountingSink(spool: spool, downstream: lakeSink)
            let lakeBackend = await DuckLakeBackend(writer: writer)
            backend = lakeBackend
            // Footers and bloom filters of the files already in the lake, loaded in the background (bounded by the
            // reader's cache budget) so the first Call-ID lookups after a restart are as fast as later ones.
            Task(priority: .background) { _ = try? await lakeBackend.warmCache() }
            committedPosition = { try lakeSink.committedPosition() }
            // It returns once ingest has closed the writer during shutdown: that is expected, not a failure.
            services.append(.init(service: LakeFlushService(writer: writer), successTerminationBehavior: .ignore))
            let catalog = await writer.catalog
            if config.maintenance.enable, let sqlite = catalog as? SQLiteCatalog {
                // Moves run on their own interval (below), not inside the maintenance pass.
                let maintenance = LakeMaintenance(catalog: sqlite, files: await writer.files, options: config.maintenance.options)
                services.append(.init(service: PeriodicLakeService(
                    name: "lake maintenance", intervalSeconds: config.maintenance.intervalSec,
                    logger: Logger(label: "homer.lake.maintenance"), pass: { try await maintenance.run() })))
            }
            if let tiered = await writer.files as? TieredLakeFiles, let sqlite = catalog as? SQLiteCatalog {
                // Old objects are deleted by the maintenance pass (snapshot expiry, then cleanup), never by moves.
                let tiering = LakeTiering(catalog: sqlite, policy: tiered.policy)
                services.append(.init(service: PeriodicLakeService(
                    name: "lake tiering", intervalSeconds: config.storage.ducklake.storagePolicy.ttlMoveIntervalSec,
                    logger: Logger(label: "homer.lake.tiering"), pass: { try await tiering.run() })))
            }
            let snapshot = try catalog.currentSnapshot().id
            logger.info("DuckLake storage", metadata: [
                "catalog": "\(config.storage.ducklake.catalogPath)",
                "data_path": "\(catalog.dataPath)",
                "snapshot": "\(snapshot)",
            ])
        } else {
            logger.warning("storage.enable is false: records are counted, not stored")
            sink = CountingSink(spool: spool)
            backend = MemoryBackend()
            committedPosition = { spool.committed }
        }
        let ingest = IngestService(options: ingestOptions, spool: spool, sink: sink,
                                   logger: Logger(label: "homer.ingest"), committedPosition: committedPosition)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let api = APIServer(
            options: APIOptions(host: config.http.listen.host, port: config.http.listen.port,
                                authToken: config.http.authToken, maxBodyBytes: config.http.maxBodyBytes,
                                queryTimeout: .seconds(config.http.queryTimeoutSec)),
            backend: backend, metrics: metrics,
            debugIngest: { try encoder.encode(IngestDebugReport(stats: ingest.stats.snapshot(), sink: sink)) })
        logger.info("homer starting", metadata: [
            "spool": "\(ingestOptions.spool.directory)",
            "hep_udp": "\(config.hep.udp?.description ?? "off")",
            "hep_tcp": "\(config.hep.tcp?.description ?? "off")",
            "hep_tls": "\(config.hep.tls.listen?.description ?? "off")",
            "http": "\(config.http.listen)",
        ])
        services.append(.init(service: ingest, successTerminationBehavior: .gracefullyShutdownGroup))
        services.append(.init(service: api.makeApplication(logger: Logger(label: "homer.http")),
                              successTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("homer stopped")
    }

    /// Opens (or creates) the catalog and the table, removing orphan files left by a crash between write and commit.
    static func openLake(_ c: HomerConfig.DuckLake, dataDirectory: String) async throws -> LakeWriter {
        // Local directory or s3:// bucket (issue 6): LakeStorage builds the catalog and its LakeFiles.
        let lake = try LakeStorage.open(c, dataDirectory: dataDirectory, environment: ProcessInfo.processInfo.environment)
        var options = LakeWriterOptions()
        options.batchSize = c.batchSize
        options.flushIntervalSeconds = Double(c.flushIntervalSec)
        return try await LakeWriter(catalog: lake.catalog, files: lake.files, options: options)
    }
}
