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
}

/// Reads classic libpcap files held in memory.
public struct PcapReader: Sendable {
    let bytes: [UInt8]

    /// Parses the pcap global header.
    public init(bytes: [UInt8]) throws(HEPError) {
        self.bytes = bytes
        throw HEPError(.badPcap, "not implemented yet")
    }
}
