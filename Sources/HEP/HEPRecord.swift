/// The storage row: one HEP message with its SIP fields. Built with `HEPRecord(packet:receivedAt:options:)`.
///
/// Representation: the SIP text columns and the session id are byte ranges of `payload`, the two addresses the decoded
/// `HEPAddress` (see `HEPRecordSlots`); a `String` is built only when a property is read. `withUTF8(_:_:)` gives
/// the bytes without building a `String` at all (what a columnar writer wants). Every property reads and writes as a
/// plain stored property would: setting `payload` first turns the ranges into strings, so values never change under
/// you. Reading a text property builds a new `String` each time: read it once per record, or use `withUTF8`.
public struct HEPRecord: Sendable, Equatable {
    /// ns since Unix epoch, UTC (agent time; receive time when the agent sent 0).
    public var timestamp: Int64
    /// HEP 0x000b (1 = SIP, …).
    public var protoType: Int32
    /// 2 = IPv4, 10 = IPv6 (as on the wire).
    public var ipFamily: Int32
    /// IP protocol number (17 UDP, 6 TCP, 132 SCTP …).
    public var transport: Int32
    /// Source port.
    public var srcPort: Int32
    /// Destination port.
    public var dstPort: Int32
    /// Exactly what the wire says (sngrep's byte-swapped ids included, see `HEPPacket.captureID`).
    public var captureID: Int64
    /// HEP 0x0013.
    public var nodeName: String?
    /// HEP 0x0012.
    public var vlan: Int32?
    /// Status code, nil for requests.
    public var responseCode: Int32?
    /// CSeq sequence number.
    public var cseqNumber: Int64?

    /// The payload; the SIP columns are ranges of it (see `HEPRecordSlots`).
    @usableFromInline var _payload: [UInt8]
    /// Where each text column lives.
    @usableFromInline var _slots: HEPRecordSlots
    /// Decoded addresses (slots 13 and 14 of kind `.address`).
    @usableFromInline var _srcAddress: HEPAddress?
    @usableFromInline var _dstAddress: HEPAddress?
    /// HEP 0x0011 (slots of kind `.hepCorrelation`).
    @usableFromInline var _hepCorrelationID: String?
    /// Explicit strings (slots of kind `.string`), indexed by slot; nil until a setter or the memberwise initialiser
    /// needs it, so a decoded record carries no array.
    @usableFromInline var _strings: [String?]?

    /// SIP Call-ID; for non-SIP the HEP correlation id (0x0011); else "".
    public var sessionID: String {
        get { text(TextField.sessionID.rawValue) ?? "" }
        set { setText(TextField.sessionID.rawValue, newValue) }
    }
    /// HEP 0x0011, or the A-leg header (`HEPOptions.aLegHeaders`, default X-CID) for SIP.
    public var correlationID: String? {
        get { text(TextField.correlationID.rawValue) }
        set { setText(TextField.correlationID.rawValue, newValue) }
    }
    /// Request method, nil for responses.
    public var method: String? {
        get { text(TextField.method.rawValue) }
        set { setText(TextField.method.rawValue, newValue) }
    }
    /// CSeq method.
    public var cseqMethod: String? {
        get { text(TextField.cseqMethod.rawValue) }
        set { setText(TextField.cseqMethod.rawValue, newValue) }
    }
    /// From URI user part.
    public var fromUser: String? {
        get { text(TextField.fromUser.rawValue) }
        set { setText(TextField.fromUser.rawValue, newValue) }
    }
    /// From URI host part.
    public var fromDomain: String? {
        get { text(TextField.fromDomain.rawValue) }
        set { setText(TextField.fromDomain.rawValue, newValue) }
    }
    /// From tag parameter.
    public var fromTag: String? {
        get { text(TextField.fromTag.rawValue) }
        set { setText(TextField.fromTag.rawValue, newValue) }
    }
    /// To URI user part.
    public var toUser: String? {
        get { text(TextField.toUser.rawValue) }
        set { setText(TextField.toUser.rawValue, newValue) }
    }
    /// To URI host part.
    public var toDomain: String? {
        get { text(TextField.toDomain.rawValue) }
        set { setText(TextField.toDomain.rawValue, newValue) }
    }
    /// To tag parameter.
    public var toTag: String? {
        get { text(TextField.toTag.rawValue) }
        set { setText(TextField.toTag.rawValue, newValue) }
    }
    /// Request-URI user part.
    public var ruriUser: String? {
        get { text(TextField.ruriUser.rawValue) }
        set { setText(TextField.ruriUser.rawValue, newValue) }
    }
    /// Request-URI host part.
    public var ruriDomain: String? {
        get { text(TextField.ruriDomain.rawValue) }
        set { setText(TextField.ruriDomain.rawValue, newValue) }
    }
    /// User-Agent, else Server.
    public var userAgent: String? {
        get { text(TextField.userAgent.rawValue) }
        set { setText(TextField.userAgent.rawValue, newValue) }
    }
    /// Source address, textual (dotted quad or RFC 5952); "" when the packet had none.
    public var srcIP: String {
        get { text(TextField.srcIP.rawValue) ?? "" }
        set { setText(TextField.srcIP.rawValue, newValue) }
    }
    /// Destination address, textual.
    public var dstIP: String {
        get { text(TextField.dstIP.rawValue) ?? "" }
        set { setText(TextField.dstIP.rawValue, newValue) }
    }
    /// Exact payload bytes (decompressed if it came in 0x0010).
    public var payload: [UInt8] {
        get { _payload }
        set {
            freezeText()
            _payload = newValue
        }
    }

