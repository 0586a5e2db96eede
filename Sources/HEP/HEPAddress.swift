/// An IPv4 or IPv6 address as carried by HEP chunks 0x0003–0x0006 and by pcap IP headers.
public enum HEPAddress: Sendable, Hashable, CustomStringConvertible {
    /// IPv4, the four octets in network order packed big-endian into a `UInt32` (`10.0.0.1` = `0x0A000001`).
    case v4(UInt32)
    /// IPv6, the sixteen octets in network order: `high` holds octets 0–7 big-endian, `low` octets 8–15.
    case v6(high: UInt64, low: UInt64)

    /// The address family number as HEP chunk 0x0001 writes it (2 = IPv4, 10 = IPv6).
    public var family: UInt8 {
        switch self {
        case .v4: 2
        case .v6: 10
        }
    }

    /// The address in network byte order (4 or 16 bytes).
    public var bytes: [UInt8] {
        switch self {
        case .v4(let a):
            return [UInt8(a >> 24), UInt8(truncatingIfNeeded: a >> 16), UInt8(truncatingIfNeeded: a >> 8),
                    UInt8(truncatingIfNeeded: a)]
        case .v6(let hi, let lo):
            var out = [UInt8](repeating: 0, count: 16)
            for i in 0..<8 {
                out[i] = UInt8(truncatingIfNeeded: hi >> (56 - 8 * UInt64(i)))
                out[8 + i] = UInt8(truncatingIfNeeded: lo >> (56 - 8 * UInt64(i)))
            }
            return out
        }
    }

    /// Textual form: dotted quad for IPv4, RFC 5952 canonical form for IPv6 (lower case, leading zeros dropped,
    /// the longest run of two or more zero groups — the first one on ties — written `::`, IPv4-mapped addresses as
    /// `::ffff:a.b.c.d` per RFC 5952 §5).
    public var description: String {
        String(unsafeUninitializedCapacity: Self.maxTextLength) { format(into: $0.baseAddress!) }
    }

    /// Longest text: a full IPv6 address (8 groups of 4 hex digits and 7 colons).
    @usableFromInline static let maxTextLength = 39

