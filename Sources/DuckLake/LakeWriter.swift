import Foundation
import HEP
import Logging
import Parquet

/// Writes `HEPRecord` batches into `main.hep_messages` (issue 4 item 3).
///
/// Records are buffered per `date` partition. A flush (at `batchSize` rows, every `flushIntervalSeconds`, on
/// `flush()` and on shutdown) writes one Parquet file per partition — staged, fsynced, renamed or uploaded — and then
/// commits ONE snapshot registering all of them together with the spool position of the last batch, in one short
/// `BEGIN IMMEDIATE` transaction. Encoding runs off the actor (a nonisolated async function on the global executor,
/// never on a network event loop), so `append` keeps accepting while a flush is in flight; at most one flush is in
/// flight, so memory stays near two or three batches (an `append` that would exceed that waits: this is the
/// backpressure that slows the listeners).
///
/// Lifecycle: `init` creates/opens the table and removes orphans; `run()` is the periodic-flush loop (cancel it, or
/// call `shutdown()`, to flush and stop) — wrap it in a swift-service-lifecycle `Service` in HomerServer.
public actor LakeWriter {
    public let catalog: any LakeCatalog
    public let files: any LakeFiles
    public let options: LakeWriterOptions
    public let table: LakeTableInfo
    private let logger: Logger

    private var buffer: WriteBuffer
    private var flushing = false
    private var flushScheduled = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var inFlightBuffer = WriteBuffer()
    private var lastFlush = ContinuousClock.now
    private var closed = false
    private var commitHandler: (@Sendable (LakeCommitResult, LakeSpoolPosition?) -> Void)?

    /// Opens the writer: ensures the table exists and removes orphan files of crashed flushes.
    public init(catalog: any LakeCatalog, files: any LakeFiles, options: LakeWriterOptions = LakeWriterOptions(),
                logger: Logger = Logger(label: "homer.ducklake.writer")) async throws {
        self.catalog = catalog
        self.files = files
        self.options = options
        self.logger = logger
        buffer = WriteBuffer(expectedRows: options.batchSize)
        table = try catalog.ensureHEPTable()
        if options.removeOrphansOnStart {
            let removed = try await Self.removeOrphans(catalog: catalog, files: files, table: table)
            if !removed.isEmpty { logger.notice("removed \(removed.count) orphan Parquet file(s): \(removed)") }
        }
    }

    /// A writer on a local SQLite catalog and local data directory.
    public init(catalogPath: String, dataPath: String, options: LakeWriterOptions = LakeWriterOptions()) async throws {
        let catalog = try SQLiteCatalog(path: catalogPath, dataPath: dataPath)
        try await self.init(catalog: catalog, files: LocalLakeFiles(root: catalog.dataPath), options: options)
    }

    /// The spool position stored with the newest snapshot: the server replays the spool after it, exactly once.
    public nonisolated func committedSpoolPosition() throws -> LakeSpoolPosition? {
        try catalog.committedSpoolPosition()
    }

    /// Buffers records; `position` is the spool position just after the last of them (stored at the next commit).
    ///
    /// At `batchSize` buffered rows a flush starts in the background, so the caller goes on decoding while the batch
    /// is encoded and committed (two cores busy with one producer). If the next batch fills up while that flush is
    /// still running, `append` waits for it (backpressure: at most one batch in flight and about one waiting).
    ///
    /// Exactly-once contract with the ingest pipeline (which retries a batch whose `append` threw): a batch is either
    /// buffered and `append` returns, or `append` throws and nothing of it was buffered. A failing flush keeps its
    /// records buffered for the next attempt; once `maxBufferedBatches × batchSize` rows are waiting, `append` first
    /// retries the flush itself and throws (refusing the batch) while storage keeps failing.
    public func append(_ records: [HEPRecord], through position: LakeSpoolPosition? = nil) async throws {
        guard !closed else { throw DuckLakeError(.closed, "the lake writer is shut down") }
        if buffer.count + inFlightBuffer.count >= options.batchSize * max(2, options.maxBufferedBatches) {
            try await flush()
        }
        buffer.add(records, position: position)
        if buffer.count >= 2 * options.batchSize {
            do { try await flush() } catch { /* logged in flush; the records stay buffered */ }
        } else if buffer.count >= options.batchSize {
            scheduleFlush()
        }
    }

    /// Starts one background flush unless one is already scheduled.
    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        Task { await self.backgroundFlush() }
    }

    private func backgroundFlush() async {
        flushScheduled = false
        do { try await flush() } catch { /* logged in flush; retried by the next trigger */ }
    }

    /// Sets a function called after every successful commit (e.g. to let the spool delete committed segments).
    public func onCommit(_ handler: @escaping @Sendable (LakeCommitResult, LakeSpoolPosition?) -> Void) {
        commitHandler = handler
    }

    /// Writes and commits everything buffered; returns the commit (nil when there was nothing to write).
    @discardableResult
    public func flush() async throws -> LakeCommitResult? {
        // One flush at a time, in order: snapshots and spool positions only move forward.
        while flushing { await withCheckedContinuation { waiters.append($0) } }
        guard !buffer.isEmpty else { return nil }
        flushing = true
        defer {
            flushing = false
            let w = waiters
            waiters = []
            for c in w { c.resume() }
        }
        let batch = buffer
        buffer = WriteBuffer(expectedRows: options.batchSize)
        inFlightBuffer = batch
        lastFlush = .now
        do {
            // A nonisolated static async function: encoding and I/O run on the global executor, not on the actor,
            // so appends continue meanwhile.
            let started = ContinuousClock.now
            var result = try await Self.writeAndCommit(batch, catalog: catalog, files: files, table: table,
                                                       options: options)
            result?.flushDuration = ContinuousClock.now - started
            inFlightBuffer = WriteBuffer()
            if let result { commitHandler?(result, batch.position) }
            return result
        } catch {
            // Keep the records: the next flush retries them (before anything newer, so positions stay ordered).
            var retry = batch
            retry.merge(buffer)
            buffer = retry
            inFlightBuffer = WriteBuffer()
            logger.error("lake flush failed, will retry: \(error)")
            throw error
        }
    }

    /// The periodic flush loop: flushes a non-empty buffer every `flushIntervalSeconds`; on cancellation flushes what
    /// is left and returns.
    public func run() async throws {
        let interval = Duration.milliseconds(Int64(max(0.01, options.flushIntervalSeconds) * 1000))
        while !closed {
            do {
                try await Task.sleep(for: min(interval, .milliseconds(250)))
            } catch {
                break   // cancelled: graceful shutdown
            }
            if !buffer.isEmpty && ContinuousClock.now - lastFlush >= interval {
                do { try await flush() } catch { /* logged; retried on the next tick */ }
            }
        }
        try await shutdown()
    }

    /// Flushes what is buffered and refuses further appends.
    public func shutdown() async throws {
        closed = true
        try await flush()
    }

    /// Rows accepted but not yet committed (buffered or being written), with their time range in ns: the metadata
    /// API counts them so a Hub never skips a node that just received data.
    public func pendingStatistics() -> (rows: Int, minTimestamp: Int64?, maxTimestamp: Int64?) {
        let lo = [buffer.minTimestamp, inFlightBuffer.minTimestamp].compactMap { $0 }.min()
        let hi = [buffer.maxTimestamp, inFlightBuffer.maxTimestamp].compactMap { $0 }.max()
        return (buffer.count + inFlightBuffer.count, lo, hi)
    }

    // MARK: - the flush itself (runs off the actor)

    static func writeAndCommit(_ batch: WriteBuffer, catalog: any LakeCatalog, files: any LakeFiles,
                               table: LakeTableInfo, options: LakeWriterOptions) async throws -> LakeCommitResult? {
        var newFiles: [LakeNewDataFile] = []
        var written: [String] = []
        do {
            for (day, unsorted) in batch.partitions.sorted(by: { $0.key < $1.key }) {
                let file = try await writeFile(day: day, records: unsorted, files: files, table: table, options: options)
                newFiles.append(file)
                written.append(table.directory + file.path)
            }
            return try catalog.commitInsert(tableID: table.tableID, files: newFiles, spoolPosition: batch.position,
                                            author: options.author, message: nil)
        } catch {
            // Nothing references these files; remove them now rather than at the next start.
            for path in written { try? await files.delete(path) }
            throw error
        }
    }

    /// Writes one partition's rows (columns built as the records arrived), in `options.fileOrder`, to
    /// `date=YYYY-MM-DD/homer-<uuid>.parquet`.
    static func writeFile(day: Int64, records unsorted: HEPRecordColumns, files: any LakeFiles, table: LakeTableInfo,
                          options: LakeWriterOptions) async throws -> LakeNewDataFile {
        let order = Self.order(unsorted, options.fileOrder)
        let dateText = StatsText.date(days: day)
        let relative = "date=\(dateText)/homer-\(UUID().uuidString.lowercased()).parquet"
        let staged = try files.stagingPath(for: table.directory + relative)
        let summary: ParquetFileSummary
        do {
            let columns = HEPColumnBuilder.build(order.map { unsorted.gathered($0) } ?? unsorted)
            let writer = try ParquetWriter(path: staged, schema: HEPColumnBuilder.schema, options: options.parquet)
            try writer.write(columns)
            summary = try writer.close()
        } catch {
            unlink(staged)
            throw DuckLakeError(.parquet, "writing \(staged): \(error)")
        }
        try await files.publish(staged: staged, as: table.directory + relative)
        return LakeNewDataFile(path: relative, recordCount: Int64(unsorted.rows), fileSizeBytes: summary.fileSize,
                               footerSize: summary.footerSize, partitionValue: dateText,
                               columnStats: HEPColumnBuilder.stats(summary))
    }

    /// Deletes `homer-*.parquet` files (and staging leftovers) under the table directory that the catalog does not
    /// know: a crash between writing a file and committing it leaves exactly such a file (issue 4 item 4).
    static func removeOrphans(catalog: any LakeCatalog, files: any LakeFiles, table: LakeTableInfo) async throws -> [String] {
        let known = try catalog.knownFilePaths()
        var removed: [String] = []
        for relative in try await files.list(prefix: table.directory) {
            let name = (relative as NSString).lastPathComponent
            let ours = (name.hasPrefix("homer-") && name.hasSuffix(".parquet"))
                || (name.hasPrefix(".homer-") && name.hasSuffix(".tmp"))
            guard ours, !known.contains(catalog.dataPath + relative), !known.contains(relative) else { continue }
            try await files.delete(relative)
            removed.append(relative)
        }
        return removed
    }
}

