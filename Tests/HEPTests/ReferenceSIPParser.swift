#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@testable import HEP

/// The SIP parser of commit 420ec96 (before the one-pass rewrite), kept verbatim as the reference the optimised
/// `SIPParser` must agree with on every input (`SIPParserAgreementTests`). It was itself judged by the hand-written
/// expectations of `SIPExtractionTests`.
struct ReferenceSIPMessage {
    /// Request method (requests only).
    var method: Range<Int>?
    /// Request-URI (requests only).
    var requestURI: Range<Int>?
    /// Status code (responses only).
    var statusCode: Int32?
    var callID: Range<Int>?
    var cseqNumber: Int64?
    var cseqMethod: Range<Int>?
    var from: Range<Int>?
    var to: Range<Int>?
    var userAgent: Range<Int>?
    var server: Range<Int>?
    /// Value of the first A-leg correlation header found (index into the option list decides nothing: first present).
    var aLeg: Range<Int>?

    static let sp: UInt8 = 0x20, ht: UInt8 = 0x09, cr: UInt8 = 0x0d, lf: UInt8 = 0x0a, colon: UInt8 = 0x3a

    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5a) ? c | 0x20 : c }

    @inline(__always)
    static func isWS(_ c: UInt8) -> Bool { c == sp || c == ht || c == cr || c == lf }

    /// Case-insensitive comparison of `b[r]` with an ASCII lower-case literal given as bytes.
    @inline(__always)
    static func equalsLower(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ lit: StaticString) -> Bool {
        let n = lit.utf8CodeUnitCount
        guard end - start == n else { return false }
        let l = lit.utf8Start
        for k in 0..<n where lower(b[start + k]) != l[k] { return false }
        return true
    }

    /// Index of the next `byte` in `b[from..<to]`, or `to`.
    @inline(__always)
    static func find(_ b: UnsafeBufferPointer<UInt8>, _ byte: UInt8, _ from: Int, _ to: Int) -> Int {
        guard from < to, let base = b.baseAddress else { return to }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return to }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
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

    /// Parses `b`. `aLegNames` are the A-leg header names as lower-case UTF-8.
    /// `aLegLengths` has bit n set when some A-leg name is n bytes long: most header lines are then rejected without
    /// touching the name arrays.
    init?(_ b: UnsafeBufferPointer<UInt8>, aLegNames: [[UInt8]], aLegLengths: UInt64) {
        let n = b.count
        guard n >= 12 else { return nil }
        // Start line (§7.1 Request-Line / §7.2 Status-Line).
        let lineEnd0 = Self.find(b, Self.lf, 0, n)
        var firstEnd = lineEnd0
        if firstEnd > 0 && b[firstEnd - 1] == Self.cr { firstEnd -= 1 }
        if Self.equalsLower(b, 0, 4, "sip/") {
            // "SIP/2.0 200 OK"
            let sp1 = Self.find(b, Self.sp, 0, firstEnd)
            guard sp1 + 4 <= firstEnd else { return nil }
            var code: Int32 = 0
            for k in 1...3 {
                let c = b[sp1 + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                code = code * 10 + Int32(c - 0x30)
            }
            guard sp1 + 4 == firstEnd || b[sp1 + 4] == Self.sp else { return nil }
            statusCode = code
        } else {
            let sp1 = Self.find(b, Self.sp, 0, firstEnd)
            guard sp1 > 0, sp1 <= 32, sp1 < firstEnd else { return nil }
            for k in 0..<sp1 where !Self.isTokenChar(b[k]) { return nil }
            let uriStart = sp1 + 1
            let sp2 = Self.find(b, Self.sp, uriStart, firstEnd)
            guard sp2 > uriStart, sp2 + 5 <= firstEnd else { return nil }
            guard Self.equalsLower(b, sp2 + 1, sp2 + 5, "sip/") else { return nil }
            method = 0..<sp1
            requestURI = uriStart..<sp2
        }
        // First letters (lower case, 0x40–0x7f) of the A-leg names as a bit set; a name starting with any other byte
        // disables the shortcut below.
        var aLegFirst: UInt64 = 0
        var aLegOddFirst = false
        for name in aLegNames {
            guard let f = name.first else { continue }
            if f >= 0x40 && f < 0x80 { aLegFirst |= 1 << UInt64(f - 0x40) } else { aLegOddFirst = true }
        }
        // Lower-case first letters of the headers we extract: c(all-id, seq) i f(rom) t(o) u(ser-agent) s(erver).
        let wanted: UInt64 = (1 << (0x63 - 0x40)) | (1 << (0x69 - 0x40)) | (1 << (0x66 - 0x40)) | (1 << (0x74 - 0x40))
            | (1 << (0x75 - 0x40)) | (1 << (0x73 - 0x40))
        let firstMask = wanted | aLegFirst
        // Header lines.
        var i = lineEnd0 + 1
        while i < n {
            let lineStart = i
            var nl = Self.find(b, Self.lf, i, n)
            var end = nl
            if end > lineStart && b[end - 1] == Self.cr { end -= 1 }
            if end == lineStart { break } // empty line: end of headers
            // Folding: continuation lines start with SP/HT.
            while nl + 1 < n && (b[nl + 1] == Self.sp || b[nl + 1] == Self.ht) {
                nl = Self.find(b, Self.lf, nl + 1, n)
                end = nl
                if b[end - 1] == Self.cr { end -= 1 }
            }
            i = nl + 1
            // First-byte dispatch: most lines (Via, Contact, Max-Forwards, Allow, Authorization, Route …) are
            // skipped here without looking for the colon or trimming the value.
            let first = Self.lower(b[lineStart])
            if !aLegOddFirst && !(first >= 0x40 && first < 0x80 && firstMask & (1 << UInt64(first - 0x40)) != 0) {
                continue
            }
            // Header names are short: a plain loop beats a memchr call here.
            var colon = lineStart
            while colon < end && b[colon] != Self.colon { colon += 1 }
            guard colon < end else { continue } // not a header line: skip it
            var nameEnd = colon
            while nameEnd > lineStart && (b[nameEnd - 1] == Self.sp || b[nameEnd - 1] == Self.ht) { nameEnd -= 1 }
            var vs = colon + 1
            while vs < end && Self.isWS(b[vs]) { vs += 1 }
            var ve = end
            while ve > vs && Self.isWS(b[ve - 1]) { ve -= 1 }
            let value = vs..<ve
            let len = nameEnd - lineStart
            guard len > 0 else { continue }
            switch Self.lower(b[lineStart]) {
            case 0x63: // c
                if len == 7, callID == nil, Self.equalsLower(b, lineStart, nameEnd, "call-id") { callID = value }
                else if len == 4, cseqNumber == nil, Self.equalsLower(b, lineStart, nameEnd, "cseq") { parseCSeq(b, value) }
            case 0x69: // i
                if len == 1, callID == nil { callID = value }
            case 0x66: // f
                if len == 1 || (len == 4 && Self.equalsLower(b, lineStart, nameEnd, "from")), from == nil { from = value }
            case 0x74: // t
                if len == 1 || (len == 2 && Self.equalsLower(b, lineStart, nameEnd, "to")), to == nil { to = value }
            case 0x75: // u
                if len == 10, userAgent == nil, Self.equalsLower(b, lineStart, nameEnd, "user-agent") { userAgent = value }
            case 0x73: // s
                if len == 6, server == nil, Self.equalsLower(b, lineStart, nameEnd, "server") { server = value }
            default:
                break
            }
            if aLeg == nil && len < 64 && aLegLengths & (1 << UInt64(len)) != 0 {
                for name in aLegNames where name.count == len {
                    var same = true
                    for k in 0..<len where Self.lower(b[lineStart + k]) != name[k] { same = false; break }
                    if same { aLeg = value; break }
                }
            }
        }
    }

    /// CSeq: 1*DIGIT LWS Method (§20.16).
    private mutating func parseCSeq(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
        var k = r.lowerBound
        var num: Int64 = 0
        var digits = 0
        while k < r.upperBound, b[k] >= 0x30 && b[k] <= 0x39, digits < 18 {
            num = num * 10 + Int64(b[k] - 0x30)
            k += 1
            digits += 1
        }
        guard digits > 0 else { return }
        cseqNumber = num
        while k < r.upperBound && Self.isWS(b[k]) { k += 1 }
        var e = k
        while e < r.upperBound && Self.isTokenChar(b[e]) { e += 1 }
        if e > k { cseqMethod = k..<e }
    }

    // MARK: name-addr / URI helpers

    /// From/To value (§20.20, §20.39): `[display-name] <URI> *(;param)` or `addr-spec *(;param)`.
    /// Returns the URI range and the `tag` parameter range.
    static func nameAddr(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (uri: Range<Int>, tag: Range<Int>?) {
        var k = r.lowerBound
        let end = r.upperBound
        while k < end && isWS(b[k]) { k += 1 }
        var uri: Range<Int>
        var paramsStart: Int
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
        let lt = find(b, 0x3c, scan, end)
        if lt < end {
            let gt = find(b, 0x3e, lt + 1, end)
            uri = (lt + 1)..<gt
            paramsStart = min(gt + 1, end)
        } else {
            // addr-spec without brackets: header parameters start at the first ';' (§20.10).
            var e = k
            while e < end && b[e] != 0x3b && !isWS(b[e]) { e += 1 }
            uri = k..<e
            paramsStart = e
        }
        // ;tag=value (case-insensitive parameter name).
        var tag: Range<Int>?
        var p = paramsStart
        while p < end {
            let semi = find(b, 0x3b, p, end)
            guard semi < end else { break }
            var q = semi + 1
            while q < end && isWS(b[q]) { q += 1 }
            if q + 4 <= end && equalsLower(b, q, q + 3, "tag") {
                var v = q + 3
                while v < end && isWS(b[v]) { v += 1 }
                if v < end && b[v] == 0x3d {
                    v += 1
                    while v < end && isWS(b[v]) { v += 1 }
                    var e = v
                    while e < end && b[e] != 0x3b && b[e] != 0x2c && !isWS(b[e]) { e += 1 }
                    tag = v..<e
                    break
                }
            }
            p = semi + 1
        }
        return (uri, tag)
    }

    /// User and host of a SIP/SIPS URI (§19.1.1) or the number of a tel URI (RFC 3966). Other schemes give nils.
    static func uriParts(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (user: Range<Int>?, host: Range<Int>?) {
        let end = r.upperBound
        let colon = find(b, ReferenceSIPMessage.colon, r.lowerBound, end)
        guard colon < end else { return (nil, nil) }
        let start = colon + 1
        if equalsLower(b, r.lowerBound, colon, "tel") {
            var e = start
            while e < end && b[e] != 0x3b && b[e] != 0x3f { e += 1 }
            return (e > start ? start..<e : nil, nil)
        }
        guard equalsLower(b, r.lowerBound, colon, "sip") || equalsLower(b, r.lowerBound, colon, "sips") else {
            return (nil, nil)
        }
        // userinfo ends at '@'; '@' cannot appear later in hostport, params or headers unescaped except in headers.
        var hostStart = start
        var user: Range<Int>?
        var q = start
        while q < end && b[q] != 0x40 && b[q] != 0x3f && b[q] != 0x3e { q += 1 }
        if q < end && b[q] == 0x40 {
            var ue = start
            while ue < q && b[ue] != 0x3a && b[ue] != 0x3b { ue += 1 }
            user = start..<ue
            hostStart = q + 1
        }
        var hs = hostStart, he: Int
        if hs < end && b[hs] == 0x5b { // IPv6 reference [..]
            hs += 1
            he = find(b, 0x5d, hs, end)
        } else {
            he = hs
            while he < end && b[he] != 0x3a && b[he] != 0x3b && b[he] != 0x3f && b[he] != 0x3e && !isWS(b[he]) { he += 1 }
        }
        return (user, he > hs ? hs..<he : nil)
    }
}

extension ReferenceSIPMessage {
    /// Every SIP column as the reference computed it (strings built as `HEPRecord` builds them), keyed by text field,
    /// plus the status code and CSeq number; nil when the start line is not SIP.
    static func fields(_ payload: [UInt8], aLegHeaders: [String]) -> ([HEPRecord.TextField: String], Int32?, Int64?)? {
        let names = HEPOptions.lowered(aLegHeaders)
        return payload.withUnsafeBufferPointer { b in
            guard let v = ReferenceSIPMessage(b, aLegNames: names, aLegLengths: HEPOptions.lengthMask(names)) else {
                return nil
            }
            var out: [HEPRecord.TextField: String] = [:]
            func put(_ f: HEPRecord.TextField, _ r: Range<Int>?) { if let r { out[f] = SIPFieldStrings.text(b, r) } }
            put(.sessionID, v.callID)
            put(.correlationID, v.aLeg)
            if let r = v.method { out[.method] = SIPFieldStrings.method(b, r) }
            if let r = v.cseqMethod { out[.cseqMethod] = SIPFieldStrings.method(b, r) }
            if let r = v.from {
                let (uri, tag) = nameAddr(b, r)
                let (u, h) = uriParts(b, uri)
                put(.fromUser, u); put(.fromDomain, h); put(.fromTag, tag)
            }
            if let r = v.to {
                let (uri, tag) = nameAddr(b, r)
                let (u, h) = uriParts(b, uri)
                put(.toUser, u); put(.toDomain, h); put(.toTag, tag)
            }
            if let r = v.requestURI {
                let (u, h) = uriParts(b, r)
                put(.ruriUser, u); put(.ruriDomain, h)
            }
            put(.userAgent, v.userAgent ?? v.server)
            return (out, v.statusCode, v.cseqNumber)
        }
    }
}
