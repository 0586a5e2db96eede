/// A node's `POST /api/v1/search` answer with its records kept as the node's own JSON bytes.
///
/// The Hub's per-record work on a search is: read each record's timestamp, recognise identical messages, cut at the
/// limit and tag the record with the node's name. Building a `JSONValue` tree for every record (25 members, a SIP
/// payload) and printing it again costs more than the whole loopback round trip of a small search, so the answer is
/// validated and scanned once, records are located as byte ranges, and the merged answer splices those bytes.
struct RawSearchAnswer: Sendable {
    /// One record: where its object sits in `bytes` and its timestamp. Its identity (`identity(of:)`) is built only
    /// when another record has the same timestamp: the timestamp is part of the identity, so only those can be equal.
    struct Record: Sendable {
        var timestamp: Int64
        var span: Range<Int>
        /// False for `{}`: the splice then adds the tag without a leading comma.
        var hasMembers: Bool
    }

    let bytes: [UInt8]
    private(set) var records: [Record] = []
    /// The node's `snapshot_id`, when it sent one.
    private(set) var snapshotID: JSONValue?

    private static let identityKeys: [[UInt8]] = RecordMerge.identityFields.map { Array($0.utf8) }
    private static let timestampKey = Array("timestamp".utf8)

    /// Validates the whole answer as JSON (RFC 8259) and locates the records; throws `.badNodeResponse` when the body
    /// is not a JSON object or has no `records` array of objects.
    init(_ bytes: [UInt8]) throws(HubError) {
        self.bytes = bytes
        var p = JSONCodec.Parser(bytes: bytes)
        p.skipSpace()
        guard p.i < bytes.count, bytes[p.i] == UInt8(ascii: "{") else {
            throw HubError(.badNodeResponse, "expected a JSON object as the search answer")
        }
        var sawRecords = false
        var records: [Record] = []
        var snapshotID: JSONValue?
        try p.members(depth: 0) { (p: inout JSONCodec.Parser, key: Range<Int>) throws(HubError) in
            if p.keyEquals(key, "records") {
                guard p.i < bytes.count, bytes[p.i] == UInt8(ascii: "[") else {
                    throw HubError(.badNodeResponse, "records is not a list in the search answer")
                }
                sawRecords = true
                try p.elements(depth: 1) { (p: inout JSONCodec.Parser) throws(HubError) in
                    records.append(try Self.record(&p))
                }
            } else if p.keyEquals(key, "snapshot_id") {
                snapshotID = try p.value(depth: 1)
            } else {
                try p.skipValue(depth: 1)
            }
        }
        p.skipSpace()
        guard p.i == bytes.count else { throw p.fail("trailing characters") }
        guard sawRecords else { throw HubError(.badNodeResponse, "no records list in the search answer") }
        self.records = records
        self.snapshotID = snapshotID
    }

    private static func record(_ p: inout JSONCodec.Parser) throws(HubError) -> Record {
        let start = p.i
        guard start < p.bytes.count, p.bytes[start] == UInt8(ascii: "{") else {
            throw p.fail("a search record is not an object")
        }
        var timestamp = Int64.min
        var hasMembers = false
        try p.members(depth: 2) { (p: inout JSONCodec.Parser, key: Range<Int>) throws(HubError) in
            hasMembers = true
            // Duplicate keys: the last one wins, as in the tree parser.
            if p.keyEquals(key, timestampKey) {
                timestamp = try p.value(depth: 3).intValue ?? Int64.min  // as `RecordMerge.timestamp`
            } else {
                try p.skipValue(depth: 3)
            }
        }
        return Record(timestamp: timestamp, span: start..<p.i, hasMembers: hasMembers)
    }

    /// The identity key of record `r`: the raw JSON text of `RecordMerge.identityFields`, in that order, each followed
    /// by 0x00 (absent: 0xFF). Those bytes never occur inside JSON text, and two homer nodes print equal values
    /// identically. The record was validated by `init`, so walking it again cannot fail; if it did, the whole record
    /// text would serve as the key (it still only equals an identical record).
    func identity(of r: Record) -> [UInt8] {
        var p = JSONCodec.Parser(bytes: bytes)
        p.i = r.span.lowerBound
        var spans = [Range<Int>?](repeating: nil, count: Self.identityKeys.count)
        do {
            try p.members(depth: 2) { (p: inout JSONCodec.Parser, key: Range<Int>) throws(HubError) in
                let valueStart = p.i
                try p.skipValue(depth: 3)
                if let k = Self.identityKeys.firstIndex(where: { p.keyEquals(key, $0) }) { spans[k] = valueStart..<p.i }
            }
        } catch {
            return Array(bytes[r.span])
        }
        var identity: [UInt8] = []
        identity.reserveCapacity(spans.reduce(0) { $0 + ($1?.count ?? 0) + 1 })
        for span in spans {
            if let span { identity.append(contentsOf: bytes[span]); identity.append(0x00) } else { identity.append(0xFF) }
        }
        return identity
    }

