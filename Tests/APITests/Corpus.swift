import API
import Foundation

/// Realistic SIP traffic for the tests: calls of 7 messages (INVITE … BYE/200), some with a B-leg linked by X-CID,
/// IPv4 and IPv6, UDP and TCP, odd characters in user names (`_`, `%`, `*`), an RTCP row and a binary payload.
/// Timestamps are distinct and microsecond-aligned, as the lake stores them.
enum Corpus {
    /// 2025-01-22T00:00:00Z, the seed's oldest_data.
    static let base: Int64 = 1_737_504_000_000_000_000
    static let second: Int64 = 1_000_000_000

    static let agents = ["Kamailio (5.6.3 (x86_64/linux))", "PolycomVVX-VVX_411-UA/6.3.1", "Asterisk PBX 18.10.0"]

    /// `calls` calls, call i starting at base + i·10 s; every odd call has a B-leg.
    static func records(calls: Int, start: Int64 = base) -> [SearchRecord] {
        var out: [SearchRecord] = []
        for i in 0..<calls {
            let t0 = start + Int64(i) * 10 * second
            let callID = "c\(i)-\(String(i * 7919, radix: 16))@10.0.\(i % 4).1"
            let from = i % 13 == 5 ? "a_b%c\(i)" : "alice\(i % 7)"
            let to = i % 17 == 3 ? "star*\(i)" : "bob\(i % 11)"
            let v6 = i % 5 == 4
            let caller = v6 ? "2001:db8::\(i % 9 + 1)" : "10.0.\(i % 4).\(i % 200 + 10)"
            let proxy = v6 ? "2001:db8::100" : "192.168.1.1"
            let tcp = i % 3 == 2
            out += leg(callID: callID, correlation: nil, t0: t0, from: from, to: to, a: caller, aPort: 5060 + Int32(i % 3),
                       b: proxy, bPort: 5060, tcp: tcp, agent: agents[i % 3], node: i % 2 == 0 ? "node-a" : "node-b",
                       capture: i % 2 == 0 ? 2001 : 2002)
            if i % 2 == 1 {
                let bCall = "b\(i)-leg@sbc.example"
                out += leg(callID: bCall, correlation: callID, t0: t0 + 500_000, from: from, to: to, a: proxy,
                           aPort: 5080, b: v6 ? "2001:db8::200" : "172.16.0.\(i % 50 + 2)", bPort: 5060, tcp: tcp,
                           agent: agents[(i + 1) % 3], node: "node-b", capture: 2002)
            }
            if i % 10 == 7 {
                // RTCP report: proto 5, session_id = correlation id = the Call-ID, a binary payload.
                out.append(SearchRecord(timestamp: t0 + 5 * second, sessionID: callID, correlationID: callID,
                                        protoType: 5, ipFamily: 2, transport: 17, srcIP: "10.0.0.9", dstIP: "10.0.0.8",
                                        srcPort: 40001, dstPort: 40003, captureID: 2001, nodeName: "node-a",
                                        payloadBin: [0x81, 0xC8, 0x00, 0x0C, 0xFF, 0xFE, 0x41, 0x42, 0x00, 0x9F]))
            }
        }
        return out
    }

    private static func leg(callID: String, correlation: String?, t0: Int64, from: String, to: String, a: String,
                            aPort: Int32, b: String, bPort: Int32, tcp: Bool, agent: String, node: String,
                            capture: Int64) -> [SearchRecord] {
        let steps: [(String?, Int32?, String, Bool)] = [
            ("INVITE", nil, "INVITE", true), (nil, 100, "INVITE", false), (nil, 180, "INVITE", false),
            (nil, 200, "INVITE", false), ("ACK", nil, "ACK", true), ("BYE", nil, "BYE", true), (nil, 200, "BYE", false),
        ]
        let fromTag = "ft\(callID.hashValueStable)"
        let toTag = "tt\(callID.hashValueStable)"
        let v6 = a.contains(":")
        return steps.enumerated().map { n, step in
            let (method, code, cseqMethod, request) = step
            let ts = t0 + Int64(n) * (n == 5 ? 3 * second : 20_000_000) + Int64(n) * 1000
            let cseq: Int64 = cseqMethod == "BYE" ? 2 : 1
            let (src, sp, dst, dp) = request ? (a, aPort, b, bPort) : (b, bPort, a, aPort)
            let host = v6 ? "[\(b)]" : b
            let first = request ? "\(method!) sip:\(to)@\(host) SIP/2.0" : "SIP/2.0 \(code!) \(reason(code!))"
            var sip = "\(first)\r\nVia: SIP/2.0/\(tcp ? "TCP" : "UDP") \(v6 ? "[\(src)]" : src):\(sp);branch=z9hG4bK\(n)\(callID.hashValueStable)\r\n"
            sip += "From: <sip:\(from)@example.com>;tag=\(fromTag)\r\n"
            sip += "To: <sip:\(to)@example.com>\(n == 0 ? "" : ";tag=\(toTag)")\r\n"
            sip += "Call-ID: \(callID)\r\nCSeq: \(cseq) \(cseqMethod)\r\n"
            if let correlation { sip += "X-CID: \(correlation)\r\n" }
            sip += "\(request ? "User-Agent" : "Server"): \(agent)\r\nContent-Length: 0\r\n\r\n"
            return SearchRecord(timestamp: ts, sessionID: callID, correlationID: correlation, protoType: 1,
                                ipFamily: v6 ? 10 : 2, transport: tcp ? 6 : 17, srcIP: src, dstIP: dst, srcPort: sp,
                                dstPort: dp, captureID: capture, nodeName: node, method: method, responseCode: code,
                                cseqNumber: cseq, cseqMethod: cseqMethod, fromUser: from, fromDomain: "example.com",
                                fromTag: fromTag, toUser: to, toDomain: "example.com", toTag: n == 0 ? nil : toTag,
                                ruriUser: request ? to : nil, ruriDomain: request ? (v6 ? "[\(b)]" : b) : nil,
                                userAgent: agent, payload: sip)
        }
    }

    private static func reason(_ code: Int32) -> String {
        switch code { case 100: "Trying"; case 180: "Ringing"; default: "OK" }
    }

    /// Records as JSON lines (the API's record format), for the DuckDB oracle.
    static func jsonl(_ records: [SearchRecord]) -> Data {
        var bytes: [UInt8] = []
        for r in records {
            var w = JSONWriter()
            r.write(to: &w)
            bytes += w.bytes
            bytes.append(10)
        }
        return Data(bytes)
    }
}

extension String {
    /// A hash that is the same in every run (Swift's `hashValue` is seeded per process).
    var hashValueStable: String {
        var h: UInt32 = 2_166_136_261
        for b in utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return String(h, radix: 36)
    }
}
