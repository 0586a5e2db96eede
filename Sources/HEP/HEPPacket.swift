/// One decoded HEP packet (v1, v2 or v3) with every field the wire carried.
///
/// Field names follow the generic chunk table of the HEP3 specification (REV 37, see
/// `shared/research/homer.md` §1.1); the comment on each field gives its chunk type. Optional fields are nil when the
/// chunk was absent. Octet-string chunks other than the payload are exposed as `String` (decoded as UTF-8, invalid
/// sequences replaced), because every consumer stores them as text.
public struct HEPPacket: Sendable, Equatable {
    /// HEP version: 1, 2 or 3.
    public var version: UInt8 = 3
    /// 0x0001 IP protocol family (2 = IPv4, 10 = IPv6).
    public var ipFamily: UInt8 = 0
    /// 0x0002 IP protocol number (17 UDP, 6 TCP, 132 SCTP).
    public var ipProtocol: UInt8 = 0
    /// 0x0003 / 0x0005 source address (IPv4 or IPv6 chunk, whichever came last).
    public var srcAddress: HEPAddress?
    /// 0x0004 / 0x0006 destination address.
    public var dstAddress: HEPAddress?
    /// 0x0007 source port.
    public var srcPort: UInt16 = 0
    /// 0x0008 destination port.
    public var dstPort: UInt16 = 0
    /// 0x0009 timestamp, seconds since the Unix epoch (agent clock; 0 when absent).
    public var timeSeconds: UInt32 = 0
    /// 0x000a timestamp microseconds offset (added to `timeSeconds`).
    public var timeMicroseconds: UInt32 = 0
    /// 0x000b protocol type (1 = SIP, 5 = RTCP JSON, 100 = LOG, …).
    public var protoType: UInt8 = 0
    /// 0x000c capture agent id, exactly as the wire says. sngrep 1.6 and sipgrep 2.1 write `htons(id)` followed by two
    /// zero bytes, so their id 2002 reads as 131203072 (`0x07d20000`); this is kept as is, not "repaired".
    public var captureID: UInt32 = 0
    /// 0x000d keep-alive timer in seconds.
    public var keepAliveTimer: UInt16?
    /// 0x000e authentication key (plain text).
    public var authKey: String?
    /// 0x000f captured payload, or the inflated content of 0x0010.
    public var payload: [UInt8] = []
    /// True when `payload` came from a compressed payload chunk (0x0010).
    public var payloadWasCompressed: Bool = false
    /// 0x0011 internal correlation id (e.g. the Call-ID of the SIP dialog an RTCP report or log line belongs to).
    public var correlationID: String?
    /// 0x0012 VLAN id.
    public var vlan: UInt16?
    /// 0x0013 capture agent name ("node1").
    public var nodeName: String?
    /// 0x0014 source MAC (uint64 as on the wire).
    public var srcMAC: UInt64?
    /// 0x0015 destination MAC.
    public var dstMAC: UInt64?
    /// 0x0016 Ethernet type.
    public var ethernetType: UInt16?
    /// 0x0017 TCP flags.
    public var tcpFlags: UInt8?
    /// 0x0018 IP TOS.
    public var ipTOS: UInt8?
    /// 0x0020 MOS value.
    public var mos: UInt16?
    /// 0x0021 R-Factor.
    public var rFactor: UInt16?
    /// 0x0022 GEO location.
    public var geoLocation: String?
    /// 0x0023 jitter.
    public var jitter: UInt32?
    /// 0x0024 transaction type ("call", "registration").
    public var transactionType: String?
    /// 0x0025 payload JSON keys.
    public var payloadJSONKeys: String?
    /// 0x0026 tags' values.
    public var tagValues: String?
    /// 0x0027 type of tag.
    public var tagType: UInt16?
    /// 0x0028 event type (0 reserved, 1 Recording, 2 Recording LI).
    public var eventType: UInt16?
    /// 0x0029 group id.
    public var groupID: String?
    /// Chunks the decoder does not interpret (vendor chunks, reserved and future generic types), in wire order.
    /// Kept so a forwarder can re-emit them; the encoder writes them after the known chunks.
    public var otherChunks: [HEPChunk] = []

    /// An empty HEPv3 packet (all fields zero or nil).
    public init() {}

    /// Timestamp in nanoseconds since the Unix epoch: `seconds·1e9 + µs·1e3` (§1.1 transport notes).
    /// Zero when the agent sent no time.
    public var timestampNanoseconds: Int64 {
        Int64(timeSeconds) &* 1_000_000_000 &+ Int64(timeMicroseconds) &* 1_000
    }
}

/// A HEP3 chunk kept verbatim (vendor id, type id, payload without the 6-byte chunk header).
public struct HEPChunk: Sendable, Equatable {
    /// Vendor id (0x0000 generic, 0x0002 Kamailio, …).
    public var vendor: UInt16
    /// Type id.
    public var type: UInt16
    /// Chunk payload.
    public var value: [UInt8]

    public init(vendor: UInt16, type: UInt16, value: [UInt8]) {
        self.vendor = vendor
        self.type = type
        self.value = value
    }
}
