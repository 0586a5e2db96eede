import Prometheus

/// The node's Prometheus registry, served by `GET /metrics`.
///
/// `HomerServer` bootstraps swift-metrics with `metrics.factory` (`MetricsSystem.bootstrap(metrics.factory)`), so the
/// counters the listeners and the lake writer create through swift-metrics land here. Names (see `MetricName`) are a
/// contract between modules that cannot import each other; all are created without help text, as the swift-metrics
/// factory does, because the registry refuses two registrations of one name with different help texts.
public final class APIMetrics: Sendable {
    /// The registry `/metrics` emits.
    public let registry: PrometheusCollectorRegistry
    private let snapshotID: Gauge
    private let lakeRows: Gauge
    private let bufferedRows: Gauge

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        snapshotID = registry._gauge(MetricName.snapshotID)
        lakeRows = registry._gauge(MetricName.lakeRows)
        bufferedRows = registry._gauge(MetricName.bufferedRows)
    }

    /// A swift-metrics factory writing into `registry` (for `MetricsSystem.bootstrap`).
    public var factory: PrometheusMetricsFactory { PrometheusMetricsFactory(registry: registry) }

    /// Counts one API query and its latency, labelled by route (e.g. `search`, `metadata_check`) and status code.
    public func recordQuery(route: String, status: Int, duration: Duration) {
        registry._counter(MetricName.apiQueries, [("route", route), ("status", String(status))]).increment()
        registry._histogram(MetricName.apiQueryDuration, [("route", route)]).record(duration)
    }

    /// Refreshes the gauges that come from the backend (called on every scrape).
    public func update(from stats: NodeStats) {
        snapshotID.set(Double(stats.snapshotID ?? 0))
        lakeRows.set(Double(stats.rowCount - stats.bufferedRows))
        bufferedRows.set(Double(stats.bufferedRows))
    }

    /// The exposition text.
    public func emit() -> [UInt8] {
        var out: [UInt8] = []
        registry.emit(into: &out)
        return out
    }
}

/// Metric names shared by the modules (Prometheus text format names, after swift-prometheus' sanitising).
public enum MetricName {
    /// Counter {transport}: HEP packets read by a listener, before any check (Ingest).
    public static let packetsRead = "homer_hep_packets_total"
    /// Counter {transport}: packets accepted: decoded, checked and durable in the spool (Ingest).
    public static let packetsReceived = "homer_hep_received_total"
    /// Counter {transport}: packets decoded into records (Ingest).
    public static let packetsDecoded = "homer_hep_decoded_total"
    /// Counter {transport, reason}: packets dropped, reason = `HEPError.Reason` raw value, `auth`, `overload`… (Ingest).
    public static let packetsDropped = "homer_hep_dropped_total"
    /// Counter {transport, reason}: TCP/TLS streams closed because they could not be framed (Ingest).
    public static let framingErrors = "homer_hep_framing_errors_total"
    /// Counter: rows committed to the lake (HomerServer, from each DuckLake commit).
    public static let recordsCommitted = "homer_records_committed_total"
    /// Counter / timer: flushes and their duration (HomerServer, from each DuckLake commit).
    public static let flushes = "homer_flushes_total"
    public static let flushDuration = "homer_flush_duration_seconds"
    /// Counter: Parquet bytes written (HomerServer, from each DuckLake commit).
    public static let bytesWritten = "homer_bytes_written_total"
    /// Gauge: spool segment files on disk, i.e. not yet fully committed to the lake (HomerServer).
    public static let spoolDepth = "homer_spool_segments"
    /// Gauge: current snapshot id, committed rows and buffered rows, refreshed by the API at each scrape.
    public static let snapshotID = "homer_snapshot_id"
    public static let lakeRows = "homer_lake_rows"
    public static let bufferedRows = "homer_buffered_rows"
    /// Counter {route, status} and histogram {route}: API queries and their latency.
    public static let apiQueries = "homer_api_queries_total"
    public static let apiQueryDuration = "homer_api_query_duration_seconds"
}

extension PrometheusCollectorRegistry {
    /// Latency buckets of API queries: 0.5 ms … 30 s.
    static let queryBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    func _counter(_ name: String, _ labels: [(String, String)]) -> Counter {
        makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: ""), labels: labels)
    }

    func _gauge(_ name: String) -> Gauge {
        makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: ""))
    }

    func _histogram(_ name: String, _ labels: [(String, String)]) -> DurationHistogram {
        makeDurationHistogram(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: ""),
                              labels: labels, buckets: Self.queryBuckets)
    }
}
