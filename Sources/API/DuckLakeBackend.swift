import DuckLake

/// The `NodeBackend` of a real node: metadata from the DuckLake catalog's statistics (no data file is opened) plus
/// the writer's rows not yet committed; searches through `LakeReader`, which prunes files by catalog stats and then
/// row groups, bloom filters and pages.
public struct DuckLakeBackend: NodeBackend {
    public let reader: LakeReader
    /// `catalog_type` reported by the metadata API.
    public let catalogType: String
    /// Rows accepted but not yet committed (`LakeWriter.pendingStatistics`, ns); nil for a read-only backend.
    public let pending: (@Sendable () async -> (rows: Int, minTimestamp: Int64?, maxTimestamp: Int64?))?

    public init(reader: LakeReader, catalogType: String = "sqlite",
                pending: (@Sendable () async -> (rows: Int, minTimestamp: Int64?, maxTimestamp: Int64?))? = nil) {
        self.reader = reader
        self.catalogType = catalogType
        self.pending = pending
    }

    /// A read-only backend on a local SQLite catalog (`homer query --catalog`).
    public init(catalogPath: String) throws {
        self.init(reader: try LakeReader(catalogPath: catalogPath))
    }

    /// A backend for a running node: reads through the writer's catalog and files, counts its buffered rows.
    public init(writer: LakeWriter) async {
        self.init(reader: LakeReader(catalog: await writer.catalog, files: await writer.files),
                  pending: { await writer.pendingStatistics() })
    }

    public func stats() async throws -> NodeStats {
        let s = try mapErrors { try reader.statistics() }
        let buffered = await pending?() ?? (rows: 0, minTimestamp: nil, maxTimestamp: nil)
        let lo = [s.minTimestampMicros.map { $0 * 1000 }, buffered.minTimestamp].compactMap { $0 }.min()
        let hi = [s.maxTimestampMicros.map { $0 * 1000 }, buffered.maxTimestamp].compactMap { $0 }.max()
        return NodeStats(rowCount: s.rowCount + Int64(buffered.rows), minTimestamp: lo, maxTimestamp: hi,
                         catalogType: catalogType, dataPath: reader.catalog.dataPath, snapshotID: s.snapshotID,
                         bufferedRows: Int64(buffered.rows))
    }

    public func search(_ query: SearchQuery) async throws -> SearchResult {
        let (lake, residual) = Self.lakeQuery(query)
        let result = try await mapErrors { try await reader.query(lake) }
        var records: [SearchRecord] = []
        records.reserveCapacity(result.rows.count)
        let index = Dictionary(uniqueKeysWithValues: result.columns.enumerated().map { ($1, $0) })
        for row in result.rows {
            let r = try Self.record(row, index)
            if residual.allSatisfy({ $0.matches(r) }) { records.append(r) }
            if !residual.isEmpty, records.count == query.limit { break }
        }
        let s = result.stats
        return SearchResult(snapshotID: result.snapshotID, records: records,
                            stats: ScanStats(filesTotal: s.filesTotal, filesRead: s.filesOpened,
                                             rowGroupsTotal: s.rowGroupsTotal, rowGroupsRead: s.rowGroupsRead,
                                             rowsScanned: result.rows.count + s.inlinedRows, bytesRead: s.bytesRead))
    }

    public func count(_ query: SearchQuery) async throws -> CountResult {
        let (lake, residual) = Self.lakeQuery(query)
        guard residual.isEmpty else {
            // Filters the reader cannot take: count the matching records of an unlimited search.
            var q = query
            q.limit = .max
            q.countOnly = false
            let r = try await search(q)
            return CountResult(snapshotID: r.snapshotID, count: Int64(r.records.count), stats: r.stats)
        }
        let result = try await mapErrors { try await reader.count(lake) }
        let s = result.stats
        return CountResult(snapshotID: result.snapshotID, count: result.count,
                           stats: ScanStats(filesTotal: s.filesTotal, filesRead: s.filesOpened,
                                            rowGroupsTotal: s.rowGroupsTotal, rowGroupsRead: s.rowGroupsRead,
                                            rowsScanned: s.inlinedRows, bytesRead: s.bytesRead))
    }

    /// Loads the footers and bloom filters of the current data files into the reader's cache (a node calls it at
    /// start). Returns the files loaded.
    @discardableResult
    public func warmCache() async throws -> Int {
        try await reader.warmCache()
    }

