/// Everything the HTTP API can be tuned with. `HomerServer` fills it from the `http` block of the configuration file;
/// the API itself never reads files or the environment.
public struct APIOptions: Sendable, Equatable {
    /// Address to listen on (`http.listen`). Default `127.0.0.1`: the API exposes every stored SIP message, so binding
    /// to all interfaces must be a deliberate choice (`0.0.0.0`) made together with `authToken`.
    public var host: String
    /// TCP port (`http.listen` after the colon). Default 9080, HOMER's HTTP port. 0 picks a free port (tests).
    public var port: Int
    /// Bearer token required on every route except `/health` and `/metrics` (`http.auth_token`). nil or empty = no
    /// authentication (fine on loopback, unsafe elsewhere). Compared in constant time.
    public var authToken: String?
    /// Largest accepted request body in bytes (`http.max_body_bytes`). Default 1 MiB; larger bodies get 413 before they
    /// are buffered. Search bodies are tiny, so the limit only bounds what a misbehaving client can make us hold.
    public var maxBodyBytes: Int
    /// Longest a query (search, call lookup, pcap export, snapshots, tables) may run before it is cancelled and
    /// answered with 504 (`http.query_timeout_sec`). Default 30 s. Lower protects the node from runaway scans; higher
    /// allows wide unindexed searches (`payload_contains` over days) to finish.
    public var queryTimeout: Duration
    /// Default number of records a search returns when the request has no `limit`. Default 100.
    public var defaultLimit: Int
    /// Largest `limit` a search may ask for; above it the request is refused with 400. Default 10000: a JSON answer of
    /// 10000 SIP messages is already ~10 MB.
    public var maxLimit: Int
    /// Most messages a call lookup (`/api/v1/calls/{id}` and its pcap) gathers across all legs. Default 10000.
    public var maxCallMessages: Int

    /// Creates options; every argument defaults to the documented default.
    public init(host: String = "127.0.0.1", port: Int = 9080, authToken: String? = nil, maxBodyBytes: Int = 1 << 20,
                queryTimeout: Duration = .seconds(30), defaultLimit: Int = 100, maxLimit: Int = 10_000,
                maxCallMessages: Int = 10_000) {
        self.host = host
        self.port = port
        self.authToken = authToken
        self.maxBodyBytes = maxBodyBytes
        self.queryTimeout = queryTimeout
        self.defaultLimit = defaultLimit
        self.maxLimit = maxLimit
        self.maxCallMessages = maxCallMessages
    }
}

/// The name the ingest helper's first draft of the server used.
public typealias APIServerOptions = APIOptions
