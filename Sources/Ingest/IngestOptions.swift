import HEP

/// Everything the HEP ingest stage can be told. Only `HomerServer` fills it from the config file and the environment;
/// the defaults here are the documented defaults of `docs/configuration.md`.
public struct IngestOptions: Sendable {
    /// UDP listener (`hep.udp`), nil = off. Default `0.0.0.0:9060`. One HEP packet per datagram; v1/v2 accepted here only.
    public var udp: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 9060)
    /// TCP listener (`hep.tcp`), nil = off. Default `0.0.0.0:9060`. A stream of back-to-back HEP3 packets.
    public var tcp: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 9060)
    /// TLS listener (`hep.tls`), nil = off (the default). Same framing as TCP inside TLS.
    public var tls: TLSListenOptions? = nil
    /// Required HEP auth key (chunk 0x000e), nil = not checked. When set, packets whose key is missing or differs are
    /// dropped and counted (`auth_failed`). The key travels in clear text unless TLS is used.
    public var authKey: String? = nil
    /// Accept legacy HEPv1/v2 datagrams on UDP (`hep.hepv2_enable`). Default true, like heplify-server and HOMER 11.
    public var hepv2Enabled: Bool = true
    /// Largest accepted HEP packet in bytes (`hep.max_packet_size`). Default 65535, the largest a HEP3 length can say.
    /// Larger datagrams and frames are dropped and counted (`oversized`); a TCP stream stays open (the frame is skipped).
    public var maxPacketSize: Int = 65535
    /// SO_RCVBUF for the UDP socket (`hep.udp_rcvbuf`). Default 8 MiB. Bigger absorbs longer bursts while the sink is
    /// slow (the kernel caps it at net.core.rmem_max unless raised); smaller loses packets earlier in the kernel.
    public var udpReceiveBuffer: Int = 8 << 20
    /// Datagrams read per `recvmmsg(2)` call on the UDP socket. Default 16: at 250k packets/s one system call per
    /// datagram costs a large share of a core, batching them removes most of it. Each slot is `maxPacketSize + 1`
    /// bytes, so the receive buffer is `udpMessagesPerRead × 64 KiB` (1 MiB by default); 1 turns vector reads off.
    public var udpMessagesPerRead: Int = 16
    /// Options of the HEP → record conversion (A-leg headers, …).
    public var hep: HEPOptions = HEPOptions()
    /// Most records handed to the sink in one call. Default 4096: large enough that one await per batch is negligible,
    /// small enough to keep the latency of a batch well under a millisecond of decoding.
    public var sinkBatchSize: Int = 4096
    /// Back-pressure high-water mark: packets accepted but not yet consumed by the sink. Default 262144 (≈ 130 MiB of
    /// typical 500-byte SIP packets at most). Above it UDP batches are dropped (counted as `overload`) and TCP/TLS
    /// connections stop reading until the backlog falls under half of it. Bigger rides out longer sink stalls at the
    /// cost of memory.
    public var maxPendingPackets: Int = 262_144
    /// The durable spool (local segment files).
    public var spool: SpoolOptions

    /// Options with every default, spooling under `spoolDirectory`.
    public init(spoolDirectory: String) {
        self.spool = SpoolOptions(directory: spoolDirectory)
    }
}

/// A TLS listener: address plus PEM certificate chain and private key file paths (`hep.tls.{listen,cert,key}`).
public struct TLSListenOptions: Sendable, Equatable {
    public var listen: ListenAddress
    /// PEM file with the server certificate (and chain).
    public var certificatePath: String
    /// PEM file with the private key.
    public var privateKeyPath: String

    public init(listen: ListenAddress, certificatePath: String, privateKeyPath: String) {
        self.listen = listen
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}

/// Options of the durable spool.
public struct SpoolOptions: Sendable {
    /// Directory of the segment files (`hep.spool.path`, default `<data dir>/spool`).
    public var directory: String
    /// Group-commit interval: accepted packets are fsynced together at most this long after they were written
    /// (`hep.spool.fsync_interval_ms`, default 50 ms). 0 fsyncs every batch (safest, slowest). Larger values batch more
    /// packets per fsync but hold them longer before they count as received and reach the sink.
    public var fsyncInterval: Duration = .milliseconds(50)
    /// A segment file is closed and a new one started once it reaches this size. Default 64 MiB. Fully committed
    /// segments are deleted, so this is also the granularity of disk reclamation.
    public var segmentBytes: Int = 64 << 20

    public init(directory: String, fsyncInterval: Duration = .milliseconds(50), segmentBytes: Int = 64 << 20) {
        self.directory = directory
        self.fsyncInterval = fsyncInterval
        self.segmentBytes = segmentBytes
    }
}
