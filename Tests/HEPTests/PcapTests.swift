import Foundation
import Testing
import TestSupport
@testable import HEP

/// Pcap reading and writing, judged by tshark (Wireshark 4.0 dissectors) and by captures of real sipp traffic.
@Suite struct PcapTests {
    /// One SIP message as tshark sees it.
    struct Seen: Equatable, CustomStringConvertible {
        var time: Int64, src: String, srcPort: Int, dst: String, dstPort: Int, callID: String, checksumsGood: Bool
        var description: String { "\(time) \(src):\(srcPort) → \(dst):\(dstPort) \(callID) ok=\(checksumsGood)" }
    }

    static func tshark(_ path: String, ports: Set<Int>) throws -> [Seen] {
        var args = ["-r", path, "-Y", "sip", "-T", "fields", "-E", "separator=|",
                    "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                    "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.dst", "-e", "ipv6.dst",
                    "-e", "udp.srcport", "-e", "tcp.srcport", "-e", "udp.dstport", "-e", "tcp.dstport",
                    "-e", "sip.Call-ID", "-e", "ip.checksum.status", "-e", "udp.checksum.status",
                    "-e", "tcp.checksum.status"]
        for p in ports.sorted() { args += ["-d", "udp.port==\(p),sip", "-d", "tcp.port==\(p),sip"] }
        let out: String
        do {
            out = try Oracle.run("tshark", args)
        } catch {
            Issue.record("tshark is required (apt-get install tshark): \(error)")
            throw error
        }
        return out.split(separator: "\n").map { line in
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            // frame.time_epoch has 9 decimals: convert exactly to ns.
            let parts = f[0].split(separator: ".")
            let ns = Int64(parts[0])! * 1_000_000_000 + Int64(parts[1].padding(toLength: 9, withPad: "0", startingAt: 0))!
            let statuses = [f[10], f[11], f[12]].filter { !$0.isEmpty }
            return Seen(time: ns, src: f[1].isEmpty ? f[2] : f[1], srcPort: Int(f[5].isEmpty ? f[6] : f[5]) ?? -1,
                        dst: f[3].isEmpty ? f[4] : f[3], dstPort: Int(f[7].isEmpty ? f[8] : f[7]) ?? -1,
                        callID: f[9], checksumsGood: !statuses.isEmpty && statuses.allSatisfy { $0 == "1" })
        }
    }

    static func seen(_ packets: [PcapPacket], checksumsGood: Bool) -> [Seen] {
        packets.map { p in
            let r = HEPRecord(packet: p.hepPacket(captureID: 1), receivedAt: 0)
            return Seen(time: p.timestamp, src: p.srcAddress.description, srcPort: Int(p.srcPort),
                        dst: p.dstAddress.description, dstPort: Int(p.dstPort), callID: r.sessionID,
                        checksumsGood: checksumsGood)
        }
    }

    /// Real captures of sipp traffic (tcpdump on lo: Ethernet IPv4 UDP, Ethernet IPv6 UDP, `-i any` SLL2 TCP):
    /// our reader extracts exactly the SIP messages tshark shows, with the same addresses, ports, times, Call-IDs.
    @Test(arguments: [("sipp-udp", 15070, 30), ("sipp-udp-ipv6", 15090, 12), ("sipp-tcp-sll2", 15080, 6)])
    func realCaptureMatchesTshark(_ name: String, _ port: Int, _ count: Int) throws {
        let url = try Fixtures.url("pcap/\(name)", "pcap")
        let packets = try PcapReader.packets(in: Array(try Data(contentsOf: url)))
        let expected = try Self.tshark(url.path, ports: [port])
        #expect(expected.count == count)
        // tshark's checksum status on loopback captures is "unverified"/offloaded: compare the rest.
        let ours = Self.seen(packets, checksumsGood: false).map { s -> Seen in var s = s; s.checksumsGood = false; return s }
        #expect(ours == expected.map { var s = $0; s.checksumsGood = false; return s })
    }