    /// Memberwise initialiser (all SIP fields nil by default).
    public init(timestamp: Int64, sessionID: String, correlationID: String? = nil, protoType: Int32, ipFamily: Int32,
                transport: Int32, srcIP: String, dstIP: String, srcPort: Int32, dstPort: Int32, captureID: Int64,
                nodeName: String? = nil, vlan: Int32? = nil, method: String? = nil, responseCode: Int32? = nil,
                cseqNumber: Int64? = nil, cseqMethod: String? = nil, fromUser: String? = nil,
                fromDomain: String? = nil, fromTag: String? = nil, toUser: String? = nil, toDomain: String? = nil,
                toTag: String? = nil, ruriUser: String? = nil, ruriDomain: String? = nil, userAgent: String? = nil,
                payload: [UInt8]) {
        self.timestamp = timestamp
        self.protoType = protoType
        self.ipFamily = ipFamily
        self.transport = transport
        self.srcPort = srcPort
        self.dstPort = dstPort
        self.captureID = captureID
        self.nodeName = nodeName
        self.vlan = vlan
        self.responseCode = responseCode
        self.cseqNumber = cseqNumber
        self._payload = payload
        self._slots = HEPRecordSlots()
        self._srcAddress = nil
        self._dstAddress = nil
        self._hepCorrelationID = nil
        // Slot order = TextField raw values.
        let strings: [String?] = [sessionID, correlationID, method, cseqMethod, fromUser, fromDomain, fromTag, toUser,
                                  toDomain, toTag, ruriUser, ruriDomain, userAgent, srcIP, dstIP]
        for (slot, s) in strings.enumerated() where s != nil { _slots.setKind(slot, .string) }
        self._strings = strings
    }

    /// Builds the storage row of a decoded packet.
    /// - Parameters:
    ///   - receivedAt: receive time in ns since the Unix epoch; used as `timestamp` when the agent sent 0 s and 0 µs
    ///     (as heplify-server and HOMER 11 do).
    ///   - options: `aLegHeaders` and `extractSIP` are used.
    /// SIP fields are filled for protocol type 1 when the payload parses as SIP; a malformed SIP payload leaves them nil
    /// (the row is still stored, the payload is the evidence).
    @inline(__always)
    public init(packet: HEPPacket, receivedAt: Int64, options: HEPOptions = HEPOptions()) {
        // The SIP fields are parsed into locals first and every stored property is assigned once afterwards: a
        // mutating parse of a half-built `self` made the optimiser build the record and copy it.
        var slots = HEPRecordSlots()
        if packet.srcAddress != nil { slots.setKind(TextField.srcIP.rawValue, .address) }
        if packet.dstAddress != nil { slots.setKind(TextField.dstIP.rawValue, .address) }
        if packet.correlationID != nil {
            slots.setKind(TextField.sessionID.rawValue, .hepCorrelation)
            slots.setKind(TextField.correlationID.rawValue, .hepCorrelation)
        }
        var code: Int32? = nil, cseq: Int64? = nil
        // Payloads past 4 GiB cannot come in a HEP packet (16-bit lengths); the check keeps the UInt32 spans exact.
        if packet.protoType == 1 && options.extractSIP && packet.payload.count < Int(UInt32.max) {
            packet.payload.withUnsafeBufferPointer { b in
                _ = SIPParser.parse(b, options: options, slots: &slots, responseCode: &code, cseqNumber: &cseq)
            }
        }
        let agentTime = packet.timestampNanoseconds
        timestamp = agentTime == 0 ? receivedAt : agentTime
        protoType = Int32(packet.protoType)
        ipFamily = Int32(packet.ipFamily)
        transport = Int32(packet.ipProtocol)
        srcPort = Int32(packet.srcPort)
        dstPort = Int32(packet.dstPort)
        captureID = Int64(packet.captureID)
        nodeName = packet.nodeName
        vlan = packet.vlan.map { Int32($0) }
        responseCode = code
        cseqNumber = cseq
        _payload = packet.payload
        _slots = slots
        _srcAddress = packet.srcAddress
        _dstAddress = packet.dstAddress
        _hepCorrelationID = packet.correlationID
        _strings = nil
    }

