import Hummingbird

/// `POST /api/v1/search`.
extension APIServer {
    func search(_ request: Request) async throws -> Response {
        let query = try SearchQuery(json: try JSONValue.parse(try await body(request)), options: options)
        let clock = ContinuousClock()
        let start = clock.now
        if query.countOnly {
            let result = try await withQueryTimeout { try await backend.count(query) }
            let elapsed = clock.now - start
            var out = JSONWriter(reservingCapacity: 512)
            out.beginObject()
            out.field("count", result.count)
            out.field("snapshot_id", result.snapshotID)
            out.key("records")
            out.beginArray()
            out.endArray()
            out.key("stats")
            result.stats.write(to: &out, elapsed: elapsed)
            out.endObject()
            return self.json(out)
        }
        let result = try await withQueryTimeout { try await backend.search(query) }
        let elapsed = clock.now - start
        var out = JSONWriter(reservingCapacity: 1024 + result.records.count * 900)
        out.beginObject()
        out.field("count", result.records.count)
        out.field("snapshot_id", result.snapshotID)
        out.key("records")
        out.beginArray()
        for r in result.records { r.write(to: &out) }
        out.endArray()
        out.key("stats")
        result.stats.write(to: &out, elapsed: elapsed)
        out.endObject()
        return self.json(out)
    }
}

extension ScanStats {
    /// The `"stats"` debug object: how many files and row groups the search opened out of how many.
    func write(to out: inout JSONWriter, elapsed: Duration) {
        out.beginObject()
        out.field("files_total", filesTotal)
        out.field("files_read", filesRead)
        out.field("files_skipped", filesTotal - filesRead)
        out.field("row_groups_total", rowGroupsTotal)
        out.field("row_groups_read", rowGroupsRead)
        out.field("row_groups_skipped", rowGroupsTotal - rowGroupsRead)
        out.field("rows_scanned", rowsScanned)
        out.field("bytes_read", bytesRead)
        let (s, atto) = elapsed.components
        out.field("elapsed_ms", Double(s) * 1000 + Double(atto) / 1e15)
        out.endObject()
    }
}
