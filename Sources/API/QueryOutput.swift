/// What `homer query` needs besides the backends: filter arguments and the table / JSON renderings, kept here so
/// they are tested with the module.
public enum QueryOutput {
    /// `key=value` arguments (`--filter`) as filters: the same key repeated ORs its values; integer fields must
    /// parse as integers. Errors name the argument.
    public static func filters(_ arguments: [String]) throws(APIError) -> [SearchFilter] {
        var order: [SearchField] = []
        var values: [SearchField: [FilterValue]] = [:]
        for arg in arguments {
            guard let eq = arg.firstIndex(of: "=") else { throw APIError.bad(arg, "expected key=value") }
            let key = String(arg[..<eq]), value = String(arg[arg.index(after: eq)...])
            guard let field = SearchField(rawValue: key) else {
                throw APIError.bad(key, "unknown filter (expected one of \(SearchField.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let v: FilterValue
            if field.kind == .integer {
                guard let i = Int64(value) else { throw APIError.bad(key, "must be an integer, got \(value)") }
                v = .integer(i)
            } else {
                v = .string(value)
            }
            if values[field] == nil { order.append(field) }
            values[field, default: []].append(v)
        }
        return order.map { SearchFilter($0, values[$0]!) }
    }

    /// A time argument: ns since the epoch or RFC 3339.
    public static func time(_ text: String) throws(APIError) -> Int64 {
        if let ns = Int64(text) { return ns }
        guard let ns = RFC3339.parse(text) else { throw APIError.bad(text, "expected ns since the epoch or RFC 3339") }
        return ns
    }

    /// Columns of the text table.
    static let tableColumns: [(String, @Sendable (SearchRecord) -> String)] = [
        ("time", { RFC3339.micros($0.timestamp) }),
        ("session_id", { $0.sessionID }),
        ("method", { $0.method ?? $0.responseCode.map { String($0) } ?? "" }),
        ("cseq", { [$0.cseqNumber.map { String($0) }, $0.cseqMethod].compactMap { $0 }.joined(separator: " ") }),
        ("from", { $0.fromUser ?? "" }),
        ("to", { $0.toUser ?? "" }),
        ("src", { CallFlow.host($0.srcIP, $0.srcPort) }),
        ("dst", { CallFlow.host($0.dstIP, $0.dstPort) }),
        ("proto", { String($0.protoType) }),
        ("node", { $0.nodeName ?? "" }),
    ]

    /// A fixed-width text table, one line per record, with a header; cells longer than 48 characters are cut.
    public static func table(_ records: [SearchRecord]) -> String {
        let header = tableColumns.map(\.0)
        let rows = records.map { r in tableColumns.map { c in String(c.1(r).prefix(48)) } }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var text = cells.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// The search answer as the API prints it (`{"count","snapshot_id","records","stats"}`).
    public static func json(_ result: SearchResult) -> [UInt8] {
        var out = JSONWriter()
        out.beginObject()
        out.field("count", result.records.count)
        out.field("snapshot_id", result.snapshotID)
        out.key("records")
        out.beginArray()
        for r in result.records { r.write(to: &out) }
        out.endArray()
        out.key("stats")
        result.stats.write(to: &out, elapsed: .zero)
        out.endObject()
        return out.bytes + [10]
    }
}
