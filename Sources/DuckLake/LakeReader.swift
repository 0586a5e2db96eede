import Foundation
import Parquet

/// Reads `main.hep_messages` at any snapshot, including lakes DuckDB itself modified (research §5.5): data files
/// with their positional delete files, merged (partial) files, inlined rows and inlined deletes.
///
/// Pruning happens in layers: catalog column stats (no file opened), then per file the Parquet reader's row-group
/// stats, bloom filters and page index; `LakeResult.stats` reports what was read.
public struct LakeReader: Sendable {
    public let catalog: any LakeCatalog
    public let files: any LakeFiles
    /// Footers and bloom filters of data files kept in memory (nil: every query opens every candidate file).
    public let cache: LakeFileCache?
    /// `LakeReaderOptions.scanConcurrency`.
    let scanConcurrency: Int

    /// `_ducklake_internal_row_id` / `_ducklake_internal_snapshot_id` of merged files (research §2.4).
    static let internalRowIDField: Int32 = 2_147_483_540
    static let internalSnapshotField: Int32 = 2_147_483_539

    public init(catalog: any LakeCatalog, files: any LakeFiles, options: LakeReaderOptions = LakeReaderOptions()) {
        self.catalog = catalog
        self.files = files
        scanConcurrency = max(options.scanConcurrency, 1)
        cache = options.fileCacheBytes > 0
            ? LakeFileCache(budgetBytes: options.fileCacheBytes, bloomColumns: options.cachedBloomColumns) : nil
    }

    /// A reader on a local SQLite catalog whose data_path is a local directory (opened read-only).
    public init(catalogPath: String, options: LakeReaderOptions = LakeReaderOptions()) throws {
        let c = try SQLiteCatalog(path: catalogPath, dataPath: nil, readOnly: true)
        self.init(catalog: c, files: LocalLakeFiles(root: c.dataPath), options: options)
    }

    /// The snapshot a query reads.
    public func resolve(_ snapshot: LakeQuery.Snapshot) throws -> LakeSnapshot {
        switch snapshot {
        case .current: return try catalog.currentSnapshot()
        case .id(let id): return try catalog.snapshot(id: id)
        case .asOf(let micros): return try catalog.snapshot(atOrBefore: micros)
        }
    }

    /// Catalog-only statistics of the table (row count, files, bytes, time range) at a snapshot (current when nil).
    public func statistics(table name: String = HEPTable.tableName, at snapshot: Int64? = nil) throws -> LakeTableStatistics {
        let s = try snapshot ?? catalog.currentSnapshot().id
        guard let table = try catalog.table(named: name, at: s) else {
            return LakeTableStatistics(snapshotID: s, rowCount: 0, fileCount: 0, fileSizeBytes: 0,
                                       minTimestampMicros: nil, maxTimestampMicros: nil)
        }
        guard let cache else { return try catalog.statistics(tableID: table.tableID, at: s) }
        return try cache.tableStatistics(table: table.tableID, snapshot: s) {
            try catalog.statistics(tableID: table.tableID, at: s)
        }
    }

    /// Snapshots, newest first, with the rows each added.
    public func snapshots(table name: String = HEPTable.tableName, limit: Int = 100) throws -> [LakeSnapshotSummary] {
        try catalog.snapshots(table: name, limit: limit)
    }

    /// Runs a query.
    public func query(_ q: LakeQuery, table name: String = HEPTable.tableName) async throws -> LakeResult {
        let snapshot = try resolve(q.snapshot)
        guard let table = try catalog.table(named: name, at: snapshot.id) else {
            throw DuckLakeError(.tableNotFound, "table \(name) does not exist at snapshot \(snapshot.id)")
        }
        var plan = try LakeScanPlan(query: q, table: table, snapshot: snapshot.id)
        var stats = LakeScanStats()
        let entries = try dataFiles(table: table, snapshot: snapshot.id, current: q.snapshot == .current)
        stats.filesTotal = entries.count
        var candidates = entries.filter { plan.mayMatch($0) }
        stats.filesPrunedByCatalog = entries.count - candidates.count
        let tsID = table.columns.first { $0.name == "timestamp" }?.id ?? 1
        func bound(_ e: LakeDataFileEntry, max: Bool) -> Int64? {
            (max ? e.stats[tsID]?.max : e.stats[tsID]?.min).flatMap(StatsText.parseTimestamp)
        }
        // Files in the order rows are wanted, so a limit can stop early.
        candidates.sort { a, b in
            q.order == .ascending ? (bound(a, max: false) ?? .min) < (bound(b, max: false) ?? .min)
                                  : (bound(a, max: true) ?? .max) > (bound(b, max: true) ?? .max)
        }
        let inlinedDeletes = try catalog.inlinedDeletes(tableID: table.tableID, at: snapshot.id)
        // A limited query without filters (browsing a time range) usually fills its limit from the first file or
        // two: those are read one after another so the cutoff can stop the rest. Filtered searches find a few rows
        // per file and read their candidates concurrently.
        let width = q.limit != nil && q.filters.isEmpty ? 1 : scanConcurrency
        try await scanFiles(candidates, plan: &plan, stats: &stats, inlinedDeletes: inlinedDeletes,
                            needRowIDs: q.includeRowID, concurrency: width) { entry, plan in
            guard let limit = q.limit, plan.matched.count >= limit,
                  let cut = plan.cutoff(limit: limit, order: q.order) else { return false }
            if q.order == .ascending, let lo = bound(entry, max: false), lo > cut { return true }
            if q.order == .descending, let hi = bound(entry, max: true), hi < cut { return true }
            return false
        }
        let inlined = try catalog.inlinedRows(tableID: table.tableID, at: snapshot.id, columns: plan.readColumns.map(\.name))
        stats.inlinedRows = inlined.count
        plan.addInlined(inlined)
        let (rows, rowIDs) = plan.finish(order: q.order, limit: q.limit)
        return LakeResult(snapshotID: snapshot.id, columns: plan.output.map(\.name), rows: rows,
                          rowIDs: q.includeRowID ? rowIDs : [], stats: stats)
    }

