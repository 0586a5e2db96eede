/// Truncation of byte-array statistics (research notes §2.8): a min may be cut to a prefix (still ≤ every value);
/// a max must be cut and then *incremented* so it stays ≥ every value. Both are then inexact
/// (`is_min/max_value_exact = false`). For STRING columns the cut respects UTF-8 boundaries and the increment works
/// on code points, so the bounds stay valid UTF-8 (DuckDB drops statistics that are not).
enum StatisticsTruncation {
    /// A prefix of at most `length` bytes, and whether it is the whole value.
    static func truncateMin(_ v: [UInt8], length: Int, utf8: Bool) -> (bytes: [UInt8], exact: Bool) {
        guard v.count > length else { return (v, true) }
        var cut = max(length, 0)
        if utf8 { while cut > 0 && v[cut] & 0xC0 == 0x80 { cut -= 1 } }
        return (Array(v[..<cut]), false)
    }

    /// A value ≥ `v` of about `length` bytes, and whether it is `v` itself. When no shorter upper bound exists
    /// (all 0xFF bytes, or U+10FFFF), the untruncated value is returned as exact.
    static func truncateMax(_ v: [UInt8], length: Int, utf8: Bool) -> (bytes: [UInt8], exact: Bool) {
        guard v.count > length, length > 0 else { return (v, true) }
        if utf8 {
            var cut = length
            while cut > 0 && v[cut] & 0xC0 == 0x80 { cut -= 1 }
            let prefix = Array(v[..<cut])
            var scalars = Array(String(decoding: prefix, as: UTF8.self).unicodeScalars)
            // Only trust the code-point path when the prefix is valid UTF-8 (round-trips).
            if Array(String(String.UnicodeScalarView(scalars)).utf8) == prefix {
                while let last = scalars.popLast() {
                    var next = last.value + 1
                    if next >= 0xD800 && next <= 0xDFFF { next = 0xE000 }
                    if let s = Unicode.Scalar(next) {
                        scalars.append(s)
                        return (Array(String(String.UnicodeScalarView(scalars)).utf8), false)
                    }
                }
                return (v, true)
            }
        }
        var prefix = Array(v[..<length])
        while let last = prefix.last {
            if last < 0xFF {
                prefix[prefix.count - 1] = last + 1
                return (prefix, false)
            }
            prefix.removeLast()
        }
        return (v, true)
    }
}
