/// What statistics say about one column over a set of rows (a row group, or one page through the ColumnIndex).
struct StatsView: Sendable {
    /// Lower bound of the non-null values (exact or not), nil when unknown.
    var min: ParquetValue?
    /// Upper bound of the non-null values, nil when unknown.
    var max: ParquetValue?
    /// True when `min` is the actual minimum (parquet.thrift `is_min_value_exact`; integers are always exact).
    var minExact: Bool = true
    var maxExact: Bool = true
    /// Number of nulls, nil when the writer did not say (readers "MUST distinguish" unknown from 0).
    var nullCount: Int64?
    /// Number of rows covered (flat schemas: values including nulls).
    var rowCount: Int64
    /// Comparison order of the column's values.
    var order: ValueOrder

    /// True when every covered row is null.
    var allNull: Bool { nullCount.map { $0 >= rowCount } ?? false }
    /// True when no covered row is null.
    var noNull: Bool { nullCount == 0 }

    /// Three-valued outcome of one leaf predicate on these statistics.
    func evaluate(_ p: ParquetPredicate) -> Truth {
        switch p {
        case .isNull:
            guard let n = nullCount else { return .maybe }
            return n == 0 ? .no : (n >= rowCount ? .yes : .maybe)
        case .isNotNull:
            guard let n = nullCount else { return .maybe }
            return n >= rowCount ? .no : (n == 0 ? .yes : .maybe)
        case .equal(_, let v):
            return equal(v)
        case .in(_, let vs):
            return vs.reduce(Truth.no) { Swift.max($0, equal($1)) }
        case .less(_, let v):
            return range(v, lowerOK: { $0 < 0 }, allOK: { $0 < 0 }, useMinForNo: true)
        case .lessOrEqual(_, let v):
            return range(v, lowerOK: { $0 <= 0 }, allOK: { $0 <= 0 }, useMinForNo: true)
        case .greater(_, let v):
            return range(v, lowerOK: { $0 > 0 }, allOK: { $0 > 0 }, useMinForNo: false)
        case .greaterOrEqual(_, let v):
            return range(v, lowerOK: { $0 >= 0 }, allOK: { $0 >= 0 }, useMinForNo: false)
        case .between(let c, let lo, let hi):
            return Swift.min(evaluate(.greaterOrEqual(c, lo)), evaluate(.lessOrEqual(c, hi)))
        case .and(let ps):
            return ps.reduce(Truth.yes) { Swift.min($0, evaluate($1)) }
        case .or(let ps):
            return ps.reduce(Truth.no) { Swift.max($0, evaluate($1)) }
        }
    }

    private func equal(_ v: ParquetValue) -> Truth {
        if allNull { return .no }
        guard let lo = min, let hi = max else { return .maybe }
        guard let cLo = order.compare(v, lo), let cHi = order.compare(v, hi) else { return .maybe }
        if cLo < 0 || cHi > 0 { return .no }
        if cLo == 0 && cHi == 0 && minExact && maxExact && noNull { return .yes }
        return .maybe
    }

    /// `x OP v` for every x in [min, max]. `test` takes compare(x, v). The rows can match only if the bound nearest
    /// to the accepted side passes; every row matches if the far bound passes too and nothing is null.
    private func range(_ v: ParquetValue, lowerOK: (Int) -> Bool, allOK: (Int) -> Bool, useMinForNo: Bool) -> Truth {
        if allNull { return .no }
        guard let lo = min, let hi = max else { return .maybe }
        // compare(x, v) = -compare(v, x)
        guard let a = order.compare(v, lo).map({ -$0 }), let b = order.compare(v, hi).map({ -$0 }) else {
            return .maybe
        }
        let near = useMinForNo ? a : b
        let far = useMinForNo ? b : a
        if !lowerOK(near) {
            // The nearest bound fails. If it is inexact the real extreme lies beyond it, failing as well.
            return .no
        }
        if allOK(far) && noNull { return .yes }
        return .maybe
    }
}
