/// A search over the lake: a time range, filters (ANDed; the values of one filter ORed), a limit, an order and the
/// snapshot to read. Built from a `POST /api/v1/search` body by `SearchQuery(json:options:)`, or directly.
public struct SearchQuery: Sendable, Equatable {
    /// Inclusive lower bound, ns since the epoch.
    public var minTimestamp: Int64
    /// Inclusive upper bound, ns since the epoch.
    public var maxTimestamp: Int64
    public var filters: [SearchFilter]
    /// Most records to return.
    public var limit: Int
    public var order: SortOrder
    public var snapshot: SnapshotSelector
    /// Only count the matching records (no limit applies; no record is returned): `"count_only": true`.
    public var countOnly = false

    public init(minTimestamp: Int64 = .min, maxTimestamp: Int64 = .max, filters: [SearchFilter] = [],
                limit: Int = 100, order: SortOrder = .ascending, snapshot: SnapshotSelector = .current) {
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.filters = filters
        self.limit = limit
        self.order = order
        self.snapshot = snapshot
    }

    /// Whether a record satisfies the time range and every filter (the reference semantics every backend follows).
    public func matches(_ record: SearchRecord) -> Bool {
        guard record.timestamp >= minTimestamp, record.timestamp <= maxTimestamp else { return false }
        for filter in filters where !filter.matches(record) { return false }
        return true
    }
}

/// Result order, by timestamp.
public enum SortOrder: String, Sendable, Equatable {
    case ascending = "asc"
    case descending = "desc"
}

/// Which snapshot of the lake a query reads.
public enum SnapshotSelector: Sendable, Equatable {
    /// The latest committed snapshot.
    case current
    /// Exactly this snapshot id.
    case id(Int64)
    /// The latest snapshot committed at or before this time (ns since the epoch).
    case asOf(Int64)
}

/// The filterable fields of `POST /api/v1/search`.
public enum SearchField: String, Sendable, CaseIterable {
    case sessionID = "session_id"
    case correlationID = "correlation_id"
    case fromUser = "from_user"
    case toUser = "to_user"
    case ruriUser = "ruri_user"
    case srcIP = "src_ip"
    case dstIP = "dst_ip"
    case srcPort = "src_port"
    case dstPort = "dst_port"
    case method = "method"
    case responseCode = "response_code"
    case protoType = "proto_type"
    case nodeName = "node_name"
    case captureID = "capture_id"
    case userAgent = "user_agent"
    case payloadContains = "payload_contains"

    /// What values the field takes.
    public enum Kind: Sendable { case string, integer, substring }

    public var kind: Kind {
        switch self {
        case .srcPort, .dstPort, .responseCode, .protoType, .captureID: .integer
        case .payloadContains: .substring
        default: .string
        }
    }

    /// The lake column the field filters (`payload_contains` reads `payload` and `payload_bin`).
    public var column: String { self == .payloadContains ? "payload" : rawValue }
}

/// One filter value.
public enum FilterValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
}

/// A filter: the record's field must equal (strings: match, `*` = any run of characters) one of `values`.
public struct SearchFilter: Sendable, Equatable {
    public var field: SearchField
    public var values: [FilterValue]
    /// True: strings compare exactly, `*` included (call lookups use it for Call-IDs that contain `*`).
    public var literal: Bool

    public init(_ field: SearchField, _ values: [FilterValue], literal: Bool = false) {
        self.field = field
        self.values = values
        self.literal = literal
    }

    public init(_ field: SearchField, _ value: String) { self.init(field, [.string(value)]) }
    public init(_ field: SearchField, _ value: Int64) { self.init(field, [.integer(value)]) }

    /// True when no value uses the `*` wildcard, so a backend may use equality (bloom filters, min/max pruning).
    public var isExact: Bool {
        literal || values.allSatisfy { if case .string(let s) = $0 { !s.contains("*") } else { true } }
    }

    public func matches(_ r: SearchRecord) -> Bool {
        switch field {
        case .sessionID: return matchString(r.sessionID)
        case .correlationID: return matchString(r.correlationID)
        case .fromUser: return matchString(r.fromUser)
        case .toUser: return matchString(r.toUser)
        case .ruriUser: return matchString(r.ruriUser)
        case .srcIP: return matchString(r.srcIP)
        case .dstIP: return matchString(r.dstIP)
        case .method: return matchString(r.method)
        case .nodeName: return matchString(r.nodeName)
        case .userAgent: return matchString(r.userAgent)
        case .srcPort: return matchInt(Int64(r.srcPort))
        case .dstPort: return matchInt(Int64(r.dstPort))
        case .responseCode: return matchInt(r.responseCode.map(Int64.init))
        case .protoType: return matchInt(Int64(r.protoType))
        case .captureID: return matchInt(r.captureID)
        case .payloadContains:
            let payload = r.payloadBytes
            return values.contains { if case .string(let s) = $0 { Glob.contains(payload, Array(s.utf8)) } else { false } }
        }
    }

    private func matchString(_ v: String?) -> Bool {
        guard let v else { return false }   // SQL semantics: NULL matches nothing
        if literal { return values.contains(.string(v)) }
        let bytes = Array(v.utf8)
        return values.contains { if case .string(let p) = $0 { Glob.matches(bytes, pattern: Array(p.utf8)) } else { false } }
    }

    private func matchInt(_ v: Int64?) -> Bool {
        guard let v else { return false }
        return values.contains { $0 == .integer(v) }
    }
}

/// `*` wildcard matching on UTF-8 bytes (the only wildcard the API has; `?`, `%` and `_` are literal).
public enum Glob {
    /// Whole-string match where `*` stands for any run of bytes (also empty).
    public static func matches(_ text: [UInt8], pattern: [UInt8]) -> Bool {
        var t = 0, p = 0
        var starP = -1, starT = 0
        let star = UInt8(ascii: "*")
        while t < text.count {
            if p < pattern.count, pattern[p] == star {
                starP = p
                starT = t
                p += 1
            } else if p < pattern.count, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    /// Plain substring search.
    public static func contains(_ text: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard text.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        let last = text.count - needle.count
        while i <= last {
            if text[i] == first {
                var j = 1
                while j < needle.count, text[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
