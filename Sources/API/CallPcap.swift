/// A classic-libpcap file of a call's messages (placeholder until the HEP module's PcapWriter is merged).
public enum CallPcap {
    public static func encode(_ records: [SearchRecord]) throws -> [UInt8] {
        throw APIError(.backendFailure, "pcap export needs HEP.PcapWriter")
    }
}
