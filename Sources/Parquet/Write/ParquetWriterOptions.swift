/// Page compression codec of a written file.
public enum ParquetCompression: Sendable, Hashable {
    /// No compression: fastest, largest.
    case uncompressed
    /// Our own raw-Snappy encoder: fast, modest ratio; what DuckDB writes by default.
    case snappy
    /// GZIP via zlib (level 1…9): slow; for compatibility only.
    case gzip
    /// ZSTD via libzstd (level 1…19): the best ratio per CPU; read by every current reader.
    case zstd

    var codec: CompressionCodec {
        switch self {
        case .uncompressed: .uncompressed
        case .snappy: .snappy
        case .gzip: .gzip
        case .zstd: .zstd
        }
    }
}

/// How one column's values are encoded.
public enum ParquetColumnEncoding: Sendable, Hashable {
    /// RLE_DICTIONARY while it is smaller than the fallback and the dictionary fits `dictionaryPageLimit`; then the
    /// fallback: DELTA_BINARY_PACKED for integers/timestamps/dates, DELTA_LENGTH_BYTE_ARRAY for strings/binaries,
    /// PLAIN for doubles and booleans.
    case automatic
    /// PLAIN only.
    case plain
    /// RLE_DICTIONARY even when it does not pay, falling back to PLAIN past the dictionary limit.
    case dictionary
    /// DELTA_BINARY_PACKED (INT32/INT64 columns only; others use PLAIN).
    case deltaBinaryPacked
    /// DELTA_LENGTH_BYTE_ARRAY (BYTE_ARRAY columns only; others use PLAIN).
    case deltaLengthByteArray
}

/// Options of `ParquetWriter`. Defaults suit HEP capture tables read by DuckDB.
public struct ParquetWriterOptions: Sendable {
    /// A row group ends after this many rows. Default 122,880 (DuckDB's). Smaller groups prune finer through
    /// row-group statistics and bloom filters; larger groups compress better and cost less footer.
    public var rowGroupRows: Int = 122_880
    /// A row group also ends once its buffered (uncompressed) values reach this many bytes. Default 128 MiB. This
    /// bounds writer memory: the writer holds one row group of values plus its encoded pages.
    public var rowGroupBytes: Int = 128 << 20
    /// A data page ends after this many rows. Default 20,000 (arrow-rs). Smaller pages let the page index skip more
    /// precisely at the cost of more headers and index entries.
    public var pageRows: Int = 20_000
    /// A data page also ends once its encoded-value estimate reaches this many bytes. Default 1 MiB.
    public var pageBytes: Int = 1 << 20
    /// Largest dictionary (as a PLAIN dictionary page) per column chunk; past it the remaining pages use the
    /// fallback encoding. Default 1 MiB (arrow-rs). Larger keeps more columns dictionary-encoded.
    public var dictionaryPageLimit: Int = 1 << 20
    /// Page codec. Default ZSTD: the smallest files for the CPU spent.
    public var codec: ParquetCompression = .zstd
    /// Codec level: ZSTD 1…19 (default 3), GZIP 1…9 (6 when out of range); ignored by SNAPPY. Higher is smaller and
    /// slower.
    public var compressionLevel: Int32 = 3
    /// ZSTD only: log2 of the match window (e.g. 22 = 4 MiB). Default nil (the level's own window, ≤ 2 MiB at level
    /// 3). A wider window finds repeats far back in big pages (SIP payloads repeat the headers of the earlier
    /// messages of the same call); readers need that much memory per page, and libzstd caps decoding at 27 by
    /// default. Pair it with `zstdHashLog` or `zstdLongDistanceMatching`, else the level's small hash table forgets
    /// old positions long before the window ends.
    public var zstdWindowLog: Int32? = nil
    /// ZSTD only: log2 of the match finder's hash table. Default nil (the level's own, 2^13 entries at level 1).
    /// 16 remembers enough of a multi-MiB window to find a call's earlier messages at about the speed of plain
    /// level 1 (the table is 256 KiB, still cache-friendly); each step above costs markedly more CPU for little gain.
    public var zstdHashLog: Int32? = nil
    /// ZSTD only: long-distance matching over the window. Default false. Smallest files for repetitive big pages,
    /// at about 2.5× the CPU of level 1 (measured on SIP payloads in 16 MiB pages).
    public var zstdLongDistanceMatching: Bool = false
    /// ZSTD only: whether the greedy/lazy levels (5…15) use libzstd's row-based match finder. Default nil (libzstd
    /// decides: on for those levels where SIMD is available). false uses the older hash-chain finder, which on
    /// SIP payload pages of ≤ 1 MiB measured about 1.5× faster at level 5 for 0.6 % larger output: the row
    /// finder's tables are cleared for every page, which costs more than it saves on pages this small. Ignored by
    /// a libzstd that lacks the switch (before 1.5.0).
    public var zstdRowMatchFinder: Bool? = nil
    /// Threads that encode and compress the column chunks of a row group (whole columns per thread, written in
    /// column order, so the file is the same for any value). Default 1. More finishes a row group sooner on idle
    /// cores, at the same total CPU plus a little coordination; where every core is busy (a capture server under
    /// load) it gains nothing. The largest column (SIP payloads) bounds the gain.
    public var encodingThreads: Int = 1
    /// Per-column encoding by column name; unlisted columns use `.automatic`.
    public var columnEncodings: [String: ParquetColumnEncoding] = [:]
    /// Columns (by name) that get a split-block bloom filter per row group, sized from the chunk's distinct values.
    /// Default none. Worth it for high-cardinality equality lookups (Call-ID); useless for ranges.
    public var bloomFilterColumns: Set<String> = []
    /// Target false-positive rate of the bloom filters. Default 0.01 (≈ 10 bits per distinct value).
    public var bloomFilterFPP: Double = 0.01
    /// Byte-array min/max in chunk statistics and the column index are truncated to this many bytes (the max is
    /// then rounded up and marked inexact). Default 64 (arrow-rs). Longer keeps more pruning power.
    public var statisticsTruncateLength: Int = 64
    /// Write min/max/null count into each data page header, as DuckDB (≥ 1.5) uses them to skip pages. Default
    /// true, for fixed-width columns only (byte-array pages rely on the column index).
    public var pageHeaderStatistics: Bool = true
    /// The footer's `created_by`. Never impersonate another writer: readers key workarounds on it (pitfall 9).
    public var createdBy: String = "homer version 0.1.0 (parquet writer)"
    /// fsync the file on close. Default true, so a catalog never references a file that a crash can lose.
    public var fsync: Bool = true

    /// Default options.
    public init() {}

    /// Default options with a codec (and level).
    public init(codec: ParquetCompression, level: Int32? = nil) {
        self.codec = codec
        if let level { compressionLevel = level }
    }
}

extension ParquetWriterOptions {
    var zstdParameters: ZstdCompressor.Parameters {
        ZstdCompressor.Parameters(windowLog: zstdWindowLog, hashLog: zstdHashLog,
                                  longDistanceMatching: zstdLongDistanceMatching, rowMatchFinder: zstdRowMatchFinder)
    }
}
