/// The one error type of the Storage module.
///
/// `reason` says what kind of failure it was (usable as a metric label through its raw value); `status`, `code` and
/// `message` carry what the server said (HTTP status, S3 `<Code>` and `<Message>`) when the failure came from S3.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Reason: String, Sendable, Equatable {
        /// The object (or bucket) does not exist: S3 404 `NoSuchKey`/`NoSuchBucket`, or ENOENT on disk.
        case notFound
        /// The server refused the credentials or the signature (S3 403, e.g. `SignatureDoesNotMatch`).
        case accessDenied
        /// The requested byte range starts at or beyond the end of the object (S3 416 `InvalidRange`).
        case invalidRange
        /// Any other HTTP error status from the server (4xx not listed above, or 5xx after the retries ran out).
        case httpStatus
        /// The connection failed (refused, reset, timed out) and the retries ran out.
        case transport
        /// The server answered something we could not understand (missing ETag, unparsable XML, …).
        case badResponse
        /// A local file-system call failed (errno in `message`).
        case io
        /// The key is not usable (empty, absolute, `..` segment, NUL byte).
        case invalidKey
        /// The options or the data path are wrong (bad `s3://` URL, part size below 5 MiB, …).
        case invalidConfiguration
        /// After an upload, the stored size differs from the local size.
        case sizeMismatch
    }

    /// What kind of failure this is.
    public let reason: Reason
    /// HTTP status of the last response, when there was one.
    public let status: Int?
    /// S3 error code from the response body (`NoSuchKey`, `SignatureDoesNotMatch`, `SlowDown`, …), when present.
    public let code: String?
    /// Human-readable detail: the S3 `<Message>`, the errno text, or our own explanation.
    public let message: String
    /// The object key the operation was about, when there was one.
    public let key: String?

    public init(_ reason: Reason, status: Int? = nil, code: String? = nil, message: String, key: String? = nil) {
        self.reason = reason
        self.status = status
        self.code = code
        self.message = message
        self.key = key
    }

    public var description: String {
        var parts = ["StorageError.\(reason.rawValue)"]
        if let status { parts.append("status \(status)") }
        if let code { parts.append(code) }
        if let key { parts.append("key '\(key)'") }
        return parts.joined(separator: " ") + ": " + message
    }
}