    /// The same capture rewritten into every other supported file shape reads back identically.
    @Test func fileVariantsReadTheSame() throws {
        let url = try Fixtures.url("pcap/sipp-udp", "pcap")
        let reference = try PcapReader.packets(in: Array(try Data(contentsOf: url)))
        let dir = try Oracle.temporaryDirectory("hep-pcap")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Oracle.runPython("hep_pcap_variants.py", [url.path, dir.path])
        for variant in ["be", "ns", "vlan", "raw", "ipv4", "null", "sll"] {
            let bytes = Array(try Data(contentsOf: dir.appendingPathComponent("\(variant).pcap")))
            let reader = try PcapReader(bytes: bytes)
            #expect(reader.nanosecondResolution == (variant == "ns"))
            #expect(try PcapReader.packets(in: bytes) == reference, "variant \(variant)")
        }
    }

    /// PcapWriter output: tshark dissects every message as SIP with the right Call-ID, addresses, ports and times,
    /// and finds the IP/UDP/TCP checksums correct; our reader reads back what was written.
    @Test(arguments: [false, true])
    func writerOutputDecodesInTshark(_ nanoseconds: Bool) throws {
        var rng = TestRandom(seed: 11)
        var packets: [PcapPacket] = []
        let families: [Bool] = [true, false]
        for i in 0..<40 {
            let v4 = families[i % 2]
            let src: HEPAddress = v4 ? .v4(0x0a00_0000 | UInt32(i + 1)) : .v6(high: 0x2001_0db8_0000_0000, low: UInt64(i + 1))
            let dst: HEPAddress = v4 ? .v4(0xc0a8_0101) : .v6(high: 0x2001_0db8_0000_0001, low: 0x5060)
            let tcp = i % 4 >= 2
            let callID = "call-\(i)-\(rng.next() % 100000)@test"
            let sip = "OPTIONS sip:100@example.com SIP/2.0\r\nVia: SIP/2.0/\(tcp ? "TCP" : "UDP") h;branch=z9hG4bK\(i)\r\n"
                + "From: <sip:a@example.com>;tag=\(i)\r\nTo: <sip:100@example.com>\r\nCall-ID: \(callID)\r\n"
                + "CSeq: \(i) OPTIONS\r\nContent-Length: 0\r\n\r\n"
            packets.append(PcapPacket(timestamp: 1_700_000_000_000_000_000 + Int64(i) * 1_234_567,
                                      srcAddress: src, dstAddress: dst, transport: tcp ? 6 : 17,
                                      srcPort: UInt16(20000 + i), dstPort: 5060, payload: Array(sip.utf8)))
        }
        var writer = PcapWriter(nanosecondResolution: nanoseconds)
        for p in packets { writer.append(p) }
        let dir = try Oracle.temporaryDirectory("hep-pcapw")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.pcap").path
        try Data(writer.bytes).write(to: URL(fileURLWithPath: path))
        let seen = try Self.tshark(path, ports: [5060])
        var expected = Self.seen(packets, checksumsGood: true)
        if !nanoseconds { expected = expected.map { var s = $0; s.time = s.time / 1000 * 1000; return s } }
        #expect(seen == expected)
        let back = try PcapReader.packets(in: writer.bytes)
        #expect(back.map(\.payload) == packets.map(\.payload))
        #expect(back.map(\.srcAddress) == packets.map(\.srcAddress))
        #expect(back.map(\.transport) == packets.map(\.transport))
    }

    @Test func badFiles() {
        func reason(_ b: [UInt8]) -> HEPError.Reason? {
            do { _ = try PcapReader.packets(in: b); return nil } catch { return error.reason }
        }
        #expect(reason([]) == .badPcap)
        #expect(reason([UInt8](repeating: 0, count: 24)) == .badPcap)
        var w = PcapWriter()
        w.append(PcapPacket(timestamp: 1, srcAddress: .v4(1), dstAddress: .v4(2), transport: 17, srcPort: 1, dstPort: 2,
                            payload: [1, 2, 3]))
        let good = w.bytes
        #expect(reason(good) == nil)
        for n in 25..<good.count { #expect(reason(Array(good.prefix(n))) == .badPcap, "prefix \(n)") }
        var rng = TestRandom(seed: 3)
        for _ in 0..<2000 { // random corruption after the header: throws or returns, never traps
            var b = good
            for _ in 0..<3 { b[Int.random(in: 24..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = reason(b)
        }
    }
}
