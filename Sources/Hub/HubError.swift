/// The one error type of the Hub module.
public struct HubError: Error, Sendable, CustomStringConvertible {
    /// Why the Hub refused or failed.
    public enum Reason: String, Sendable {
        /// The configuration file is not valid JSON or a key has a wrong value; `detail` names the key.
        case config
        /// A client request to the Hub is malformed (answered with 400).
        case badRequest
        /// A node answered something the Hub could not use (bad JSON, 5xx, wrong shape).
        case badNodeResponse
        /// A node did not answer within `node_timeout_ms`.
        case timeout
        /// A node could not be reached (connection refused, reset, DNS).
        case unreachable
        /// A pcap from a node could not be parsed.
        case badPcap
    }

    public let reason: Reason
    public let detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
