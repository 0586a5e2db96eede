/// How the Hub decides which nodes hold a query's time range.
public enum RoutingMode: String, Sendable, CaseIterable {
    /// Skip a node only when it answered `POST /api/v1/metadata/check` for the query's range with `has_data: false`.
    /// Exact: the node answers from its current snapshot plus its unflushed buffer, so a node that just received data
    /// is never skipped. The check is made only when the node's last known range (stats poll or earlier check) does
    /// not already overlap the query; otherwise the node is queried at once (the check would answer yes: ranges only
    /// grow, and a node emptied by retention just answers no records). A node's check never delays another node's
    /// query. Costs one short round trip before a node's query only when the query leaves its known range.
    case check
    /// Use each node's `[min_timestamp, max_timestamp]` cached from `GET /api/v1/metadata/stats`, polled every
    /// `probe_interval_sec`, widened by `stats_slack_sec`. No extra round trip, but a node whose range changed since
    /// the last poll beyond the slack (an idle node receiving live data, a pcap backfill) is misrouted until the next
    /// poll.
    case stats
    /// No routing: every query goes to every node (HOMER 11's coordinator default). For comparison and for nodes that
    /// do not serve the metadata API; never skips, so it is always complete and always the slowest.
    case all
}

/// One node the Hub routes to.
public struct HubNode: Sendable, Equatable {
    /// Unique name, used in responses (`nodes.queried` …), `/api/v1/hub/nodes` and metric labels.
    public var name: String
    /// Base URL of the node's HTTP API, `http://host:port` (no trailing slash; a path prefix is kept).
    public var url: String
    /// Sent as `Authorization: Bearer <token>` to the node when set (the node's `http.auth_token`).
    public var authToken: String?

    public init(name: String, url: String, authToken: String? = nil) {
        self.name = name
        self.url = url
        self.authToken = authToken
    }
}

/// The Hub's options (`hub` object of the config file). Every field documents its key, default and trade-off.
public struct HubOptions: Sendable, Equatable {
    /// `hub.listen`, default `"127.0.0.1:9070"`: where the Hub serves its API. `0.0.0.0:port` to serve other hosts
    /// (then set `auth_token`).
    public var listenHost: String = "127.0.0.1"
    public var listenPort: Int = 9070
    /// `hub.auth_token`, default none: when set, every route except `/health` and `/metrics` needs
    /// `Authorization: Bearer <token>` (compared in constant time), as on a node.
    public var authToken: String?
    /// `hub.probe_interval_sec`, default 10: how often `stats` routing polls `GET /api/v1/metadata/stats` and the
    /// health of every node is refreshed. Shorter = fresher ranges and faster recovery, more requests to the nodes.
    public var probeIntervalSeconds: Double = 10
    /// `hub.node_timeout_ms`, default 5000: a node's search/call/pcap answer must arrive within this time, else it is
    /// cut and reported in `nodes.failed` (the answer is then `partial`). Longer = fewer partial answers on big
    /// queries, slower answers when a node hangs.
    public var nodeTimeoutMilliseconds: Int = 5000
    /// `hub.check_timeout_ms`, default 500: timeout of one `metadata/check` in `check` routing. A node that does not
    /// answer in time is treated as failed for that request (not skipped: it may hold data).
    public var checkTimeoutMilliseconds: Int = 500
    /// `hub.routing`, default `"check"`: `"check"`, `"stats"` or `"all"`, see `RoutingMode`.
    public var routing: RoutingMode = .check
    /// `hub.stats_slack_sec`, default 5: in `stats` routing a node's cached range is widened by the time since the
    /// last poll plus this slack, so rows received after the poll (stamped around "now") still route to it. Larger =
    /// fewer misses for agents with skewed clocks, fewer skips.
    public var statsSlackSeconds: Double = 5
    /// `hub.probe_backoff_min_ms`, default 500, and `hub.probe_backoff_max_sec`, default 60: a node that cannot be
    /// reached is marked down, skipped (reported failed when it may hold the range) and re-probed after the minimum,
    /// doubling up to the maximum.
    public var probeBackoffMinMilliseconds: Int = 500
    public var probeBackoffMaxSeconds: Double = 60
    /// `hub.max_response_bytes`, default 256 MiB: a node answer larger than this fails that node (bounds memory).
    public var maxResponseBytes: Int = 256 << 20
    /// `hub.call_link_rounds`, default 3: a call's legs can live on different nodes and be linked only through
    /// `correlation_id` (X-CID); the Hub re-asks the nodes for ids it discovers in answers, up to this many rounds.
    public var callLinkRounds: Int = 3

    public init() {}
}

/// A parsed Hub config file: `{"hub": {...}, "nodes": [{"name", "url", "auth_token"}]}`.
public struct HubConfig: Sendable, Equatable {
    public var options: HubOptions
    public var nodes: [HubNode]

    public init(options: HubOptions = HubOptions(), nodes: [HubNode]) {
        self.options = options
        self.nodes = nodes
    }
}
