/// How `LakeReader` reads (the query side of the module; `LakeWriterOptions` is the write side).
public struct LakeReaderOptions: Sendable {
    /// Memory budget, in bytes, for the parsed Parquet footers and the bloom filters of `cachedBloomColumns` of the
    /// data files (`LakeFileCache`), least recently used evicted first. Default 128 MiB: at 10k-row files a footer
    /// is ~40 KB parsed and the two id bloom filters ~20 KB, so this holds ~2 000 files. With the cache a Call-ID
    /// lookup without time bound tests every file in memory and opens only the file that holds the id; 0 disables
    /// it (every query opens and parses the footer of every candidate file, and reads its bloom filters).
    public var fileCacheBytes: Int = 128 * 1024 * 1024
    /// Columns whose bloom filters are cached. Default `session_id` and `correlation_id`, the columns homer writes
    /// bloom filters for (Call-ID and A-leg lookups).
    public var cachedBloomColumns: [String] = ["session_id", "correlation_id"]

    public init() {}
}
