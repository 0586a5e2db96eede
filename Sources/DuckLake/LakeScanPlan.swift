import Foundation
import Parquet

/// The per-query state of `LakeReader`: which columns to read, the pruning tests, the row filter and the rows
/// matched so far.
struct LakeScanPlan: Sendable {
    let snapshot: Int64
    /// Columns returned, in order.
    let output: [LakeColumn]
    /// Columns decoded: output ∪ filtered ∪ timestamp.
    let readColumns: [LakeColumn]
    let filters: [LakeFilter]
    /// Time bounds in µs (inclusive).
    let lowMicros: Int64?
    let highMicros: Int64?
    private let timestampIndex: Int
    /// Index of `timestamp` in `readColumns`.
    var timestampIndexInRead: Int { timestampIndex }
    private let outputIndexes: [Int]
    /// (timestamp µs, rowid, values in `readColumns` order)
    private(set) var matched: [(Int64, Int64, [LakeValue])] = []
    /// Count mode: rows are counted in `counted`, not kept.
    var countOnly = false
    private(set) var counted: Int64 = 0

    init(query q: LakeQuery, table: LakeTableInfo, snapshot: Int64) throws {
        self.snapshot = snapshot
        let byName = Dictionary(table.columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func column(_ name: String) throws -> LakeColumn {
            guard let c = byName[name] else { throw DuckLakeError(.invalidArgument, "unknown column \(name)") }
            return c
        }
        output = try (q.columns ?? table.columns.map(\.name)).map(column)
        var read = output
        func need(_ c: LakeColumn) { if !read.contains(c) { read.append(c) } }
        need(try column("timestamp"))
        for f in q.filters {
            switch f {
            case .equals(let name, _), .matches(let name, _): need(try column(name))
            case .payloadContains:
                need(try column("payload"))
                need(try column("payload_bin"))
            }
        }
        readColumns = read
        filters = q.filters
        lowMicros = q.minTimestamp.map { -StatsText.floorDivMod(-$0, 1000).0 }     // ceil(ns / 1000)
        highMicros = q.maxTimestamp.map { StatsText.floorDivMod($0, 1000).0 }
        timestampIndex = read.firstIndex { $0.name == "timestamp" } ?? 0
        outputIndexes = output.map { o in read.firstIndex(of: o) ?? 0 }
    }

    // MARK: catalog pruning

    /// False when the file's catalog stats prove no row can match (the rule DuckDB applies; a missing or NULL stat
    /// keeps the file).
    func mayMatch(_ e: LakeDataFileEntry) -> Bool {
        if let s = e.stats[readColumns[timestampIndex].id] {
            if let lo = lowMicros, let max = s.max.flatMap(StatsText.parseTimestamp), max < lo { return false }
            if let hi = highMicros, let min = s.min.flatMap(StatsText.parseTimestamp), min > hi { return false }
        }
        for f in filters {
            switch f {
            case .equals(let name, let values):
                guard let c = readColumns.first(where: { $0.name == name }), let s = e.stats[c.id] else { continue }
                if s.valueCount == 0 && s.nullCount > 0 && s.min == nil { return false }   // all NULL
                guard let lo = s.min, let hi = s.max else { continue }
                if !values.contains(where: { v in
                    guard let t = Self.statsText(v) else { return true }
                    return !StatsOrder.less(t, lo, c.type) && !StatsOrder.less(hi, t, c.type)
                }) { return false }
            case .matches(let name, let pattern):
                guard let c = readColumns.first(where: { $0.name == name }), c.type == .varchar,
                      let s = e.stats[c.id], let lo = s.min, let hi = s.max else { continue }
                let prefix = String(pattern.prefix { $0 != "*" })
                if prefix.isEmpty { continue }
                if hi.utf8.lexicographicallyPrecedes(prefix.utf8) { return false }
                if prefix.utf8.lexicographicallyPrecedes(lo.utf8) && !lo.hasPrefix(prefix) { return false }
            case .payloadContains:
                continue
            }
        }
        return true
    }

    static func statsText(_ v: LakeValue) -> String? {
        switch v {
        case .int(let i): return String(i)
        case .text(let s): return s
        case .timestamp(let t): return StatsText.timestamp(micros: t)
        case .date(let d): return StatsText.date(days: d)
        case .bytes, .null: return nil
        }
    }

    // MARK: row filter

    func accepts(_ row: [LakeValue]) -> Bool {
        guard case .timestamp(let ts) = row[timestampIndex] else { return lowMicros == nil && highMicros == nil }
        if let lo = lowMicros, ts < lo { return false }
        if let hi = highMicros, ts > hi { return false }
        for f in filters {
            switch f {
            case .equals(let name, let values):
                guard let i = readColumns.firstIndex(where: { $0.name == name }) else { return false }
                if !values.contains(row[i]) { return false }
            case .matches(let name, let pattern):
                guard let i = readColumns.firstIndex(where: { $0.name == name }), case .text(let s) = row[i],
                      Wildcard.matches(s, pattern) else { return false }
            case .payloadContains(let needle):
                let p = readColumns.firstIndex { $0.name == "payload" }, b = readColumns.firstIndex { $0.name == "payload_bin" }
                var found = false
                if let p, case .text(let s) = row[p] { found = Wildcard.contains(Array(s.utf8), needle) }
                if !found, let b, case .bytes(let bytes) = row[b] { found = Wildcard.contains(bytes, needle) }
                if !found { return false }
            }
        }
        return true
    }

    mutating func add(_ row: [LakeValue], rowID: Int64) {
        guard accepts(row), case .timestamp(let ts) = row[timestampIndex] else { return }
        if countOnly {
            counted += 1
        } else {
            matched.append((ts, rowID, row))
        }
    }

    /// The same plan with no rows matched or counted yet: what one concurrent file scan starts from.
    func emptied() -> LakeScanPlan {
        var p = self
        p.matched = []
        p.counted = 0
        return p
    }

    /// Takes over the rows matched and counted by a plan made with `emptied()`.
    mutating func absorb(_ other: LakeScanPlan) {
        matched.append(contentsOf: other.matched)
        counted += other.counted
    }

    /// Count mode: rows counted without reading a file (from catalog statistics) or by the Parquet reader's exact
    /// predicate.
    mutating func addCount(_ n: Int64) { counted += n }

    /// Whether the file's catalog stats prove every row matches (count mode: no filter, timestamp never NULL and
    /// inside the bounds).
    func allMatch(_ e: LakeDataFileEntry) -> Bool {
        guard filters.isEmpty, let s = e.stats[readColumns[timestampIndex].id], s.nullCount == 0,
              let min = s.min.flatMap(StatsText.parseTimestamp), let max = s.max.flatMap(StatsText.parseTimestamp)
        else { return false }
        if let lo = lowMicros, min < lo { return false }
        if let hi = highMicros, max > hi { return false }
        return true
    }

    /// The timestamp of the `limit`-th best row so far (files entirely beyond it can be skipped).
    func cutoff(limit: Int, order: LakeQuery.Order) -> Int64? {
        guard limit > 0, matched.count >= limit else { return nil }
        let ts = matched.map(\.0).sorted()
        return order == .ascending ? ts[limit - 1] : ts[ts.count - limit]
    }

    /// Rows of DuckDB's inlined-data tables: `row_id` then `readColumns`.
    mutating func addInlined(_ rows: [[SQLiteValue]]) {
        for r in rows {
            guard let rowID = r.first?.int64 else { continue }
            let values = zip(readColumns, r.dropFirst()).map { c, v in Self.lakeValue(v, c.type) }
            add(values, rowID: rowID)
        }
    }

    static func lakeValue(_ v: SQLiteValue, _ type: LakeColumnType) -> LakeValue {
        switch (type, v) {
        case (_, .null): return .null
        case (.timestamp, .text(let s)): return StatsText.parseTimestamp(s).map { .timestamp($0) } ?? .null
        case (.date, .text(let s)): return StatsText.parseDate(s).map { .date($0) } ?? .null
        case (.int32, .integer(let i)), (.int64, .integer(let i)): return .int(i)
        case (.varchar, .text(let s)): return .text(s)
        case (.varchar, .integer(let i)): return .text(String(i))
        case (.blob, .blob(let b)): return .bytes(b)
        case (.blob, .text(let s)): return .bytes(Array(s.utf8))
        default: return .null
        }
    }

    /// Sorted, limited output rows and their row ids.
    func finish(order: LakeQuery.Order, limit: Int?) -> ([[LakeValue]], [Int64]) {
        var rows = matched
        rows.sort { a, b in
            if a.0 != b.0 { return order == .ascending ? a.0 < b.0 : a.0 > b.0 }
            return order == .ascending ? a.1 < b.1 : a.1 > b.1
        }
        if let limit, rows.count > limit { rows.removeSubrange(limit...) }
        return (rows.map { r in outputIndexes.map { r.2[$0] } }, rows.map(\.1))
    }
}

/// `*` patterns and byte search.
enum Wildcard {
    /// Whether `s` matches `pattern` where `*` matches any run (also empty) of bytes.
    static func matches(_ s: String, _ pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map { Array($0.utf8) }
        let text = Array(s.utf8)
        if parts.count == 1 { return text == parts[0] }
        guard text.starts(with: parts[0]) else { return false }
        var at = parts[0].count
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let found = find(text, part, from: at) else { return false }
            at = found + part.count
        }
        let last = parts[parts.count - 1]
        return text.count - at >= last.count && text.suffix(last.count).elementsEqual(last)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        needle.isEmpty || find(haystack, needle, from: 0) != nil
    }

    static func find(_ haystack: [UInt8], _ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count - start >= needle.count else { return needle.isEmpty ? start : nil }
        let first = needle[0]
        var i = start
        let end = haystack.count - needle.count
        while i <= end {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
