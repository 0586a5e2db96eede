import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A client of a node's HTTP API (AsyncHTTPClient): what `homer query --url` and the Hub use, and what the tests drive
/// a live server with.
public struct APIClient: Sendable {
    /// `http://host:port`, without a trailing slash.
    public let baseURL: String
    /// Sent as `Authorization: Bearer <token>` when set.
    public let token: String?
    public let timeout: TimeAmount
    private let client: HTTPClient

    public init(baseURL: String, token: String? = nil, timeout: TimeAmount = .seconds(60),
                client: HTTPClient = .shared) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.token = token
        self.timeout = timeout
        self.client = client
    }

    /// A raw answer.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// Sends one request; any HTTP status is returned, only transport failures throw.
    public func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil,
                     headers: [(String, String)] = [], authenticate: Bool = true) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if authenticate, let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(request, timeout: timeout)
        var buffer = try await response.body.collect(upTo: 1 << 30)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                     body: buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    /// Runs a search on the node.
    public func search(_ query: SearchQuery) async throws -> SearchResult {
        let reply = try await send(.POST, "/api/v1/search", body: query.jsonBody())
        let json = try Self.check(reply)
        guard case .object(let o) = json, case .array(let items)? = o["records"] else {
            throw APIError(.transport, "search answer without records")
        }
        var records: [SearchRecord] = []
        records.reserveCapacity(items.count)
        for item in items { records.append(try SearchRecord(json: item)) }
        var stats = ScanStats()
        if case .object(let s)? = o["stats"] {
            func int(_ k: String) -> Int { if case .integer(let i)? = s[k] { Int(i) } else { 0 } }
            stats = ScanStats(filesTotal: int("files_total"), filesRead: int("files_read"),
                              rowGroupsTotal: int("row_groups_total"), rowGroupsRead: int("row_groups_read"),
                              rowsScanned: int("rows_scanned"), bytesRead: Int64(int("bytes_read")))
        }
        let snapshot: Int64? = if case .integer(let i)? = o["snapshot_id"] { i } else { nil }
        return SearchResult(snapshotID: snapshot, records: records, stats: stats)
    }

    /// The pcap of a call (`GET /api/v1/calls/{id}/pcap`).
    public func callPcap(_ sessionID: String, minTimestamp: Int64? = nil, maxTimestamp: Int64? = nil) async throws
        -> [UInt8] {
        var path = "/api/v1/calls/\(Self.escape(sessionID))/pcap"
        var params: [String] = []
        if let minTimestamp { params.append("min_ts=\(minTimestamp)") }
        if let maxTimestamp { params.append("max_ts=\(maxTimestamp)") }
        if !params.isEmpty { path += "?" + params.joined(separator: "&") }
        let reply = try await send(.GET, path)
        guard reply.status == 200 else { _ = try Self.check(reply); return [] }
        return reply.body
    }

    /// Percent-encodes a path segment (RFC 3986 §3.3: unreserved characters stay).
    public static func escape(_ segment: String) -> String {
        var out = ""
        for b in segment.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(b >> 4)])\(hex[Int(b & 15)])"
            }
        }
        return out
    }

    /// Parses a JSON answer; a non-200 status becomes an `APIError` carrying the node's message.
    static func check(_ reply: Reply) throws -> JSONValue {
        let json = try? JSONValue.parse(reply.body)
        guard reply.status == 200, let json else {
            var message = reply.text
            if case .object(let o)? = json, case .string(let m)? = o["error"] { message = m }
            throw APIError(.transport, "HTTP \(reply.status): \(message)")
        }
        return json
    }
}
