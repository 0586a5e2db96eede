/// Extracts the SIP columns of one message (RFC 3261 §7) as byte ranges of the payload, straight into a record's
/// `HEPRecordSlots`: no allocation, one pass over the header section, one pass over each URI.
///
/// What is accepted, and why:
/// - header names are case-insensitive (§7.3.1) and may be followed by spaces before the colon (HCOLON, §25.1);
/// - compact forms `i` (Call-ID), `f` (From), `t` (To) (§7.3.3, §20);
/// - folded header values (a line starting with SP/HT continues the previous header, §7.3.1);
/// - bare LF line ends (seen from some agents) as well as CRLF;
/// - the first occurrence of a header wins; parsing stops at the empty line before the body.
/// A payload whose start line is not a SIP request or status line yields no fields.
enum SIPParser {
    static let sp: UInt8 = 0x20, ht: UInt8 = 0x09, cr: UInt8 = 0x0d, lf: UInt8 = 0x0a, colon: UInt8 = 0x3a
    static let lt: UInt8 = 0x3c, gt: UInt8 = 0x3e, semi: UInt8 = 0x3b, at: UInt8 = 0x40, question: UInt8 = 0x3f

    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5a) ? c | 0x20 : c }

    @inline(__always)
    static func isWS(_ c: UInt8) -> Bool { c == sp || c == ht || c == cr || c == lf }

    /// Case-insensitive comparison of `b[start..<end]` with an ASCII lower-case literal.
    @inline(__always)
    static func equalsLower(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ lit: StaticString) -> Bool {
        let n = lit.utf8CodeUnitCount
        guard end &- start == n else { return false }
        let l = lit.utf8Start
        for k in 0..<n where lower(b[start &+ k]) != l[k] { return false }
        return true
    }

    /// Index of the next `byte` in `b[from..<to]`, or `to`. Eight bytes at a time, inline: header lines are ~40
    /// bytes, where a `memchr` call cost more (sampling put it at ~12 % of decode + SIP) than the scan itself.
    /// Words are read up to the end of `b` (not just `to`) and hits past `to` ignored, so short ranges rarely fall
    /// back to the byte loop.
    @inline(__always)
    static func find(_ b: UnsafeBufferPointer<UInt8>, _ byte: UInt8, _ from: Int, _ to: Int) -> Int {
        guard from < to, let base = b.baseAddress else { return to }
        let raw = UnsafeRawPointer(base)
        let limit = b.count
        let pattern = UInt64(byte) &* ones
        var k = from
        while k < to {
            if k &+ 8 <= limit {
                // Zero-byte test on x ^ pattern: the lowest flagged byte is exact (borrows only run upwards).
                let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)) ^ pattern
                let hit = (x &- ones) & ~x & highs
                if hit != 0 { return min(k &+ hit.trailingZeroBitCount >> 3, to) }
                k &+= 8
            } else {
                if base[k] == byte { return k }
                k &+= 1
            }
        }
        return to
    }

    static let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
    static let lows7: UInt64 = 0x7f7f_7f7f_7f7f_7f7f

    /// Index of the next byte of `b[from..<to]` in 0x3a…0x40 (`:` `;` `<` `=` `>` `?` `@`, the URI delimiters), or
    /// with `spaces` also ≤ 0x20; `to` when none. Eight bytes at a time (the "has between" / "has less" word tests:
    /// the lowest flagged byte is always exact; bytes ≥ 0x80 are never flagged). Callers check the byte found.
    @inline(__always)
    static func nextDelimiter(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, spaces: Bool) -> Int {
        guard from < to, let base = b.baseAddress else { return to }
        let raw = UnsafeRawPointer(base)
        let limit = b.count
        var k = from
        while k < to {
            if k &+ 8 <= limit {
                let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
                let x7 = x & lows7
                // Bytes strictly between 0x39 and 0x41.
                var hit = ((ones &* (127 + 0x41)) &- x7) & ~x & (x7 &+ ones &* (127 - 0x39)) & highs
                if spaces { hit |= (x &- ones &* 0x21) & ~x & highs } // bytes < 0x21
                if hit != 0 { return min(k &+ hit.trailingZeroBitCount >> 3, to) }
                k &+= 8
            } else {
                let c = base[k]
                if c &- colon <= at &- colon || (spaces && c <= sp) { return k }
                k &+= 1
            }
        }
        return to
    }

    /// Index of the next byte of `b[from..<to]` that is `;`, `,` or ≤ 0x20 (where a parameter value may end), or
    /// `to`; eight bytes at a time like `nextDelimiter`. Callers check the byte found.
    @inline(__always)
    static func nextParamEnd(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        guard from < to, let base = b.baseAddress else { return to }
        let raw = UnsafeRawPointer(base)
        let limit = b.count
        var k = from
        while k < to {
            if k &+ 8 <= limit {
                let x = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
                let s = x ^ (ones &* 0x3b), c = x ^ (ones &* 0x2c)
                let hit = ((x &- ones &* 0x21) & ~x | (s &- ones) & ~s | (c &- ones) & ~c) & highs
                if hit != 0 { return min(k &+ hit.trailingZeroBitCount >> 3, to) }
                k &+= 8
            } else {
                let c = base[k]
                if c == semi || c == 0x2c || c <= sp { return k }
                k &+= 1
            }
        }
        return to
    }

    /// RFC 3261 §25.1 token characters (used to validate the method).
    @inline(__always)
    static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5a, 0x61...0x7a: return true
        case 0x2d, 0x2e, 0x21, 0x25, 0x2a, 0x5f, 0x2b, 0x60, 0x27, 0x7e: return true
        default: return false
        }
    }

    /// Header kinds already seen (first occurrence wins).
    private static let seenCallID: UInt32 = 1, seenFrom: UInt32 = 2, seenTo: UInt32 = 4, seenUA: UInt32 = 8
    private static let seenServer: UInt32 = 16, seenALeg: UInt32 = 32

    /// Lower-case first letters of the headers we extract, as bits (letter − 0x40): c(all-id, seq) i f(rom) t(o)
    /// u(ser-agent) s(erver).
    private static let wantedFirst: UInt64 = (1 << (0x63 - 0x40)) | (1 << (0x69 - 0x40)) | (1 << (0x66 - 0x40))
        | (1 << (0x74 - 0x40)) | (1 << (0x75 - 0x40)) | (1 << (0x73 - 0x40))

    typealias Slot = HEPRecord.TextField

    /// Parses `b` into `slots` (method, R-URI parts, Call-ID, CSeq method, From/To parts and tags, User-Agent or
    /// Server, A-leg header), `responseCode` and `cseqNumber`. Returns false, touching nothing, when the start line is
    /// not SIP. The A-leg names come from `options` (lower-cased, with length and first-letter masks).
    static func parse(_ b: UnsafeBufferPointer<UInt8>, options: HEPOptions,
                      slots: inout HEPRecordSlots, responseCode: inout Int32?, cseqNumber: inout Int64?) -> Bool {
        let n = b.count
        guard n >= 12 else { return false }
        // Start line (§7.1 Request-Line / §7.2 Status-Line).
        let lineEnd0 = find(b, lf, 0, n)
        var firstEnd = lineEnd0
        if firstEnd > 0 && b[firstEnd - 1] == cr { firstEnd -= 1 }
        if equalsLower(b, 0, 4, "sip/") {
            // "SIP/2.0 200 OK"
            let sp1 = find(b, sp, 0, firstEnd)
            guard sp1 + 4 <= firstEnd else { return false }
            var code: Int32 = 0
            for k in 1...3 {
                let c = b[sp1 + k]
                guard c >= 0x30 && c <= 0x39 else { return false }
                code = code * 10 + Int32(c - 0x30)
            }
            guard sp1 + 4 == firstEnd || b[sp1 + 4] == sp else { return false }
            responseCode = code
        } else {
            let sp1 = find(b, sp, 0, firstEnd)
            guard sp1 > 0, sp1 <= 32, sp1 < firstEnd else { return false }
            for k in 0..<sp1 where !isTokenChar(b[k]) { return false }
            let uriStart = sp1 + 1
            let sp2 = find(b, sp, uriStart, firstEnd)
            guard sp2 > uriStart, sp2 + 5 <= firstEnd else { return false }
            guard equalsLower(b, sp2 + 1, sp2 + 5, "sip/") else { return false }
            slots.setSpan(Slot.method.rawValue, 0, sp1, folded: false)
            let parts = uri(b, uriStart, sp2, stopAtGT: false)
            if parts.userLower >= 0 { slots.setSpan(Slot.ruriUser.rawValue, parts.userLower, parts.userUpper, folded: false) }
            if parts.hostLower >= 0 { slots.setSpan(Slot.ruriDomain.rawValue, parts.hostLower, parts.hostUpper, folded: false) }
        }
        // First letters (lower case, 0x40–0x7f) of the A-leg names as a bit set; a name starting with any other byte
        // disables the shortcut below.
        let aLegFirst = options.aLegFirstMask, aLegOddFirst = options.aLegOddFirst
        let aLegLengths = options.aLegLengthMask
        let firstMask = wantedFirst | aLegFirst
        var seen: UInt32 = 0
        var serverLower = 0, serverUpper = 0, serverFolded = false
        // Header lines.
        var i = lineEnd0 + 1
        while i < n {
            let lineStart = i
            var nl = find(b, lf, i, n)
            var end = nl
            if end > lineStart && b[end - 1] == cr { end -= 1 }
            if end == lineStart { break } // empty line: end of headers
            // Folding: continuation lines start with SP/HT.
            var folded = false
            while nl + 1 < n && (b[nl + 1] == sp || b[nl + 1] == ht) {
                folded = true
                nl = find(b, lf, nl + 1, n)
                end = nl
                if b[end - 1] == cr { end -= 1 }
            }
            i = nl + 1
            // Dispatch on the first two letters: most lines (Via, Max-Forwards, Contact, Content-Type, Allow,
            // Authorization, Route …) are skipped here, before the colon is looked for.
            let first = lower(b[lineStart])
            if !aLegOddFirst {
                guard first >= 0x40 && first < 0x80 && firstMask & (1 << UInt64(first - 0x40)) != 0 else { continue }
                if aLegFirst & (1 << UInt64(first - 0x40)) == 0 {
                    let second = lineStart + 1 < end ? lower(b[lineStart + 1]) : 0
                    switch first {
                    case 0x63: guard second == 0x61 || second == 0x73 else { continue } // ca(ll-id), cs(eq)
                    case 0x73: guard second == 0x65 else { continue } // se(rver)
                    case 0x75: guard second == 0x73 else { continue } // us(er-agent)
                    default: break // f, t, i: compact forms, the colon decides
                    }
                }
            }
            let colonAt = find(b, colon, lineStart, end)
            guard colonAt < end else { continue } // not a header line: skip it
            var nameEnd = colonAt
            while nameEnd > lineStart && (b[nameEnd - 1] == sp || b[nameEnd - 1] == ht) { nameEnd -= 1 }
            let len = nameEnd - lineStart
            guard len > 0 else { continue }
            // Which header, decided on (first letter, name length) before the name is compared or the value trimmed.
            var header: UInt32 = 0
            var isCSeq = false
            switch first {
            case 0x63: // c
                if len == 7 { if seen & seenCallID == 0 && equalsLower(b, lineStart, nameEnd, "call-id") { header = seenCallID } }
                else if len == 4 && cseqNumber == nil && equalsLower(b, lineStart, nameEnd, "cseq") { isCSeq = true }
            case 0x69: // i
                if len == 1 && seen & seenCallID == 0 { header = seenCallID }
            case 0x66: // f
                if seen & seenFrom == 0 && (len == 1 || (len == 4 && equalsLower(b, lineStart, nameEnd, "from"))) {
                    header = seenFrom
                }
            case 0x74: // t
                if seen & seenTo == 0 && (len == 1 || (len == 2 && equalsLower(b, lineStart, nameEnd, "to"))) {
                    header = seenTo
                }
            case 0x75: // u
                if len == 10 && seen & seenUA == 0 && equalsLower(b, lineStart, nameEnd, "user-agent") { header = seenUA }
            case 0x73: // s
                if len == 6 && seen & seenServer == 0 && equalsLower(b, lineStart, nameEnd, "server") { header = seenServer }
            default:
                break
            }
            var aLeg = false
            if seen & seenALeg == 0 && len < 64 && aLegLengths & (1 << UInt64(len)) != 0 {
                for name in options.aLegNamesLower where name.count == len {
                    var same = true
                    for k in 0..<len where lower(b[lineStart + k]) != name[k] { same = false; break }
                    if same { aLeg = true; break }
                }
            }
            guard header != 0 || isCSeq || aLeg else { continue }
            var vs = colonAt + 1
            while vs < end && isWS(b[vs]) { vs += 1 }
            var ve = end
            while ve > vs && isWS(b[ve - 1]) { ve -= 1 }
            seen |= header
            switch header {
            case seenCallID:
                slots.setSpan(Slot.sessionID.rawValue, vs, ve, folded: folded)
            case seenFrom:
                nameAddr(b, vs, ve, folded: folded, user: Slot.fromUser, host: Slot.fromDomain, tag: Slot.fromTag,
                         slots: &slots)
            case seenTo:
                nameAddr(b, vs, ve, folded: folded, user: Slot.toUser, host: Slot.toDomain, tag: Slot.toTag,
                         slots: &slots)
            case seenUA:
                slots.setSpan(Slot.userAgent.rawValue, vs, ve, folded: folded)
            case seenServer:
                serverLower = vs; serverUpper = ve; serverFolded = folded
            default:
                if isCSeq { parseCSeq(b, vs, ve, slots: &slots, cseqNumber: &cseqNumber) }
            }
            if aLeg {
                seen |= seenALeg
                slots.setSpan(Slot.correlationID.rawValue, vs, ve, folded: folded)
            }
        }
        if seen & seenUA == 0 && seen & seenServer != 0 {
            slots.setSpan(Slot.userAgent.rawValue, serverLower, serverUpper, folded: serverFolded)
        }
        return true
    }

    /// CSeq: 1*DIGIT LWS Method (§20.16). A value without digits leaves the CSeq unset (a later CSeq may set it).
    private static func parseCSeq(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
                                  slots: inout HEPRecordSlots, cseqNumber: inout Int64?) {
        var k = start
        var num: Int64 = 0
        var digits = 0
        while k < end, b[k] >= 0x30 && b[k] <= 0x39, digits < 18 {
            num = num * 10 + Int64(b[k] - 0x30)
            k += 1
            digits += 1
        }
        guard digits > 0 else { return }
        cseqNumber = num
        while k < end && isWS(b[k]) { k += 1 }
        var e = k
        while e < end && isTokenChar(b[e]) { e += 1 }
        if e > k { slots.setSpan(Slot.cseqMethod.rawValue, k, e, folded: false) }
    }

    // MARK: name-addr / URI

    /// From/To value (§20.20, §20.39): `[display-name] <URI> *(;param)` or `addr-spec *(;param)`; stores the URI's
    /// user and host and the `tag` parameter.
    @inline(__always)
    static func nameAddr(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, folded: Bool, user: Slot,
                         host: Slot, tag: Slot, slots: inout HEPRecordSlots) {
        var k = start
        while k < end && isWS(b[k]) { k += 1 }
        // A quoted display name may contain '<' and escaped quotes.
        var scan = k
        if scan < end && b[scan] == 0x22 {
            scan += 1
            while scan < end && b[scan] != 0x22 {
                if b[scan] == 0x5c { scan += 1 }
                scan += 1
            }
            scan = min(scan + 1, end)
        }
        while scan < end && b[scan] != lt { scan += 1 }
        let parts: URIParts
        var paramsStart: Int
        if scan < end {
            // name-addr: the URI ends at the first '>' (every scan in `uri` stops there), then the parameters.
            parts = uri(b, scan + 1, end, stopAtGT: true)
            var g = parts.next
            while g < end && b[g] != gt { g += 1 }
            paramsStart = min(g + 1, end)
        } else {
            // addr-spec without brackets: header parameters start at the first ';' (§20.10).
            var e = k
            while e < end && b[e] != semi && !isWS(b[e]) { e += 1 }
            parts = uri(b, k, e, stopAtGT: false)
            paramsStart = e
        }
        if parts.userLower >= 0 { slots.setSpan(user.rawValue, parts.userLower, parts.userUpper, folded: folded) }
        if parts.hostLower >= 0 { slots.setSpan(host.rawValue, parts.hostLower, parts.hostUpper, folded: folded) }
        // ;tag=value (case-insensitive parameter name).
        var p = paramsStart
        while p < end {
            while p < end && b[p] != semi { p += 1 }
            guard p < end else { break }
            var q = p + 1
            while q < end && isWS(b[q]) { q += 1 }
            if q + 4 <= end && lower(b[q]) == 0x74 && lower(b[q + 1]) == 0x61 && lower(b[q + 2]) == 0x67 {
                var v = q + 3
                while v < end && isWS(b[v]) { v += 1 }
                if v < end && b[v] == 0x3d {
                    v += 1
                    while v < end && isWS(b[v]) { v += 1 }
                    var e = v
                    while true {
                        e = nextParamEnd(b, e, end)
                        guard e < end else { break }
                        let x = b[e]
                        if x == semi || x == 0x2c || isWS(x) { break }
                        e += 1
                    }
                    slots.setSpan(tag.rawValue, v, e, folded: folded)
                    return
                }
            }
            p += 1
        }
    }

    /// User and host ranges of a URI (lower −1 when absent) and where scanning stopped (never past the first '>'
    /// when `stopAtGT`).
    struct URIParts {
        var userLower = -1, userUpper = -1, hostLower = -1, hostUpper = -1
        var next: Int
    }

    /// User and host of a SIP/SIPS URI (§19.1.1) or the number of a tel URI (RFC 3966) in `b[start..<end]`; other
    /// schemes give nothing. With `stopAtGT` the URI ends at the first '>' (a name-addr whose '>' is not searched
    /// separately).
    @inline(__always)
    static func uri(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, stopAtGT: Bool) -> URIParts {
        // Scheme.
        var c = start
        while c < end && b[c] != colon && !(stopAtGT && b[c] == gt) { c += 1 }
        guard c < end && b[c] == colon else { return URIParts(next: c) }
        let s = c + 1
        let schemeLength = c - start
        if schemeLength == 3 && equalsLower(b, start, c, "tel") {
            var e = s
            while e < end && b[e] != semi && b[e] != question && !(stopAtGT && b[e] == gt) { e += 1 }
            var parts = URIParts(next: e)
            if e > s { parts.userLower = s; parts.userUpper = e }
            return parts
        }
        guard (schemeLength == 3 && equalsLower(b, start, c, "sip"))
                || (schemeLength == 4 && equalsLower(b, start, c, "sips")) else {
            return URIParts(next: c)
        }
        var parts = URIParts(next: s)
        // userinfo ends at '@' (it cannot appear unescaped in hostport or parameters); the user ends at ':' or ';'.
        var q = s
        var userEnd = -1
        while true {
            // All five delimiters lie in 0x3a…0x40 (':' ';' '<' '=' '>' '?' '@').
            q = nextDelimiter(b, q, end, spaces: false)
            guard q < end else { break }
            let x = b[q]
            if x == at || x == question || x == gt { break }
            if userEnd < 0 && (x == colon || x == semi) { userEnd = q }
            q += 1
        }
        var hs = s
        if q < end && b[q] == at {
            parts.userLower = s
            parts.userUpper = userEnd < 0 ? q : userEnd
            hs = q + 1
        }
        var he: Int
        if hs < end && b[hs] == 0x5b { // IPv6 reference [..]
            hs += 1
            he = hs
            while he < end && b[he] != 0x5d && !(stopAtGT && b[he] == gt) { he += 1 }
        } else {
            he = hs
            while true {
                he = nextDelimiter(b, he, end, spaces: true)
                guard he < end else { break }
                let x = b[he]
                if x == colon || x == semi || x == question || x == gt || isWS(x) { break }
                he += 1
            }
        }
        if he > hs { parts.hostLower = hs; parts.hostUpper = he }
        parts.next = he
        return parts
    }
}
