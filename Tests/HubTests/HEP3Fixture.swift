import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Encodes HEP3 packets by hand from the HEP3 specification (rev. 37 §3: "HEP3" + total length, then chunks of
/// vendor 0, type, length incl. the 6-byte chunk header), independently of the HEP module, and sends them over TCP.
enum HEP3Fixture {
    static func chunk(_ type: UInt16, _ value: [UInt8]) -> [UInt8] {
        let len = UInt16(6 + value.count)
        return [0, 0, UInt8(type >> 8), UInt8(type & 0xff), UInt8(len >> 8), UInt8(len & 0xff)] + value
    }

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    static func be32(_ v: Int64) -> [UInt8] { [UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    static func ipv4(_ s: String) -> [UInt8] { s.split(separator: ".").map { UInt8($0) ?? 0 } }

    static func encode(_ m: SentMessage) -> [UInt8] {
        var body: [UInt8] = []
        body += chunk(0x0001, [2])  // IPv4
        body += chunk(0x0002, [17])  // UDP
        body += chunk(0x0003, ipv4(m.srcIP))
        body += chunk(0x0004, ipv4(m.dstIP))
        body += chunk(0x0007, be16(m.srcPort))
        body += chunk(0x0008, be16(m.dstPort))
        body += chunk(0x0009, be32(m.timestampMicros / 1_000_000))
        body += chunk(0x000a, be32(m.timestampMicros % 1_000_000))
        body += chunk(0x000b, [1])  // SIP
        body += chunk(0x000c, be32(2001))
        body += chunk(0x000f, Array(m.payload.utf8))
        let total = 6 + body.count
        return Array("HEP3".utf8) + be16(total) + body
    }

    /// Sends the messages as one HEP3-over-TCP stream to 127.0.0.1:port.
    static func send(_ messages: [SentMessage], port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw POSIXError(.ECONNREFUSED) }
        var stream: [UInt8] = []
        for m in messages { stream += encode(m) }
        var sent = 0
        while sent < stream.count {
            let n = stream[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw POSIXError(.EIO) }
            sent += n
        }
    }
}