    /// Calls `body` with the UTF-8 bytes of `description`, formatted on the stack (no `String`).
    @inlinable @inline(__always)
    func withText<R>(_ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxTextLength) { buf in
            let n = format(into: buf.baseAddress!)
            return try body(UnsafeBufferPointer(start: buf.baseAddress, count: n))
        }
    }

    /// Writes the text form (dotted quad; RFC 5952 for IPv6) to `out` (≥ `maxTextLength` bytes), returns its length.
    @usableFromInline
    func format(into out: UnsafeMutablePointer<UInt8>) -> Int {
        switch self {
        case .v4(let a):
            return Self.dotted(a, out)
        case .v6(let hi, let lo):
            // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
            if hi == 0 && (lo >> 32) == 0xffff {
                for (k, c) in "::ffff:".utf8.enumerated() { out[k] = c }
                return 7 + Self.dotted(UInt32(truncatingIfNeeded: lo), out + 7)
            }
            @inline(__always) func group(_ i: Int) -> UInt16 {
                UInt16(truncatingIfNeeded: (i < 4 ? hi : lo) >> (48 - 16 * UInt64(i & 3)))
            }
            // RFC 5952 §4.2: the longest run (≥ 2) of zero groups is shortened, the first one on ties.
            var bestStart = -1, bestLen = 0, i = 0
            while i < 8 {
                if group(i) == 0 {
                    var j = i
                    while j < 8 && group(j) == 0 { j += 1 }
                    if j - i > bestLen { bestStart = i; bestLen = j - i }
                    i = j
                } else {
                    i += 1
                }
            }
            if bestLen < 2 { bestStart = -1 }
            let digits: StaticString = "0123456789abcdef"
            var n = 0
            i = 0
            while i < 8 {
                if i == bestStart {
                    out[n] = 0x3a; out[n + 1] = 0x3a; n += 2
                    i += bestLen
                    continue
                }
                if n > 0 && out[n - 1] != 0x3a { out[n] = 0x3a; n += 1 }
                let g = group(i)
                var shift = 12
                while shift > 0 && (g >> UInt16(shift)) == 0 { shift -= 4 }
                while shift >= 0 {
                    out[n] = digits.utf8Start[Int((g >> UInt16(shift)) & 0xf)]
                    n += 1
                    shift -= 4
                }
                i += 1
            }
            return n
        }
    }

    private static func dotted(_ a: UInt32, _ buf: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        @inline(__always) func octet(_ v: UInt32) {
            let o = Int(v & 0xff)
            if o >= 100 { buf[n] = UInt8(48 + o / 100); n += 1 }
            if o >= 10 { buf[n] = UInt8(48 + (o / 10) % 10); n += 1 }
            buf[n] = UInt8(48 + o % 10)
            n += 1
        }
        octet(a >> 24); buf[n] = 0x2e; n += 1
        octet(a >> 16); buf[n] = 0x2e; n += 1
        octet(a >> 8); buf[n] = 0x2e; n += 1
        octet(a)
        return n
    }

    /// Parses a textual IPv4 (dotted quad) or IPv6 address (any RFC 4291 §2.2 form, including `::` and a trailing
    /// dotted quad). Returns nil when the text is not an address.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        if !u.contains(UInt8(ascii: ":")) {
            guard let v = Self.parseV4(u[...]) else { return nil }
            self = .v4(v)
            return
        }
        guard let (hi, lo) = Self.parseV6(u) else { return nil }
        self = .v6(high: hi, low: lo)
    }

    private static func parseV4(_ u: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0, part: UInt32 = 0, digits = 0, parts = 0
        for c in u {
            if c == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                part = 0; digits = 0; parts += 1
            } else if c >= 48 && c <= 57 {
                part = part * 10 + UInt32(c - 48)
                digits += 1
                guard digits <= 3, part <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | part
    }

    private static func parseV6(_ u: [UInt8]) -> (UInt64, UInt64)? {
        var head: [UInt16] = [], tail: [UInt16] = []
        var sawGap = false
        var i = 0
        if u.starts(with: [58, 58]) { sawGap = true; i = 2 }
        while i < u.count {
            // A trailing dotted quad takes the last two groups.
            var j = i
            while j < u.count && u[j] != 58 { j += 1 }
            let field = u[i..<j]
            if field.contains(UInt8(ascii: ".")) {
                guard j == u.count, let v4 = parseV4(field) else { return nil }
                let pair = [UInt16(v4 >> 16), UInt16(truncatingIfNeeded: v4)]
                if sawGap { tail += pair } else { head += pair }
                i = j
                break
            }
            guard !field.isEmpty, field.count <= 4 else { return nil }
            var g: UInt16 = 0
            for c in field {
                let d: UInt8
                switch c {
                case 48...57: d = c - 48
                case 97...102: d = c - 87
                case 65...70: d = c - 55
                default: return nil
                }
                g = g << 4 | UInt16(d)
            }
            if sawGap { tail.append(g) } else { head.append(g) }
            if j == u.count { i = j; break }
            // j points at ':'
            if j + 1 < u.count && u[j + 1] == 58 {
                guard !sawGap else { return nil }
                sawGap = true
                i = j + 2
            } else {
                guard j + 1 < u.count else { return nil }
                i = j + 1
            }
        }
        let total = head.count + tail.count
        if sawGap { guard total < 8 else { return nil } } else { guard total == 8 else { return nil } }
        let groups = head + [UInt16](repeating: 0, count: 8 - total) + tail
        var hi: UInt64 = 0, lo: UInt64 = 0
        for k in 0..<4 { hi = hi << 16 | UInt64(groups[k]) }
        for k in 4..<8 { lo = lo << 16 | UInt64(groups[k]) }
        return (hi, lo)
    }
}
