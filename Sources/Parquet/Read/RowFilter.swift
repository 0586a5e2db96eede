/// Row-by-row evaluation of a predicate on decoded columns, with SQL three-valued logic: a comparison with a NULL
/// is unknown, and a row is kept only when the whole predicate is true.
enum RowFilter {
    /// One Bool per row: true when the predicate is true for that row.
    static func evaluate(_ p: ParquetPredicate, column: (String) -> (ColumnData, ValueOrder)) -> [Bool] {
        truths(p, column: { name in
            let (data, order) = column(name)
            return (.values(data), order)
        }).map { $0 == Truth.yes.rawValue }
    }

    /// A predicate column: decoded values, or a dictionary with per-row indexes.
    enum Input {
        case values(ColumnData)
        case dictionary(DictionaryColumn)
    }

    /// `evaluate` over columns that may be kept as dictionary indexes: each leaf is tested once per dictionary
    /// entry, then looked up per row.
    static func evaluate(_ p: ParquetPredicate, input: (String) -> (Input, ValueOrder)) -> [Bool] {
        truths(p, column: input).map { $0 == Truth.yes.rawValue }
    }

    /// Per-row truth values (`Truth.rawValue`).
    static func truths(_ p: ParquetPredicate, column: (String) -> (Input, ValueOrder)) -> [UInt8] {
        switch p {
        case .and(let ps):
            guard let first = ps.first else { return [] }
            var acc = truths(first, column: column)
            for q in ps.dropFirst() {
                let t = truths(q, column: column)
                for i in 0..<min(acc.count, t.count) where t[i] < acc[i] { acc[i] = t[i] }
            }
            return acc
        case .or(let ps):
            guard let first = ps.first else { return [] }
            var acc = truths(first, column: column)
            for q in ps.dropFirst() {
                let t = truths(q, column: column)
                for i in 0..<min(acc.count, t.count) where t[i] > acc[i] { acc[i] = t[i] }
            }
            return acc
        default:
            guard let name = p.leafColumn else { return [] }
            let (input, order) = column(name)
            switch input {
            case .values(let data):
                return leaf(p, data, order)
            case .dictionary(let d):
                let perEntry = leaf(p, d.dictionary, order)
                let nullTruth: UInt8
                switch p {
                case .isNull: nullTruth = Truth.yes.rawValue
                case .isNotNull: nullTruth = Truth.no.rawValue
                default: nullTruth = Truth.maybe.rawValue
                }
                return d.indexes.map { $0 < 0 ? nullTruth : perEntry[Int($0)] }
            }
        }
    }

    private static func leaf(_ p: ParquetPredicate, _ data: ColumnData, _ order: ValueOrder) -> [UInt8] {
        let n = data.count
        let yes = Truth.yes.rawValue, no = Truth.no.rawValue, unknown = Truth.maybe.rawValue
        switch p {
        case .isNull:
            return (0..<n).map { data.isValid($0) ? no : yes }
        case .isNotNull:
            return (0..<n).map { data.isValid($0) ? yes : no }
        default:
            break
        }
        // compare(row, value) for each value the leaf needs, then the leaf's test on the results.
        let test: ([Int?]) -> Bool?
        let operands: [ParquetValue]
        switch p {
        case .equal(_, let v): operands = [v]; test = { $0[0].map { $0 == 0 } }
        case .less(_, let v): operands = [v]; test = { $0[0].map { $0 < 0 } }
        case .lessOrEqual(_, let v): operands = [v]; test = { $0[0].map { $0 <= 0 } }
        case .greater(_, let v): operands = [v]; test = { $0[0].map { $0 > 0 } }
        case .greaterOrEqual(_, let v): operands = [v]; test = { $0[0].map { $0 >= 0 } }
        case .between(_, let a, let b):
            operands = [a, b]
            test = { c in
                guard let lo = c[0], let hi = c[1] else { return nil }
                return lo >= 0 && hi <= 0
            }
        case .in(_, let vs):
            operands = vs
            test = { cs in
                var sawUnknown = false
                for c in cs { if c == 0 { return true }; if c == nil { sawUnknown = true } }
                return sawUnknown ? nil : false
            }
        default:
            return [UInt8](repeating: unknown, count: n)
        }
        var out = [UInt8](repeating: no, count: n)
        var results = [Int?](repeating: nil, count: operands.count)
        switch data.values {
        case .bytes(let b):
            let keys: [[UInt8]?] = operands.map { if case .bytes(let k) = $0 { k } else { nil } }
            for i in 0..<n {
                guard data.isValid(i) else { out[i] = unknown; continue }
                let row = b[i]
                for k in 0..<keys.count {
                    results[k] = keys[k].map { order == .none ? nil : compareSlice(row, $0) } ?? nil
                }
                out[i] = test(results).map { $0 ? yes : no } ?? unknown
            }
        case .int64(let a) where order == .signed && operands.allSatisfy({ ValueOrder.integer($0) != nil }):
            let keys = operands.map { ValueOrder.integer($0)! }
            for i in 0..<n {
                guard data.isValid(i) else { out[i] = unknown; continue }
                let x = a[i]
                for k in 0..<keys.count { results[k] = x < keys[k] ? -1 : (x == keys[k] ? 0 : 1) }
                out[i] = test(results).map { $0 ? yes : no } ?? unknown
            }
        default:
            for i in 0..<n {
                guard data.isValid(i) else { out[i] = unknown; continue }
                let x = data.values.value(at: i)
                for k in 0..<operands.count { results[k] = order.compare(x, operands[k]) }
                out[i] = test(results).map { $0 ? yes : no } ?? unknown
            }
        }
        return out
    }

    /// Unsigned lexicographic comparison of a row's bytes with a key.
    @inline(__always)
    static func compareSlice(_ x: ArraySlice<UInt8>, _ y: [UInt8]) -> Int {
        let n = min(x.count, y.count)
        var i = x.startIndex, j = 0
        while j < n {
            let a = x[i], b = y[j]
            if a != b { return a < b ? -1 : 1 }
            i += 1; j += 1
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}
