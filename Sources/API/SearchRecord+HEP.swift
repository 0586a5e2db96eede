import HEP

extension SearchRecord {
    /// The row the lake stores for a HEP record: timestamp truncated to microseconds (the lake's TIMESTAMP unit),
    /// payload in `payload` when it is valid UTF-8, else in `payload_bin` (issue 4 item 2).
    public init(_ hep: HEPRecord) {
        let micros = RFC3339.floorDivide(hep.timestamp, 1000).0 * 1000
        let text = String(validating: hep.payload, as: UTF8.self)
        self.init(timestamp: micros, sessionID: hep.sessionID, correlationID: hep.correlationID,
                  protoType: hep.protoType, ipFamily: hep.ipFamily, transport: hep.transport, srcIP: hep.srcIP,
                  dstIP: hep.dstIP, srcPort: hep.srcPort, dstPort: hep.dstPort, captureID: hep.captureID,
                  nodeName: hep.nodeName, vlan: hep.vlan, method: hep.method, responseCode: hep.responseCode,
                  cseqNumber: hep.cseqNumber, cseqMethod: hep.cseqMethod, fromUser: hep.fromUser,
                  fromDomain: hep.fromDomain, fromTag: hep.fromTag, toUser: hep.toUser, toDomain: hep.toDomain,
                  toTag: hep.toTag, ruriUser: hep.ruriUser, ruriDomain: hep.ruriDomain, userAgent: hep.userAgent,
                  payload: text, payloadBin: text == nil ? hep.payload : nil)
    }
}
