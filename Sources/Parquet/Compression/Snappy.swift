/// The raw Snappy block format (google/snappy format_description.txt), as Parquet's SNAPPY codec uses it: a varint
/// of the uncompressed length, then elements tagged by their low two bits:
///
///     00 literal   length-1 in the upper 6 bits (60…63: length-1 follows in 1…4 LE bytes)
///     01 copy      length 4…11 in bits 2–4, offset 11 bits (bits 5–7 high, next byte low)
///     10 copy      length 1…64 in the upper 6 bits, 2-byte LE offset
///     11 copy      length 1…64 in the upper 6 bits, 4-byte LE offset
///
/// Our compressor is a greedy single-hash-probe matcher over 64 KiB fragments, like the reference implementation's
/// framing, so every offset fits the 1- or 2-byte forms. The decompressor checks every length and offset.
enum Snappy {
    /// Largest compressed size for `n` input bytes (reference bound: 32 + n + n/6).
    static func maxCompressedLength(_ n: Int) -> Int { 32 + n + n / 6 }

    private static let fragmentSize = 1 << 16
    private static let hashBits = 14

    /// Appends the compressed form of `input` to `out`.
    static func compress(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let start = out.count
        let bound = maxCompressedLength(input.count)
        out.reserveCapacity(start + bound)
        out.append(contentsOf: repeatElement(0, count: bound))
        let written = out.withUnsafeMutableBufferPointer { compress([input], to: $0.baseAddress! + start) }
        out.removeLast(bound - written)
    }

