import Foundation
import Testing
@testable import Parquet

/// XXH64 against the reference test vectors and the split-block filter's guarantees.
@Suite struct BloomFilterTests {
    @Test func xxhash64MatchesReferenceVectors() {
        // Published XXH64 values for seed 0 (xxHash's sanity checks and its documentation).
        #expect(XXHash64.hash([UInt8]()) == 0xEF46_DB37_51D8_E999)
        #expect(XXHash64.hash(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(XXHash64.hash(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(XXHash64.hash(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
    }

    @Test func filterNeverForgetsAndMostlyRejects() throws {
        let n = 20_000
        var filter = SplitBlockBloomFilter(numBytes: SplitBlockBloomFilter.optimalNumBytes(distinctValues: n, fpp: 0.01))
        #expect(filter.numBytes.nonzeroBitCount == 1)
        for i in 0..<n { filter.insert(hash: SplitBlockBloomFilter.hash(.string("id-\(i)"))) }
        for i in 0..<n { #expect(filter.mightContain(.string("id-\(i)"))) }
        let fp = (0..<n).filter { filter.mightContain(.string("other-\($0)")) }.count
        #expect(Double(fp) / Double(n) < 0.02, "false-positive rate \(Double(fp) / Double(n))")
        // Serialized form parses back to the same filter.
        let parsed = try #require(try SplitBlockBloomFilter.parse(filter.serialized()))
        #expect(parsed == filter)
    }

    @Test func sizingFollowsTheSpecFormula() {
        // BloomFilter.md: ~10.5 bits per value at 1 %; 100k values → 131,072 bytes after rounding to a power of 2.
        #expect(SplitBlockBloomFilter.optimalNumBytes(distinctValues: 100_000, fpp: 0.01) == 131_072)
        #expect(SplitBlockBloomFilter.optimalNumBytes(distinctValues: 1, fpp: 0.01) == 32)
        #expect(SplitBlockBloomFilter.optimalNumBytes(distinctValues: 1_000_000, fpp: 0.01) == 2_097_152)
    }
}
