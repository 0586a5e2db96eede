/// The one error type of the Parquet module: a reason usable as a metric label plus a human-readable detail.
///
/// Corrupt or unexpected input (a malformed footer, a truncated page, an unknown codec) is always reported with this
/// error, never with a trap.
public struct ParquetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why the operation failed.
    public enum Reason: String, Sendable, Hashable {
        /// The Thrift compact encoding is malformed (bad field type, varint overflow, depth or length limit).
        case malformedThrift
        /// The input ended before a structure or page was complete.
        case truncated
        /// The file is not Parquet, or its metadata contradicts itself.
        case corruptFile
        /// A page could not be decoded (bad encoding data, sizes that do not match).
        case corruptPage
        /// A compressed buffer could not be decompressed, or compression failed.
        case compression
        /// The file uses a feature this module does not implement (nested schema, a codec, an encoding).
        case unsupported
        /// The caller passed something inconsistent (schema/column mismatch, writer already closed, …).
        case invalidArgument
        /// A file system call failed.
        case io
    }

    /// Why the operation failed.
    public let reason: Reason
    /// What exactly went wrong, for logs.
    public let detail: String

    /// Creates an error with a reason and a detail.
    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "ParquetError.\(reason.rawValue): \(detail)" }
}
