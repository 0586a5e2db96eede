/// Writes classic libpcap files in memory: Ethernet frames with synthesized IPv4/IPv6 and UDP/TCP headers around
/// each payload, so Wireshark/tshark/sngrep dissect the SIP inside (used to export calls as pcap).
///
/// Headers: Ethernet II (locally administered MACs 02:00:00:00:00:01 → :02), IPv4 (RFC 791, DF set, TTL 64, header
/// checksum) or IPv6 (RFC 8200, hop limit 64), UDP (RFC 768) or TCP (RFC 9293, PSH|ACK, per-direction sequence
/// numbers continuing across segments so TCP reassembly works), transport checksums over the pseudo-header
/// (RFC 768, RFC 8200 §8.1). Payloads longer than fit in one IP packet are cut, and the record says so
/// (captured length < original length is not used: the headers describe the cut payload).
public struct PcapWriter: Sendable {
    /// The file bytes written so far (global header included).
    public private(set) var bytes: [UInt8] = []
    /// Whether timestamps are written with nanosecond resolution (magic 0xa1b23c4d) instead of microseconds.
    public let nanosecondResolution: Bool
    private var ipID: UInt16 = 1
    /// Next sequence number per TCP direction, keyed by "src sport dst dport".
    private var tcpSeq: [String: UInt32] = [:]

    /// Starts a file (link type 1 = Ethernet, little-endian, snap length 262144).
    public init(nanosecondResolution: Bool = false) {
        self.nanosecondResolution = nanosecondResolution
        put32(nanosecondResolution ? 0xa1b2_3c4d : 0xa1b2_c3d4)
        put16(2); put16(4)            // version 2.4
        put32(0); put32(0)            // thiszone, sigfigs
        put32(262_144)                // snaplen
        put32(1)                      // LINKTYPE_ETHERNET
    }

    private mutating func put16(_ v: UInt16) { bytes.append(UInt8(v & 0xff)); bytes.append(UInt8(v >> 8)) }
    private mutating func put32(_ v: UInt32) { put16(UInt16(v & 0xffff)); put16(UInt16(v >> 16)) }

