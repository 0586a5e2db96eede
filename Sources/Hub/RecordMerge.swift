/// Merging of node answers: pure functions over records, no I/O (unit-testable, and the per-record path of the Hub).
public enum RecordMerge {
    /// Sort direction of a search.
    public enum Order: String, Sendable { case asc, desc }

    /// The fields that identify one captured message independently of which node stored it: the same bytes between
    /// the same endpoints at the same nanosecond are the same message, even when two nodes (two capture sites, or an
    /// agent duplicating its stream) both stored it. `capture_id`/`node_name` are deliberately not part of it.
    static let identityFields = ["timestamp", "src_ip", "src_port", "dst_ip", "dst_port", "transport", "proto_type",
                                 "payload_bin", "payload"]

    struct Identity: Hashable {
        var values: [JSONValue?]
    }

    static func identity(_ record: JSONObject) -> Identity {
        Identity(values: identityFields.map { record[$0] })
    }

    /// The record's timestamp (ns); records without one sort first.
    static func timestamp(_ record: JSONObject) -> Int64 {
        record["timestamp"]?.intValue ?? Int64.min
    }

    /// Merges per-node record lists (each already in `order`, as nodes return them) into one list in `order`,
    /// de-duplicating identical messages (the first node in the given order wins) and cutting at `limit`.
    /// `tag`, when set, is added to each record as that key with the node's name (which node answered it).
    /// Ties on timestamp keep node order then each node's own order (stable), so the result is deterministic.
    public static func mergeRecords(_ perNode: [(node: String, records: [JSONValue])], order: Order, limit: Int?,
                                    tag: String? = "hub_node") -> (records: [JSONValue], duplicates: Int) {
        var all: [(ts: Int64, record: JSONObject, node: String)] = []
        all.reserveCapacity(perNode.reduce(0) { $0 + $1.records.count })
        for (node, records) in perNode {
            for r in records {
                guard let o = r.objectValue else { continue }
                all.append((timestamp(o), o, node))
            }
        }
        // Stable: Swift's sort is not guaranteed stable, so sort indices with the index as tie-breaker.
        let indices = all.indices.sorted { a, b in
            if all[a].ts != all[b].ts { return order == .asc ? all[a].ts < all[b].ts : all[a].ts > all[b].ts }
            return a < b
        }
        var seen = Set<Identity>()
        var out: [JSONValue] = []
        var duplicates = 0
        for i in indices {
            let rec = all[i]
            guard seen.insert(identity(rec.record)).inserted else { duplicates += 1; continue }
            if let limit, out.count >= limit { continue }
            var o = rec.record
            if let tag { o[tag] = .string(rec.node) }
            out.append(.object(o))
        }
        return (out, duplicates)
    }

    /// Every call id a set of call records links to: their `session_id`s and `correlation_id`s (the A-leg id a B-leg
    /// carries in X-CID), so legs on other nodes can be fetched.
    public static func linkedIDs(_ records: [JSONValue]) -> Set<String> {
        var ids = Set<String>()
        for r in records {
            if let s = r["session_id"]?.stringValue, !s.isEmpty { ids.insert(s) }
            if let c = r["correlation_id"]?.stringValue, !c.isEmpty { ids.insert(c) }
        }
        return ids
    }

    /// The `hosts` list of a merged call: every `ip:port` the nodes listed, ordered by when it first appears in the
    /// merged flow (the columns of a ladder diagram), hosts not found in the records last in node order.
    public static func mergeHosts(_ perNode: [[JSONValue]], records: [JSONValue]) -> [JSONValue] {
        var union: [JSONValue] = []
        for hosts in perNode {
            for h in hosts where !union.contains(h) { union.append(h) }
        }
        var firstSeen: [String: Int] = [:]
        for (n, r) in records.enumerated() {
            for side in ["src", "dst"] {
                guard let ip = r["\(side)_ip"]?.stringValue, let port = r["\(side)_port"]?.intValue else { continue }
                for form in ["\(ip):\(port)", "[\(ip)]:\(port)"] where firstSeen[form] == nil { firstSeen[form] = n }
            }
        }
        func rank(_ h: JSONValue) -> Int {
            if let s = h.stringValue, let n = firstSeen[s] { return n }
            if let ip = h["ip"]?.stringValue, let port = h["port"]?.intValue, let n = firstSeen["\(ip):\(port)"] {
                return n
            }
            return Int.max
        }
        return union.enumerated().sorted { a, b in
            let ra = rank(a.element), rb = rank(b.element)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }
}
