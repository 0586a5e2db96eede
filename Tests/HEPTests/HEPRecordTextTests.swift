import Testing
@testable import HEP

/// The lazy text representation of `HEPRecord`: byte access, setters, and replacing the payload must all behave as
/// plain stored `String` properties would.
@Suite struct HEPRecordTextTests {
    static let invite = [
        "INVITE sip:bob@biloxi.example.com SIP/2.0",
        "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds",
        "To: Bob <sip:bob@biloxi.example.com>",
        "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774",
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com",
        "CSeq: 314159 INVITE",
        "Subject: ignored",
        "User-Agent: Linphone/3.6",
        "  (folded) beta",
        "X-CID: aleg-call-id@host",
        "Content-Length: 0", "", ""].joined(separator: "\r\n")

    static func record() -> HEPRecord {
        var p = HEPPacket()
        p.protoType = 1
        p.srcAddress = .v4(0x0A00_0001)
        p.dstAddress = .v6(high: 0x2001_0db8_0000_0000, low: 1)
        p.payload = Array(invite.utf8)
        return HEPRecord(packet: p, receivedAt: 5)
    }

    static func properties(_ r: HEPRecord) -> [HEPRecord.TextField: String?] {
        [.sessionID: r.sessionID, .correlationID: r.correlationID, .method: r.method, .cseqMethod: r.cseqMethod,
         .fromUser: r.fromUser, .fromDomain: r.fromDomain, .fromTag: r.fromTag, .toUser: r.toUser,
         .toDomain: r.toDomain, .toTag: r.toTag, .ruriUser: r.ruriUser, .ruriDomain: r.ruriDomain,
         .userAgent: r.userAgent, .srcIP: r.srcIP, .dstIP: r.dstIP]
    }

    @Test func bytesEqualProperties() {
        let r = Self.record()
        let props = Self.properties(r)
        #expect(props.count == HEPRecord.TextField.allCases.count)
        for field in HEPRecord.TextField.allCases {
            let bytes = r.withUTF8(field) { $0.map(Array.init) }
            let expected = props[field]!.map { Array($0.utf8) }
            #expect(bytes == expected, "\(field)")
        }
        // The folded User-Agent collapses to one space (RFC 3261 §7.3.1), in the bytes too.
        #expect(r.userAgent == "Linphone/3.6 (folded) beta")
        #expect(r.toTag == nil)
        #expect(r.withUTF8(.toTag) { $0 == nil })
        #expect(r.srcIP == "10.0.0.1")
        #expect(r.dstIP == "2001:db8::1")
    }

    @Test func replacingThePayloadKeepsTheFields() {
        var r = Self.record()
        let before = Self.properties(r)
        r.payload = Array("garbage that is not SIP".utf8)
        #expect(Self.properties(r) == before)
        r.payload = []
        #expect(Self.properties(r) == before)
        #expect(r.withUTF8(.fromUser) { $0.map(Array.init) } == Array("alice".utf8))
    }

    @Test func settersAndEquality() {
        var r = Self.record()
        let original = r
        r.fromUser = "carol"
        r.sessionID = "other"
        r.srcIP = "192.0.2.1"
        #expect(r.fromUser == "carol" && r.sessionID == "other" && r.srcIP == "192.0.2.1")
        #expect(r != original)
        r.fromUser = "alice"
        r.sessionID = "a84b4c76e66710@pc33.atlanta.example.com"
        r.srcIP = "10.0.0.1"
        #expect(r == original) // equal by value, whether spans or strings
        r.userAgent = nil
        #expect(r.userAgent == nil && r.withUTF8(.userAgent) { $0 == nil })
        // A record built by the memberwise initialiser equals one decoded from the same content.
        let m = HEPRecord(timestamp: original.timestamp, sessionID: original.sessionID,
                          correlationID: original.correlationID, protoType: 1, ipFamily: original.ipFamily,
                          transport: original.transport, srcIP: "10.0.0.1", dstIP: "2001:db8::1", srcPort: 0,
                          dstPort: 0, captureID: 0, method: "INVITE", cseqNumber: 314159, cseqMethod: "INVITE",
                          fromUser: "alice", fromDomain: "atlanta.example.com", fromTag: "1928301774",
                          toUser: "bob", toDomain: "biloxi.example.com", ruriUser: "bob",
                          ruriDomain: "biloxi.example.com", userAgent: "Linphone/3.6 (folded) beta",
                          payload: original.payload)
        #expect(m == original)
    }
}
