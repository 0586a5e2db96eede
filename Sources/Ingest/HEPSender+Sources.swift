import HEP

/// HEP fields the sender adds to every packet.
public struct HEPStamp: Sendable {
    /// Capture agent id (chunk 0x000c).
    public var captureID: UInt32
    /// Auth key (chunk 0x000e), nil = none.
    public var authKey: String?
    /// Node name (chunk 0x0013), nil = none.
    public var nodeName: String?

    public init(captureID: UInt32 = 2001, authKey: String? = nil, nodeName: String? = nil) {
        self.captureID = captureID
        self.authKey = authKey
        self.nodeName = nodeName
    }

    /// A HEPv3 packet carrying `payload` between the given endpoints at `timestamp` (ns since the epoch).
    public func packet(src: HEPAddress, dst: HEPAddress, srcPort: UInt16, dstPort: UInt16, ipProtocol: UInt8,
                       timestamp: Int64, payload: [UInt8]) -> HEPPacket {
        var p = HEPPacket()
        p.ipFamily = src.family
        p.ipProtocol = ipProtocol
        p.srcAddress = src
        p.dstAddress = dst
        p.srcPort = srcPort
        p.dstPort = dstPort
        p.timeSeconds = UInt32(clamping: timestamp / 1_000_000_000)
        p.timeMicroseconds = UInt32(clamping: (timestamp % 1_000_000_000) / 1_000)
        p.protoType = 1
        p.captureID = captureID
        p.authKey = authKey
        p.nodeName = nodeName
        p.payload = payload
        return p
    }
}

/// Replays the UDP and TCP payloads of a pcap as HEPv3 packets (SIP, protocol type 1), keeping the capture
/// timestamps or re-stamping them to the send time.
public struct PcapSource {
    let packets: [PcapPacket]
    let stamp: HEPStamp
    let restamp: Bool
    let loops: Int
    var index = 0
    var loop = 0

    /// - Parameter loops: how many times to play the file; 0 = forever (until the sender's count or duration).
    public init(bytes: [UInt8], stamp: HEPStamp, restamp: Bool, loops: Int = 1) throws(HEPError) {
        self.packets = try PcapSource.read(bytes).filter { !$0.payload.isEmpty }
        self.stamp = stamp
        self.restamp = restamp
        self.loops = loops
    }

    /// The packets of the file with a payload.
    public var count: Int { packets.count }

    static func read(_ bytes: [UInt8]) throws(HEPError) -> [PcapPacket] {
        try PcapReader.packets(in: bytes)
    }

    /// Appends the next packet encoded as HEPv3; false at the end.
    public mutating func next(into buffer: inout [UInt8], now: Int64) -> Bool {
        if index == packets.count {
            loop += 1
            guard loops == 0 || loop < loops, !packets.isEmpty else { return false }
            index = 0
        }
        let p = packets[index]
        index += 1
        let hep = stamp.packet(src: p.srcAddress, dst: p.dstAddress, srcPort: p.srcPort, dstPort: p.dstPort,
                               ipProtocol: p.transport, timestamp: restamp ? now : p.timestamp, payload: p.payload)
        buffer.append(contentsOf: HEPEncoder.encode(hep))
        return true
    }
}

/// Synthetic SIP traffic (the HEP module's `SIPTrafficGenerator`: interleaved calls, registrations and OPTIONS with
/// unique Call-IDs) encoded as HEPv3, stamped with the send time.
public struct GeneratorSource {
    var generator: SIPTrafficGenerator
    let authKey: String?
    /// Pre-encoded packets cycled by `next` when built with a pool, with the byte offsets of their time chunks.
    var pool: [(bytes: [UInt8], seconds: Int?, micros: Int?)] = []
    var poolIndex = 0

    /// - Parameter pool: 0 generates every packet as it is sent (the SIP text and the HEP encoding cost about 4 µs a
    ///   packet, so one core sends ~250k packets/s). N > 0 generates N packets up front and cycles through them,
    ///   re-stamping only the HEP time chunks, so the sender can outrun a server on the same machine; Call-IDs then
    ///   repeat every N packets.
    public init(stamp: HEPStamp, seed: UInt64 = 1, pool: Int = 0) {
        var options = SIPTrafficGenerator.Options()
        options.seed = seed
        options.captureID = stamp.captureID
        options.nodeName = stamp.nodeName
        generator = SIPTrafficGenerator(options: options)
        authKey = stamp.authKey
        var packets: [(bytes: [UInt8], seconds: Int?, micros: Int?)] = []
        for _ in 0..<max(0, pool) {
            var packet = generator.next(timestamp: 0)
            if let authKey { packet.authKey = authKey }
            let bytes = HEPEncoder.encode(packet)
            packets.append((bytes, Self.chunkValueOffset(bytes, type: 0x0009), Self.chunkValueOffset(bytes, type: 0x000a)))
        }
        self.pool = packets
    }

    /// Appends the next generated packet; never ends.
    public mutating func next(into buffer: inout [UInt8], now: Int64) -> Bool {
        guard !pool.isEmpty else {
            var packet = generator.next(timestamp: now)
            if let authKey { packet.authKey = authKey }
            buffer.append(contentsOf: HEPEncoder.encode(packet))
            return true
        }
        let entry = pool[poolIndex]
        poolIndex = poolIndex + 1 == pool.count ? 0 : poolIndex + 1
        let start = buffer.count
        buffer.append(contentsOf: entry.bytes)
        // HEP3 time: seconds (0x0009) and microseconds (0x000a), 32-bit big-endian each.
        if let at = entry.seconds { Self.putUInt32(&buffer, start + at, UInt32(clamping: now / 1_000_000_000)) }
        if let at = entry.micros { Self.putUInt32(&buffer, start + at, UInt32(clamping: now % 1_000_000_000 / 1_000)) }
        return true
    }

    /// Offset of the 4-byte value of generic chunk `type` in a HEP3 packet we encoded, nil when absent.
    static func chunkValueOffset(_ bytes: [UInt8], type: UInt16) -> Int? {
        var at = 6
        while at + 6 <= bytes.count {
            let vendor = UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
            let t = UInt16(bytes[at + 2]) << 8 | UInt16(bytes[at + 3])
            let length = Int(bytes[at + 4]) << 8 | Int(bytes[at + 5])
            guard length >= 6, at + length <= bytes.count else { return nil }
            if vendor == 0, t == type, length == 10 { return at + 6 }
            at += length
        }
        return nil
    }

    static func putUInt32(_ buffer: inout [UInt8], _ at: Int, _ v: UInt32) {
        buffer[at] = UInt8(v >> 24)
        buffer[at + 1] = UInt8(v >> 16 & 0xFF)
        buffer[at + 2] = UInt8(v >> 8 & 0xFF)
        buffer[at + 3] = UInt8(v & 0xFF)
    }
}
