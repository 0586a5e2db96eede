import Foundation
import HEP
import TestSupport
import DuckLake

/// Synthetic SIP-like records for the lake tests: deterministic, spanning midnight, with some invalid UTF-8
/// payloads, IPv6 addresses and NULL-able fields left empty.
enum LakeFixtures {
    /// 2025-01-22 23:50:00 UTC in ns: batches cross into 2025-01-23.
    static let start: Int64 = 1_737_589_800_000_000_000

    static func records(_ count: Int, from offset: Int, prefix: String = "call") -> [HEPRecord] {
        (offset..<offset + count).map { i in
            let isRequest = i % 3 != 2
            var payload = Array("\(isRequest ? "INVITE sip:bob@example.com SIP/2.0" : "SIP/2.0 200 OK")\r\nCall-ID: \(prefix)-\(i / 5)\r\n\r\n".utf8)
            if i % 17 == 0 { payload += [0xFF, 0xFE, 0x00, 0xC3] }   // not UTF-8 → payload_bin
            return HEPRecord(
                timestamp: start + Int64(i) * 1_000_000_000 + Int64(i % 7) * 1_000, // 1 s apart, sub-µs jitter dropped
                sessionID: "\(prefix)-\(i / 5)", correlationID: i % 4 == 0 ? "x-\(i / 20)" : nil, protoType: 1,
                ipFamily: i % 5 == 0 ? 10 : 2, transport: i % 2 == 0 ? 17 : 6,
                srcIP: i % 5 == 0 ? "2001:db8::\(i % 9 + 1)" : "10.0.\(i % 4).\(i % 200)", dstIP: "10.1.0.1",
                srcPort: 5060, dstPort: Int32(5060 + i % 3), captureID: 2001, nodeName: i % 2 == 0 ? "node-a" : nil,
                vlan: nil, method: isRequest ? (i % 2 == 0 ? "INVITE" : "BYE") : nil,
                responseCode: isRequest ? nil : 200, cseqNumber: Int64(i % 10 + 1), cseqMethod: "INVITE",
                fromUser: "alice\(i % 13)", fromDomain: "example.com", fromTag: "t\(i)",
                toUser: "bob\(i % 11)", toDomain: "example.org", toTag: nil, ruriUser: "bob\(i % 11)",
                ruriDomain: "example.org", userAgent: "homer-test/1.0", payload: payload)
        }
    }
}
