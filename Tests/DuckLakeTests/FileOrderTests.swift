import HEP
import Testing
@testable import DuckLake

/// Row order inside a data file (`LakeWriterOptions.fileOrder`).
@Suite struct FileOrderTests {
    /// Call-IDs sharing long prefixes, empty ones, non-ASCII bytes and equal timestamps: the default order is a
    /// permutation sorted by the Call-ID's bytes (unsigned, as Parquet statistics compare them), then by time. The
    /// records come in several appended batches (chunks), as the writer buffers them.
    @Test func sessionThenTimeIsAPermutationInByteOrder() {
        var rng = SystemRandomNumberGenerator()
        let ids = ["", "a", "abcdefgh", "abcdefgh1", "abcdefgh2", "abcdefgi", "é-call@x", "Z@y", "zz"]
        let records = (0..<2_000).map { i in
            HEPRecord(timestamp: Int64.random(in: 0..<50, using: &rng), sessionID: ids.randomElement(using: &rng)!,
                      protoType: 1, ipFamily: 2, transport: 17, srcIP: "10.0.0.1", dstIP: "10.0.0.2", srcPort: Int32(i),
                      dstPort: 5060, captureID: 1, payload: [])
        }
        var columns = HEPRecordColumns()
        for chunk in [Array(records[0..<700]), [], Array(records[700..<701]), Array(records[701...])] {
            columns.append(chunk)
        }
        func ordered(_ order: LakeWriterOptions.FileOrder) -> [HEPRecord] {
            LakeWriter.order(columns, order).map { $0.map { records[$0] } } ?? records
        }
        let out = ordered(.sessionThenTime)
        #expect(out.map(\.srcPort).sorted() == records.map(\.srcPort).sorted())
        for (a, b) in zip(out, out.dropFirst()) {
            let x = Array(a.sessionID.utf8), y = Array(b.sessionID.utf8)
            #expect(!y.lexicographicallyPrecedes(x))
            if x == y { #expect(a.timestamp <= b.timestamp) }
        }
        let byTime = ordered(.time)
        #expect(byTime.map(\.srcPort).sorted() == records.map(\.srcPort).sorted())
        #expect(zip(byTime, byTime.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
    }
}
