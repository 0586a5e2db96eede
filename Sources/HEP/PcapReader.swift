/// One IP packet (UDP or TCP) read from a pcap file.
public struct PcapPacket: Sendable, Equatable {
    /// Capture time, ns since the Unix epoch.
    public var timestamp: Int64
    /// Source address.
    public var srcAddress: HEPAddress
    /// Destination address.
    public var dstAddress: HEPAddress
    /// IP protocol number (17 UDP, 6 TCP).
    public var transport: UInt8
    /// Source port.
    public var srcPort: UInt16
    /// Destination port.
    public var dstPort: UInt16
    /// The UDP or TCP payload.
    public var payload: [UInt8]

    public init(timestamp: Int64, srcAddress: HEPAddress, dstAddress: HEPAddress, transport: UInt8, srcPort: UInt16,
                dstPort: UInt16, payload: [UInt8]) {
        self.timestamp = timestamp
        self.srcAddress = srcAddress
        self.dstAddress = dstAddress
        self.transport = transport
        self.srcPort = srcPort
        self.dstPort = dstPort
        self.payload = payload
    }

    /// The packet as HEPv3 (for replaying a capture to a HEP server): addresses, ports, transport, the pcap time
    /// (or `timestamp` when given, ns since the epoch), protocol type (default 1 = SIP) and capture id.
    public func hepPacket(captureID: UInt32, protoType: UInt8 = 1, timestamp: Int64? = nil) -> HEPPacket {
        var p = HEPPacket()
        p.ipFamily = srcAddress.family
        p.ipProtocol = transport
        p.srcAddress = srcAddress
        p.dstAddress = dstAddress
        p.srcPort = srcPort
        p.dstPort = dstPort
        let t = max(0, timestamp ?? self.timestamp)
        p.timeSeconds = UInt32(truncatingIfNeeded: t / 1_000_000_000)
        p.timeMicroseconds = UInt32(truncatingIfNeeded: (t % 1_000_000_000) / 1_000)
        p.protoType = protoType
        p.captureID = captureID
        p.payload = payload
        return p
    }
}

/// Reads classic libpcap files held in memory (the format of `tcpdump -w`; pcapng is not supported).
///
/// Format (pcap-savefile(5), draft-ietf-opsawg-pcap): a 24-byte global header whose magic 0xa1b2c3d4 (µs) or
/// 0xa1b23c4d (ns) also tells the byte order, then 16-byte record headers (seconds, sub-second, captured length,
/// original length) each followed by the captured bytes. Link types understood: Ethernet (1, with 802.1Q/802.1ad VLAN
/// tags), BSD loopback/null (0) and OpenBSD loop (108), raw IP (101, 12, 14), IPv4 (228), IPv6 (229), Linux cooked
/// SLL (113) and SLL2 (276). From each frame the IPv4/IPv6 UDP or TCP payload is extracted; other frames (ARP, ICMP,
/// IP fragments, empty TCP segments, frames cut by the snap length) are skipped and counted in `skippedFrames`.
/// TCP streams are not reassembled: each segment's payload is one `PcapPacket`.
public struct PcapReader: Sendable {
    private let bytes: [UInt8]
    private var offset = 24
    private let bigEndian: Bool
    /// True when the file stores nanoseconds (magic 0xa1b23c4d) rather than microseconds.
    public let nanosecondResolution: Bool
    /// The link type of the file (LINKTYPE_* value).
    public let linkType: UInt32
    /// Frames read so far that carried no UDP/TCP payload this reader extracts.
    public private(set) var skippedFrames = 0

    /// Parses the global header. Throws `.badPcap` for a short file, unknown magic or unsupported link type.
    public init(bytes: [UInt8]) throws(HEPError) {
        guard bytes.count >= 24 else { throw HEPError(.badPcap, "file shorter than the 24-byte pcap header") }
        let le = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        switch le {
        case 0xa1b2_c3d4: bigEndian = false; nanosecondResolution = false
        case 0xa1b2_3c4d: bigEndian = false; nanosecondResolution = true
        case 0xd4c3_b2a1: bigEndian = true; nanosecondResolution = false
        case 0x4d3c_b2a1: bigEndian = true; nanosecondResolution = true
        case 0x0a0d_0d0a: throw HEPError(.badPcap, "pcapng is not supported; convert with `editcap -F pcap`")
        default: throw HEPError(.badPcap, "unknown pcap magic")
        }
        self.bytes = bytes
        let network = Self.u32(bytes, 20, bigEndian)
        // The upper bits of the link-type field may carry FCS information (pcap-savefile(5)).
        linkType = network & 0x03ff_ffff
        guard [0, 1, 12, 14, 101, 108, 113, 228, 229, 276].contains(linkType) else {
            throw HEPError(.badPcap, "unsupported link type \(linkType)")
        }
    }

    /// Reads every UDP/TCP packet of a file.
    public static func packets(in bytes: [UInt8]) throws(HEPError) -> [PcapPacket] {
        var reader = try PcapReader(bytes: bytes)
        var out: [PcapPacket] = []
        while let p = try reader.next() { out.append(p) }
        return out
    }

    @inline(__always)
    static func u32(_ b: [UInt8], _ o: Int, _ be: Bool) -> UInt32 {
        be ? UInt32(b[o]) << 24 | UInt32(b[o + 1]) << 16 | UInt32(b[o + 2]) << 8 | UInt32(b[o + 3])
            : UInt32(b[o]) | UInt32(b[o + 1]) << 8 | UInt32(b[o + 2]) << 16 | UInt32(b[o + 3]) << 24
    }

    @inline(__always)
    static func be16(_ b: [UInt8], _ o: Int) -> Int { Int(b[o]) << 8 | Int(b[o + 1]) }