    /// Compresses the concatenation of `parts` (one logical input, e.g. a page's encoded lengths followed by the
    /// value bytes still in the caller's buffer) into `dst`, which must have room for
    /// `maxCompressedLength(total)` bytes; returns the compressed size. The output is byte-identical to compressing
    /// the concatenated input: fragments are compressed independently, and the few that straddle two parts are
    /// first gathered into a 64 KiB buffer, so the parts themselves are never concatenated.
    static func compress(_ parts: [UnsafeRawBufferPointer], to dst: UnsafeMutablePointer<UInt8>) -> Int {
        let n = parts.reduce(0) { $0 + $1.count }
        let dstCount = maxCompressedLength(n)
        var op = 0
        var len = UInt64(n)
        while len >= 0x80 {
            dst[op] = UInt8(truncatingIfNeeded: len) | 0x80
            op += 1
            len >>= 7
        }
        dst[op] = UInt8(len)
        op += 1
        guard n > 0 else { return op }
        // 16-bit positions relative to the fragment start: 32 KiB of table stays in L1 (a 64 KiB Int32 table
        // missed L1 on most probes, the largest cost in a perf profile of the writer).
        let table = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: 1 << hashBits)
        defer { table.deallocate() }
        var gather: UnsafeMutablePointer<UInt8>?
        defer { gather?.deallocate() }
        var part = 0, offset = 0   // position of the next fragment: byte `offset` of `parts[part]`
        var remaining = n
        while remaining > 0 {
            while offset == parts[part].count {
                part += 1
                offset = 0
            }
            let fragment = min(fragmentSize, remaining)
            let here = parts[part].count - offset
            let base = parts[part].baseAddress!.assumingMemoryBound(to: UInt8.self)
            if here >= fragment {
                op = compressFragment(base + offset, fragment, readable: here, dst, op, table, dstCount: dstCount)
                offset += fragment
            } else {
                // A fragment across parts: gather it (rare: at most once per part boundary).
                let g = gather ?? UnsafeMutablePointer<UInt8>.allocate(capacity: fragmentSize)
                gather = g
                var filled = 0
                while filled < fragment {
                    while offset == parts[part].count {
                        part += 1
                        offset = 0
                    }
                    let take = min(fragment - filled, parts[part].count - offset)
                    (g + filled).update(from: parts[part].baseAddress!.assumingMemoryBound(to: UInt8.self) + offset,
                                        count: take)
                    filled += take
                    offset += take
                }
                op = compressFragment(g, fragment, readable: fragment, dst, op, table, dstCount: dstCount)
            }
            remaining -= fragment
        }
        return op
    }

    @inline(__always)
    private static func load32(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt32.self))
    }

    @inline(__always)
    private static func load64(_ p: UnsafePointer<UInt8>, _ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    private static func hash(_ v: UInt32) -> Int {
        Int((v &* 0x1E35_A7BD) >> UInt32(32 - hashBits))
    }

    /// Compresses the `count` bytes at `src` (one fragment, ≤ 64 KiB); `readable` bytes from `src` may be read (the
    /// literal fast path reads up to 16 bytes at a time and may run past the fragment, never past `readable`).
    private static func compressFragment(_ src: UnsafePointer<UInt8>, _ count: Int, readable srcCount: Int,
                                         _ dst: UnsafeMutablePointer<UInt8>, _ opIn: Int,
                                         _ table: UnsafeMutableBufferPointer<UInt16>, dstCount: Int) -> Int {
        let base = 0, end = count
        // Slop for the literal fast path: copying 16 bytes at once may read past `end` (never past the input) and
        // write past the literal (never past the output buffer, and later elements overwrite it).
        var op = opIn
        var nextEmit = base
        if end - base >= 16 {
            // Reset per fragment (copies never cross fragments). An empty slot reads as position `base`, which is
            // always before `ip` and is verified by the 4-byte compare like any other candidate.
            table.update(repeating: 0)
            let ipLimit = end - 4
            var ip = base + 1
            while ip < ipLimit {
                let v = load32(src, ip)
                let h = hash(v)
                let candidate = base &+ Int(table[h])
                table[h] = UInt16(truncatingIfNeeded: ip &- base)
                if load32(src, candidate) == v {
                    let from = candidate
                    if ip &- nextEmit <= 16 && nextEmit &+ 16 <= srcCount && op &+ 17 <= dstCount {
                        op = emitShortLiteral(src, nextEmit, ip, dst, op)
                    } else {
                        op = emitLiteral(src, nextEmit, ip, dst, op)
                    }
                    var p = ip &+ 4
                    var m = from &+ 4
                    // Extend the match 8 bytes at a time; the first differing byte is the lowest set bit of the XOR
                    // (little-endian loads).
                    var extending = true
                    while extending && p &+ 8 <= end {
                        let x = load64(src, p) ^ load64(src, m)
                        if x == 0 {
                            p &+= 8
                            m &+= 8
                        } else {
                            p &+= x.trailingZeroBitCount &>> 3
                            extending = false
                        }
                    }
                    if extending {
                        while p < end && src[p] == src[m] {
                            p &+= 1
                            m &+= 1
                        }
                    }
                    op = emitCopy(offset: ip &- from, length: p &- ip, dst, op)
                    // Seed the table with the position just before the end so runs keep matching.
                    if p &- 1 < ipLimit { table[hash(load32(src, p &- 1))] = UInt16(truncatingIfNeeded: p &- 1 &- base) }
                    ip = p
                    nextEmit = p
                } else {
                    // Skip faster through incompressible data (the reference heuristic: 1 + gap/32).
                    ip &+= 1 &+ ((ip &- nextEmit) &>> 5)
                }
            }
        }
        return emitLiteral(src, nextEmit, end, dst, op)
    }

    /// A literal of 1…16 bytes (one tag byte) copied as two 8-byte words instead of a `memmove` call: SIP payloads
    /// are mostly short literals between copies. The caller guarantees 16 readable bytes at `from` and 17 writable
    /// bytes at `opIn`.
    @inline(__always)
    private static func emitShortLiteral(_ src: UnsafePointer<UInt8>, _ from: Int, _ to: Int,
                                         _ dst: UnsafeMutablePointer<UInt8>, _ opIn: Int) -> Int {
        let len = to &- from
        guard len > 0 else { return opIn }
        dst[opIn] = UInt8(truncatingIfNeeded: (len &- 1) &<< 2)
        let s = UnsafeRawPointer(src + from)
        let d = UnsafeMutableRawPointer(dst + opIn + 1)
        d.storeBytes(of: s.loadUnaligned(as: UInt64.self), as: UInt64.self)
        (d + 8).storeBytes(of: (s + 8).loadUnaligned(as: UInt64.self), as: UInt64.self)
        return opIn &+ 1 &+ len
    }

    @inline(__always)
    private static func emitLiteral(_ src: UnsafePointer<UInt8>, _ from: Int, _ to: Int,
                                    _ dst: UnsafeMutablePointer<UInt8>, _ opIn: Int) -> Int {
        let len = to - from
        guard len > 0 else { return opIn }
        var op = opIn
        let n = len - 1
        if n < 60 {
            dst[op] = UInt8(n << 2)
            op += 1
        } else {
            var bytes = 1
            while bytes < 4 && n >= 1 << (8 * bytes) { bytes += 1 }
            dst[op] = UInt8((59 + bytes) << 2)
            op += 1
            for i in 0..<bytes { dst[op + i] = UInt8(truncatingIfNeeded: n >> (8 * i)) }
            op += bytes
        }
        (dst + op).update(from: src + from, count: len)
        return op + len
    }

    @inline(__always)
    private static func emitCopy(offset: Int, length: Int, _ dst: UnsafeMutablePointer<UInt8>, _ opIn: Int) -> Int {
        var op = opIn
        var len = length
        // Long matches: 64-byte copies, keeping at least 4 bytes for the last element.
        while len >= 68 {
            op = emitCopy2(offset, 64, dst, op)
            len -= 64
        }
        if len > 64 {
            op = emitCopy2(offset, 60, dst, op)
            len -= 60
        }
        if len <= 11 && offset < 2048 {
            dst[op] = UInt8(truncatingIfNeeded: 1 | ((len &- 4) &<< 2) | ((offset &>> 8) &<< 5))
            dst[op &+ 1] = UInt8(truncatingIfNeeded: offset)
            return op &+ 2
        }
        return emitCopy2(offset, len, dst, op)
    }

    @inline(__always)
    private static func emitCopy2(_ offset: Int, _ len: Int, _ dst: UnsafeMutablePointer<UInt8>, _ op: Int) -> Int {
        dst[op] = UInt8(truncatingIfNeeded: 2 | ((len &- 1) &<< 2))
        dst[op &+ 1] = UInt8(truncatingIfNeeded: offset)
        dst[op &+ 2] = UInt8(truncatingIfNeeded: offset &>> 8)
        return op &+ 3
    }

    /// The uncompressed length announced by a compressed buffer's preamble.
    static func uncompressedLength(_ input: UnsafeRawBufferPointer) throws(ParquetError) -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for i in 0..<min(input.count, 5) {
            let b = input[i]
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return Int(value) }
            shift += 7
        }
        throw ParquetError(.compression, "snappy: bad length preamble")
    }

    /// Decompresses a raw Snappy block; throws unless it expands to exactly `expectedSize` bytes (when given).
    static func decompress(_ input: UnsafeRawBufferPointer, expectedSize: Int? = nil) throws(ParquetError) -> [UInt8] {
        var ip = 0
        var total: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard ip < input.count, shift < 35 else { throw ParquetError(.compression, "snappy: bad length preamble") }
            let b = input[ip]
            ip += 1
            total |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        guard total <= UInt32.max else { throw ParquetError(.compression, "snappy: length \(total) too large") }
        let n = Int(total)
        if let expectedSize, expectedSize != n {
            throw ParquetError(.compression, "snappy: block says \(n) bytes, page says \(expectedSize)")
        }
        // Bound the allocation: a Snappy element expands at most 64x (a 1-byte literal tag covers 1 byte;
        // a 2-byte copy 64 bytes), so a tiny input cannot claim gigabytes.
        guard n <= (input.count - ip) &* 64 + 64 else {
            throw ParquetError(.compression, "snappy: length \(n) impossible for \(input.count) input bytes")
        }
        var out = [UInt8](repeating: 0, count: n)
        var failure: ParquetError?
        out.withUnsafeMutableBufferPointer { dst in
            var op = 0
            let src = input
            while ip < src.count {
                let tag = src[ip]
                ip += 1
                var len: Int
                var offset: Int
                switch tag & 3 {
                case 0:
                    len = Int(tag >> 2)
                    if len >= 60 {
                        let bytes = len - 59
                        guard ip + bytes <= src.count else { failure = ParquetError(.compression, "snappy: truncated literal length"); return }
                        len = 0
                        for i in 0..<bytes { len |= Int(src[ip + i]) << (8 * i) }
                        ip += bytes
                    }
                    len += 1
                    guard len <= src.count - ip, len <= n - op else {
                        failure = ParquetError(.compression, "snappy: literal overruns")
                        return
                    }
                    (dst.baseAddress! + op).update(from: src.baseAddress!.assumingMemoryBound(to: UInt8.self) + ip,
                                                   count: len)
                    ip += len
                    op += len
                    continue
                case 1:
                    guard ip < src.count else { failure = ParquetError(.compression, "snappy: truncated copy"); return }
                    len = 4 + Int((tag >> 2) & 7)
                    offset = Int(tag >> 5) << 8 | Int(src[ip])
                    ip += 1
                case 2:
                    guard ip + 2 <= src.count else { failure = ParquetError(.compression, "snappy: truncated copy"); return }
                    len = 1 + Int(tag >> 2)
                    offset = Int(src[ip]) | Int(src[ip + 1]) << 8
                    ip += 2
                default:
                    guard ip + 4 <= src.count else { failure = ParquetError(.compression, "snappy: truncated copy"); return }
                    len = 1 + Int(tag >> 2)
                    offset = Int(src[ip]) | Int(src[ip + 1]) << 8 | Int(src[ip + 2]) << 16 | Int(src[ip + 3]) << 24
                    ip += 4
                }
                guard offset > 0, offset <= op, len <= n - op else {
                    failure = ParquetError(.compression, "snappy: bad copy (offset \(offset), length \(len) at \(op))")
                    return
                }
                let p = dst.baseAddress!
                if offset >= len {
                    (p + op).update(from: p + op - offset, count: len)
                } else {
                    for i in 0..<len { p[op + i] = p[op - offset + i] }
                }
                op += len
            }
            if op != n { failure = ParquetError(.compression, "snappy: produced \(op) of \(n) bytes") }
        }
        if let failure { throw failure }
        return out
    }
}
