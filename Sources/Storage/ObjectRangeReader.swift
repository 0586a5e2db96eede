/// Random access to one stored object through ranged GETs (local: pread), shaped like Parquet's `RangeReader`
/// (`size`, `read(offset:length:)`) so the layer above adopts it with `extension ObjectRangeReader: RangeReader {}`
/// without Storage and Parquet depending on each other.
public struct ObjectRangeReader: Sendable {
    public let store: any ObjectStore
    public let key: String
    /// The object size when the caller already knows it (the catalog's `file_size_bytes`): saves one HEAD.
    public let knownSize: Int64?

    public init(store: any ObjectStore, key: String, size: Int64? = nil) {
        self.store = store
        self.key = key
        self.knownSize = size
    }

    /// The object size (HEAD when not given at init). Throws `.notFound` when the object does not exist.
    public var size: Int64 {
        get async throws {
            if let knownSize { return knownSize }
            guard let info = try await store.head(key) else {
                throw StorageError(.notFound, message: "object does not exist", key: key)
            }
            return info.size
        }
    }

    /// Reads `length` bytes at `offset` (fewer only at the end of the object).
    public func read(offset: Int64, length: Int) async throws -> [UInt8] {
        guard length > 0 else { return [] }
        return try await store.get(key, range: offset..<(offset + Int64(length)))
    }
}
