import Testing
@testable import HEP

/// SIP field extraction on a corpus of real-shaped messages. Expected values are read off the messages by hand.
@Suite struct SIPExtractionTests {
    static func record(_ text: String, protoType: UInt8 = 1, correlationID: String? = nil,
                       options: HEPOptions = HEPOptions()) -> HEPRecord {
        var p = HEPPacket()
        p.protoType = protoType
        p.correlationID = correlationID
        p.timeSeconds = 1_700_000_000
        p.payload = Array(text.utf8)
        return HEPRecord(packet: p, receivedAt: 5, options: options)
    }

    static func crlf(_ lines: [String]) -> String { lines.joined(separator: "\r\n") }

    @Test func invite() {
        let r = Self.record(Self.crlf([
            "INVITE sip:bob@biloxi.example.com SIP/2.0",
            "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds",
            "Max-Forwards: 70",
            "To: Bob <sip:bob@biloxi.example.com>",
            "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774",
            "Call-ID: a84b4c76e66710@pc33.atlanta.example.com",
            "CSeq: 314159 INVITE",
            "Contact: <sip:alice@pc33.atlanta.example.com>",
            "User-Agent: Linphone/3.6",
            "X-CID: aleg-call-id@host",
            "Content-Type: application/sdp",
            "Content-Length: 4", "", "v=0\r\n"]), correlationID: "hep-cid")
        #expect(r.sessionID == "a84b4c76e66710@pc33.atlanta.example.com")
        #expect(r.correlationID == "aleg-call-id@host")
        #expect(r.method == "INVITE")
        #expect(r.responseCode == nil)
        #expect(r.cseqNumber == 314159)
        #expect(r.cseqMethod == "INVITE")
        #expect(r.fromUser == "alice")
        #expect(r.fromDomain == "atlanta.example.com")
        #expect(r.fromTag == "1928301774")
        #expect(r.toUser == "bob")
        #expect(r.toDomain == "biloxi.example.com")
        #expect(r.toTag == nil)
        #expect(r.ruriUser == "bob")
        #expect(r.ruriDomain == "biloxi.example.com")
        #expect(r.userAgent == "Linphone/3.6")
        #expect(r.timestamp == 1_700_000_000_000_000_000)
    }

    @Test func responseWithCompactHeaders() {
        let r = Self.record(Self.crlf([
            "SIP/2.0 180 Ringing",
            "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa",
            "f: \"Alice, \\\"the\\\" <boss>\" <sips:alice@atlanta.com:5061;transport=tls>;TAG=abc",
            "t: <sip:bob@biloxi.com>;foo=bar; tag = xyz",
            "i: compact-id@host",
            "CSeq:   2   INVITE",
            "Server: Asterisk PBX 18",
            "", ""]), correlationID: "hep-cid")
        #expect(r.method == nil)
        #expect(r.responseCode == 180)
        #expect(r.sessionID == "compact-id@host")
        #expect(r.correlationID == "hep-cid") // no A-leg header: the HEP correlation id stays
        #expect(r.fromUser == "alice")
        #expect(r.fromDomain == "atlanta.com")
        #expect(r.fromTag == "abc")
        #expect(r.toUser == "bob")
        #expect(r.toTag == "xyz")
        #expect(r.cseqNumber == 2)
        #expect(r.cseqMethod == "INVITE")
        #expect(r.userAgent == "Asterisk PBX 18")
        #expect(r.ruriUser == nil && r.ruriDomain == nil)
    }

    @Test func foldedLinesOddCasingBareLF() {
        let r = Self.record([
            "REGISTER sip:registrar.example.com SIP/2.0",
            "cALL-iD: folded",
            "  -continued@host",
            "FROM: sip:+15551234@example.com;tag=t1",
            "tO   : \"Bob\" <tel:+15559876;phone-context=example.com>",
            "User-Agent: Foo",
            "\tBar/1.0",
            "cseq: 7 REGISTER",
            "Call-ID: second-one-ignored",
            "", "Call-ID: in-the-body"].joined(separator: "\n"))
        #expect(r.method == "REGISTER")
        #expect(r.sessionID == "folded -continued@host")
        #expect(r.fromUser == "+15551234")
        #expect(r.fromDomain == "example.com")
        #expect(r.fromTag == "t1")
        #expect(r.toUser == "+15559876")
        #expect(r.toDomain == nil)
        #expect(r.ruriUser == nil)
        #expect(r.ruriDomain == "registrar.example.com")
        #expect(r.userAgent == "Foo Bar/1.0")
        #expect(r.cseqNumber == 7)
        #expect(r.cseqMethod == "REGISTER")
    }

