import Foundation
import HEP

extension LakeWriter {
    /// The row order of one file as indices into `columns`, nil when the rows already are in that order. Sorting
    /// works on a small key per row (an 8-byte big-endian prefix of the Call-ID, the timestamp, the row) and moves
    /// no data; Call-IDs sharing their first 8 bytes are compared in full, in the `session_id` column's bytes.
    static func order(_ columns: HEPRecordColumns, _ order: LakeWriterOptions.FileOrder) -> [Int]? {
        let times = columns.timestamp
        switch order {
        case .time:
            if zip(times, times.dropFirst()).allSatisfy({ $0 <= $1 }) { return nil }
            var idx = Array(times.indices)
            idx.sort { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
            return idx
        case .sessionThenTime:
            let ids = columns.text[HEPRecord.TextField.sessionID.rawValue]
            let offsets = ids.offsets
            var keys: [(prefix: UInt64, timestamp: Int64, index: Int)] = []
            keys.reserveCapacity(columns.rows)
            return ids.data.withUnsafeBufferPointer { d in
                for row in 0..<columns.rows {
                    let start = Int(offsets[row]), end = Int(offsets[row + 1])
                    var p: UInt64 = 0
                    for k in 0..<8 { p = p << 8 | UInt64(start + k < end ? d[start + k] : 0) }
                    keys.append((p, times[row], row))
                }
                keys.sort { a, b in
                    if a.prefix != b.prefix { return a.prefix < b.prefix }
                    let c = compareBytes(d, offsets, a.index, b.index)
                    if c != 0 { return c < 0 }
                    if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
                    return a.index < b.index
                }
                if keys.indices.allSatisfy({ keys[$0].index == $0 }) { return nil }
                return keys.map(\.index)
            }
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