    /// The reader's query for a search, and the filters left to apply to its rows (several values with a `*`,
    /// several payload substrings); with residual filters the limit is applied after them, not by the reader.
    static func lakeQuery(_ query: SearchQuery) -> (LakeQuery, [SearchFilter]) {
        var lake = LakeQuery()
        switch query.snapshot {
        case .current: lake.snapshot = .current
        case .id(let id): lake.snapshot = .id(id)
        case .asOf(let ns): lake.snapshot = .asOf(micros: RFC3339.floorDivide(ns, 1000).0)
        }
        lake.minTimestamp = query.minTimestamp == .min ? nil : query.minTimestamp
        lake.maxTimestamp = query.maxTimestamp == .max ? nil : query.maxTimestamp
        lake.order = query.order == .ascending ? .ascending : .descending
        var residual: [SearchFilter] = []
        for f in query.filters {
            if let pushed = Self.lakeFilter(f) { lake.filters.append(pushed) } else { residual.append(f) }
        }
        lake.limit = residual.isEmpty ? query.limit : nil
        return (lake, residual)
    }

    public func snapshots(limit: Int) async throws -> [SnapshotInfo] {
        try mapErrors { try reader.snapshots(limit: limit) }.map {
            SnapshotInfo(id: $0.snapshot.id, time: $0.snapshot.timeMicros * 1000, changes: $0.snapshot.changes ?? "",
                         rowsAdded: $0.rowsAdded)
        }
    }

    public func tables() async throws -> [TableInfo] {
        let s = try mapErrors { try reader.statistics() }
        return [TableInfo(name: "\(HEPTable.schemaName).\(HEPTable.tableName)", rowCount: s.rowCount,
                          minTimestamp: s.minTimestampMicros.map { $0 * 1000 },
                          maxTimestamp: s.maxTimestampMicros.map { $0 * 1000 }, files: s.fileCount,
                          bytes: s.fileSizeBytes)]
    }

    /// The reader's filter for an API filter, nil when it has no equivalent (then it runs as a residual).
    static func lakeFilter(_ f: SearchFilter) -> LakeFilter? {
        let column = f.field.rawValue
        switch f.field.kind {
        case .integer:
            return .equals(column: column, values: f.values.compactMap { if case .integer(let i) = $0 { .int(i) } else { nil } })
        case .string:
            if f.isExact {
                return .equals(column: column, values: f.values.compactMap { if case .string(let s) = $0 { .text(s) } else { nil } })
            }
            guard f.values.count == 1, case .string(let pattern) = f.values[0] else { return nil }
            return .matches(column: column, pattern: pattern)
        case .substring:
            guard f.values.count == 1, case .string(let s) = f.values[0] else { return nil }
            return .payloadContains(Array(s.utf8))
        }
    }

    /// One reader row as a record (timestamps µs → ns, dates as `YYYY-MM-DD`).
    static func record(_ row: [LakeValue], _ index: [String: Int]) throws -> SearchRecord {
        func v(_ name: String) -> LakeValue { index[name].map { row[$0] } ?? .null }
        func text(_ name: String) -> String? { if case .text(let s) = v(name) { s } else { nil } }
        func int(_ name: String) -> Int64? { if case .int(let i) = v(name) { i } else { nil } }
        func i32(_ name: String) -> Int32? { int(name).flatMap { Int32(exactly: $0) } }
        guard case .timestamp(let micros) = v("timestamp") else {
            throw APIError(.backendFailure, "lake row without a timestamp")
        }
        var date: String?
        if case .date(let days) = v("date") { date = RFC3339.date(days * 86_400_000_000_000) }
        var bin: [UInt8]?
        if case .bytes(let b) = v("payload_bin") { bin = b }
        return SearchRecord(timestamp: micros * 1000, date: date, sessionID: text("session_id") ?? "",
                            correlationID: text("correlation_id"), protoType: i32("proto_type") ?? 0,
                            ipFamily: i32("ip_family") ?? 0, transport: i32("transport") ?? 0,
                            srcIP: text("src_ip") ?? "", dstIP: text("dst_ip") ?? "", srcPort: i32("src_port") ?? 0,
                            dstPort: i32("dst_port") ?? 0, captureID: int("capture_id") ?? 0,
                            nodeName: text("node_name"), vlan: i32("vlan"), method: text("method"),
                            responseCode: i32("response_code"), cseqNumber: int("cseq_number"),
                            cseqMethod: text("cseq_method"), fromUser: text("from_user"),
                            fromDomain: text("from_domain"), fromTag: text("from_tag"), toUser: text("to_user"),
                            toDomain: text("to_domain"), toTag: text("to_tag"), ruriUser: text("ruri_user"),
                            ruriDomain: text("ruri_domain"), userAgent: text("user_agent"), payload: text("payload"),
                            payloadBin: bin)
    }

    /// Unknown snapshots, and snapshots from before the table existed, are the client's mistake (404); everything else from the lake is a backend failure.
    private func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as DuckLakeError where e.reason == .snapshotNotFound || e.reason == .tableNotFound {
            throw APIError(.unknownSnapshot, e.detail)
        }
    }

    private func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as DuckLakeError where e.reason == .snapshotNotFound || e.reason == .tableNotFound {
            throw APIError(.unknownSnapshot, e.detail)
        }
    }
}
