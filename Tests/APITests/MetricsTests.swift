import API
import Foundation
import Metrics
import Testing

@Suite struct MetricsTests {
    /// `/metrics` is Prometheus text: API queries counted by route and status, gauges from the backend, and counters
    /// that other modules create through swift-metrics with the registry's factory.
    @Test func exposition() async throws {
        let metrics = APIMetrics()
        let backend = MemoryBackend()
        backend.commit(Corpus.records(calls: 2), time: 1)
        backend.commit(Corpus.records(calls: 1, start: Corpus.base + 1_000_000_000_000), time: 2)
        backend.buffer(Corpus.records(calls: 1))
        // What Ingest does (through MetricsSystem.bootstrap(metrics.factory) in the server).
        let factory = metrics.factory
        let udp = Counter(label: MetricName.packetsReceived, dimensions: [("transport", "udp")], factory: factory)
        udp.increment(by: 42)
        Counter(label: MetricName.packetsDropped, dimensions: [("transport", "udp"), ("reason", "badMagic")],
                factory: factory).increment(by: 3)
        try await LiveServer.with(backend: backend, metrics: metrics) { client in
            for _ in 0..<3 {
                _ = try await client.send(.POST, "/api/v1/search", body: Array(#"{"min_ts":0,"max_ts":1}"#.utf8))
            }
            _ = try await client.send(.POST, "/api/v1/search", body: Array(#"{"min_ts":"x"}"#.utf8))
            let reply = try await client.send(.GET, "/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("content-type")?.hasPrefix("text/plain") == true)
            let lines = Set(reply.text.split(separator: "\n").map(String.init))
            #expect(lines.contains(#"homer_api_queries_total{route="search",status="200"} 3"#), "\(reply.text)")
            #expect(lines.contains(#"homer_api_queries_total{route="search",status="400"} 1"#))
            #expect(lines.contains(#"homer_api_query_duration_seconds_count{route="search"} 4"#))
            #expect(lines.contains(#"homer_hep_received_total{transport="udp"} 42"#))
            #expect(lines.contains(#"homer_hep_dropped_total{transport="udp",reason="badMagic"} 3"#))
            #expect(lines.contains("homer_snapshot_id 2.0") || lines.contains("homer_snapshot_id 2"), "\(reply.text)")
            #expect(lines.contains("homer_buffered_rows 7.0") || lines.contains("homer_buffered_rows 7"))
            #expect(lines.contains("# TYPE homer_api_query_duration_seconds histogram"))
        }
    }
}
