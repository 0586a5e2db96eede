import HEP

/// A call as a classic-libpcap file: each message in an Ethernet frame with synthesised IPv4/IPv6 and UDP/TCP
/// headers carrying its original timestamp, addresses, ports and payload (the HEP module's `PcapWriter` owns the
/// format), so Wireshark, tshark and sngrep dissect the SIP.
public enum CallPcap {
    /// The pcap file of `records` in their order. Addresses that are not IP text (empty in some HEP packets) are
    /// written as 0.0.0.0 / ::; transports other than TCP are written as UDP.
    public static func encode(_ records: [SearchRecord]) -> [UInt8] {
        var writer = PcapWriter()
        for r in records {
            let v6 = r.ipFamily == 10 || r.srcIP.contains(":") || r.dstIP.contains(":")
            let zero: HEPAddress = v6 ? .v6(high: 0, low: 0) : .v4(0)
            writer.append(PcapPacket(timestamp: r.timestamp, srcAddress: HEPAddress(r.srcIP) ?? zero,
                                     dstAddress: HEPAddress(r.dstIP) ?? zero, transport: r.transport == 6 ? 6 : 17,
                                     srcPort: UInt16(truncatingIfNeeded: r.srcPort),
                                     dstPort: UInt16(truncatingIfNeeded: r.dstPort), payload: r.payloadBytes))
        }
        return writer.bytes
    }
}
