import Hummingbird

/// `GET /health`, `GET /metrics`, `GET /api/v1/snapshots`, `GET /api/v1/tables`.
extension APIServer {
    func health() async throws -> Response {
        var out = JSONWriter()
        out.beginObject()
        out.field("status", "ok")
        out.endObject()
        return json(out)
    }

    /// Prometheus text format 0.0.4. Backend gauges are refreshed first; a failing backend does not fail the scrape.
    func metricsText() async throws -> Response {
        if let stats = try? await withQueryTimeout({ try await backend.stats() }) { metrics.update(from: stats) }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: metrics.emit())))
    }

    func snapshots(_ request: Request) async throws -> Response {
        var limit = 100
        if let text = request.uri.queryParameters.get("limit") {
            guard let l = Int(text), l >= 1, l <= options.maxLimit else {
                throw APIError.bad("limit", "must be an integer between 1 and \(options.maxLimit)")
            }
            limit = l
        }
        let wanted = limit
        let list = try await withQueryTimeout { try await backend.snapshots(limit: wanted) }
        var out = JSONWriter()
        out.beginObject()
        out.field("count", list.count)
        out.key("snapshots")
        out.beginArray()
        for s in list {
            out.beginObject()
            out.field("snapshot_id", s.id)
            out.field("time", RFC3339.micros(s.time))
            out.field("time_ns", s.time)
            out.field("changes", s.changes)
            out.field("rows_added", s.rowsAdded)
            out.endObject()
        }
        out.endArray()
        out.endObject()
        return json(out)
    }

    func tables() async throws -> Response {
        let list = try await withQueryTimeout { try await backend.tables() }
        var out = JSONWriter()
        out.beginObject()
        out.field("count", list.count)
        out.key("tables")
        out.beginArray()
        for t in list {
            out.beginObject()
            out.field("name", t.name)
            out.field("row_count", t.rowCount)
            out.field("min_timestamp", t.minTimestamp)
            out.field("max_timestamp", t.maxTimestamp)
            out.field("oldest_data", t.minTimestamp.map(RFC3339.seconds))
            out.field("newest_data", t.maxTimestamp.map(RFC3339.seconds))
            out.field("files", t.files)
            out.field("bytes", t.bytes)
            out.endObject()
        }
        out.endArray()
        out.endObject()
        return json(out)
    }
}
