/// Every message of a call and of the legs linked to it through `correlation_id` (the A-leg header such as X-CID,
/// or HEP chunk 0x0011), in time order: what `GET /api/v1/calls/{session_id}` returns and its pcap holds.
public struct CallFlow: Sendable, Equatable {
    /// The Call-ID asked for.
    public var sessionID: String
    /// The snapshot every lookup read (pinned after the first one, so all legs come from one snapshot).
    public var snapshotID: Int64?
    /// Every session id found (the asked one first, then linked legs in order of discovery).
    public var sessions: [String]
    /// The messages, by timestamp.
    public var records: [SearchRecord]
    /// `ip:port` (`[v6]:port`) of every endpoint, in order of first appearance: the columns of a ladder diagram.
    public var hosts: [String]
    /// Sum of the scan statistics of every lookup.
    public var stats: ScanStats
    /// True when `maxMessages` cut the result.
    public var truncated: Bool

    /// Rounds of leg discovery: A-leg → B-legs naming it → legs naming those. Three covers a call through two
    /// proxies; more would mostly chase unrelated calls sharing a correlation id.
    static let maxRounds = 3

    /// Looks the call up through `backend`: each round asks for the rows whose `session_id` or `correlation_id` is
    /// one of the ids found so far, and adds their session and correlation ids.
    public static func gather(sessionID: String, minTimestamp: Int64 = .min, maxTimestamp: Int64 = .max,
                              backend: any NodeBackend, maxMessages: Int = 10_000,
                              snapshot: SnapshotSelector = .current) async throws -> CallFlow {
        var known: [String] = [sessionID]
        var queried = Set<String>()
        var counts: [SearchRecord: Int] = [:]
        var order: [SearchRecord] = []
        var pinned = snapshot
        var snapshotID: Int64?
        var stats = ScanStats()
        var truncated = false
        for _ in 0..<maxRounds {
            let pending = known.filter { !queried.contains($0) }
            if pending.isEmpty { break }
            queried.formUnion(pending)
            for field in [SearchField.sessionID, .correlationID] {
                let query = SearchQuery(minTimestamp: minTimestamp, maxTimestamp: maxTimestamp,
                                        filters: [SearchFilter(field, pending.map { .string($0) }, literal: true)],
                                        limit: maxMessages + 1, order: .ascending, snapshot: pinned)
                let result = try await backend.search(query)
                if snapshotID == nil, let id = result.snapshotID {
                    snapshotID = id
                    pinned = .id(id)
                }
                stats = stats + result.stats
                truncated = truncated || result.records.count > maxMessages
                // A row can match both lookups (session_id and correlation_id both in the set): keep it as many
                // times as one lookup returned it, so true duplicates stay and overlaps do not.
                var here: [SearchRecord: Int] = [:]
                for r in result.records { here[r, default: 0] += 1 }
                for (r, n) in here where n > counts[r, default: 0] {
                    for _ in counts[r, default: 0]..<n { order.append(r) }
                    counts[r] = n
                }
                for r in result.records {
                    if !known.contains(r.sessionID), !r.sessionID.isEmpty { known.append(r.sessionID) }
                    if let c = r.correlationID, !c.isEmpty, !known.contains(c) { known.append(c) }
                }
            }
        }
        let records = SearchResult.ordered(order, .ascending, limit: maxMessages)
        truncated = truncated || order.count > maxMessages
        var hosts: [String] = []
        var seen = Set<String>()
        for r in records {
            for h in [host(r.srcIP, r.srcPort), host(r.dstIP, r.dstPort)] where seen.insert(h).inserted {
                hosts.append(h)
            }
        }
        let sessions = known.filter { id in id == sessionID || records.contains { $0.sessionID == id } }
        return CallFlow(sessionID: sessionID, snapshotID: snapshotID, sessions: sessions, records: records,
                        hosts: hosts, stats: stats, truncated: truncated)
    }

    /// `ip:port`, with brackets around IPv6 addresses (RFC 3986 §3.2.2).
    public static func host(_ ip: String, _ port: Int32) -> String {
        ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
