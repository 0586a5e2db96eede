import Foundation

/// The data of the three stub nodes, generated relative to now:
/// - `hot`: the last hour; `archive`: one day a week ago; `mid`: from the archive day up to half an hour ago.
/// - call `split@hub` has its first three messages on `hot` and the last three on `mid` (a call split across sites);
/// - one message is stored identically on `hot` and `mid` (captured twice: must come back once);
/// - call `leg-b@hub` lives on `archive` and names `leg-a@hub` (on `mid`) in its correlation_id (X-CID).
struct StubData {
    let now: Int64
    var hot: [[String: Any & Sendable]] = []
    var archive: [[String: Any & Sendable]] = []
    var mid: [[String: Any & Sendable]] = []

    static let second: Int64 = 1_000_000_000
    static let hour: Int64 = 3600 * second
    static let day: Int64 = 24 * hour

    static func record(_ ts: Int64, session: String, payload: String, correlation: String? = nil, src: Int = 5060,
                       dst: Int = 5061) -> [String: Any & Sendable] {
        var r: [String: Any & Sendable] = [
            "timestamp": ts, "session_id": session, "src_ip": "10.0.0.\(src % 7 + 1)", "src_port": src,
            "dst_ip": "10.0.1.\(dst % 5 + 1)", "dst_port": dst, "transport": 17, "proto_type": 1,
            "capture_id": 2001, "payload": payload,
        ]
        r["correlation_id"] = correlation ?? NSNull()
        return r
    }

    init(now: Int64 = Int64(Date().timeIntervalSince1970) * StubData.second) {
        self.now = now
        let archiveStart = now - 7 * Self.day
        for i in 0..<40 {
            hot.append(Self.record(now - Self.hour + Int64(i) * 80 * Self.second + 123, session: "hot-\(i % 5)@hub",
                                   payload: "hot \(i)", src: 5060 + i % 3))
            archive.append(Self.record(archiveStart + Int64(i) * 2000 * Self.second + 7, session: "arc-\(i % 4)@hub",
                                       payload: "archive \(i)", dst: 5070 + i % 2))
            // mid spans [archiveStart + 1h, now - 30 min] in 40 steps.
            let span = (now - 30 * 60 * Self.second) - (archiveStart + Self.hour)
            mid.append(Self.record(archiveStart + Self.hour + span / 39 * Int64(i) + 11, session: "mid-\(i % 6)@hub",
                                   payload: "mid \(i)"))
        }
        let t0 = now - 50 * 60 * Self.second
        for (k, m) in ["INVITE", "100 Trying", "180 Ringing"].enumerated() {
            hot.append(Self.record(t0 + Int64(k) * Self.second, session: "split@hub", payload: "\(m) split", src: 5080, dst: 5090))
        }
        for (k, m) in ["200 OK", "ACK", "BYE"].enumerated() {
            mid.append(Self.record(t0 + Int64(3 + k) * Self.second, session: "split@hub", payload: "\(m) split", src: 5090, dst: 5080))
        }
        let dup = Self.record(now - 45 * 60 * Self.second, session: "dup@hub", payload: "OPTIONS dup")
        hot.append(dup)
        mid.append(dup)
        let ta = archiveStart + 3 * Self.hour
        mid.append(Self.record(ta, session: "leg-a@hub", payload: "INVITE leg a"))
        archive.append(Self.record(ta + Self.second, session: "leg-b@hub", payload: "INVITE leg b", correlation: "leg-a@hub"))
    }

    /// What the union of the three nodes holds in [lo, hi], as (timestamp, payload) pairs, identical records once,
    /// sorted by timestamp then payload. Computed here by plain filtering, not by the Hub's merge code.
    func expected(_ lo: Int64, _ hi: Int64) -> [Pair] {
        var seen = Set<Pair>()
        for r in hot + archive + mid {
            let t = r["timestamp"] as! Int64
            if t >= lo && t <= hi { seen.insert(Pair(ts: t, payload: r["payload"] as! String)) }
        }
        return seen.sorted()
    }

    struct Pair: Hashable, Comparable {
        var ts: Int64
        var payload: String
        static func < (a: Pair, b: Pair) -> Bool { a.ts != b.ts ? a.ts < b.ts : a.payload < b.payload }
    }
}

extension HubHarness.Answer {
    var pairs: [StubData.Pair] {
        records.map { StubData.Pair(ts: ($0["timestamp"] as? NSNumber)?.int64Value ?? -1, payload: $0["payload"] as? String ?? "") }
    }
}
