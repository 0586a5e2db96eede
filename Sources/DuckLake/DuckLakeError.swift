/// The one error type of the DuckLake module: a reason (usable as a metric label) and a human-readable detail.
public struct DuckLakeError: Error, Sendable, CustomStringConvertible {
    /// Why the operation failed.
    public enum Reason: String, Sendable {
        /// SQLite reported an error (open, prepare, step); `detail` holds SQLite's message and the statement.
        case sqlite
        /// The catalog stayed locked (SQLITE_BUSY) beyond the configured retries.
        case busy
        /// The catalog's `ducklake_metadata.version` is not the one this code writes (DuckLake 1.0).
        case unsupportedVersion
        /// The configured `data_path` differs from the one stored in the catalog.
        case dataPathConflict
        /// The catalog content is not what DuckLake 1.0 describes (missing rows, unparsable values).
        case corruptCatalog
        /// The requested snapshot (id or time) does not exist.
        case snapshotNotFound
        /// The table does not exist at the requested snapshot.
        case tableNotFound
        /// Writing or reading a Parquet data or delete file failed.
        case parquet
        /// Local file or object-store I/O failed.
        case io
        /// The request is invalid (unknown column, bad option).
        case invalidArgument
        /// The writer was shut down.
        case closed
    }

    public let reason: Reason
    public let detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "DuckLakeError.\(reason.rawValue): \(detail)" }
}
