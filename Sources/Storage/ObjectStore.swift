import Foundation

/// A flat key → bytes store: a local directory or an S3 bucket (with an optional key prefix).
///
/// Keys are relative to the store's root (the directory, or `s3://bucket/prefix/`), use `/` as separator and are
/// compared as UTF-8 bytes. Every call is safe to make concurrently from many tasks.
public protocol ObjectStore: Sendable {
    /// Stores `data` under `key`, replacing any previous object atomically (readers see the old or the new bytes).
    func put(_ key: String, data: [UInt8]) async throws
    /// Stores the content of a local file under `key`. S3 uses a multipart upload above
    /// `S3Options.multipartThreshold`. Returns only once the stored size has been checked against the file size.
    func putFile(_ key: String, from localPath: String) async throws
    /// Reads the object, or the bytes `range` of it (end clamped to the object size, as S3 does).
    /// Throws `StorageError` `.notFound` when absent and `.invalidRange` when the range starts past the end.
    func get(_ key: String, range: Range<Int64>?) async throws -> [UInt8]
    /// Size and modification time of the object; nil when it does not exist.
    func head(_ key: String) async throws -> ObjectInfo?
    /// Every object whose key starts with `prefix`, in UTF-8 byte order of the key (ListObjectsV2 order).
    func list(prefix: String) async throws -> [ObjectInfo]
    /// Removes the object. Removing an absent object is not an error (S3 semantics).
    func delete(_ key: String) async throws
    /// Releases network resources (the S3 store's HTTP client). Call once when done; a no-op for local stores.
    func shutdown() async throws
    /// A human-readable location for logs: the directory path or `s3://bucket/prefix/`.
    var location: String { get }
}

extension ObjectStore {
    /// Reads the whole object.
    public func get(_ key: String) async throws -> [UInt8] {
        try await get(key, range: nil)
    }

    public func shutdown() async throws {}
}

/// One stored object, as listed or headed.
public struct ObjectInfo: Sendable, Equatable, Hashable {
    /// Key relative to the store's root.
    public var key: String
    /// Size in bytes.
    public var size: Int64
    /// Last modification time reported by the store (S3 `LastModified`, file mtime); nil when unknown.
    public var lastModified: Date?

    public init(key: String, size: Int64, lastModified: Date? = nil) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
    }
}

/// Key validation shared by both stores, so that a key valid for one store is valid for the other.
enum ObjectKey {
    /// Rejects keys that cannot map safely onto a file path: empty, absolute, `.`/`..`/empty segments, NUL.
    /// S3 would accept some of these, but a lake key never needs them and the local store must not escape its root.
    static func validate(_ key: String) throws(StorageError) {
        guard !key.isEmpty else { throw StorageError(.invalidKey, message: "empty key", key: key) }
        guard !key.utf8.contains(0) else { throw StorageError(.invalidKey, message: "NUL byte in key", key: key) }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty || segment == "." || segment == ".." {
                throw StorageError(.invalidKey, message: "empty, '.' or '..' path segment", key: key)
            }
        }
    }

    /// S3 lists keys in ascending UTF-8 byte order; Swift's `String <` uses Unicode ordering, so compare bytes.
    static func utf8Less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
