extension Hub {
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `GET /api/v1/hub/nodes`: every node's health, last known range, last latency, last error and counters.
    public func nodesStatus() async -> HubReply {
        let states = await registry.snapshot()
        var list: [JSONValue] = []
        for s in states {
            var o = JSONObject()
            o["name"] = .string(s.node.name)
            o["url"] = .string(s.node.url)
            o["healthy"] = .bool(s.up)
            if let d = s.downSince { o["down_since"] = .string(rfc3339(d)) }
            o["consecutive_failures"] = .int(Int64(s.consecutiveFailures))
            if let r = s.range {
                var range = JSONObject()
                range["min_ts"] = r.minTimestamp.map { .int($0) } ?? .null
                range["max_ts"] = r.maxTimestamp.map { .int($0) } ?? .null
                if let mn = r.minTimestamp { range["oldest_data"] = .string(rfc3339(mn)) }
                if let mx = r.maxTimestamp { range["newest_data"] = .string(rfc3339(mx)) }
                if let rows = r.rowCount { range["row_count"] = .int(rows) }
                range["observed_at"] = .string(rfc3339(r.observedAt))
                o["last_range"] = .object(range)
            } else {
                o["last_range"] = .null
            }
            o["last_latency_ms"] = s.lastLatency.map { .double((Self.seconds($0) * 1e6).rounded() / 1e3) } ?? .null
            o["last_seen"] = s.lastSeenAt.map { .string(rfc3339($0)) } ?? .null
            o["last_error"] = s.lastError.map { .string($0) } ?? .null
            o["last_error_at"] = s.lastErrorAt.map { .string(rfc3339($0)) } ?? .null
            var errors = JSONObject()
            for (k, v) in s.counters.failed.sorted(by: { $0.key < $1.key }) { errors[k] = .int(Int64(v)) }
            o["routed"] = .int(Int64(s.counters.routed))
            o["skipped"] = .int(Int64(s.counters.skipped))
            o["errors"] = .object(errors)
            list.append(.object(o))
        }
        return .json(200, .object(JSONObject([("routing", .string(options.routing.rawValue)), ("nodes", .array(list))])))
    }

    /// `GET /metrics`: Prometheus text exposition 0.0.4 of the per-node counters.
    public func metricsText() async -> String {
        let states = await registry.snapshot()
        let requests = await registry.hubRequests
        let partial = await registry.partialAnswers
        var t = ""
        func line(_ s: String) { t += s + "\n" }
        func label(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
        line("# HELP homer_hub_requests_total Hub API requests answered, by route.")
        line("# TYPE homer_hub_requests_total counter")
        for route in ["search", "call", "pcap"] { line("homer_hub_requests_total{route=\"\(route)\"} \(requests[route] ?? 0)") }
        line("# HELP homer_hub_partial_answers_total Answers with partial: true (a node that may hold data failed).")
        line("# TYPE homer_hub_partial_answers_total counter")
        line("homer_hub_partial_answers_total \(partial)")
        line("# HELP homer_hub_node_up 1 when the node answered its last request or probe.")
        line("# TYPE homer_hub_node_up gauge")
        for s in states { line("homer_hub_node_up{node=\"\(label(s.node.name))\"} \(s.up ? 1 : 0)") }
        line("# HELP homer_hub_node_routed_total Requests the Hub sent to the node (search, call, pcap).")
        line("# TYPE homer_hub_node_routed_total counter")
        for s in states { line("homer_hub_node_routed_total{node=\"\(label(s.node.name))\"} \(s.counters.routed)") }
        line("# HELP homer_hub_node_skipped_total Requests not sent to the node because it holds nothing in the range.")
        line("# TYPE homer_hub_node_skipped_total counter")
        for s in states { line("homer_hub_node_skipped_total{node=\"\(label(s.node.name))\"} \(s.counters.skipped)") }
        line("# HELP homer_hub_node_failed_total Failed exchanges with the node, by kind.")
        line("# TYPE homer_hub_node_failed_total counter")
        for s in states {
            for (kind, n) in s.counters.failed.sorted(by: { $0.key < $1.key }) {
                line("homer_hub_node_failed_total{node=\"\(label(s.node.name))\",kind=\"\(label(kind))\"} \(n)")
            }
        }
        line("# HELP homer_hub_node_latency_seconds Latency of search/call/pcap requests to the node.")
        line("# TYPE homer_hub_node_latency_seconds histogram")
        for s in states {
            let n = label(s.node.name)
            for (b, bound) in NodeRegistry.latencyBuckets.enumerated() {
                line("homer_hub_node_latency_seconds_bucket{node=\"\(n)\",le=\"\(bound)\"} \(s.counters.latencyBuckets[b])")
            }
            line("homer_hub_node_latency_seconds_bucket{node=\"\(n)\",le=\"+Inf\"} \(s.counters.latencyCount)")
            line("homer_hub_node_latency_seconds_sum{node=\"\(n)\"} \(s.counters.latencySum)")
            line("homer_hub_node_latency_seconds_count{node=\"\(n)\"} \(s.counters.latencyCount)")
        }
        return t
    }
}
