extension HEPRecord {
    /// Parses `payload` as a SIP message and fills the SIP columns (RFC 3261 §7). A payload that is not SIP leaves
    /// them as they were. `sessionID` becomes the Call-ID; `correlationID` the first A-leg header present (else HEP
    /// 0x0011). Only byte ranges are stored: strings are built when a property is read (see `HEPRecordSlots`).
    @inline(__always)
    mutating func fillSIP(options: HEPOptions) {
        // Payloads past 4 GiB cannot come in a HEP packet (16-bit lengths); the check keeps the UInt32 spans exact.
        guard _payload.count < Int(UInt32.max) else { return }
        var slots = _slots
        var code: Int32? = nil, cseq: Int64? = nil
        let parsed = _payload.withUnsafeBufferPointer { b in
            SIPParser.parse(b, aLegNames: options.aLegNamesLower, aLegLengths: options.aLegLengthMask,
                            slots: &slots, responseCode: &code, cseqNumber: &cseq)
        }
        guard parsed else { return }
        _slots = slots
        responseCode = code
        cseqNumber = cseq
    }
}
