/// What a scan needs, resolved once against the schema: projected columns, predicate columns, and checks that
/// every predicate value can be compared with its column.
struct ScanPlan: Sendable {
    /// Leaf indexes of the projected columns, in the caller's order.
    let projected: [Int]
    /// Leaf indexes of the columns to decode (projection ∪ predicate), ascending.
    let needed: [Int]
    let predicate: ParquetPredicate?
    /// Leaf index by column name.
    let index: [String: Int]

    init(reader: ParquetReader, columns: [String]?, predicate: ParquetPredicate?) throws {
        var index: [String: Int] = [:]
        for (i, leaf) in reader.leaves.enumerated() where index[leaf.name] == nil { index[leaf.name] = i }
        let names = columns ?? reader.leaves.map(\.name)
        var projected: [Int] = []
        for n in names {
            guard let i = index[n] else { throw ParquetError(.invalidArgument, "no column \(n) in the file") }
            projected.append(i)
        }
        var needed = Set(projected)
        if let predicate {
            for n in predicate.columnNames {
                guard let i = index[n] else { throw ParquetError(.invalidArgument, "predicate column \(n) not in the file") }
                needed.insert(i)
            }
            try ScanPlan.check(predicate, reader: reader, index: index)
        }
        self.projected = projected
        self.needed = needed.sorted()
        self.predicate = predicate
        self.index = index
    }

    /// Throws `.invalidArgument` when a value's kind cannot be compared with its column.
    private static func check(_ p: ParquetPredicate, reader: ParquetReader, index: [String: Int]) throws {
        func fits(_ c: String, _ v: ParquetValue) throws {
            let kind = reader.leaves[index[c]!].kind
            let ok: Bool
            switch (kind, v) {
            case (.boolean, .boolean): ok = true
            case (.int32, .int32), (.int32, .int64), (.int32, .double), (.int64, .int32), (.int64, .int64),
                 (.int64, .double), (.float, .int32), (.float, .int64), (.float, .double), (.double, .int32),
                 (.double, .int64), (.double, .double): ok = true
            case (.byteArray, .bytes), (.fixedLenByteArray, .bytes), (.int96, .bytes): ok = true
            default: ok = false
            }
            guard ok else { throw ParquetError(.invalidArgument, "value \(v) cannot be compared with column \(c) (\(kind))") }
        }
        switch p {
        case .equal(let c, let v), .less(let c, let v), .lessOrEqual(let c, let v), .greater(let c, let v),
             .greaterOrEqual(let c, let v):
            try fits(c, v)
        case .between(let c, let a, let b):
            try fits(c, a)
            try fits(c, b)
        case .in(let c, let vs):
            for v in vs { try fits(c, v) }
        case .isNull, .isNotNull:
            break
        case .and(let ps), .or(let ps):
            for q in ps { try check(q, reader: reader, index: index) }
        }
    }
}

extension ParquetPredicate {
    /// Evaluates the predicate tree with `leaf` answering each leaf (AND = min, OR = max).
    func evaluate(_ leaf: (ParquetPredicate) throws -> Truth) rethrows -> Truth {
        switch self {
        case .and(let ps):
            var t = Truth.yes
            for p in ps { t = Swift.min(t, try p.evaluate(leaf)); if t == .no { return .no } }
            return t
        case .or(let ps):
            var t = Truth.no
            for p in ps { t = Swift.max(t, try p.evaluate(leaf)); if t == .yes { return .yes } }
            return t
        default:
            return try leaf(self)
        }
    }

    /// The column of a leaf predicate (nil for AND/OR).
    var leafColumn: String? {
        switch self {
        case .equal(let c, _), .less(let c, _), .lessOrEqual(let c, _), .greater(let c, _), .greaterOrEqual(let c, _),
             .between(let c, _, _), .in(let c, _), .isNull(let c), .isNotNull(let c):
            return c
        case .and, .or:
            return nil
        }
    }
}
