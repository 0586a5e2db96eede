/// Deterministic, realistic synthetic SIP traffic as HEPv3 packets, for `homer send --generate` and the benches.
///
/// Several dialogs run interleaved (like a real capture point sees them). Each dialog is one of
/// - a call: INVITE (SDP) → 100 Trying → 180 Ringing → 200 OK (SDP) → ACK → BYE → 200 OK;
/// - a registration: REGISTER → 401 (digest challenge) → REGISTER (Authorization) → 200 OK;
/// - a keep-alive: OPTIONS → 200 OK.
/// Every dialog has a unique Call-ID; From/To users are phone numbers or extensions; user agents, IPv4 addresses and
/// ports vary; some calls carry an `X-CID` A-leg header. The same seed gives the same packets (timestamps are the
/// caller's).
///
/// Every packet of one generator is identified by (Call-ID, CSeq number, CSeq method, request method or status code):
/// end-to-end tests use that key to check the lake holds each sent packet exactly once. Different seeds give
/// unrelated streams, hence different Call-IDs (`homer send --generate --seed N`).
public struct SIPTrafficGenerator: Sendable {
    /// What to generate.
    public struct Options: Sendable {
        /// PRNG seed. Default 1.
        public var seed: UInt64 = 1
        /// HEP capture agent id written into every packet. Default 2001.
        public var captureID: UInt32 = 2001
        /// HEP node name (chunk 0x0013), nil for none. Default nil.
        public var nodeName: String? = nil
        /// Relative weights of calls, registrations and OPTIONS pings. Default 70/20/10.
        public var callWeight = 70, registerWeight = 20, optionsWeight = 10
        /// Dialogs in progress at once (their messages interleave). Default 16.
        public var concurrentDialogs = 16
        /// Share of calls that carry an `X-CID` header (0…1). Default 0.1.
        public var aLegShare = 0.1

        public init() {}
    }

    private struct Message: Sendable {
        var payload: String
        var fromClient: Bool
    }

    private struct Dialog: Sendable {
        var messages: [Message]
        var next = 0
        var client: UInt32
        var clientPort: UInt16
        var server: UInt32
    }

    /// Options in use.
    public let options: Options
    private var rng: UInt64
    private var dialogs: [Dialog] = []
    private var counter = 0
    /// Number of dialogs started so far.
    public var dialogsStarted: Int { counter }

    public init(options: Options = Options()) {
        self.options = options
        // Start from the seed run through SplitMix64's output mix. SplitMix64 advances its state by a fixed constant,
        // so starting at `seed × constant` (as before) made seed n + k replay seed n's stream k draws later: runs with
        // different seeds sent the same Call-IDs (found by the crash test, which needs keys unique across runs).
        var z = options.seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        rng = z ^ (z >> 31)
    }

