extension RecordMerge {
    /// The outcome of merging raw node answers: which records are kept, in output order, as (node index, record
    /// index) pairs, and how many duplicates were dropped. Written out by `writeRaw`.
    struct RawSelection: Sendable {
        var kept: [(node: Int, record: Int)] = []
        var duplicates = 0
    }

    /// `mergeRecords` over raw node answers: the same order, tie-breaking, de-duplication and limit, but records stay
    /// the nodes' JSON bytes. Returns the records as one JSON array (each tagged with its node under `tag`), how many
    /// were kept and how many duplicates were dropped.
    static func mergeRaw(_ perNode: [(node: String, answer: RawSearchAnswer)], order: Order, limit: Int?,
                         tag: String? = "hub_node") -> (array: [UInt8], count: Int, duplicates: Int) {
        let selection = selectRaw(perNode, order: order, limit: limit)
        var out: [UInt8] = []
        writeRaw(selection, perNode, tag: tag, into: &out)
        return (out, selection.kept.count, selection.duplicates)
    }

    /// Orders, de-duplicates and cuts the records of raw node answers (see `mergeRaw`) without copying them.
    static func selectRaw(_ perNode: [(node: String, answer: RawSearchAnswer)], order: Order, limit: Int?) -> RawSelection {
        var all: [(ts: Int64, node: Int, record: Int)] = []
        all.reserveCapacity(perNode.reduce(0) { $0 + $1.answer.records.count })
        for (n, p) in perNode.enumerated() {
            for (r, record) in p.answer.records.enumerated() { all.append((record.timestamp, n, r)) }
        }
        // Stable: node order, then each node's own order break timestamp ties (as in `mergeRecords`).
        let indices = all.indices.sorted { a, b in
            if all[a].ts != all[b].ts { return order == .asc ? all[a].ts < all[b].ts : all[a].ts > all[b].ts }
            return a < b
        }
        var selection = RawSelection()
        selection.kept.reserveCapacity(min(all.count, limit ?? all.count))
        // Identical messages have identical timestamps (the timestamp is part of the identity), so identities are
        // built and compared only within a run of equal timestamps, which the sort made adjacent.
        var seen = Set<IdentityKey>()
        var k = 0
        while k < indices.count {
            var end = k + 1
            while end < indices.count, all[indices[end]].ts == all[indices[k]].ts { end += 1 }
            if end - k > 1 { seen.removeAll(keepingCapacity: true) }
            for i in indices[k..<end] {
                let (_, n, r) = all[i]
                if end - k > 1 {
                    let answer = perNode[n].answer
                    guard seen.insert(IdentityKey(bytes: answer.identity(of: answer.records[r]))).inserted else {
                        selection.duplicates += 1
                        continue
                    }
                }
                if let limit, selection.kept.count >= limit { continue }
                selection.kept.append((n, r))
            }
            k = end
        }
        return selection
    }

    /// Appends the selected records to `out` as one JSON array, each tagged `"<tag>": "<node>"` (tag nil: unchanged).
    static func writeRaw(_ selection: RawSelection, _ perNode: [(node: String, answer: RawSearchAnswer)], tag: String?,
                         into out: inout [UInt8]) {
        // The tag member is the same for every record of a node: printed once per node.
        let suffixes: [[UInt8]?] = perNode.map { p in
            tag.map { t in
                var s: [UInt8] = []
                JSONCodec.writeString(t, into: &s)
                s.append(UInt8(ascii: ":"))
                JSONCodec.writeString(p.node, into: &s)
                return s
            }
        }
        out.reserveCapacity(out.count + selection.kept.reduce(2) { total, pick in
            total + perNode[pick.node].answer.records[pick.record].span.count + (suffixes[pick.node]?.count ?? 0) + 2
        })
        out.append(UInt8(ascii: "["))
        for (i, pick) in selection.kept.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            let answer = perNode[pick.node].answer
            answer.write(answer.records[pick.record], member: suffixes[pick.node], into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// A record identity hashed as one block of bytes: `[UInt8]`'s own `Hashable` feeds the hasher byte by byte, which
/// made hashing the SIP payloads the largest cost of a Hub search.
struct IdentityKey: Hashable {
    let bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
