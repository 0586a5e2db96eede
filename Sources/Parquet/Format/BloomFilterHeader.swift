/// parquet.thrift `BloomFilterHeader` (BloomFilter.md): precedes the bitset of a split-block bloom filter.
/// The algorithm, hash and compression are unions whose only members today are BLOCK, XXHASH and UNCOMPRESSED
/// (field 1 each, an empty struct); any other member makes the filter unusable for us, recorded as `false`.
struct BloomFilterHeader: ThriftStruct, Hashable {
    /// Size of the bitset in bytes.
    var numBytes: Int32
    /// `BloomFilterAlgorithm.BLOCK` (split-block).
    var algorithmIsBlock: Bool
    /// `BloomFilterHash.XXHASH` (XXH64, seed 0).
    var hashIsXXHash: Bool
    /// `BloomFilterCompression.UNCOMPRESSED`.
    var isUncompressed: Bool

    init(numBytes: Int32, algorithmIsBlock: Bool = true, hashIsXXHash: Bool = true, isUncompressed: Bool = true) {
        self.numBytes = numBytes
        self.algorithmIsBlock = algorithmIsBlock
        self.hashIsXXHash = hashIsXXHash
        self.isUncompressed = isUncompressed
    }

    /// True when this module can probe the filter.
    var isSupported: Bool { algorithmIsBlock && hashIsXXHash && isUncompressed && numBytes > 0 }

    init(from r: inout ThriftCompactReader) throws(ParquetError) {
        var numBytes: Int32?, block: Bool?, xx: Bool?, plain: Bool?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            switch f.id {
            case 1: try r.expect(f.type, .i32, "BloomFilterHeader.numBytes"); numBytes = try r.readI32()
            case 2: try r.expect(f.type, .struct, "BloomFilterHeader.algorithm"); block = try Self.unionIsFirst(&r)
            case 3: try r.expect(f.type, .struct, "BloomFilterHeader.hash"); xx = try Self.unionIsFirst(&r)
            case 4: try r.expect(f.type, .struct, "BloomFilterHeader.compression"); plain = try Self.unionIsFirst(&r)
            default: try r.skip(f.type)
            }
        }
        r.structEnd()
        guard let numBytes, let block, let xx, let plain, numBytes >= 0 else {
            throw ParquetError(.malformedThrift, "BloomFilterHeader incomplete")
        }
        self.init(numBytes: numBytes, algorithmIsBlock: block, hashIsXXHash: xx, isUncompressed: plain)
    }

    /// Reads a union of empty structs; true when its member is field 1.
    private static func unionIsFirst(_ r: inout ThriftCompactReader) throws(ParquetError) -> Bool {
        var member: Int16?
        try r.structBegin()
        while let f = try r.fieldHeader() {
            member = f.id
            try r.skip(f.type)
        }
        r.structEnd()
        return member == 1
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.structBegin()
        w.writeI32(1, numBytes)
        for (id, first) in [(Int16(2), algorithmIsBlock), (3, hashIsXXHash), (4, isUncompressed)] {
            w.fieldHeader(id, .struct)
            w.structBegin()
            w.writeEmptyStruct(first ? 1 : 2)
            w.structEnd()
        }
        w.structEnd()
    }
}
