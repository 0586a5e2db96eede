import ServiceLifecycle

/// Keeps node state fresh: every `probe_interval_sec` polls every node's `metadata/stats` (ranges for `stats` routing,
/// health and latency for `/api/v1/hub/nodes`), and in between re-probes down nodes when their backoff expires.
/// A `Service`: it returns on graceful shutdown.
public struct HubPoller: Service {
    let hub: Hub

    public init(hub: Hub) {
        self.hub = hub
    }

    public func run() async throws {
        let interval = Duration.milliseconds(Int64(hub.options.probeIntervalSeconds * 1000))
        // Down nodes are checked at the backoff granularity, at most every 50 ms and at least every interval.
        let tick = min(interval, .milliseconds(max(50, hub.options.probeBackoffMinMilliseconds)))
        try? await cancelWhenGracefulShutdown {
            var nextPoll = ContinuousClock.now
            while !Task.isCancelled {
                if ContinuousClock.now >= nextPoll {
                    nextPoll = ContinuousClock.now + interval
                    await hub.poll()
                } else {
                    await hub.probeDownNodes()
                }
                try await Task.sleep(for: tick)
            }
        }
    }
}
