extension HEPRecord {
    /// Parses `payload` as a SIP message and fills the SIP columns (RFC 3261 §7). A payload that is not SIP leaves
    /// them nil. `sessionID` becomes the Call-ID; `correlationID` the first A-leg header present (else HEP 0x0011).
    mutating func fillSIP(options: HEPOptions) {
        var result = SIPFieldStrings()
        payload.withUnsafeBufferPointer { b in
            guard let view = SIPMessageView(b, aLegNames: options.aLegNamesLower) else { return }
            result = SIPFieldStrings(view, b)
        }
        guard result.parsed else { return }
        if let c = result.callID { sessionID = c }
        if let a = result.aLeg { correlationID = a }
        method = result.method
        responseCode = result.statusCode
        cseqNumber = result.cseqNumber
        cseqMethod = result.cseqMethod
        fromUser = result.fromUser
        fromDomain = result.fromDomain
        fromTag = result.fromTag
        toUser = result.toUser
        toDomain = result.toDomain
        toTag = result.toTag
        ruriUser = result.ruriUser
        ruriDomain = result.ruriDomain
        userAgent = result.userAgent
    }
}

/// The SIP fields of one message as strings (what the storage row keeps).
struct SIPFieldStrings {
    var parsed = false
    var method: String?, statusCode: Int32?, callID: String?, cseqNumber: Int64?, cseqMethod: String?
    var fromUser: String?, fromDomain: String?, fromTag: String?
    var toUser: String?, toDomain: String?, toTag: String?
    var ruriUser: String?, ruriDomain: String?, userAgent: String?, aLeg: String?

    init() {}

    init(_ v: SIPMessageView, _ b: UnsafeBufferPointer<UInt8>) {
        parsed = true
        method = v.method.map { Self.method(b, $0) }
        statusCode = v.statusCode
        callID = v.callID.map { Self.text(b, $0) }
        cseqNumber = v.cseqNumber
        cseqMethod = v.cseqMethod.map { Self.method(b, $0) }
        if let r = v.from {
            let (uri, tag) = SIPMessageView.nameAddr(b, r)
            let (u, h) = SIPMessageView.uriParts(b, uri)
            fromUser = u.map { Self.text(b, $0) }
            fromDomain = h.map { Self.text(b, $0) }
            fromTag = tag.map { Self.text(b, $0) }
        }
        if let r = v.to {
            let (uri, tag) = SIPMessageView.nameAddr(b, r)
            let (u, h) = SIPMessageView.uriParts(b, uri)
            toUser = u.map { Self.text(b, $0) }
            toDomain = h.map { Self.text(b, $0) }
            toTag = tag.map { Self.text(b, $0) }
        }
        if let r = v.requestURI {
            let (u, h) = SIPMessageView.uriParts(b, r)
            ruriUser = u.map { Self.text(b, $0) }
            ruriDomain = h.map { Self.text(b, $0) }
        }
        userAgent = (v.userAgent ?? v.server).map { Self.text(b, $0) }
        aLeg = v.aLeg.map { Self.text(b, $0) }
    }

    /// Common methods (exact, case-sensitive as RFC 3261 §7.1 says) map to literals: no UTF-8 validation.
    static func method(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        switch r.count {
        case 3 where same(b, r, "ACK"): return "ACK"
        case 3 where same(b, r, "BYE"): return "BYE"
        case 6 where same(b, r, "INVITE"): return "INVITE"
        case 6 where same(b, r, "CANCEL"): return "CANCEL"
        case 7 where same(b, r, "OPTIONS"): return "OPTIONS"
        case 8 where same(b, r, "REGISTER"): return "REGISTER"
        default: return text(b, r)
        }
    }

    @inline(__always)
    static func same(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ lit: StaticString) -> Bool {
        guard lit.utf8CodeUnitCount == r.count else { return false }
        let l = lit.utf8Start
        for k in 0..<r.count where b[r.lowerBound + k] != l[k] { return false }
        return true
    }

    /// Text of a header value range; folded line breaks (CRLF + WSP) collapse to one space (RFC 3261 §7.3.1).
    static func text(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: b[r])
        var folded = false
        for c in slice where c == 0x0d || c == 0x0a { folded = true; break }
        guard folded else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var k = 0
        while k < slice.count {
            let c = slice[k]
            if c == 0x0d || c == 0x0a {
                while out.last == 0x20 || out.last == 0x09 { out.removeLast() }
                var j = k
                while j < slice.count && SIPMessageView.isWS(slice[j]) { j += 1 }
                out.append(0x20)
                k = j
            } else {
                out.append(c)
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
