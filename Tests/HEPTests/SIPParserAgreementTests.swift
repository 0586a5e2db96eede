import Testing
import TestSupport
@testable import HEP

/// The one-pass `SIPParser` against the previous parser (`ReferenceSIPMessage`) on realistic messages and on
/// thousands of mutated ones (bytes that matter to the grammar inserted, deleted or swapped at random places), and
/// `withUTF8` against the `String` getters on each of them.
@Suite struct SIPParserAgreementTests {
    static let aLegHeaders = ["X-CID", "i"]

    /// Hand corpus: odd shapes the generator does not produce.
    static let corpus: [String] = [
        "INVITE sip:bob@biloxi.example.com SIP/2.0\r\nTo: Bob <sip:bob@biloxi.example.com>\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710@pc33\r\nCSeq: 314159 INVITE\r\nUser-Agent: Linphone/3.6\r\nX-CID: aleg\r\n\r\nv=0\r\n",
        "SIP/2.0 180 Ringing\r\nf: \"Alice, \\\"the\\\" <boss>\" <sips:alice@atlanta.com:5061;transport=tls>;TAG=abc\r\nt: <sip:bob@biloxi.com>;foo=bar; tag = xyz\r\ni: compact-id@host\r\nCSeq:   2   INVITE\r\nServer: Asterisk PBX 18\r\n\r\n",
        "REGISTER sip:registrar.example.com SIP/2.0\ncALL-iD: folded\n  -continued@host\nFROM: sip:+15551234@example.com;tag=t1\ntO   : \"Bob\" <tel:+15559876;phone-context=example.com>\nUser-Agent: Foo\n\tBar/1.0\ncseq: 7 REGISTER\n\nCall-ID: body",
        "OPTIONS sip:100@[2001:db8::1]:5060;transport=udp SIP/2.0\r\nFrom: \"a<b\" <sip:user:pw@host.com;user=phone>;tag=9\r\nTo: <sip:[::1]>\r\nCall-ID: x\r\n\r\n",
        "ACK sip:x@y SIP/2.0\r\nCSeq: 12\r\nFrom: <sip:a@b\r\nTo: sip:\r\nCall-ID:",
        "BYE tel:+1555 SIP/2.0\r\nFrom: <tel:+1666>;tag=\r\nTo: <mailto:x@y>\r\nUser-Agent: caf\u{e9} \u{1F600}\r\nCall-ID: id\rwith-cr\r\n\r\n",
    ]

    /// Bytes and fragments that steer the grammar.
    static let fragments: [[UInt8]] = ["<", ">", "@", ":", ";", "\"", "\\", "[", "]", " ", "\t", "\r", "\n", "\r\n",
                                       "\r\n ", "?", ",", "=", ";tag=", "sip:", "tel:", "sips:", "Call-ID:", "i:",
                                       "From:", "f:", "To:", "t: ", "CSeq: 9 ", "User-Agent:", "Server:", "X-CID:",
                                       "\u{e9}", "\u{ff}"].map { Array($0.utf8) } + [[0xff], [0xc3], [0x00], [0x80]]


