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

    public init(stamp: HEPStamp, seed: UInt64 = 1) {
        var options = SIPTrafficGenerator.Options()
        options.seed = seed
        options.captureID = stamp.captureID
        options.nodeName = stamp.nodeName
        generator = SIPTrafficGenerator(options: options)
        authKey = stamp.authKey
    }

    /// Appends the next generated packet; never ends.
    public mutating func next(into buffer: inout [UInt8], now: Int64) -> Bool {
        var packet = generator.next(timestamp: now)
        if let authKey { packet.authKey = authKey }
        buffer.append(contentsOf: HEPEncoder.encode(packet))
        return true
    }
}