    /// Counts the rows matching a query's time bounds and filters (its columns, order and limit are ignored).
    /// Files whose catalog statistics put every row inside the bounds, with no filter and no deletes, are counted
    /// from the catalog's record count without being opened; the others are read through the Parquet reader,
    /// decoding only the timestamp and filtered columns.
    public func count(_ q: LakeQuery, table name: String = HEPTable.tableName) async throws -> LakeCount {
        let snapshot = try resolve(q.snapshot)
        guard let table = try catalog.table(named: name, at: snapshot.id) else {
            throw DuckLakeError(.tableNotFound, "table \(name) does not exist at snapshot \(snapshot.id)")
        }
        var narrow = q
        narrow.columns = ["timestamp"]
        narrow.limit = nil
        var plan = try LakeScanPlan(query: narrow, table: table, snapshot: snapshot.id)
        plan.countOnly = true
        var stats = LakeScanStats()
        let entries = try dataFiles(table: table, snapshot: snapshot.id, current: q.snapshot == .current)
        stats.filesTotal = entries.count
        let candidates = entries.filter { plan.mayMatch($0) }
        stats.filesPrunedByCatalog = entries.count - candidates.count
        let inlinedDeletes = try catalog.inlinedDeletes(tableID: table.tableID, at: snapshot.id)
        var toScan: [LakeDataFileEntry] = []
        for entry in candidates {
            let deletes = inlinedDeletes[entry.dataFileID] ?? []
            if entry.deleteFilePath == nil, deletes.isEmpty, (entry.partialMax ?? .min) <= snapshot.id, plan.allMatch(entry) {
                plan.addCount(entry.recordCount)
                stats.filesCountedFromCatalog += 1
            } else {
                toScan.append(entry)
            }
        }
        try await scanFiles(toScan, plan: &plan, stats: &stats, inlinedDeletes: inlinedDeletes, needRowIDs: false,
                            concurrency: scanConcurrency) { _, _ in
            false
        }
        let inlined = try catalog.inlinedRows(tableID: table.tableID, at: snapshot.id, columns: plan.readColumns.map(\.name))
        stats.inlinedRows = inlined.count
        plan.addInlined(inlined)
        return LakeCount(snapshotID: snapshot.id, count: plan.counted, stats: stats)
    }

    /// The data files of a table at a snapshot (from the cache when it holds that snapshot's list); at the current
    /// snapshot, also drops cached footers of files no longer visible (retired by compaction or retention).
    func dataFiles(table: LakeTableInfo, snapshot: Int64, current: Bool) throws -> [LakeDataFileEntry] {
        guard let cache else { return try catalog.dataFiles(tableID: table.tableID, at: snapshot) }
        let entries = try cache.dataFiles(table: table.tableID, snapshot: snapshot) {
            try catalog.dataFiles(tableID: table.tableID, at: snapshot)
        }
        if current { cache.retain(current: snapshot, liveIDs: Set(entries.map(\.dataFileID))) }
        return entries
    }

    /// Loads the footer and bloom filters of every data file of the current snapshot into the cache (a node calls
    /// it at start so that the first Call-ID lookups are as fast as the later ones). Returns the files loaded.
    @discardableResult
    public func warmCache(table name: String = HEPTable.tableName) async throws -> Int {
        guard let cache else { return 0 }
        let snapshot = try catalog.currentSnapshot()
        guard let table = try catalog.table(named: name, at: snapshot.id) else { return 0 }
        var loaded = 0
        for entry in try dataFiles(table: table, snapshot: snapshot.id, current: true)
        where cache.lookup(entry.dataFileID, path: entry.path, countMiss: false) == nil {
            _ = try await LakeScanPlan.openCached(entry, files: files, cache: cache)
            loaded += 1
        }
        return loaded
    }
}