    /// Compares the record built from `payload` with the reference; returns a description of the first difference.
    static func disagreement(_ payload: [UInt8]) -> String? {
        var p = HEPPacket()
        p.protoType = 1
        p.srcAddress = .v6(high: 0x2001_0db8_0000_0000, low: 0x0001_0000_0000_0001)
        p.payload = payload
        let r = HEPRecord(packet: p, receivedAt: 1, options: HEPOptions(aLegHeaders: aLegHeaders))
        let getters: [HEPRecord.TextField: String?] = [
            .sessionID: r.sessionID, .correlationID: r.correlationID, .method: r.method, .cseqMethod: r.cseqMethod,
            .fromUser: r.fromUser, .fromDomain: r.fromDomain, .fromTag: r.fromTag, .toUser: r.toUser,
            .toDomain: r.toDomain, .toTag: r.toTag, .ruriUser: r.ruriUser, .ruriDomain: r.ruriDomain,
            .userAgent: r.userAgent, .srcIP: r.srcIP, .dstIP: r.dstIP]
        // withUTF8 must give exactly the getter's bytes.
        for field in HEPRecord.TextField.allCases {
            let bytes = r.withUTF8(field) { $0.map(Array.init) }
            if bytes != getters[field]!.map({ Array($0.utf8) }) { return "withUTF8(\(field)) != getter" }
        }
        // The batch column path gives the same bytes and nulls.
        for field in HEPRecord.TextField.allCases {
            var data: [UInt8] = [], offsets: [Int32] = [0], validity = [true, true]
            let n = HEPRecord.appendColumn(field, of: [r, r], data: &data, offsets: &offsets, validity: &validity)
            let one = getters[field]!.map { Array($0.utf8) }
            let expected = one.map { $0 + $0 } ?? []
            if data != expected || n != (one == nil ? 0 : 2) || validity != [one != nil, one != nil]
                || offsets != [0, Int32(one?.count ?? 0), Int32(expected.count)] {
                return "appendColumn(\(field)) != getter"
            }
        }
        // The one-pass column builder too (the record twice, from two chunks, in reverse order).
        let columns = HEPRecordColumns([[r], [r]], order: [1 << 32, 0])
        for field in HEPRecord.TextField.allCases {
            let c = columns.text[field.rawValue]
            let one = getters[field]!.map { Array($0.utf8) }
            if c.data != (one.map { $0 + $0 } ?? []) || c.nonNull != (one == nil ? 0 : 2)
                || [c.isValid(0), c.isValid(1)] != [one != nil, one != nil]
                || c.offsets != [0, Int32(one?.count ?? 0), Int32(2 * (one?.count ?? 0))] {
                return "HEPRecordColumns(\(field)) != getter"
            }
        }
        if columns.payload.data != payload + payload { return "HEPRecordColumns payload" }
        let valid = String(validating: payload, as: UTF8.self) != nil
        if columns.invalidUTF8Rows != (valid ? [] : [0, 1]) { return "HEPRecordColumns UTF-8 check" }
        let reference = ReferenceSIPMessage.fields(payload, aLegHeaders: aLegHeaders)
        let expected = reference?.0 ?? [:]
        for field in HEPRecord.TextField.allCases where field != .srcIP && field != .dstIP {
            let want: String? = field == .sessionID ? (expected[field] ?? "") : expected[field]
            if getters[field]! != want { return "\(field): \(String(describing: getters[field]!)) != \(String(describing: want))" }
        }
        if r.responseCode != reference?.1 { return "responseCode" }
        if r.cseqNumber != reference?.2 { return "cseqNumber" }
        if r.srcIP != "2001:db8::1:0:0:1" || r.dstIP != "" { return "addresses" }
        return nil
    }

    @Test func agreesOnGeneratedTraffic() {
        var generator = SIPTrafficGenerator()
        for k in 0..<500 {
            let payload = generator.next(timestamp: Int64(k)).payload
            let d = Self.disagreement(payload)
            #expect(d == nil, "\(d ?? ""): \(String(decoding: payload, as: UTF8.self))")
        }
    }

    @Test func agreesOnMutatedMessages() {
        var generator = SIPTrafficGenerator()
        var bases = Self.corpus.map { Array($0.utf8) }
        for k in 0..<20 { bases.append(generator.next(timestamp: Int64(k)).payload) }
        var rng = SplitMix64(seed: 7)
        var failures = 0, parsed = 0
        for _ in 0..<4000 {
            var m = bases[rng.below(bases.count)]
            for _ in 0..<(1 + rng.below(4)) {
                let at = rng.below(m.count + 1)
                switch rng.below(4) {
                case 0, 1: m.insert(contentsOf: Self.fragments[rng.below(Self.fragments.count)], at: at)
                case 2: m.removeSubrange(at..<min(m.count, at + 1 + rng.below(8)))
                default: if at < m.count { m[at] = UInt8(truncatingIfNeeded: rng.next()) }
                }
            }
            // Cut the body off sometimes so the header scan reaches the end of the buffer.
            if rng.below(4) == 0 { m = Array(m.prefix(rng.below(m.count + 1))) }
            if ReferenceSIPMessage.fields(m, aLegHeaders: Self.aLegHeaders) != nil { parsed += 1 }
            if let d = Self.disagreement(m) {
                failures += 1
                if failures <= 5 { Issue.record("\(d): \(m)") }
            }
        }
        #expect(failures == 0)
        #expect(parsed > 2000, "most mutations must still parse as SIP, or the headers are not exercised")
    }
}
