import API
import Foundation
import Testing
import TestSupport

/// A backend whose searches take `delay` and honour cancellation: the 504 path.
struct SlowBackend: NodeBackend {
    let inner = MemoryBackend()
    let delay: Duration
    func stats() async throws -> NodeStats { try await inner.stats() }
    func search(_ query: SearchQuery) async throws -> SearchResult {
        try await Task.sleep(for: delay)
        return try await inner.search(query)
    }
    func snapshots(limit: Int) async throws -> [SnapshotInfo] { try await inner.snapshots(limit: limit) }
    func tables() async throws -> [TableInfo] { try await inner.tables() }
}

@Suite struct GuardTests {
    static let search = Array(#"{"min_ts":0,"max_ts":1}"#.utf8)

    @Test func bearerAuth() async throws {
        let options = APIOptions(authToken: "s3cret-token")
        try await LiveServer.with(backend: MemoryBackend(), options: options) { client in
            // With the token every route answers.
            #expect(try await client.send(.POST, "/api/v1/search", body: Self.search).status == 200)
            #expect(try await client.send(.GET, "/api/v1/metadata/stats").status == 200)
            // Without it, or with a wrong one (shorter, longer, same length), 401 with WWW-Authenticate.
            for header in [nil, "Bearer wrong", "Bearer s3cret-token-and-more", "Bearer s3cret-tokex", "Basic s3cret-token",
                           "s3cret-token"] {
                for (method, path) in [("POST", "/api/v1/search"), ("GET", "/api/v1/metadata/stats"),
                                       ("POST", "/api/v1/metadata/check"), ("GET", "/api/v1/calls/x"),
                                       ("GET", "/api/v1/calls/x/pcap"), ("GET", "/api/v1/snapshots"),
                                       ("GET", "/api/v1/tables"), ("POST", "/api/v1/ducklake/check")] {
                    let reply = try await client.send(method == "GET" ? .GET : .POST, path,
                                                      body: method == "POST" ? Self.search : nil,
                                                      headers: header.map { [("Authorization", $0)] } ?? [],
                                                      authenticate: false)
                    #expect(reply.status == 401, "\(method) \(path) with \(header ?? "no header")")
                    #expect(reply.header("www-authenticate") == "Bearer")
                }
            }
            // /health and /metrics stay open.
            #expect(try await client.send(.GET, "/health", authenticate: false).status == 200)
            #expect(try await client.send(.GET, "/metrics", authenticate: false).status == 200)
        }
    }

    @Test func methodsSizesAndUnknownRoutes() async throws {
        try await LiveServer.with(backend: MemoryBackend()) { client in
            let get = try await client.send(.GET, "/api/v1/metadata/check")
            #expect(get.status == 405)
            #expect(get.header("allow") == "POST")
            #expect(try await client.send(.PUT, "/api/v1/search", body: Self.search).status == 405)
            #expect(try await client.send(.POST, "/api/v1/metadata/stats", body: Self.search).status == 405)
            #expect(try await client.send(.DELETE, "/api/v1/calls/abc").status == 405)
            #expect(try await client.send(.GET, "/api/v1/nothing").status == 404)
            // 2 MiB of valid JSON (padding in a string) is refused before it is parsed.
            let big = Array(#"{"min_ts":0,"max_ts":1,"pad":""#.utf8) + [UInt8](repeating: 0x61, count: 2 << 20) + Array(#""}"#.utf8)
            let tooLarge = try await client.send(.POST, "/api/v1/search", body: big)
            #expect(tooLarge.status == 413)
            let checkLarge = try await client.send(.POST, "/api/v1/metadata/check", body: big)
            #expect(checkLarge.status == 413)
            // Just under the limit is parsed (and refused for the unknown key, not the size).
            let under = Array(#"{"min_ts":0,"max_ts":1,"pad":""#.utf8) + [UInt8](repeating: 0x61, count: (1 << 20) - 64) + Array(#""}"#.utf8)
            let fits = try await client.send(.POST, "/api/v1/search", body: under)
            #expect(fits.status == 400)
            #expect(try fits.object()["field"]?.string == "pad")
        }
    }

    @Test func queryTimeout() async throws {
        let options = APIOptions(queryTimeout: .milliseconds(300))
        let clock = ContinuousClock()
        try await LiveServer.with(backend: SlowBackend(delay: .seconds(120)), options: options) { client in
            let start = clock.now
            let reply = try await client.send(.POST, "/api/v1/search", body: Self.search)
            #expect(reply.status == 504)
            // Far sooner than the backend's 120 s: the search was cancelled (the margin absorbs a loaded machine).
            #expect(clock.now - start < .seconds(60))
            #expect(try reply.object()["error"]?.string?.contains("query_timeout") == true)
            // Metadata is not slowed by a slow search backend.
            #expect(try await client.send(.GET, "/api/v1/metadata/stats").status == 200)
        }
    }

    @Test func health() async throws {
        try await LiveServer.with(backend: MemoryBackend()) { client in
            let o = try await client.send(.GET, "/health").object()
            #expect(o["status"] == .string("ok"))
        }
    }
}
