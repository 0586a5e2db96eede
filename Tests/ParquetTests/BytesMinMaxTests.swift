import Testing
@testable import Parquet

/// The prefix-key min/max scan for byte-array statistics must agree with plain unsigned lexicographic order
/// (Swift's `lexicographicallyPrecedes` on `[UInt8]` is the judge), including zero bytes, shared 8- and 16-byte prefixes
/// and values that are prefixes of others.
@Suite struct BytesMinMaxTests {
    @Test func agreesWithLexicographicOrder() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x00, 0x01, 0x61, 0x62, 0x7f, 0x80, 0xff]
        for _ in 0..<300 {
            let count = Int.random(in: 1...40, using: &rng)
            let shared = (0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let values: [[UInt8]] = (0..<count).map { _ in
                let tail = (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                return Array(shared.prefix(Int.random(in: 0...shared.count, using: &rng))) + tail
            }
            let b = ByteArrays(values)
            let lower = Int.random(in: 0..<count, using: &rng)
            let range = lower..<Int.random(in: (lower + 1)...count, using: &rng)
            let (lo, hi) = ColumnChunkEncoder.bytesMinMax(b, range)
            let slice = Array(values[range])
            let expectedMin = slice.min { $0.lexicographicallyPrecedes($1) }!
            let expectedMax = slice.max { $0.lexicographicallyPrecedes($1) }!
            #expect(lo.map { values[$0] } == expectedMin, "\(slice)")
            #expect(hi.map { values[$0] } == expectedMax, "\(slice)")
            // The positions form (dictionary pages pass each distinct value's first position, in any order).
            let (plo, phi) = ColumnChunkEncoder.bytesMinMax(b, positions: Array(range).shuffled(using: &rng))
            #expect(plo.map { values[$0] } == expectedMin, "\(slice)")
            #expect(phi.map { values[$0] } == expectedMax, "\(slice)")
        }
        #expect(ColumnChunkEncoder.bytesMinMax(ByteArrays([[1]]), 0..<0) == (nil, nil))
    }
}
