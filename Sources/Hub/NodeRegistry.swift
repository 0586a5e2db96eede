/// Everything the Hub knows about its nodes: health, backoff, last range, last latency, errors and counters.
///
/// One actor for all nodes: it is touched a few times per Hub request (never per record), so contention is irrelevant.
actor NodeRegistry {
    /// Latency histogram bucket bounds, seconds (Prometheus `le` labels).
    static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    struct Counters: Sendable {
        var routed = 0
        var skipped = 0
        var failed: [String: Int] = [:]
        var latencyCount = 0
        var latencySum = 0.0
        var latencyBuckets = [Int](repeating: 0, count: NodeRegistry.latencyBuckets.count)
    }

    struct State: Sendable {
        var node: HubNode
        var up = true
        var downSince: Int64?
        var nextProbe: ContinuousClock.Instant?
        var backoffMilliseconds: Int
        var consecutiveFailures = 0
        var lastError: String?
        var lastErrorAt: Int64?
        var range: NodeRange?
        var lastLatency: Duration?
        var lastSeenAt: Int64?
        var counters = Counters()
    }

    private var states: [State]
    private let backoffMin: Int
    private let backoffMax: Int
    private(set) var hubRequests: [String: Int] = [:]
    private(set) var partialAnswers = 0

    init(nodes: [HubNode], options: HubOptions) {
        backoffMin = options.probeBackoffMinMilliseconds
        backoffMax = Int(options.probeBackoffMaxSeconds * 1000)
        states = nodes.map { State(node: $0, backoffMilliseconds: options.probeBackoffMinMilliseconds) }
    }

    private func index(_ name: String) -> Int? { states.firstIndex { $0.node.name == name } }

    /// False once the node could not be reached, until it answers again.
    func isUp(_ name: String) -> Bool {
        index(name).map { states[$0].up } ?? false
    }

    /// Down and not yet due for a re-probe: requests skip it without waiting for a timeout.
    func isHeldDown(_ name: String) -> Bool {
        guard let i = index(name), !states[i].up else { return false }
        if let due = states[i].nextProbe, ContinuousClock.now < due { return true }
        return false
    }

    /// What routing needs to know about a node, in one hop.
    struct RoutingState: Sendable {
        var up: Bool
        var heldDown: Bool
        var range: NodeRange?
        var lastError: String?
    }

    func routingState(_ name: String) -> RoutingState {
        guard let i = index(name) else { return RoutingState(up: false, heldDown: true, range: nil, lastError: "unknown node") }
        return RoutingState(up: states[i].up, heldDown: isHeldDown(name), range: states[i].range, lastError: states[i].lastError)
    }

    /// A query answered: reachable, latency observed.
    func answered(_ name: String, latency: Duration) {
        markReachable(name, latency: latency)
        observeLatency(name, latency)
    }

    func range(_ name: String) -> NodeRange? {
        index(name).flatMap { states[$0].range }
    }

    func lastError(_ name: String) -> String? {
        index(name).flatMap { states[$0].lastError }
    }

    /// Nodes that are down and whose backoff expired.
    func dueForProbe() -> [HubNode] {
        let now = ContinuousClock.now
        return states.filter { !$0.up && ($0.nextProbe.map { now >= $0 } ?? true) }.map(\.node)
    }

    func setRange(_ name: String, _ range: NodeRange) {
        guard let i = index(name) else { return }
        states[i].range = range
    }

    /// A node answered (any HTTP status): it is up; backoff resets.
    func markReachable(_ name: String, latency: Duration?) {
        guard let i = index(name) else { return }
        states[i].up = true
        states[i].downSince = nil
        states[i].nextProbe = nil
        states[i].consecutiveFailures = 0
        states[i].backoffMilliseconds = backoffMin
        states[i].lastSeenAt = wallNanoseconds()
        if let latency { states[i].lastLatency = latency }
    }

    /// A node could not be reached: down until the next probe, backoff doubles up to the maximum.
    func markUnreachable(_ name: String, error: String) {
        guard let i = index(name) else { return }
        let now = wallNanoseconds()
        if states[i].up {
            states[i].downSince = now
            states[i].backoffMilliseconds = backoffMin
        } else {
            states[i].backoffMilliseconds = min(backoffMax, states[i].backoffMilliseconds * 2)
        }
        states[i].up = false
        states[i].consecutiveFailures += 1
        states[i].nextProbe = ContinuousClock.now + .milliseconds(states[i].backoffMilliseconds)
        states[i].lastError = error
        states[i].lastErrorAt = now
    }

    func noteError(_ name: String, _ error: String) {
        guard let i = index(name) else { return }
        states[i].lastError = error
        states[i].lastErrorAt = wallNanoseconds()
    }

    func countRouted(_ names: [String]) {
        for n in names { if let i = index(n) { states[i].counters.routed += 1 } }
    }

    func countSkipped(_ names: [String]) {
        for n in names { if let i = index(n) { states[i].counters.skipped += 1 } }
    }

    func countFailed(_ name: String, kind: String) {
        guard let i = index(name) else { return }
        states[i].counters.failed[kind, default: 0] += 1
    }

    func observeLatency(_ name: String, _ latency: Duration) {
        guard let i = index(name) else { return }
        let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18
        states[i].lastLatency = latency
        states[i].counters.latencyCount += 1
        states[i].counters.latencySum += seconds
        for (b, bound) in Self.latencyBuckets.enumerated() where seconds <= bound {
            states[i].counters.latencyBuckets[b] += 1
        }
    }

    func countRequest(_ route: String, partial: Bool) {
        hubRequests[route, default: 0] += 1
        if partial { partialAnswers += 1 }
    }

    func snapshot() -> [State] { states }
}