    /// Appends record `r` to `out` with `member` (the printed `"<tag>":"<node>"`) added as its last member (nil:
    /// unchanged).
    func write(_ r: Record, member: [UInt8]?, into out: inout [UInt8]) {
        guard let member else { out.append(contentsOf: bytes[r.span]); return }
        out.append(contentsOf: bytes[r.span.lowerBound..<r.span.upperBound - 1])  // without the closing brace
        if r.hasMembers { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: member)
        out.append(UInt8(ascii: "}"))
    }
}

extension JSONCodec.Parser {
    /// Walks the members of the object at `i` (which must be `{`), calling `body` with `i` at each value and the raw
    /// byte range of its key (escapes undecoded); `body` must consume the value.
    mutating func members(depth: Int, _ body: (inout Self, Range<Int>) throws(HubError) -> Void) throws(HubError) {
        guard depth < JSONCodec.maxDepth else { throw fail("nesting too deep") }
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
            let keyStart = i + 1
            try skipString()
            let key = keyStart..<(i - 1)
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            try body(&self, key)
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end in object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return }
            throw fail("expected ',' or '}'")
        }
    }

    /// Walks the elements of the array at `i` (which must be `[`); `body` must consume each element.
    mutating func elements(depth: Int, _ body: (inout Self) throws(HubError) -> Void) throws(HubError) {
        guard depth < JSONCodec.maxDepth else { throw fail("nesting too deep") }
        i += 1
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return }
        while true {
            skipSpace()
            try body(&self)
            skipSpace()
            guard i < bytes.count else { throw fail("unexpected end in array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return }
            throw fail("expected ',' or ']'")
        }
    }

    /// Validates and steps over one value without building it.
    mutating func skipValue(depth: Int) throws(HubError) {
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            try members(depth: depth) { (p: inout Self, _: Range<Int>) throws(HubError) in try p.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            try elements(depth: depth) { (p: inout Self) throws(HubError) in try p.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        default: _ = try skipNumber()
        }
    }

    /// Validates and steps over a string (at its opening quote), escapes included. Runs of plain characters are
    /// skipped eight bytes at a time (`plainRun`): a node's answer is mostly SIP payload text.
    mutating func skipString() throws(HubError) {
        i += 1
        let n = bytes.count
        while true {
            i = Self.plainRun(bytes, from: i)
            guard i < n else { break }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return }
            if c < 0x20 { throw fail("control character in string") }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < n else { break }
                switch bytes[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    i += 1
                    _ = try hex4()
                default:
                    throw fail("bad escape")
                }
                continue
            }
            i += 1
        }
        throw fail("unterminated string")
    }

    /// The first index at or after `start` whose byte ends a plain run inside a JSON string (`"`, `\`, or a control
    /// character below 0x20), or the start of the last partial 8-byte word (the caller walks that byte by byte).
    /// Tests eight bytes per step with the "has a zero byte" bit trick: `(x - 0x01…) & ~x & 0x80…` sets the high bit
    /// of each byte that is zero, and may also set it in bytes above a true hit (borrow), never below, so the lowest
    /// set bit marks the first hit exactly; bytes below 0x20 use the same trick with 0x20.
    static func plainRun(_ bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBytes { raw in
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let quotes = ones &* 0x22, backslashes = ones &* 0x5C, spaces = ones &* 0x20
            var j = start
            while j + 8 <= raw.count {
                let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
                let q = x ^ quotes, b = x ^ backslashes
                let hits = ((q &- ones) & ~q | (b &- ones) & ~b | (x &- spaces) & ~x) & highs
                if hits != 0 { return j + hits.trailingZeroBitCount / 8 }
                j += 8
            }
            return j
        }
    }

    /// Whether the raw key bytes equal `name` (keys the Hub looks for have no escapes; an escaped spelling of one
    /// is simply not recognised, as a node never sends it).
    func keyEquals(_ key: Range<Int>, _ name: [UInt8]) -> Bool {
        guard key.count == name.count else { return false }
        var j = key.lowerBound
        for b in name {
            if bytes[j] != b { return false }
            j += 1
        }
        return true
    }

    func keyEquals(_ key: Range<Int>, _ name: StaticString) -> Bool {
        name.withUTF8Buffer { keyEquals(key, Array($0)) }
    }
}