    /// The text columns, for byte-level access with `withUTF8(_:_:)`; the raw value is the column's slot.
    public enum TextField: Int, Sendable, CaseIterable {
        case sessionID, correlationID, method, cseqMethod, fromUser, fromDomain, fromTag, toUser, toDomain, toTag
        case ruriUser, ruriDomain, userAgent, srcIP, dstIP
    }

    /// The value of a slot as a `String` (nil when absent; callers map nil to "" for the non-optional columns).
    @usableFromInline
    func text(_ slot: Int) -> String? {
        Self.text(slot, _slots, _payload, _strings, _hepCorrelationID, _srcAddress, _dstAddress)
    }

    /// `text(_:)` on the parts of a record: a static function, so the `withUTF8` slow path does not need the whole
    /// record in memory (which made the optimiser copy every record whose column was read).
    @usableFromInline
    static func text(_ slot: Int, _ slots: HEPRecordSlots, _ payload: [UInt8], _ strings: [String?]?,
                     _ hepCorrelationID: String?, _ src: HEPAddress?, _ dst: HEPAddress?) -> String? {
        switch slots.kind(slot) {
        case .none:
            return nil
        case .span, .foldedSpan:
            let (lo, hi) = slots.span(slot)
            return payload.withUnsafeBufferPointer { b in
                let r = min(lo, b.count)..<min(max(lo, hi), b.count)
                return slot == TextField.method.rawValue || slot == TextField.cseqMethod.rawValue
                    ? SIPFieldStrings.method(b, r) : SIPFieldStrings.text(b, r)
            }
        case .string:
            return strings?[slot] ?? nil
        case .hepCorrelation:
            return hepCorrelationID
        case .address:
            return (slot == TextField.srcIP.rawValue ? src : dst)?.description
        }
    }

    /// Stores an explicit value in a slot.
    @usableFromInline
    mutating func setText(_ slot: Int, _ value: String?) {
        guard let value else {
            _slots.setKind(slot, .none)
            _strings?[slot] = nil
            return
        }
        if _strings == nil { _strings = [String?](repeating: nil, count: HEPRecordSlots.count) }
        _strings![slot] = value
        _slots.setKind(slot, .string)
    }

    /// Calls `body` with the UTF-8 bytes of a column — nil when the property is nil (`sessionID`, `srcIP` and `dstIP`
    /// give an empty buffer instead) — without building a `String` when the value is a range of the payload or an
    /// address. The bytes always equal `Array(property.utf8)` (folded lines collapsed, invalid UTF-8 repaired as the
    /// `String` would be); the buffer is valid only inside `body`.
    @inlinable @inline(__always)
    public func withUTF8<R>(_ field: TextField, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        let slot = field.rawValue
        let kind = _slots.kind(slot)
        if kind == .address, let a = slot == TextField.srcIP.rawValue ? _srcAddress : _dstAddress {
            return try a.withText(body)
        }
        if kind == .span {
            let (lo, hi) = _slots.span(slot)
            let handled: R? = try _payload.withUnsafeBufferPointer { b in
                guard lo <= hi, hi <= b.count else { return nil }
                let s = UnsafeBufferPointer(rebasing: b[lo..<hi])
                guard SIPFieldStrings.isPlainText(s) else { return nil }
                return try body(s)
            }
            if let handled { return handled }
        }
        return try Self.withUTF8Slow(slot, _slots, _payload, _strings, _hepCorrelationID, body)
    }

