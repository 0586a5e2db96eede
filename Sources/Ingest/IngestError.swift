/// Every error the ingest module throws.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: String, Sendable {
        /// A listener could not bind its address.
        case bind
        /// The TLS certificate or key could not be loaded.
        case tls
        /// A spool file operation failed (open, write, fsync, rename, delete).
        case spoolIO = "spool_io"
        /// A spool directory holds a file that is not a spool segment of this version.
        case spoolFormat = "spool_format"
        /// The sender could not read its input or reach its target.
        case send
    }

    public let reason: Reason
    public let detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
