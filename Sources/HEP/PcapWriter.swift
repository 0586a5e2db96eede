/// Writes classic libpcap files in memory.
public struct PcapWriter: Sendable {
    /// The file bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}
}
