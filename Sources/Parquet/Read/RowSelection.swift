/// Rows of one row group to decode: sorted, disjoint, non-empty half-open ranges of row indexes (relative to the row
/// group), as arrow-rs `RowSelection` (research notes §2.11 step 5).
struct RowSelection: Sendable, Equatable {
    private(set) var ranges: [Range<Int64>]

    init(_ ranges: [Range<Int64>]) {
        self.ranges = RowSelection.normalize(ranges)
    }

    static func all(_ rows: Int64) -> RowSelection { RowSelection(rows > 0 ? [0..<rows] : []) }

    var isEmpty: Bool { ranges.isEmpty }
    var rowCount: Int64 { ranges.reduce(0) { $0 + Int64($1.count) } }

    /// Sorts and merges touching or overlapping ranges, dropping empty ones.
    static func normalize(_ input: [Range<Int64>]) -> [Range<Int64>] {
        let sorted = input.filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        var out: [Range<Int64>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    func union(_ o: RowSelection) -> RowSelection { RowSelection(ranges + o.ranges) }

    func intersection(_ o: RowSelection) -> RowSelection {
        var out: [Range<Int64>] = []
        var i = 0, j = 0
        while i < ranges.count && j < o.ranges.count {
            let a = ranges[i], b = o.ranges[j]
            let lo = max(a.lowerBound, b.lowerBound), hi = min(a.upperBound, b.upperBound)
            if lo < hi { out.append(lo..<hi) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return RowSelection(out)
    }

    /// True when some selected row lies in `r`.
    func overlaps(_ r: Range<Int64>) -> Bool {
        // Binary search for the first range ending after r.lowerBound.
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound <= r.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].lowerBound < r.upperBound
    }

    /// The selected parts of `r`, shifted to be relative to `r.lowerBound`.
    func parts(of r: Range<Int64>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for s in ranges where s.upperBound > r.lowerBound && s.lowerBound < r.upperBound {
            let lo = max(s.lowerBound, r.lowerBound) - r.lowerBound
            let hi = min(s.upperBound, r.upperBound) - r.lowerBound
            out.append(Int(lo)..<Int(hi))
        }
        return out
    }
}
