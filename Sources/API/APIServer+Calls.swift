import Foundation
import Hummingbird

/// `GET /api/v1/calls/{session_id}` and `GET /api/v1/calls/{session_id}/pcap`.
extension APIServer {
    func call(_ request: Request, _ context: BasicRequestContext, pcap: Bool) async throws -> Response {
        guard let raw = context.parameters.get("session_id"), let sessionID = raw.removingPercentEncoding,
              !sessionID.isEmpty else {
            throw APIError.bad("session_id", "missing in the path")
        }
        func bound(_ key: String, _ open: Int64) throws(APIError) -> Int64 {
            guard let text = request.uri.queryParameters.get(key), !text.isEmpty else { return open }
            guard let v = Int64(text) else { throw APIError.bad(key, "must be an integer (ns since the Unix epoch)") }
            return v
        }
        let minTs = try bound("min_ts", .min), maxTs = try bound("max_ts", .max)
        guard minTs <= maxTs else { throw APIError.bad("min_ts", "must not be greater than max_ts") }
        let backend = self.backend, limit = options.maxCallMessages
        let flow = try await withQueryTimeout {
            try await CallFlow.gather(sessionID: sessionID, minTimestamp: minTs, maxTimestamp: maxTs,
                                      backend: backend, maxMessages: limit)
        }
        if pcap {
            guard !flow.records.isEmpty else { throw APIError(.notFound, "no message with session_id \(sessionID)") }
            let file = CallPcap.encode(flow.records)
            let name = sessionID.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? String($0) : "_" }
                .joined()
            return Response(status: .ok,
                            headers: [.contentType: "application/vnd.tcpdump.pcap",
                                      .contentDisposition: "attachment; filename=\"\(name.prefix(64)).pcap\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: file)))
        }
        var out = JSONWriter(reservingCapacity: 1024 + flow.records.count * 900)
        out.beginObject()
        out.field("session_id", sessionID)
        out.field("count", flow.records.count)
        out.field("snapshot_id", flow.snapshotID)
        out.field("truncated", flow.truncated)
        out.key("sessions")
        out.beginArray()
        for s in flow.sessions { out.value(s) }
        out.endArray()
        out.key("hosts")
        out.beginArray()
        for h in flow.hosts { out.value(h) }
        out.endArray()
        out.key("messages")
        out.beginArray()
        for r in flow.records { r.write(to: &out) }
        out.endArray()
        out.endObject()
        return json(out)
    }
}
