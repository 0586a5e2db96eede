/// Which nodes a request goes to, and why the others do not.
public struct RoutePlan: Sendable, Equatable {
    /// Nodes that may hold the range and are asked the query (config order).
    public var targets: [HubNode] = []
    /// Nodes that provably hold nothing in the range.
    public var skipped: [String] = []
    /// Nodes that may hold the range but cannot be asked (down, check failed), with the reason.
    public var failed: [NodeFailure] = []

    public init() {}
}

/// A node that gave no usable answer to one Hub request.
public struct NodeFailure: Sendable, Equatable {
    public var name: String
    public var reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    var json: JSONValue { .object(JSONObject([("name", .string(name)), ("reason", .string(reason))])) }
}

/// The `nodes` block every Hub answer carries. `queried`, `skipped` and `failed` are disjoint and together list every
/// configured node: `queried` answered and their data is in the result, `skipped` hold nothing in the range, `failed`
/// may hold data that is missing from the result (then `partial` is true).
struct NodesReport: Sendable {
    var queried: [String] = []
    var skipped: [String] = []
    var failed: [NodeFailure] = []

    var partial: Bool { !failed.isEmpty }

    var json: JSONValue {
        .object(JSONObject([
            ("queried", .array(queried.map { .string($0) })),
            ("skipped", .array(skipped.map { .string($0) })),
            ("failed", .array(failed.map(\.json))),
        ]))
    }
}
