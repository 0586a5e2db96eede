/// A `NodeBackend` that forwards searches to a node's HTTP API (`homer query --url`, call lookups through a remote
/// node). Only `search` is remote-capable; the catalog questions are answered by the node's own routes.
public struct RemoteBackend: NodeBackend {
    public let client: APIClient

    public init(client: APIClient) {
        self.client = client
    }

    public func search(_ query: SearchQuery) async throws -> SearchResult {
        try await client.search(query)
    }

    public func count(_ query: SearchQuery) async throws -> CountResult {
        throw APIError(.backendFailure, "use POST /api/v1/search with \"count_only\": true on the node")
    }

    public func stats() async throws -> NodeStats {
        throw APIError(.backendFailure, "use GET /api/v1/metadata/stats on the node")
    }

    public func snapshots(limit: Int) async throws -> [SnapshotInfo] {
        throw APIError(.backendFailure, "use GET /api/v1/snapshots on the node")
    }

    public func tables() async throws -> [TableInfo] {
        throw APIError(.backendFailure, "use GET /api/v1/tables on the node")
    }
}
