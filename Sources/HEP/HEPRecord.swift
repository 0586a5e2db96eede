/// The storage row: one HEP message with its SIP fields. Built with `HEPRecord(packet:receivedAt:options:)`.
public struct HEPRecord: Sendable, Equatable {
    /// ns since Unix epoch, UTC (agent time; receive time when the agent sent 0).
    public var timestamp: Int64
    /// SIP Call-ID; for non-SIP the HEP correlation id (0x0011); else "".
    public var sessionID: String
    /// HEP 0x0011, or the A-leg header (`HEPOptions.aLegHeaders`, default X-CID) for SIP.
    public var correlationID: String?
    /// HEP 0x000b (1 = SIP, …).
    public var protoType: Int32
    /// 2 = IPv4, 10 = IPv6 (as on the wire).
    public var ipFamily: Int32
    /// IP protocol number (17 UDP, 6 TCP, 132 SCTP …).
    public var transport: Int32
    /// Source address, textual (dotted quad or RFC 5952); "" when the packet had none.
    public var srcIP: String
    /// Destination address, textual.
    public var dstIP: String
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
    /// Request method, nil for responses.
    public var method: String?
    /// Status code, nil for requests.
    public var responseCode: Int32?
    /// CSeq sequence number.
    public var cseqNumber: Int64?
    /// CSeq method.
    public var cseqMethod: String?
    /// From URI user part.
    public var fromUser: String?
    /// From URI host part.
    public var fromDomain: String?
    /// From tag parameter.
    public var fromTag: String?
    /// To URI user part.
    public var toUser: String?
    /// To URI host part.
    public var toDomain: String?
    /// To tag parameter.
    public var toTag: String?
    /// Request-URI user part.
    public var ruriUser: String?
    /// Request-URI host part.
    public var ruriDomain: String?
    /// User-Agent, else Server.
    public var userAgent: String?
    /// Exact payload bytes (decompressed if it came in 0x0010).
    public var payload: [UInt8]

    /// Memberwise initialiser (all SIP fields nil by default).
    public init(timestamp: Int64, sessionID: String, correlationID: String? = nil, protoType: Int32, ipFamily: Int32,
                transport: Int32, srcIP: String, dstIP: String, srcPort: Int32, dstPort: Int32, captureID: Int64,
                nodeName: String? = nil, vlan: Int32? = nil, method: String? = nil, responseCode: Int32? = nil,
                cseqNumber: Int64? = nil, cseqMethod: String? = nil, fromUser: String? = nil,
                fromDomain: String? = nil, fromTag: String? = nil, toUser: String? = nil, toDomain: String? = nil,
                toTag: String? = nil, ruriUser: String? = nil, ruriDomain: String? = nil, userAgent: String? = nil,
                payload: [UInt8]) {
        self.timestamp = timestamp
        self.sessionID = sessionID
        self.correlationID = correlationID
        self.protoType = protoType
        self.ipFamily = ipFamily
        self.transport = transport
        self.srcIP = srcIP
        self.dstIP = dstIP
        self.srcPort = srcPort
        self.dstPort = dstPort
        self.captureID = captureID
        self.nodeName = nodeName
        self.vlan = vlan
        self.method = method
        self.responseCode = responseCode
        self.cseqNumber = cseqNumber
        self.cseqMethod = cseqMethod
        self.fromUser = fromUser
        self.fromDomain = fromDomain
        self.fromTag = fromTag
        self.toUser = toUser
        self.toDomain = toDomain
        self.toTag = toTag
        self.ruriUser = ruriUser
        self.ruriDomain = ruriDomain
        self.userAgent = userAgent
        self.payload = payload
    }

    /// Builds the storage row of a decoded packet.
    /// - Parameters:
    ///   - receivedAt: receive time in ns since the Unix epoch; used as `timestamp` when the agent sent 0 s and 0 µs
    ///     (as heplify-server and HOMER 11 do).
    ///   - options: `aLegHeaders` and `extractSIP` are used.
    /// SIP fields are filled for protocol type 1 when the payload parses as SIP; a malformed SIP payload leaves them nil
    /// (the row is still stored, the payload is the evidence).
    public init(packet: HEPPacket, receivedAt: Int64, options: HEPOptions = HEPOptions()) {
        // Fields assigned one by one rather than through the memberwise initialiser: delegating made the optimiser
        // build a temporary record and copy it (a retain/release per String field).
        let agentTime = packet.timestampNanoseconds
        timestamp = agentTime == 0 ? receivedAt : agentTime
        sessionID = packet.correlationID ?? ""
        correlationID = packet.correlationID
        protoType = Int32(packet.protoType)
        ipFamily = Int32(packet.ipFamily)
        transport = Int32(packet.ipProtocol)
        srcIP = packet.srcAddress?.description ?? ""
        dstIP = packet.dstAddress?.description ?? ""
        srcPort = Int32(packet.srcPort)
        dstPort = Int32(packet.dstPort)
        captureID = Int64(packet.captureID)
        nodeName = packet.nodeName
        vlan = packet.vlan.map { Int32($0) }
        payload = packet.payload
        if packet.protoType == 1 && options.extractSIP {
            fillSIP(options: options)
        }
    }
}
