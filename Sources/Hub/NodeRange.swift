import Foundation

/// A node's time range as last reported by `metadata/check` or `metadata/stats` (ns since the Unix epoch, UTC).
public struct NodeRange: Sendable, Equatable {
    /// Oldest and newest message timestamps; nil when the node held no data at that moment.
    public var minTimestamp: Int64?
    public var maxTimestamp: Int64?
    /// `row_count` when it came from stats.
    public var rowCount: Int64?
    /// When the Hub learnt it (wall clock, ns).
    public var observedAt: Int64

    public init(minTimestamp: Int64?, maxTimestamp: Int64?, rowCount: Int64? = nil, observedAt: Int64) {
        self.minTimestamp = minTimestamp
        self.maxTimestamp = maxTimestamp
        self.rowCount = rowCount
        self.observedAt = observedAt
    }

    /// Whether the range, widened for rows that may have arrived since it was observed, can overlap `[lo, hi]`.
    /// `lo == 0 && hi == 0` means "any time" (an unbounded call lookup). The widening: rows stored after the
    /// observation are live traffic stamped at most `now - observedAt` after the old maximum, plus `slack` for
    /// clock skew and agent delay (HOMER 11 widens by a fixed ~45 s; ours follows the elapsed time).
    public func mayOverlap(_ lo: Int64, _ hi: Int64, now: Int64, slackNanoseconds: Int64) -> Bool {
        guard let mn = minTimestamp, let mx = maxTimestamp else { return false }
        if lo == 0 && hi == 0 { return true }
        let elapsed = max(0, now &- observedAt)
        let widenedMax = mx.addingReportingOverflow(elapsed &+ slackNanoseconds)
        let top = widenedMax.overflow ? Int64.max : widenedMax.partialValue
        let bottom = mn.subtractingReportingOverflow(slackNanoseconds)
        return (bottom.overflow ? Int64.min : bottom.partialValue) <= hi && top >= lo
    }
}

extension NodeRange {
    /// Whether the observed `[min, max]` itself overlaps `[lo, hi]` (no widening; both 0 = any time): what the node's
    /// `metadata/check` answered when the range was observed (it compares the same hull).
    public func overlaps(_ lo: Int64, _ hi: Int64) -> Bool {
        guard let mn = minTimestamp, let mx = maxTimestamp else { return false }
        if lo == 0 && hi == 0 { return true }
        return mn <= hi && mx >= lo
    }
}

/// Wall-clock now in ns since the epoch.
func wallNanoseconds() -> Int64 {
    Int64(Date().timeIntervalSince1970 * 1e9)
}

/// RFC 3339 UTC text of an ns timestamp (as the node API prints `oldest_data`).
func rfc3339(_ ns: Int64) -> String {
    let date = Date(timeIntervalSince1970: Double(ns) / 1e9)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .gmt
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    func pad(_ v: Int?, _ w: Int) -> String {
        let s = String(v ?? 0)
        return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
}
