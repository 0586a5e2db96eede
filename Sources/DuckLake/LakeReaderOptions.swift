import Foundation

/// How `LakeReader` reads (the query side of the module; `LakeWriterOptions` is the write side).
public struct LakeReaderOptions: Sendable {
    /// Memory budget, in bytes, for the parsed Parquet footers and the bloom filters of `cachedBloomColumns` of the
    /// data files (`LakeFileCache`), least recently used evicted first. Default 128 MiB: at 10k-row files a footer
    /// is ~40 KB parsed and the four bloom filters ~40–80 KB, so this holds ~1 000–2 000 files. With the cache a Call-ID
    /// lookup without time bound tests every file in memory and opens only the file that holds the id; 0 disables
    /// it (every query opens and parses the footer of every candidate file, and reads its bloom filters).
    public var fileCacheBytes: Int = 128 * 1024 * 1024
    /// Columns whose bloom filters are cached. Default: the columns homer writes bloom filters for, `session_id`
    /// and `correlation_id` (Call-ID and A-leg lookups), `from_user` and `to_user` (user searches).
    public var cachedBloomColumns: [String] = ["session_id", "correlation_id", "from_user", "to_user"]
    /// Data files one query reads at the same time. Default: the number of CPU cores, at most 4. A query that has to
    /// decode rows in many files (a user search over a day) finishes about that many times sooner; 1 reads them one
    /// after another, leaving the other cores to concurrent queries and to ingest.
    public var scanConcurrency: Int = min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 4)

    public init() {}
}
