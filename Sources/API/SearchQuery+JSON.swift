extension SearchQuery {
    /// The keys a search body may have.
    public static let bodyKeys: Set<String> = ["min_ts", "max_ts", "filters", "limit", "order", "snapshot_id", "as_of",
                                                  "count_only"]

    /// Validates a `POST /api/v1/search` body. Every error is a 400 naming the field: unknown keys and filter names,
    /// wrong types, `min_ts > max_ts`, a limit outside 1...`options.maxLimit`, both `snapshot_id` and `as_of`.
    public init(json: JSONValue, options: APIOptions) throws(APIError) {
        guard case .object(let body) = json else { throw APIError(.badRequest, "request body must be a JSON object") }
        for key in body.keys.sorted() where !Self.bodyKeys.contains(key) {
            throw APIError.bad(key, "unknown field (expected one of \(Self.bodyKeys.sorted().joined(separator: ", ")))")
        }
        func requiredInt(_ key: String) throws(APIError) -> Int64 {
            guard let v = body[key] else { throw APIError.bad(key, "is required (ns since the Unix epoch)") }
            guard case .integer(let i) = v else { throw APIError.bad(key, "must be an integer, got \(v.typeName)") }
            return i
        }
        let minTs = try requiredInt("min_ts")
        let maxTs = try requiredInt("max_ts")
        guard minTs <= maxTs else { throw APIError.bad("min_ts", "must not be greater than max_ts") }

        var limit = options.defaultLimit
        if let v = body["limit"] {
            guard case .integer(let i) = v else { throw APIError.bad("limit", "must be an integer, got \(v.typeName)") }
            guard i >= 1, i <= Int64(options.maxLimit) else {
                throw APIError.bad("limit", "must be between 1 and \(options.maxLimit), got \(i)")
            }
            limit = Int(i)
        }
        var order = SortOrder.ascending
        if let v = body["order"] {
            guard case .string(let s) = v, let o = SortOrder(rawValue: s.lowercased()) else {
                throw APIError.bad("order", "must be \"asc\" or \"desc\"")
            }
            order = o
        }
        var snapshot = SnapshotSelector.current
        if let v = body["snapshot_id"], v != .null {
            guard case .integer(let id) = v, id >= 0 else {
                throw APIError.bad("snapshot_id", "must be a non-negative integer, got \(v.typeName)")
            }
            snapshot = .id(id)
        }
        if let v = body["as_of"], v != .null {
            guard snapshot == .current else { throw APIError.bad("as_of", "give either snapshot_id or as_of, not both") }
            guard case .string(let s) = v, let ns = RFC3339.parse(s) else {
                throw APIError.bad("as_of", "must be an RFC 3339 timestamp such as 2025-01-23T09:00:00Z")
            }
            snapshot = .asOf(ns)
        }
        var countOnly = false
        if let v = body["count_only"], v != .null {
            guard case .bool(let b) = v else { throw APIError.bad("count_only", "must be true or false, got \(v.typeName)") }
            countOnly = b
        }
        var filters: [SearchFilter] = []
        if let v = body["filters"], v != .null {
            guard case .object(let f) = v else { throw APIError.bad("filters", "must be an object, got \(v.typeName)") }
            for name in f.keys.sorted() {
                filters.append(try Self.parseFilter(name: name, value: f[name]!))
            }
        }
        self.init(minTimestamp: minTs, maxTimestamp: maxTs, filters: filters, limit: limit, order: order,
                  snapshot: snapshot)
        self.countOnly = countOnly
    }

    private static func parseFilter(name: String, value: JSONValue) throws(APIError) -> SearchFilter {
        let path = "filters.\(name)"
        guard let field = SearchField(rawValue: name) else {
            throw APIError.bad(path, "unknown filter (expected one of \(SearchField.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let items: [JSONValue]
        if case .array(let a) = value {
            guard !a.isEmpty else { throw APIError.bad(path, "an empty list matches nothing; omit the filter instead") }
            guard a.count <= 1000 else { throw APIError.bad(path, "at most 1000 values") }
            items = a
        } else {
            items = [value]
        }
        var values: [FilterValue] = []
        for item in items {
            switch (field.kind, item) {
            case (.integer, .integer(let i)): values.append(.integer(i))
            case (.string, .string(let s)), (.substring, .string(let s)):
                if field.kind == .substring, s.isEmpty { throw APIError.bad(path, "must not be empty") }
                values.append(.string(s))
            case (.integer, _):
                throw APIError.bad(path, "must be an integer or a list of integers, got \(item.typeName)")
            default:
                throw APIError.bad(path, "must be a string or a list of strings, got \(item.typeName)")
            }
        }
        return SearchFilter(field, values)
    }

    /// The request body for this query (what `homer query --url` sends).
    public func jsonBody() -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("min_ts", minTimestamp)
        json.field("max_ts", maxTimestamp)
        json.field("limit", limit)
        json.field("order", order.rawValue)
        if countOnly { json.key("count_only"); json.value(true) }
        switch snapshot {
        case .current: break
        case .id(let id): json.field("snapshot_id", id)
        case .asOf(let ns): json.field("as_of", RFC3339.format9(ns))
        }
        json.key("filters")
        json.beginObject()
        for f in filters {
            json.key(f.field.rawValue)
            json.beginArray()
            for v in f.values {
                switch v {
                case .string(let s): json.value(s)
                case .integer(let i): json.value(i)
                }
            }
            json.endArray()
        }
        json.endObject()
        json.endObject()
        return json.bytes
    }
}
