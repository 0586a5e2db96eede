import Foundation
import Testing
import TestSupport
@testable import HEP

@Suite struct SIPTrafficGeneratorTests {
    @Test func deterministicAndWellFormedDialogs() throws {
        var a = SIPTrafficGenerator(), b = SIPTrafficGenerator()
        let pa = a.packets(count: 600, start: 1_700_000_000_000_000_000)
        #expect(pa == b.packets(count: 600, start: 1_700_000_000_000_000_000))
        var other = SIPTrafficGenerator(options: { var o = SIPTrafficGenerator.Options(); o.seed = 2; return o }())
        #expect(other.packets(count: 10, start: 0) != Array(pa.prefix(10)))

        // Group by Call-ID: every dialog is one of the three flows, in order.
        var flows: [String: [String]] = [:], order: [String] = []
        for p in pa {
            #expect(p.captureID == 2001 && p.protoType == 1 && p.ipFamily == 2 && p.ipProtocol == 17)
            let r = HEPRecord(packet: try HEPDecoder.decode(HEPEncoder.encode(p)), receivedAt: 0)
            #expect(!r.sessionID.isEmpty)
            #expect(r.fromUser != nil && r.fromTag != nil && r.toUser != nil && r.cseqNumber != nil)
            #expect(r.userAgent != nil)
            if flows[r.sessionID] == nil { order.append(r.sessionID) }
            flows[r.sessionID, default: []].append(r.method ?? String(r.responseCode ?? 0))
        }
        let call = ["INVITE", "100", "180", "200", "ACK", "BYE", "200"]
        let register = ["REGISTER", "401", "REGISTER", "200"], options = ["OPTIONS", "200"]
        var kinds = Set<Int>()
        for id in order {
            let f = flows[id]!
            let matches = [call, register, options].firstIndex { $0.starts(with: f) }
            #expect(matches != nil, "dialog \(id): \(f)")
            if let m = matches, f.count == [call, register, options][m].count { kinds.insert(m) }
        }
        #expect(kinds == [0, 1, 2])
        #expect(Set(pa.map(\.srcAddress)).count > 20)
    }

    /// tshark as the judge of both the generator (valid SIP) and our SIP extraction: written as a pcap, every message
    /// is dissected as SIP and tshark's method/status, Call-ID, CSeq, From/To/R-URI user+host, tags and
    /// User-Agent/Server equal our HEPRecord fields.
    @Test func tsharkAgreesWithOurExtraction() throws {
        var g = SIPTrafficGenerator()
        let packets = g.packets(count: 300, start: 1_700_000_000_000_000_000)
        var writer = PcapWriter()
        var expected: [String] = []
        for p in packets {
            let r = HEPRecord(packet: p, receivedAt: 0)
            writer.append(record: r)
            let fields: [String?] = [r.method, r.responseCode.map(String.init), r.sessionID,
                                     r.cseqNumber.map(String.init), r.cseqMethod, r.fromUser, r.fromDomain, r.fromTag,
                                     r.toUser, r.toDomain, r.toTag, r.ruriUser, r.ruriDomain, r.userAgent]
            expected.append(fields.map { $0 ?? "" }.joined(separator: "|"))
        }
        let dir = try Oracle.temporaryDirectory("hep-gen")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("gen.pcap").path
        try Data(writer.bytes).write(to: URL(fileURLWithPath: path))
        var args = ["-r", path, "-Y", "sip", "-T", "fields", "-E", "separator=|"]
        for f in ["sip.Method", "sip.Status-Code", "sip.Call-ID", "sip.CSeq.seq", "sip.CSeq.method", "sip.from.user",
                  "sip.from.host", "sip.from.tag", "sip.to.user", "sip.to.host", "sip.to.tag", "sip.r-uri.user",
                  "sip.r-uri.host", "sip.User-Agent", "sip.Server"] { args += ["-e", f] }
        let out = try Oracle.run("tshark", args)
        let seen = out.split(separator: "\n").map { line -> String in
            var f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let server = f.removeLast()
            if f[13].isEmpty { f[13] = server } // our userAgent = User-Agent, else Server
            return f.joined(separator: "|")
        }
        #expect(seen.count == packets.count)
        for (s, e) in zip(seen, expected) { #expect(s == e) }
    }
}