    /// The next UDP/TCP packet, or nil at the end of the file. Throws `.badPcap` when a record header or its data is
    /// truncated.
    public mutating func next() throws(HEPError) -> PcapPacket? {
        while offset < bytes.count {
            guard bytes.count - offset >= 16 else { throw HEPError(.badPcap, "truncated record header at \(offset)") }
            let sec = Int64(Self.u32(bytes, offset, bigEndian))
            let sub = Int64(Self.u32(bytes, offset + 4, bigEndian))
            let caplen = Int(Self.u32(bytes, offset + 8, bigEndian))
            let start = offset + 16
            guard caplen <= bytes.count - start else { throw HEPError(.badPcap, "truncated record at \(offset)") }
            offset = start + caplen
            let ts = sec * 1_000_000_000 + (nanosecondResolution ? sub : sub * 1_000)
            if let p = frame(start, start + caplen, timestamp: ts) { return p }
            skippedFrames += 1
        }
        return nil
    }

    /// Strips the link layer and returns the IP packet's transport payload.
    private func frame(_ s: Int, _ e: Int, timestamp: Int64) -> PcapPacket? {
        var o = s
        var ethertype = -1 // -1: decide from the IP version nibble
        switch linkType {
        case 1: // Ethernet II
            guard e - o >= 14 else { return nil }
            ethertype = Self.be16(bytes, o + 12)
            o += 14
            while ethertype == 0x8100 || ethertype == 0x88a8 || ethertype == 0x9100 { // VLAN tags (802.1Q/ad)
                guard e - o >= 4 else { return nil }
                ethertype = Self.be16(bytes, o + 2)
                o += 4
            }
        case 0, 108: // null / loop: 4-byte address family (host order for 0, network order for 108)
            guard e - o >= 4 else { return nil }
            o += 4
        case 113: // Linux cooked SLL: protocol at offset 14 of a 16-byte header
            guard e - o >= 16 else { return nil }
            ethertype = Self.be16(bytes, o + 14)
            o += 16
        case 276: // Linux cooked SLL2: protocol at offset 0 of a 20-byte header
            guard e - o >= 20 else { return nil }
            ethertype = Self.be16(bytes, o)
            o += 20
        default: // raw IP
            break
        }
        guard o < e else { return nil }
        let version = bytes[o] >> 4
        if ethertype != -1 {
            guard (ethertype == 0x0800 && version == 4) || (ethertype == 0x86dd && version == 6) else { return nil }
        }
        switch version {
        case 4: return ipv4(o, e, timestamp)
        case 6: return ipv6(o, e, timestamp)
        default: return nil
        }
    }

    private func ipv4(_ o: Int, _ e: Int, _ ts: Int64) -> PcapPacket? {
        guard e - o >= 20 else { return nil }
        let ihl = Int(bytes[o] & 0x0f) * 4
        let total = Self.be16(bytes, o + 2)
        guard ihl >= 20, total >= ihl, o + total <= e else { return nil }
        // Fragments (MF set or non-zero offset) are skipped: no reassembly.
        guard Self.be16(bytes, o + 6) & 0x3fff == 0 else { return nil }
        let src = HEPAddress.v4(Self.u32(bytes, o + 12, true))
        let dst = HEPAddress.v4(Self.u32(bytes, o + 16, true))
        return transport(bytes[o + 9], o + ihl, o + total, src, dst, ts)
    }

    private func ipv6(_ o: Int, _ e: Int, _ ts: Int64) -> PcapPacket? {
        guard e - o >= 40 else { return nil }
        let end = o + 40 + Self.be16(bytes, o + 4)
        guard end <= e else { return nil }
        func word(_ k: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<8 { v = v << 8 | UInt64(bytes[k + i]) }
            return v
        }
        let src = HEPAddress.v6(high: word(o + 8), low: word(o + 16))
        let dst = HEPAddress.v6(high: word(o + 24), low: word(o + 32))
        var next = bytes[o + 6]
        var p = o + 40
        // Extension headers (RFC 8200 §4): hop-by-hop, routing, destination options; a fragment header ends the walk.
        while next == 0 || next == 43 || next == 60 {
            guard end - p >= 8 else { return nil }
            next = bytes[p]
            p += (Int(bytes[p + 1]) + 1) * 8
        }
        guard p <= end else { return nil }
        return transport(next, p, end, src, dst, ts)
    }

    private func transport(_ proto: UInt8, _ o: Int, _ e: Int, _ src: HEPAddress, _ dst: HEPAddress,
                           _ ts: Int64) -> PcapPacket? {
        switch proto {
        case 17:
            guard e - o >= 8 else { return nil }
            let length = Self.be16(bytes, o + 4)
            guard length >= 8, o + length <= e else { return nil }
            return PcapPacket(timestamp: ts, srcAddress: src, dstAddress: dst, transport: 17,
                              srcPort: UInt16(Self.be16(bytes, o)), dstPort: UInt16(Self.be16(bytes, o + 2)),
                              payload: Array(bytes[(o + 8)..<(o + length)]))
        case 6:
            guard e - o >= 20 else { return nil }
            let dataOffset = Int(bytes[o + 12] >> 4) * 4
            guard dataOffset >= 20, o + dataOffset < e else { return nil } // no payload: skip
            return PcapPacket(timestamp: ts, srcAddress: src, dstAddress: dst, transport: 6,
                              srcPort: UInt16(Self.be16(bytes, o)), dstPort: UInt16(Self.be16(bytes, o + 2)),
                              payload: Array(bytes[(o + dataOffset)..<e]))
        default:
            return nil
        }
    }
}
