import Foundation
import HEP

extension LakeWriter {
    /// The row order of one file: `c << 32 | i` for record `chunks[c][i]`, in `order`. Sorting works on a small key
    /// per record (an 8-byte big-endian prefix of the Call-ID, the timestamp, the arrival index) and never moves a
    /// record; Call-IDs sharing their first 8 bytes are compared in full, from one contiguous copy of the Call-IDs.
    static func order(_ chunks: [[HEPRecord]], _ order: LakeWriterOptions.FileOrder) -> [UInt64] {
        var positions: [UInt64] = []
        positions.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
        for c in chunks.indices {
            for i in chunks[c].indices { positions.append(UInt64(c) << 32 | UInt64(i)) }
        }
        switch order {
        case .time:
            var times: [Int64] = []
            times.reserveCapacity(positions.count)
            for chunk in chunks {
                chunk.withUnsafeBufferPointer { rs in for i in 0..<rs.count { times.append(rs[i].timestamp) } }
            }
            if zip(times, times.dropFirst()).allSatisfy({ $0 <= $1 }) { return positions }
            var idx = Array(positions.indices)
            idx.sort { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
            return idx.map { positions[$0] }
        case .sessionThenTime:
            // The Call-IDs back to back (one batch call into HEP per chunk: no record copies).
            var data: [UInt8] = []
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(positions.count + 1)
            for chunk in chunks {
                var validity = [Bool](repeating: true, count: chunk.count)
                _ = HEPRecord.appendColumn(.sessionID, of: chunk, data: &data, offsets: &offsets, validity: &validity)
            }
            var keys: [(prefix: UInt64, timestamp: Int64, index: Int)] = []
            keys.reserveCapacity(positions.count)
            data.withUnsafeBufferPointer { d in
                var row = 0
                for chunk in chunks {
                    chunk.withUnsafeBufferPointer { rs in
                        for i in 0..<rs.count {
                            let start = Int(offsets[row]), end = Int(offsets[row + 1])
                            var p: UInt64 = 0
                            for k in 0..<8 { p = p << 8 | UInt64(start + k < end ? d[start + k] : 0) }
                            keys.append((p, rs[i].timestamp, row))
                            row += 1
                        }
                    }
                }
                keys.sort { a, b in
                    if a.prefix != b.prefix { return a.prefix < b.prefix }
                    let c = compareBytes(d, offsets, a.index, b.index)
                    if c != 0 { return c < 0 }
                    if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
                    return a.index < b.index
                }
            }
            return keys.map { positions[$0.index] }
        }
    }

    /// Unsigned byte order of values `a` and `b` of a byte column (Parquet's order for statistics of strings),
    /// -1 / 0 / 1.
    @inline(__always)
    static func compareBytes(_ d: UnsafeBufferPointer<UInt8>, _ offsets: [Int32], _ a: Int, _ b: Int) -> Int {
        let sa = Int(offsets[a]), la = Int(offsets[a + 1]) - sa
        let sb = Int(offsets[b]), lb = Int(offsets[b + 1]) - sb
        let n = min(la, lb)
        if n > 0, let base = d.baseAddress {
            let c = memcmp(base + sa, base + sb, n)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return la == lb ? 0 : (la < lb ? -1 : 1)
    }
}
