extension RecordMerge {
    /// `mergeRecords` over raw node answers: the same order, tie-breaking, de-duplication and limit, but records stay
    /// the nodes' JSON bytes. Returns the records as one JSON array (each tagged with its node under `tag`), how many
    /// were kept and how many duplicates were dropped.
    static func mergeRaw(_ perNode: [(node: String, answer: RawSearchAnswer)], order: Order, limit: Int?,
                         tag: String? = "hub_node") -> (array: [UInt8], count: Int, duplicates: Int) {
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
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(perNode.reduce(16) { $0 + $1.answer.bytes.count })
        var count = 0, duplicates = 0
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
                let answer = perNode[n].answer
                let record = answer.records[r]
                if end - k > 1, !seen.insert(IdentityKey(bytes: answer.identity(of: record))).inserted {
                    duplicates += 1
                    continue
                }
                if let limit, count >= limit { continue }
                if count > 0 { out.append(UInt8(ascii: ",")) }
                answer.write(record, tag: tag, node: perNode[n].node, into: &out)
                count += 1
            }
            k = end
        }
        out.append(UInt8(ascii: "]"))
        return (out, count, duplicates)
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