    /// Appends column `field` of every record to an Arrow-style byte column: the value bytes (as `withUTF8` gives
    /// them) to `data`, one end offset per record to `offsets`, and `false` to `validity[i]` for a nil value (the
    /// caller sizes `validity` to `records.count`, all `true`). Returns the number of non-nil values.
    /// Why a batch call: a per-record call from another module made the optimiser copy each record first (the
    /// callee's writes could alias it), a retain and release of its payload per value.
    public static func appendColumn(_ field: TextField, of records: [HEPRecord], data: inout [UInt8],
                                    offsets: inout [Int32], validity: inout [Bool]) -> Int {
        let slot = field.rawValue
        var count = 0
        for i in records.indices {
            let slots = records[i]._slots
            let kind = slots.kind(slot)
            var done = false
            if kind == .span {
                let (lo, hi) = slots.span(slot)
                done = records[i]._payload.withUnsafeBufferPointer { b in
                    guard lo <= hi, hi <= b.count else { return false }
                    let s = UnsafeBufferPointer(rebasing: b[lo..<hi])
                    guard SIPFieldStrings.isPlainText(s) else { return false }
                    data.append(contentsOf: s)
                    return true
                }
            } else if kind == .address,
                      let a = slot == TextField.srcIP.rawValue ? records[i]._srcAddress : records[i]._dstAddress {
                a.withText { data.append(contentsOf: $0!) }
                done = true
            }
            if !done {
                done = withUTF8Slow(slot, slots, records[i]._payload, records[i]._strings,
                                    records[i]._hepCorrelationID) { v in
                    guard let v else { return false }
                    data.append(contentsOf: v)
                    return true
                }
            }
            if done { count += 1 } else { validity[i] = false }
            offsets.append(Int32(truncatingIfNeeded: data.count))
        }
        return count
    }

    /// `withUTF8` for every kind but a plain ASCII span or an address (static: see `text(_:_:_:_:_:_:_:)`).
    @usableFromInline
    static func withUTF8Slow<R>(_ slot: Int, _ slots: HEPRecordSlots, _ payload: [UInt8], _ strings: [String?]?,
                                _ hepCorrelationID: String?,
                                _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        if slots.kind(slot) != .none,
           var s = text(slot, slots, payload, strings, hepCorrelationID, nil, nil) {
            return try s.withUTF8 { try body($0) }
        }
        let required = slot == TextField.sessionID.rawValue || slot >= TextField.srcIP.rawValue
        return try body(required ? UnsafeBufferPointer(start: nil, count: 0) : nil)
    }

    /// Turns every payload range into a string (before the payload is replaced).
    mutating func freezeText() {
        for slot in 0..<HEPRecordSlots.spanCount {
            let kind = _slots.kind(slot)
            guard kind == .span || kind == .foldedSpan else { continue }
            setText(slot, text(slot))
        }
    }

    /// Equal when every public property is equal (ranges compare by the text they stand for).
    public static func == (a: HEPRecord, b: HEPRecord) -> Bool {
        a.timestamp == b.timestamp &&
            a.sessionID == b.sessionID &&
            a.protoType == b.protoType &&
            a.ipFamily == b.ipFamily &&
            a.transport == b.transport &&
            a.srcIP == b.srcIP &&
            a.dstIP == b.dstIP &&
            a.srcPort == b.srcPort &&
            a.dstPort == b.dstPort &&
            a.captureID == b.captureID &&
            a.nodeName == b.nodeName &&
            a.vlan == b.vlan &&
            a.responseCode == b.responseCode &&
            a.cseqNumber == b.cseqNumber &&
            a.correlationID == b.correlationID &&
            a.method == b.method &&
            a.cseqMethod == b.cseqMethod &&
            a.fromUser == b.fromUser &&
            a.fromDomain == b.fromDomain &&
            a.fromTag == b.fromTag &&
            a.toUser == b.toUser &&
            a.toDomain == b.toDomain &&
            a.toTag == b.toTag &&
            a.ruriUser == b.ruriUser &&
            a.ruriDomain == b.ruriDomain &&
            a.userAgent == b.userAgent &&
            a._payload == b._payload
    }
}
