import Foundation
import HEP

extension LakeWriter {
    /// The records of one file in `order`. Sorting works on a small key per record (an 8-byte big-endian prefix of
    /// the Call-ID, the timestamp, the index) and copies each record once at the end, so a batch costs one pass of
    /// key extraction plus a sort of plain integers; Call-IDs sharing their first 8 bytes are compared in full.
    static func ordered(_ records: [HEPRecord], _ order: LakeWriterOptions.FileOrder) -> [HEPRecord] {
        switch order {
        case .time:
            if zip(records, records.dropFirst()).allSatisfy({ $0.timestamp <= $1.timestamp }) { return records }
            return records.sorted { $0.timestamp < $1.timestamp }
        case .sessionThenTime:
            var keys: [(prefix: UInt64, timestamp: Int64, index: Int)] = []
            keys.reserveCapacity(records.count)
            for (i, r) in records.enumerated() {
                let prefix = r.withUTF8(.sessionID) { bytes -> UInt64 in
                    guard let bytes else { return 0 }
                    var p: UInt64 = 0
                    for k in 0..<8 { p = p << 8 | UInt64(k < bytes.count ? bytes[k] : 0) }
                    return p
                }
                keys.append((prefix, r.timestamp, i))
            }
            keys.sort { a, b in
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let c = compareSessionIDs(records[a.index], records[b.index])
                if c != 0 { return c < 0 }
                if a.timestamp != b.timestamp { return a.timestamp < b.timestamp }
                return a.index < b.index
            }
            return keys.map { records[$0.index] }
        }
    }

    /// Unsigned byte order of the Call-IDs (Parquet's order for statistics of strings), -1 / 0 / 1.
    static func compareSessionIDs(_ a: HEPRecord, _ b: HEPRecord) -> Int {
        a.withUTF8(.sessionID) { x in
            b.withUTF8(.sessionID) { y in
                let x = x ?? UnsafeBufferPointer(start: nil, count: 0), y = y ?? UnsafeBufferPointer(start: nil, count: 0)
                let n = min(x.count, y.count)
                if n > 0, let px = x.baseAddress, let py = y.baseAddress {
                    let c = memcmp(px, py, n)
                    if c != 0 { return c < 0 ? -1 : 1 }
                }
                return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
            }
        }
    }
}
