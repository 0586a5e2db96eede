/// Fetches byte ranges of a file through a `RangeReader`, merging ranges closer than a gap into one read (S3 charges
/// a round trip per GET), and counts what it read.
struct RangeFetcher {
    /// One read: its absolute start and bytes.
    struct Segment { let start: Int64; let bytes: [UInt8] }

    let source: any RangeReader
    let gap: Int
    private(set) var segments: [Segment] = []
    private(set) var bytesRead: Int64 = 0
    private(set) var requests = 0

    init(source: any RangeReader, gap: Int) {
        self.source = source
        self.gap = max(gap, 0)
    }

    /// Reads every range (absolute offset, length), coalescing neighbours: two ranges merge when the gap between
    /// them is at most `gap` bytes and at most the useful bytes of the merged read, so coalescing never more than
    /// doubles what is read.
    mutating func fetch(_ wanted: [(offset: Int64, length: Int64)]) async throws {
        let sorted = wanted.filter { $0.length > 0 }.sorted { $0.offset < $1.offset }
        var merged: [(Int64, Int64)] = []
        var useful: Int64 = 0
        for r in sorted {
            if let last = merged.last {
                let end = last.0 + last.1
                let hole = r.offset - end
                if hole <= 0 || (hole <= Int64(gap) && hole <= useful + r.length) {
                    merged[merged.count - 1].1 = max(last.1, r.offset + r.length - last.0)
                    useful += r.length
                    continue
                }
            }
            merged.append((r.offset, r.length))
            useful = r.length
        }
        for (start, length) in merged {
            guard length <= Int64(Int32.max) else { throw ParquetError(.unsupported, "read of \(length) bytes") }
            let bytes = try await source.read(offset: start, length: Int(length))
            guard bytes.count == Int(length) else { throw ParquetError(.truncated, "short read at \(start)") }
            segments.append(Segment(start: start, bytes: bytes))
            bytesRead += length
            requests += 1
        }
    }

    /// The segment holding `[offset, offset+length)` and the range's start inside it.
    func locate(_ offset: Int64, _ length: Int64) throws(ParquetError) -> (segment: Segment, start: Int) {
        for s in segments where offset >= s.start && offset + length <= s.start + Int64(s.bytes.count) {
            return (s, Int(offset - s.start))
        }
        throw ParquetError(.corruptFile, "bytes \(offset)+\(length) were not fetched (metadata inconsistent)")
    }

    /// A copy of the bytes of `[offset, offset+length)`.
    func bytes(_ offset: Int64, _ length: Int64) throws(ParquetError) -> [UInt8] {
        let (s, start) = try locate(offset, length)
        return Array(s.bytes[start..<(start + Int(length))])
    }
}