/// Records waiting for a flush, grouped by day (the `date` partition), with the spool position of the last batch.
/// Each partition holds the COLUMNS of its records (`HEPRecordColumns`), built as the batches arrive — while each
/// record and its payload are still in cache from decoding, and off the flush's critical path — so the records
/// themselves are released at once; the flush sorts and gathers rows of contiguous column bytes.
struct WriteBuffer: Sendable {
    var partitions: [Int64: HEPRecordColumns] = [:]
    /// Rows a partition is expected to reach before a flush (the batch size); its columns reserve that much after
    /// the first batch, so they never reallocate. 0: no reservation.
    var expectedRows = 0
    var count = 0
    var position: LakeSpoolPosition?
    var minTimestamp: Int64?
    var maxTimestamp: Int64?

    var isEmpty: Bool { count == 0 }

    mutating func add(_ records: [HEPRecord], position: LakeSpoolPosition?) {
        if let position { self.position = position }
        guard let first = records.first else { return }
        let dayNS: Int64 = 86_400_000_000_000
        let firstDay = StatsText.floorDivMod(first.timestamp, dayNS).0
        var lo = first.timestamp, hi = first.timestamp
        var oneDay = true
        records.withUnsafeBufferPointer { rs in
            for i in 0..<rs.count {
                let t = rs[i].timestamp
                lo = min(lo, t)
                hi = max(hi, t)
                if oneDay && StatsText.floorDivMod(t, dayNS).0 != firstDay { oneDay = false }
            }
        }
        if oneDay {
            append(records, day: firstDay)
        } else {
            var split: [Int64: [HEPRecord]] = [:]
            for r in records { split[StatsText.floorDivMod(r.timestamp, dayNS).0, default: []].append(r) }
            for (day, part) in split { append(part, day: day) }
        }
        minTimestamp = Swift.min(minTimestamp ?? lo, lo)
        maxTimestamp = Swift.max(maxTimestamp ?? hi, hi)
        count += records.count
    }

    private mutating func append(_ records: [HEPRecord], day: Int64) {
        let fresh = partitions[day] == nil
        partitions[day, default: HEPRecordColumns()].append(records)
        if fresh && expectedRows > 0 { partitions[day]!.reserveCapacity(forRows: expectedRows) }
    }

    /// Appends a newer buffer after this one.
    mutating func merge(_ newer: WriteBuffer) {
        for (day, columns) in newer.partitions { partitions[day, default: HEPRecordColumns()].append(contentsOf: columns) }
        count += newer.count
        if let p = newer.position { position = p }
        if let t = newer.minTimestamp { minTimestamp = min(minTimestamp ?? t, t) }
        if let t = newer.maxTimestamp { maxTimestamp = max(maxTimestamp ?? t, t) }
    }
}