    /// Appends one packet. Mixed address families are written as IPv6 with the IPv4 side IPv4-mapped.
    public mutating func append(_ packet: PcapPacket) {
        var src = packet.srcAddress, dst = packet.dstAddress
        if src.family != dst.family {
            if case .v4(let a) = src { src = .v6(high: 0, low: 0xffff_0000_0000 | UInt64(a)) }
            if case .v4(let a) = dst { dst = .v6(high: 0, low: 0xffff_0000_0000 | UInt64(a)) }
        }
        let isTCP = packet.transport == 6
        let l4Header = isTCP ? 20 : 8
        let ipHeader = src.family == 2 ? 20 : 40
        let maxPayload = 65535 - l4Header - (src.family == 2 ? ipHeader : 0)
        let payload = packet.payload.count > maxPayload ? Array(packet.payload.prefix(maxPayload)) : packet.payload

        // Transport header + payload, checksum filled in below.
        var l4: [UInt8] = []
        l4.reserveCapacity(l4Header + payload.count)
        func be16(_ v: Int) { l4.append(UInt8(v >> 8 & 0xff)); l4.append(UInt8(v & 0xff)) }
        func be32(_ v: UInt32) { be16(Int(v >> 16)); be16(Int(v & 0xffff)) }
        be16(Int(packet.srcPort)); be16(Int(packet.dstPort))
        if isTCP {
            let key = "\(src) \(packet.srcPort) \(dst) \(packet.dstPort)"
            let reverse = "\(dst) \(packet.dstPort) \(src) \(packet.srcPort)"
            let seq = tcpSeq[key] ?? 1000
            tcpSeq[key] = seq &+ UInt32(payload.count)
            be32(seq)
            be32(tcpSeq[reverse] ?? 1000)                   // acknowledge what the peer sent so far
            l4.append(0x50); l4.append(0x18)               // data offset 5 words; PSH|ACK
            be16(65535); be16(0); be16(0)                  // window, checksum, urgent pointer
        } else {
            be16(8 + payload.count); be16(0)               // length, checksum
        }
        l4.append(contentsOf: payload)
        var sum = Self.sum(l4, 0)
        // Pseudo-header (RFC 768 / RFC 8200 §8.1): addresses, protocol, transport length.
        sum = Self.sum(src.bytes, sum)
        sum = Self.sum(dst.bytes, sum)
        sum += UInt32(packet.transport == 6 ? 6 : 17) + UInt32(l4.count & 0xffff) + UInt32(l4.count >> 16)
        var checksum = Self.fold(sum)
        if checksum == 0 && !isTCP { checksum = 0xffff } // UDP: 0 means "no checksum"
        let ck = isTCP ? 16 : 6
        l4[ck] = UInt8(checksum >> 8)
        l4[ck + 1] = UInt8(checksum & 0xff)

        var ip: [UInt8] = []
        if src.family == 2 {
            let total = 20 + l4.count
            ip = [0x45, 0, UInt8(total >> 8), UInt8(total & 0xff), UInt8(ipID >> 8), UInt8(ipID & 0xff), 0x40, 0,
                  64, isTCP ? 6 : 17, 0, 0] + src.bytes + dst.bytes
            ipID &+= 1
            let c = Self.fold(Self.sum(ip, 0))
            ip[10] = UInt8(c >> 8)
            ip[11] = UInt8(c & 0xff)
        } else {
            ip = [0x60, 0, 0, 0, UInt8(l4.count >> 8), UInt8(l4.count & 0xff), isTCP ? 6 : 17, 64] + src.bytes + dst.bytes
        }
        let ethernet: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1] + (src.family == 2 ? [0x08, 0x00] : [0x86, 0xdd])
        let length = UInt32(ethernet.count + ip.count + l4.count)
        let t = max(0, packet.timestamp)
        put32(UInt32(truncatingIfNeeded: t / 1_000_000_000))
        put32(UInt32(truncatingIfNeeded: nanosecondResolution ? t % 1_000_000_000 : (t % 1_000_000_000) / 1_000))
        put32(length)
        put32(length)
        bytes += ethernet
        bytes += ip
        bytes += l4
    }

    /// Appends a stored HEP message (addresses parsed from their text; unparsable ones become 0.0.0.0).
    /// Non-TCP transports are written as UDP.
    public mutating func append(record: HEPRecord) {
        let src = HEPAddress(record.srcIP) ?? .v4(0)
        let dst = HEPAddress(record.dstIP) ?? .v4(0)
        append(PcapPacket(timestamp: record.timestamp, srcAddress: src, dstAddress: dst,
                          transport: record.transport == 6 ? 6 : 17,
                          srcPort: UInt16(truncatingIfNeeded: record.srcPort),
                          dstPort: UInt16(truncatingIfNeeded: record.dstPort), payload: record.payload))
    }

    /// One's-complement sum of 16-bit big-endian words (RFC 1071), not yet folded.
    static func sum(_ data: [UInt8], _ initial: UInt32) -> UInt32 {
        var s = UInt64(initial)
        var i = 0
        while i + 1 < data.count {
            s += UInt64(data[i]) << 8 | UInt64(data[i + 1])
            i += 2
        }
        if i < data.count { s += UInt64(data[i]) << 8 }
        while s >> 32 != 0 { s = (s & 0xffff_ffff) + (s >> 32) }
        return UInt32(truncatingIfNeeded: s)
    }

    /// Folds a 32-bit sum to 16 bits and complements it.
    static func fold(_ s: UInt32) -> UInt16 {
        var v = s
        while v >> 16 != 0 { v = (v & 0xffff) + (v >> 16) }
        return ~UInt16(v)
    }
}
