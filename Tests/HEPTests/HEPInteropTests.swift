import Foundation
import Testing
import TestSupport
@testable import HEP
#if canImport(Glibc)
import Glibc
#endif

/// The codec against a real third-party HEP peer: sngrep 1.6 (Debian 12) as HEP sender and as HEP receiver.
@Suite(.serialized) struct HEPInteropTests {
    /// A bound loopback UDP socket with a receive timeout.
    final class UDPSocket {
        let fd: Int32
        let port: Int
        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            self.fd = fd
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
            try #require(rc == 0, "bind failed")
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            self.port = Int(UInt16(bigEndian: addr.sin_port))
            var tv = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var size: Int32 = 4 << 20
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        deinit { close(fd) }

        /// Datagrams until none arrives for one second.
        func drain() -> [[UInt8]] {
            var out: [[UInt8]] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return out }
                out.append(Array(buf.prefix(n)))
            }
        }

        func send(_ bytes: [UInt8], toPort: Int) {
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = UInt16(toPort).bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = bytes.withUnsafeBytes { b in
                withUnsafePointer(to: &addr) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, b.baseAddress, b.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
    }

    static func requireSngrep() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/sngrep"),
                     "sngrep is required (apt-get install sngrep, see scripts/setup.sh)")
    }

    /// sngrep replays a sipp capture as HEPv3 to us: every datagram decodes, and matches the pcap packet by packet
    /// (addresses, ports, µs timestamp, payload). sngrep's capture-id quirk is kept as the wire says: id 2002 is
    /// written as htons(2002) + two zero bytes, i.e. 0x07d20000 read big-endian.
    @Test func decodesWhatSngrepSends() throws {
        try Self.requireSngrep()
        let url = try Fixtures.url("pcap/sipp-udp", "pcap")
        let expected = try PcapReader.packets(in: Array(try Data(contentsOf: url)))
        let socket = try UDPSocket()
        try Oracle.run("sngrep", ["-N", "-q", "-F", "-H", "udp:127.0.0.1:\(socket.port)", "-I", url.path])
        let datagrams = socket.drain()
        try #require(datagrams.count == expected.count)
        for (d, e) in zip(datagrams, expected) {
            let p = try HEPDecoder.decode(d)
            #expect(p.version == 3 && p.protoType == 1 && p.ipProtocol == 17 && p.ipFamily == 2)
            #expect(p.captureID == 0x07d2_0000)
            #expect(p.srcAddress == e.srcAddress && p.dstAddress == e.dstAddress)
            #expect(p.srcPort == e.srcPort && p.dstPort == e.dstPort)
            #expect(p.timestampNanoseconds == e.timestamp / 1000 * 1000)
            #expect(p.payload == e.payload)
        }
    }

    /// We encode the same capture as HEPv3 and sngrep, listening as a HEP receiver, writes the SIP back to a pcap:
    /// it must hold every message with the original addresses, ports and payloads.
    @Test func sngrepReceivesOurEncoding() throws {
        try Self.requireSngrep()
        let url = try Fixtures.url("pcap/sipp-udp", "pcap")
        let packets = try PcapReader.packets(in: Array(try Data(contentsOf: url)))
        let dir = try Oracle.temporaryDirectory("hep-sngrep")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rx = dir.appendingPathComponent("rx.pcap")
        let port = Ports.free()
        let sngrep = Process()
        sngrep.executableURL = URL(fileURLWithPath: "/usr/bin/sngrep")
        sngrep.arguments = ["-N", "-q", "-F", "-L", "udp:127.0.0.1:\(port)", "-O", rx.path]
        sngrep.standardOutput = FileHandle.nullDevice
        sngrep.standardError = FileHandle.nullDevice
        try sngrep.run()
        // sngrep writes each packet to the pcap as it arrives, so it is stopped with SIGKILL: SIGTERM is not delivered
        // when the test runner's blocked signal mask is inherited, and the test would hang.
        defer { if sngrep.isRunning { kill(sngrep.processIdentifier, SIGKILL) } }
        Thread.sleep(forTimeInterval: 1.0)
        let socket = try UDPSocket()
        for p in packets {
            socket.send(HEPEncoder.encode(p.hepPacket(captureID: 77)), toPort: port)
            Thread.sleep(forTimeInterval: 0.002)
        }
        Thread.sleep(forTimeInterval: 1.0)
        kill(sngrep.processIdentifier, SIGKILL)
        sngrep.waitUntilExit()
        let back = try PcapReader.packets(in: Array(try Data(contentsOf: rx)))
        #expect(back.count == packets.count)
        #expect(back.map(\.payload) == packets.map(\.payload))
        #expect(back.map(\.srcAddress) == packets.map(\.srcAddress))
        #expect(back.map(\.dstPort) == packets.map(\.dstPort))
        #expect(back.map(\.srcPort) == packets.map(\.srcPort))
    }
}