    @Test func uriShapes() {
        let r = Self.record(Self.crlf([
            "OPTIONS sip:100@[2001:db8::1]:5060;transport=udp SIP/2.0",
            "From: \"a<b\" <sip:user:pw@host.com;user=phone>;tag=9",
            "To: <sip:[::1]>",
            "Call-ID: x", "", ""]))
        #expect(r.ruriUser == "100")
        #expect(r.ruriDomain == "2001:db8::1")
        #expect(r.fromUser == "user")
        #expect(r.fromDomain == "host.com")
        #expect(r.fromTag == "9")
        #expect(r.toUser == nil)
        #expect(r.toDomain == "::1")
    }

    @Test func configurableALegHeaders() {
        let text = Self.crlf(["BYE sip:a@b SIP/2.0", "x-leg: leg-a", "X-CID: cid-a", "Call-ID: c", "", ""])
        #expect(Self.record(text).correlationID == "cid-a")
        #expect(Self.record(text, options: HEPOptions(aLegHeaders: ["X-Leg", "X-CID"])).correlationID == "leg-a")
        #expect(Self.record(text, options: HEPOptions(aLegHeaders: [])).correlationID == nil)
    }

    @Test(arguments: ["", "HELLO WORLD", "INVITE sip:x", "INVITE sip:x HTTP/1.1\r\n\r\n", "SIP/2.0 2x0 OK\r\n\r\n",
                      "SIP/2.0\r\n", "IN VITE sip:a@b SIP/2.0\r\n", "\u{1}\u{2}\u{3}\u{ff}garbage\r\nCall-ID: z\r\n",
                      "INVITE  SIP/2.0\r\nCall-ID: y\r\n"])
    func malformedGivesNoSIPFields(_ text: String) {
        let r = Self.record(text, correlationID: "hep-cid")
        #expect(r.sessionID == "hep-cid")
        #expect(r.method == nil && r.responseCode == nil && r.cseqNumber == nil && r.fromUser == nil)
        #expect(r.payload == Array(text.utf8))
    }

    @Test func truncatedHeadersStillParse() {
        let r = Self.record("ACK sip:x@y SIP/2.0\r\nCSeq: 12\r\nFrom: <sip:a@b\r\nTo: sip:\r\nCall-ID:")
        #expect(r.method == "ACK")
        #expect(r.cseqNumber == 12 && r.cseqMethod == nil)
        #expect(r.fromUser == "a" && r.fromDomain == "b")
        #expect(r.toUser == nil && r.toDomain == nil)
        #expect(r.sessionID == "")
    }

    @Test func nonSIPUsesCorrelationID() {
        let r = Self.record("INVITE sip:a@b SIP/2.0\r\nCall-ID: not-parsed\r\n\r\n", protoType: 100,
                            correlationID: "the-call")
        #expect(r.sessionID == "the-call")
        #expect(r.correlationID == "the-call")
        #expect(r.method == nil)
        var off = HEPOptions()
        off.extractSIP = false
        #expect(Self.record("BYE sip:a@b SIP/2.0\r\nCall-ID: c\r\n\r\n", options: off).method == nil)
    }

    @Test func timestampAndAddresses() throws {
        var p = HEPPacket()
        p.timeSeconds = 0
        p.timeMicroseconds = 0
        p.payload = [0x41]
        #expect(HEPRecord(packet: p, receivedAt: 123).timestamp == 123)
        p.timeSeconds = 10
        p.timeMicroseconds = 7
        p.ipFamily = 10
        p.ipProtocol = 6
        p.srcAddress = HEPAddress("2001:0db8:0:0:0:0:2:1")
        p.dstAddress = HEPAddress("10.1.2.3")
        p.captureID = 0x07d2_0000
        p.vlan = 5
        p.nodeName = "n"
        let r = HEPRecord(packet: p, receivedAt: 123)
        #expect(r.timestamp == 10_000_007_000)
        #expect(r.srcIP == "2001:db8::2:1")
        #expect(r.dstIP == "10.1.2.3")
        #expect(r.captureID == 131_203_072)
        #expect(r.ipFamily == 10 && r.transport == 6 && r.vlan == 5 && r.nodeName == "n")
    }
}
