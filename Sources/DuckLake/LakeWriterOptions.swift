import Parquet

/// How `LakeWriter` batches and writes. One options struct for the module's write path (HELPERS.md).
public struct LakeWriterOptions: Sendable {
    /// Buffered rows (all date partitions together) that trigger a flush. Default 10 000, HOMER 11's `batch_size`.
    /// Larger: fewer and bigger files/snapshots, better compression; more memory and more data waiting in the spool.
    public var batchSize: Int = 10_000
    /// A non-empty buffer is flushed at least this often (seconds). Default 30, HOMER 11's `flush_interval_sec`.
    /// Shorter: data is queryable sooner, but more small files and snapshots (compact them with DuckDB's
    /// `ducklake_merge_adjacent_files`).
    public var flushIntervalSeconds: Double = 30
    /// Parquet settings of the data files. Default: ZSTD level 5, bloom filters on `session_id`, `correlation_id`,
    /// `from_user` and `to_user` (Call-ID and user lookups skip row groups; ~20 KB per filter at 10k rows)
    /// (Call-ID lookups skip row groups), page index on (time ranges skip pages).
    public var parquet: ParquetWriterOptions = LakeWriterOptions.defaultParquet
    /// How many batches may wait in memory while flushes fail before `append` refuses new batches (throws, so the
    /// ingest pipeline retries them later from its spool). Default 4. Higher rides out longer storage hiccups at the
    /// cost of memory.
    public var maxBufferedBatches: Int = 4
    /// Row order inside each data file. Default `.sessionThenTime`: the messages of one call sit together, so the
    /// page index on `session_id` narrows a Call-ID lookup to one page of each column, dictionary indexes run-length
    /// encode, and the SIP payloads of a dialog compress against each other (about 10 % smaller files). `.time`
    /// keeps arrival-time order, which lets the page index skip pages on time ranges inside a file; a file already
    /// spans only one flush (`batchSize` rows or `flushIntervalSeconds`), so file-level time pruning is unchanged.
    public var fileOrder: FileOrder = .sessionThenTime
    /// `author` of every snapshot we commit (shown by DuckDB's `snapshots()`). Default `homer`.
    public var author: String = "homer"
    /// Remove, on start, Parquet files named `homer-*` under the table directory that no catalog row references:
    /// the files of a flush that crashed between writing and committing. Default on.
    public var removeOrphansOnStart: Bool = true

    public init() {}

    /// See `fileOrder`.
    public enum FileOrder: String, Sendable {
        /// By Call-ID (`session_id`, unsigned bytes), then timestamp.
        case sessionThenTime
        /// By timestamp.
        case time
    }

    /// ZSTD (about half of DuckDB's Snappy default per SIP message) and bloom filters on the id and user columns.
    public static var defaultParquet: ParquetWriterOptions {
        var o = ParquetWriterOptions()
        o.codec = .zstd
        // Level 5: measured on generated SIP (`homer bench ingest-lake`, BENCHMARKS.md "Lake ingest") it gives
        // 55.9 B/message against 61.6 at level 3 (DuckLake's Snappy default: 120.5) for ~15 % more writer CPU;
        // level 6 and up cost much more CPU for little.
        o.compressionLevel = 5
        // The hash-chain match finder: same level-5 strategy, ~1.5× faster on our ≤ 1 MiB pages for ~0.6 % more bytes
        // (the row finder clears its tables per page).
        o.zstdRowMatchFinder = false
        o.bloomFilterColumns = ["session_id", "correlation_id", "from_user", "to_user"]
        // Lookups read whole dictionary pages and whole data pages of every column for the few rows they return, so
        // the lake trades a little footer and compression for finer units than Parquet's defaults (BENCHMARKS.md
        // "HTTP API"): row groups of 10,240 rows (a default flush of 10,000 rows is one group; bigger files, e.g.
        // after compaction, get per-group dictionaries, statistics and bloom filters a Call-ID lookup prunes by) and
        // data pages of at most 256 KiB (a SIP payload page holds ~600 messages instead of ~2,400; 64 KiB pages made
        // the lake 15 % bigger, 256 KiB none).
        o.rowGroupRows = 10_240
        o.pageBytes = 256 << 10
        return o
    }
}