    private mutating func random() -> UInt64 {
        // SplitMix64 (deterministic, fast).
        rng &+= 0x9E37_79B9_7F4A_7C15
        var z = rng
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { Int(random() % UInt64(max(n, 1))) }

    private mutating func hex(_ digits: Int) -> String {
        var s = String(random(), radix: 16)
        while s.count < digits { s = "0" + s }
        return String(s.suffix(digits))
    }

    /// The next packet, stamped with `timestamp` (ns since the Unix epoch).
    public mutating func next(timestamp: Int64) -> HEPPacket {
        let width = max(options.concurrentDialogs, 1)
        while dialogs.count < width { dialogs.append(newDialog()) }
        let k = below(dialogs.count)
        let message = dialogs[k].messages[dialogs[k].next]
        let d = dialogs[k]
        dialogs[k].next += 1
        if dialogs[k].next == dialogs[k].messages.count { dialogs[k] = newDialog() }

        var p = HEPPacket()
        p.ipFamily = 2
        p.ipProtocol = 17
        p.srcAddress = .v4(message.fromClient ? d.client : d.server)
        p.dstAddress = .v4(message.fromClient ? d.server : d.client)
        p.srcPort = message.fromClient ? d.clientPort : 5060
        p.dstPort = message.fromClient ? 5060 : d.clientPort
        let t = max(0, timestamp)
        p.timeSeconds = UInt32(truncatingIfNeeded: t / 1_000_000_000)
        p.timeMicroseconds = UInt32((t % 1_000_000_000) / 1_000)
        p.protoType = 1
        p.captureID = options.captureID
        p.nodeName = options.nodeName
        p.payload = Array(message.payload.utf8)
        return p
    }

    /// `count` packets with timestamps `start`, `start + interval`, …
    public mutating func packets(count: Int, start: Int64, interval: Int64 = 1_000_000) -> [HEPPacket] {
        (0..<count).map { next(timestamp: start + Int64($0) * interval) }
    }

    static let userAgents = ["Yealink SIP-T46S 66.86.0.15", "Linphone/5.2.0 (belle-sip/5.2.0)", "Zoiper rv2.10.19.6",
                             "Grandstream GXP2170 1.0.11.23", "Cisco-CP8845/14.2.1", "PolycomVVX-VVX_411-UA/6.4.3.5018",
                             "MicroSIP/3.21.3", "Snom D785/10.1.141.13"]
    static let servers = ["FreeSWITCH-mod_sofia/1.10.9-release", "Asterisk PBX 20.5.0", "kamailio (5.6.3 (x86_64/linux))",
                          "OpenSIPS (3.4.2 (x86_64/linux))"]
    static let domains = ["sip.example.com", "voip.example.net", "pbx.example.org"]

    private mutating func user() -> String {
        below(3) == 0 ? String(1000 + below(9000)) : "+4930" + String(1_000_000 + below(9_000_000))
    }

    private mutating func newDialog() -> Dialog {
        counter += 1
        let client = 0x0a00_0000 | UInt32(truncatingIfNeeded: random() & 0x00ff_ffff) | 1
        let server = 0xc0a8_0000 | UInt32(1 + below(4))
        let clientPort = UInt16(5060 + below(2) * (10000 + below(50000)))
        let ip = HEPAddress.v4(client).description, proxy = HEPAddress.v4(server).description
        let callID = hex(16) + "-\(counter)@" + ip
        let domain = Self.domains[below(Self.domains.count)]
        let ua = Self.userAgents[below(Self.userAgents.count)]
        let server_ = Self.servers[below(Self.servers.count)]
        let from = user(), fromTag = hex(10), branch = "z9hG4bK" + hex(12)
        let via = "Via: SIP/2.0/UDP \(ip):\(clientPort);branch=\(branch);rport"
        let total = options.callWeight + options.registerWeight + options.optionsWeight
        let pick = below(total)
        var m: [Message] = []
        func msg(_ lines: [String], body: String = "", client: Bool) {
            let text = lines.joined(separator: "\r\n") + "\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
            m.append(Message(payload: text, fromClient: client))
        }
        if pick < options.callWeight {
            let to = user(), toTag = hex(8), sdpID = String(random() % 1_000_000_000)
            let media = 10000 + 2 * below(10000)
            func sdp(_ host: String) -> String {
                "v=0\r\no=- \(sdpID) \(sdpID) IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                    + "m=audio \(media) RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
                    + "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
            }
            let offer = sdp(ip), answer = sdp(proxy)
            let fromH = "From: <sip:\(from)@\(domain)>;tag=\(fromTag)"
            let toH = "To: <sip:\(to)@\(domain)>", toT = toH + ";tag=\(toTag)"
            let cid = "Call-ID: \(callID)"
            var invite = ["INVITE sip:\(to)@\(domain) SIP/2.0", via, "Max-Forwards: 70", fromH, toH, cid, "CSeq: 1 INVITE",
                          "Contact: <sip:\(from)@\(ip):\(clientPort)>", "User-Agent: \(ua)",
                          "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY", "Content-Type: application/sdp"]
            if Double(below(1000)) < options.aLegShare * 1000 { invite.append("X-CID: " + hex(16) + "@a-leg") }
            msg(invite, body: offer, client: true)
            msg(["SIP/2.0 100 Trying", via, fromH, toH, cid, "CSeq: 1 INVITE", "Server: \(server_)"], client: false)
            msg(["SIP/2.0 180 Ringing", via, fromH, toT, cid, "CSeq: 1 INVITE", "Contact: <sip:\(to)@\(proxy)>",
                 "Server: \(server_)"], client: false)
            msg(["SIP/2.0 200 OK", via, fromH, toT, cid, "CSeq: 1 INVITE", "Contact: <sip:\(to)@\(proxy)>",
                 "Server: \(server_)", "Content-Type: application/sdp"], body: answer, client: false)
            let via2 = "Via: SIP/2.0/UDP \(ip):\(clientPort);branch=z9hG4bK" + hex(12) + ";rport"
            msg(["ACK sip:\(to)@\(proxy) SIP/2.0", via2, "Max-Forwards: 70", fromH, toT, cid, "CSeq: 1 ACK",
                 "User-Agent: \(ua)"], client: true)
            let via3 = "Via: SIP/2.0/UDP \(ip):\(clientPort);branch=z9hG4bK" + hex(12) + ";rport"
            msg(["BYE sip:\(to)@\(proxy) SIP/2.0", via3, "Max-Forwards: 70", fromH, toT, cid, "CSeq: 2 BYE",
                 "User-Agent: \(ua)"], client: true)
            msg(["SIP/2.0 200 OK", via3, fromH, toT, cid, "CSeq: 2 BYE", "Server: \(server_)"], client: false)
        } else if pick < options.callWeight + options.registerWeight {
            let aor = "<sip:\(from)@\(domain)>", cid = "Call-ID: \(callID)", nonce = hex(16) + hex(16)
            let contact = "Contact: <sip:\(from)@\(ip):\(clientPort)>;expires=3600"
            msg(["REGISTER sip:\(domain) SIP/2.0", via, "Max-Forwards: 70", "From: \(aor);tag=\(fromTag)", "To: \(aor)",
                 cid, "CSeq: 1 REGISTER", contact, "User-Agent: \(ua)", "Expires: 3600"], client: true)
            msg(["SIP/2.0 401 Unauthorized", via, "From: \(aor);tag=\(fromTag)", "To: \(aor);tag=" + hex(8), cid,
                 "CSeq: 1 REGISTER", "WWW-Authenticate: Digest realm=\"\(domain)\", nonce=\"\(nonce)\", algorithm=MD5",
                 "Server: \(server_)"], client: false)
            let via2 = "Via: SIP/2.0/UDP \(ip):\(clientPort);branch=z9hG4bK" + hex(12) + ";rport"
            msg(["REGISTER sip:\(domain) SIP/2.0", via2, "Max-Forwards: 70", "From: \(aor);tag=\(fromTag)", "To: \(aor)",
                 cid, "CSeq: 2 REGISTER", contact,
                 "Authorization: Digest username=\"\(from)\", realm=\"\(domain)\", nonce=\"\(nonce)\", "
                    + "uri=\"sip:\(domain)\", response=\"\(hex(16))\(hex(16))\", algorithm=MD5",
                 "User-Agent: \(ua)", "Expires: 3600"], client: true)
            msg(["SIP/2.0 200 OK", via2, "From: \(aor);tag=\(fromTag)", "To: \(aor);tag=" + hex(8), cid,
                 "CSeq: 2 REGISTER", contact, "Server: \(server_)"], client: false)
        } else {
            // The proxy pings the client (NAT keep-alive / qualify).
            let pvia = "Via: SIP/2.0/UDP \(proxy):5060;branch=\(branch)"
            let fromH = "From: <sip:ping@\(domain)>;tag=\(fromTag)", toH = "To: <sip:\(from)@\(ip):\(clientPort)>"
            msg(["OPTIONS sip:\(from)@\(ip):\(clientPort) SIP/2.0", pvia, "Max-Forwards: 70", fromH, toH,
                 "Call-ID: \(callID)", "CSeq: 1 OPTIONS", "User-Agent: \(server_)"], client: false)
            msg(["SIP/2.0 200 OK", pvia, fromH, toH + ";tag=" + hex(8), "Call-ID: \(callID)", "CSeq: 1 OPTIONS",
                 "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS", "User-Agent: \(ua)"], client: true)
        }
        return Dialog(messages: m, client: client, clientPort: clientPort, server: server)
    }
}
