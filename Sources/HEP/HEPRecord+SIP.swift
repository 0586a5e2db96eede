extension HEPRecord {
    /// Parses `payload` as a SIP message and fills the SIP columns (RFC 3261 §7). A payload that is not SIP leaves
    /// them nil. `sessionID` becomes the Call-ID; `correlationID` the first A-leg header present (else HEP 0x0011).
    /// Fields are written straight into `self` (no intermediate struct): every extra String copy is a retain/release
    /// pair on the hot path.
    mutating func fillSIP(options: HEPOptions) {
        // Only byte ranges are stored here: the strings are built when a property is read (see `HEPRecordText`).
        // Payloads past 4 GiB cannot come in a HEP packet (16-bit lengths); the check keeps the UInt32 spans exact.
        guard _payload.count < Int(UInt32.max) else { return }
        let bytes = _payload
        bytes.withUnsafeBufferPointer { b in
            guard let v = SIPMessageView(b, aLegNames: options.aLegNamesLower, aLegLengths: options.aLegLengthMask)
            else { return }
            if let r = v.callID { _sessionID = HEPRecordText(r) }
            if let r = v.aLeg { _correlationID = HEPRecordText(r) }
            if let r = v.method { _method = HEPRecordText(method: r) }
            responseCode = v.statusCode
            cseqNumber = v.cseqNumber
            if let r = v.cseqMethod { _cseqMethod = HEPRecordText(method: r) }
            if let r = v.from {
                let (uri, tag) = SIPMessageView.nameAddr(b, r)
                let (u, h) = SIPMessageView.uriParts(b, uri)
                if let u { _fromUser = HEPRecordText(u) }
                if let h { _fromDomain = HEPRecordText(h) }
                if let tag { _fromTag = HEPRecordText(tag) }
            }
            if let r = v.to {
                let (uri, tag) = SIPMessageView.nameAddr(b, r)
                let (u, h) = SIPMessageView.uriParts(b, uri)
                if let u { _toUser = HEPRecordText(u) }
                if let h { _toDomain = HEPRecordText(h) }
                if let tag { _toTag = HEPRecordText(tag) }
            }
            if let r = v.requestURI {
                let (u, h) = SIPMessageView.uriParts(b, r)
                if let u { _ruriUser = HEPRecordText(u) }
                if let h { _ruriDomain = HEPRecordText(h) }
            }
            if let r = v.userAgent ?? v.server { _userAgent = HEPRecordText(r) }
        }
    }
}

/// The SIP fields of one message as strings (what the storage row keeps).
/// String conversion helpers of the SIP extraction.
enum SIPFieldStrings {
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
