/// The storage row: one HEP message with its SIP fields. Built with `HEPRecord(packet:receivedAt:options:)`.
///
/// Representation: the SIP text columns, the session id and the two addresses are kept as byte ranges into `payload`
/// (or as the decoded address) and become `String`s only when a property is read; `withUTF8(_:_:)` gives the bytes
/// without building a `String` at all (what a columnar writer wants). Every property reads and writes as a plain
/// stored property would: setting `payload` first turns the ranges into strings, so values never change under you.
/// Reading a text property builds a new `String` each time: read it once per record.
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

    @usableFromInline var _payload: [UInt8]
    @usableFromInline var _sessionID: HEPRecordText
    @usableFromInline var _srcIP: HEPRecordAddress
    @usableFromInline var _dstIP: HEPRecordAddress
    @usableFromInline var _correlationID: HEPRecordText
    @usableFromInline var _method: HEPRecordText
    @usableFromInline var _cseqMethod: HEPRecordText
    @usableFromInline var _fromUser: HEPRecordText
    @usableFromInline var _fromDomain: HEPRecordText
    @usableFromInline var _fromTag: HEPRecordText
    @usableFromInline var _toUser: HEPRecordText
    @usableFromInline var _toDomain: HEPRecordText
    @usableFromInline var _toTag: HEPRecordText
    @usableFromInline var _ruriUser: HEPRecordText
    @usableFromInline var _ruriDomain: HEPRecordText
    @usableFromInline var _userAgent: HEPRecordText

    /// SIP Call-ID; for non-SIP the HEP correlation id (0x0011); else "".
    public var sessionID: String {
        get { _sessionID.string(_payload) ?? "" }
        set { _sessionID = .value(newValue) }
    }
    /// Source address, textual (dotted quad or RFC 5952); "" when the packet had none.
    public var srcIP: String {
        get { _srcIP.string }
        set { _srcIP = .value(newValue) }
    }
    /// Destination address, textual.
    public var dstIP: String {
        get { _dstIP.string }
        set { _dstIP = .value(newValue) }
    }
    /// HEP 0x0011, or the A-leg header (`HEPOptions.aLegHeaders`, default X-CID) for SIP.
    public var correlationID: String? {
        get { _correlationID.string(_payload) }
        set { _correlationID = HEPRecordText(newValue) }
    }
    /// Request method, nil for responses.
    public var method: String? {
        get { _method.string(_payload) }
        set { _method = HEPRecordText(newValue) }
    }
    /// CSeq method.
    public var cseqMethod: String? {
        get { _cseqMethod.string(_payload) }
        set { _cseqMethod = HEPRecordText(newValue) }
    }
    /// From URI user part.
    public var fromUser: String? {
        get { _fromUser.string(_payload) }
        set { _fromUser = HEPRecordText(newValue) }
    }
    /// From URI host part.
    public var fromDomain: String? {
        get { _fromDomain.string(_payload) }
        set { _fromDomain = HEPRecordText(newValue) }
    }
    /// From tag parameter.
    public var fromTag: String? {
        get { _fromTag.string(_payload) }
        set { _fromTag = HEPRecordText(newValue) }
    }
    /// To URI user part.
    public var toUser: String? {
        get { _toUser.string(_payload) }
        set { _toUser = HEPRecordText(newValue) }
    }
    /// To URI host part.
    public var toDomain: String? {
        get { _toDomain.string(_payload) }
        set { _toDomain = HEPRecordText(newValue) }
    }
    /// To tag parameter.
    public var toTag: String? {
        get { _toTag.string(_payload) }
        set { _toTag = HEPRecordText(newValue) }
    }
    /// Request-URI user part.
    public var ruriUser: String? {
        get { _ruriUser.string(_payload) }
        set { _ruriUser = HEPRecordText(newValue) }
    }
    /// Request-URI host part.
    public var ruriDomain: String? {
        get { _ruriDomain.string(_payload) }
        set { _ruriDomain = HEPRecordText(newValue) }
    }
    /// User-Agent, else Server.
    public var userAgent: String? {
        get { _userAgent.string(_payload) }
        set { _userAgent = HEPRecordText(newValue) }
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
        self._sessionID = .value(sessionID)
        self.protoType = protoType
        self.ipFamily = ipFamily
        self.transport = transport
        self._srcIP = .value(srcIP)
        self._dstIP = .value(dstIP)
        self.srcPort = srcPort
        self.dstPort = dstPort
        self.captureID = captureID
        self.nodeName = nodeName
        self.vlan = vlan
        self.responseCode = responseCode
        self.cseqNumber = cseqNumber
        self._correlationID = HEPRecordText(correlationID)
        self._method = HEPRecordText(method)
        self._cseqMethod = HEPRecordText(cseqMethod)
        self._fromUser = HEPRecordText(fromUser)
        self._fromDomain = HEPRecordText(fromDomain)
        self._fromTag = HEPRecordText(fromTag)
        self._toUser = HEPRecordText(toUser)
        self._toDomain = HEPRecordText(toDomain)
        self._toTag = HEPRecordText(toTag)
        self._ruriUser = HEPRecordText(ruriUser)
        self._ruriDomain = HEPRecordText(ruriDomain)
        self._userAgent = HEPRecordText(userAgent)
        self._payload = payload
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
        // Fields assigned one by one rather than through the memberwise initialiser: delegating made the optimiser
        // build a temporary record and copy it (a retain/release per String field).
        let agentTime = packet.timestampNanoseconds
        timestamp = agentTime == 0 ? receivedAt : agentTime
        _sessionID = HEPRecordText(packet.correlationID)
        _correlationID = _sessionID
        protoType = Int32(packet.protoType)
        ipFamily = Int32(packet.ipFamily)
        transport = Int32(packet.ipProtocol)
        _srcIP = HEPRecordAddress(packet.srcAddress)
        _dstIP = HEPRecordAddress(packet.dstAddress)
        srcPort = Int32(packet.srcPort)
        dstPort = Int32(packet.dstPort)
        captureID = Int64(packet.captureID)
        nodeName = packet.nodeName
        vlan = packet.vlan.map { Int32($0) }
        responseCode = nil
        cseqNumber = nil
        _method = .none
        _cseqMethod = .none
        _fromUser = .none
        _fromDomain = .none
        _fromTag = .none
        _toUser = .none
        _toDomain = .none
        _toTag = .none
        _ruriUser = .none
        _ruriDomain = .none
        _userAgent = .none
        _payload = packet.payload
        if packet.protoType == 1 && options.extractSIP {
            fillSIP(options: options)
        }
    }

    /// The text columns, for byte-level access with `withUTF8(_:_:)`.
    public enum TextField: Sendable, CaseIterable {
        case sessionID, correlationID, method, cseqMethod, fromUser, fromDomain, fromTag, toUser, toDomain, toTag, ruriUser, ruriDomain, userAgent
    }

    /// Calls `body` with the UTF-8 bytes of a text column — nil when the property is nil (`sessionID` gives an empty
    /// buffer instead) — without building a `String` when the value is a plain range of the payload. The bytes equal
    /// `Array(property.utf8)`; the buffer is valid only inside `body`.
    public func withUTF8<R>(_ field: TextField, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        switch field {
        case .sessionID:
            if case .none = _sessionID { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            return try _sessionID.withUTF8(_payload, body)
        case .correlationID: return try _correlationID.withUTF8(_payload, body)
        case .method: return try _method.withUTF8(_payload, body)
        case .cseqMethod: return try _cseqMethod.withUTF8(_payload, body)
        case .fromUser: return try _fromUser.withUTF8(_payload, body)
        case .fromDomain: return try _fromDomain.withUTF8(_payload, body)
        case .fromTag: return try _fromTag.withUTF8(_payload, body)
        case .toUser: return try _toUser.withUTF8(_payload, body)
        case .toDomain: return try _toDomain.withUTF8(_payload, body)
        case .toTag: return try _toTag.withUTF8(_payload, body)
        case .ruriUser: return try _ruriUser.withUTF8(_payload, body)
        case .ruriDomain: return try _ruriDomain.withUTF8(_payload, body)
        case .userAgent: return try _userAgent.withUTF8(_payload, body)
        }
    }

    /// Turns every payload range into a string (before the payload is replaced).
    mutating func freezeText() {
        _sessionID = _sessionID.frozen(_payload)
        _correlationID = _correlationID.frozen(_payload)
        _method = _method.frozen(_payload)
        _cseqMethod = _cseqMethod.frozen(_payload)
        _fromUser = _fromUser.frozen(_payload)
        _fromDomain = _fromDomain.frozen(_payload)
        _fromTag = _fromTag.frozen(_payload)
        _toUser = _toUser.frozen(_payload)
        _toDomain = _toDomain.frozen(_payload)
        _toTag = _toTag.frozen(_payload)
        _ruriUser = _ruriUser.frozen(_payload)
        _ruriDomain = _ruriDomain.frozen(_payload)
        _userAgent = _userAgent.frozen(_payload)
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
