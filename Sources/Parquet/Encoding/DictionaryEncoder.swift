import Foundation

/// Dictionary builders for RLE_DICTIONARY (Encodings.md §Dictionary encoding): each distinct value gets the next
/// index; data pages hold the indices, the dictionary page the distinct values in PLAIN encoding.
///
/// Both tables are open-addressing hash tables over contiguous storage (no per-value allocation). The byte-array
/// table is keyed on the value bytes with a caller-supplied XXH64 hash, which the writer also reuses for the
/// bloom filter.

/// Dictionary for fixed-width values, keyed by their 64-bit pattern.
struct FixedWidthDictionary {
    private(set) var values: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int = 1024) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = [Int32](repeating: -1, count: n)
        mask = n - 1
    }

    var count: Int { values.count }

    /// The index of `key`, inserting it when new.
    @inline(__always)
    mutating func index(of key: UInt64) -> UInt32 {
        var h = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while true {
            let s = slots[h]
            if s < 0 {
                let idx = Int32(values.count)
                slots[h] = idx
                values.append(key)
                if values.count * 2 > slots.count { grow() }
                return UInt32(idx)
            }
            if values[Int(s)] == key { return UInt32(s) }
            h = (h + 1) & mask
        }
    }

    private mutating func grow() {
        let n = slots.count * 2
        slots = [Int32](repeating: -1, count: n)
        mask = n - 1
        for (i, key) in values.enumerated() {
            var h = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
            while slots[h] >= 0 { h = (h + 1) & mask }
            slots[h] = Int32(i)
        }
    }
}

/// Dictionary for byte arrays; distinct values are kept in one `ByteArrays`.
struct ByteArrayDictionary {
    private(set) var values = ByteArrays()
    /// XXH64 of each distinct value, in index order (reused for bloom filters).
    private(set) var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    /// Size of the dictionary page in PLAIN encoding (4-byte length + bytes per value).
    private(set) var plainSize = 0

    init(capacity: Int = 1024) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = [Int32](repeating: -1, count: n)
        mask = n - 1
    }

    var count: Int { values.count }

    /// The index of the bytes `source[range]` with hash `hash`, inserting them when new.
    @inline(__always)
    mutating func index(of source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64) -> UInt32 {
        var h = Int(truncatingIfNeeded: hash) & mask
        let len = range.count
        while true {
            let s = slots[h]
            if s < 0 {
                let idx = Int32(values.count)
                slots[h] = idx
                values.append(UnsafeBufferPointer(rebasing: source[range]))
                hashes.append(hash)
                plainSize += 4 + len
                if values.count * 2 > slots.count { grow() }
                return UInt32(idx)
            }
            let i = Int(s)
            if hashes[i] == hash && values.length(at: i) == len && equal(i, source, range) { return UInt32(s) }
            h = (h + 1) & mask
        }
    }

    @inline(__always)
    private func equal(_ i: Int, _ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let start = Int(values.offsets[i])
        return values.data.withUnsafeBufferPointer { d in
            memcmpBytes(d.baseAddress! + start, source.baseAddress! + range.lowerBound, range.count)
        }
    }

    private mutating func grow() {
        let n = slots.count * 2
        slots = [Int32](repeating: -1, count: n)
        mask = n - 1
        for (i, hash) in hashes.enumerated() {
            var h = Int(truncatingIfNeeded: hash) & mask
            while slots[h] >= 0 { h = (h + 1) & mask }
            slots[h] = Int32(i)
        }
    }
}

/// Byte equality of two buffers of `count` bytes.
@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    memcmp(a, b, count) == 0
}
