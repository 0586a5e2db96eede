import Foundation

/// Parquet's split-block bloom filter (parquet-format BloomFilter.md).
///
/// The bitset is `numBlocks` blocks of 256 bits (eight little-endian u32 words). A value's XXH64 hash `h` selects a
/// block with its upper 32 bits, `((h >> 32) * numBlocks) >> 32`, and in each of the eight words sets the bit
/// `(lower32(h) * salt[i]) >> 27`. A lookup checks the same eight bits: all set means "maybe present", any clear
/// means "certainly absent".
///
/// Sizing (BloomFilter.md "Sizing"): for `n` distinct values and false-positive rate `p`, the bit count is
/// `m = -8n / ln(1 - p^(1/8))`, rounded up to a power-of-two number of bytes (≈ 10 bits/value for 1 %).
public struct SplitBlockBloomFilter: Sendable, Hashable {
    private static let salt: [UInt32] = [0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d,
                                         0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31]
    /// Smallest filter written (one block).
    public static let minimumBytes = 32
    /// Largest filter written (parquet-mr's cap).
    public static let maximumBytes = 128 * 1024 * 1024

    /// The bitset as u32 words (block-major).
    private(set) var words: [UInt32]

    /// Number of 32-byte blocks.
    public var numBlocks: Int { words.count / 8 }
    /// Size of the bitset in bytes.
    public var numBytes: Int { words.count * 4 }

    /// An empty filter of `numBytes` bytes (rounded up to a power of two, clamped to the limits).
    public init(numBytes: Int) {
        var n = Self.minimumBytes
        while n < numBytes && n < Self.maximumBytes { n <<= 1 }
        words = [UInt32](repeating: 0, count: n / 4)
    }

    /// The bitset size for `distinctValues` values at false-positive rate `fpp`.
    public static func optimalNumBytes(distinctValues: Int, fpp: Double) -> Int {
        let p = min(max(fpp, 1e-9), 0.5)
        let bits = -8.0 * Double(max(distinctValues, 1)) / log(1.0 - pow(p, 1.0 / 8.0))
        let bytes = Int(min(bits / 8.0, Double(maximumBytes)).rounded(.up))
        var n = minimumBytes
        while n < bytes && n < maximumBytes { n <<= 1 }
        return n
    }

    /// Wraps a bitset read from a file (its length must be a positive multiple of 32 bytes).
    public init(bitset: [UInt8]) throws(ParquetError) {
        guard !bitset.isEmpty, bitset.count % 32 == 0 else {
            throw ParquetError(.corruptFile, "bloom filter bitset of \(bitset.count) bytes is not a multiple of 32")
        }
        words = [UInt32](repeating: 0, count: bitset.count / 4)
        for i in 0..<words.count {
            words[i] = UInt32(bitset[4 * i]) | UInt32(bitset[4 * i + 1]) << 8
                | UInt32(bitset[4 * i + 2]) << 16 | UInt32(bitset[4 * i + 3]) << 24
        }
    }

    /// Parses a serialized filter: Thrift `BloomFilterHeader` followed by the bitset. Returns nil when the filter
    /// uses an algorithm, hash or compression other than BLOCK/XXHASH/UNCOMPRESSED (then it cannot prune).
    public static func parse(_ bytes: [UInt8]) throws(ParquetError) -> SplitBlockBloomFilter? {
        let (header, headerLength) = try BloomFilterHeader.decode(bytes)
        guard header.isSupported else { return nil }
        let end = headerLength + Int(header.numBytes)
        guard end <= bytes.count else {
            throw ParquetError(.truncated, "bloom filter bitset needs \(header.numBytes) bytes, \(bytes.count - headerLength) present")
        }
        return try SplitBlockBloomFilter(bitset: Array(bytes[headerLength..<end]))
    }

    @inline(__always)
    private func blockIndex(_ hash: UInt64) -> Int {
        Int(((hash >> 32) &* UInt64(numBlocks)) >> 32)
    }

    /// Adds a hash.
    public mutating func insert(hash: UInt64) {
        let base = blockIndex(hash) * 8
        let key = UInt32(truncatingIfNeeded: hash)
        words.withUnsafeMutableBufferPointer { w in
            for i in 0..<8 { w[base + i] |= 1 << ((key &* Self.salt[i]) >> 27) }
        }
    }

    /// False only when the hash was certainly never inserted.
    public func mightContain(hash: UInt64) -> Bool {
        let base = blockIndex(hash) * 8
        let key = UInt32(truncatingIfNeeded: hash)
        for i in 0..<8 where words[base + i] & (1 << ((key &* Self.salt[i]) >> 27)) == 0 { return false }
        return true
    }

    /// False only when `value` is certainly absent. `value` must be of the column's physical type
    /// (dates as `.int32`, timestamps as `.int64`, strings as `.bytes`).
    public func mightContain(_ value: ParquetValue) -> Bool {
        mightContain(hash: Self.hash(value))
    }

    /// XXH64 of the value's PLAIN encoding without length prefix (BloomFilter.md).
    public static func hash(_ value: ParquetValue) -> UInt64 {
        switch value {
        case .boolean(let b): XXHash64.hash([b ? 1 : 0] as [UInt8])
        case .int32(let v): XXHash64.hash(littleEndian: v)
        case .int64(let v): XXHash64.hash(littleEndian: v)
        case .double(let v): XXHash64.hash(littleEndian: v.bitPattern)
        case .bytes(let b): XXHash64.hash(b)
        }
    }

    /// The filter as stored in a file: Thrift header then the little-endian bitset.
    func serialized() -> [UInt8] {
        var out = BloomFilterHeader(numBytes: Int32(numBytes)).thriftBytes()
        out.reserveCapacity(out.count + numBytes)
        for w in words {
            out.append(UInt8(truncatingIfNeeded: w))
            out.append(UInt8(truncatingIfNeeded: w >> 8))
            out.append(UInt8(truncatingIfNeeded: w >> 16))
            out.append(UInt8(truncatingIfNeeded: w >> 24))
        }
        return out
    }
}
