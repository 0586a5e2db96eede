import Hummingbird

/// `POST /api/v1/metadata/check` and `GET /api/v1/metadata/stats` (and the `/api/v1/ducklake/...` aliases): the
/// questions Homer Hub asks before routing a query (seed "API Endpoints"; HOMER 11 `src/storage/ducklake/api.go`).
extension APIServer {
    /// Whether `[nodeMin, nodeMax]` overlaps the asked range. A bound of 0 is open (HOMER's zero value); both 0 asks
    /// whether the node holds anything.
    public static func hasData(stats: NodeStats, minTs: Int64, maxTs: Int64) -> Bool {
        guard stats.rowCount > 0, let lo = stats.minTimestamp, let hi = stats.maxTimestamp else { return false }
        if minTs == 0 && maxTs == 0 { return true }
        let askLo = minTs == 0 ? Int64.min : minTs
        let askHi = maxTs == 0 ? Int64.max : maxTs
        return lo <= askHi && hi >= askLo
    }

    /// Whole hours between the node's oldest and newest row, rounded to the nearest hour: the seed's example
    /// (2025-01-22T00:00:00Z … 2025-01-23T23:59:59.999999999Z) answers 48.
    public static func spanHours(_ stats: NodeStats) -> Int64 {
        guard let lo = stats.minTimestamp, let hi = stats.maxTimestamp, hi > lo else { return 0 }
        let hour: Int64 = 3_600_000_000_000
        return (hi - lo) / hour + ((hi - lo) % hour >= hour / 2 ? 1 : 0)
    }

    func metadataCheck(_ request: Request) async throws -> Response {
        let json = try JSONValue.parse(try await body(request))
        guard case .object(let o) = json else { throw APIError(.badRequest, "request body must be a JSON object") }
        func bound(_ key: String) throws(APIError) -> Int64 {
            switch o[key] {
            case nil, .null?: return 0
            case .integer(let i)?: return i
            case let v?: throw APIError.bad(key, "must be an integer (ns since the Unix epoch), got \(v.typeName)")
            }
        }
        let minTs = try bound("min_ts"), maxTs = try bound("max_ts")
        if minTs != 0, maxTs != 0, minTs > maxTs {
            throw APIError.bad("min_ts", "must not be greater than max_ts")
        }
        let stats = try await withQueryTimeout { try await backend.stats() }
        var out = JSONWriter()
        out.beginObject()
        out.field("has_data", Self.hasData(stats: stats, minTs: minTs, maxTs: maxTs))
        out.field("node_min_ts", stats.minTimestamp ?? 0)
        out.field("node_max_ts", stats.maxTimestamp ?? 0)
        out.field("oldest_data", stats.minTimestamp.map(RFC3339.seconds) ?? "")
        out.field("newest_data", stats.maxTimestamp.map(RFC3339.seconds) ?? "")
        out.field("data_span_hours", Self.spanHours(stats))
        out.endObject()
        return self.json(out)
    }

    func metadataStats() async throws -> Response {
        let stats = try await withQueryTimeout { try await backend.stats() }
        var out = JSONWriter()
        out.beginObject()
        out.field("row_count", stats.rowCount)
        out.field("min_timestamp", stats.minTimestamp ?? 0)
        out.field("max_timestamp", stats.maxTimestamp ?? 0)
        out.field("oldest_data", stats.minTimestamp.map(RFC3339.seconds) ?? "")
        out.field("newest_data", stats.maxTimestamp.map(RFC3339.seconds) ?? "")
        out.field("catalog_type", stats.catalogType)
        out.field("data_path", stats.dataPath)
        out.field("buffer_size", stats.bufferedRows)
        out.field("snapshot_id", stats.snapshotID)
        out.endObject()
        return self.json(out)
    }
}
