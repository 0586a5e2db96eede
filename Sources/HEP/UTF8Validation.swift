/// UTF-8 validation (RFC 3629 §4: no overlongs, no surrogates, nothing above U+10FFFF) with an ASCII fast path of
/// eight bytes at a time (SIP is ASCII almost always).
public enum UTF8Validation {
    /// Whether `bytes` are valid UTF-8.
    @inlinable
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i < n {
            // Skip ASCII eight bytes at a time.
            while i &+ 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i &+= 8
            }
            guard i < n else { break }
            let c = base[i]
            if c < 0x80 { i &+= 1; continue }
            let len: Int, lo: UInt8, hi: UInt8
            switch c {
            case 0xC2...0xDF: len = 2; lo = 0x80; hi = 0xBF
            case 0xE0: len = 3; lo = 0xA0; hi = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: len = 3; lo = 0x80; hi = 0xBF
            case 0xED: len = 3; lo = 0x80; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90; hi = 0xBF
            case 0xF1...0xF3: len = 4; lo = 0x80; hi = 0xBF
            case 0xF4: len = 4; lo = 0x80; hi = 0x8F
            default: return false
            }
            guard i &+ len <= n, base[i &+ 1] >= lo, base[i &+ 1] <= hi else { return false }
            var k = 2
            while k < len {
                let b = base[i &+ k]
                if b < 0x80 || b > 0xBF { return false }
                k &+= 1
            }
            i &+= len
        }
        return true
    }
}
