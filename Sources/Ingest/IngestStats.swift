import Foundation
import Metrics
import Synchronization

/// The transport a HEP packet arrived on (also stored in the spool, one byte).
public enum HEPTransport: UInt8, Sendable, CaseIterable, Codable {
    case udp = 1, tcp = 2, tls = 3
    /// Metric label.
    public var label: String {
        switch self {
        case .udp: "udp"
        case .tcp: "tcp"
        case .tls: "tls"
        }
    }
}

/// Why a packet did not make it to the sink. Decode failures are labelled with the HEP codec's reason instead.
public enum DropReason: String, Sendable {
    /// Bigger than `maxPacketSize`.
    case oversized
    /// `authKey` is set and the packet's 0x000e chunk is missing or different.
    case authFailed = "auth_failed"
    /// A HEPv1/v2 datagram while `hepv2Enabled` is false (or a v1/v2 packet on a stream transport).
    case hepv2Disabled = "hepv2_disabled"
    /// The sink is behind: more than `maxPendingPackets` waiting (UDP only; TCP/TLS stop reading instead).
    case overload
    /// Arrived while the server was shutting down, after the last flush.
    case shutdown
    /// The spool could not write the batch (disk full, I/O error): the packets are not durable, so not accepted.
    case spoolError = "spool_error"
}

/// Counters of one transport.
final class TransportCounters: Sendable {
    let packets = Atomic<Int>(0)
    let decoded = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)
    let dropped = Mutex<[String: Int]>([:])
}

/// Ingest counters: what arrived, decoded, became durable ("received") and what was dropped and why, per transport.
/// Lock-free on the per-packet path (atomics); the reason maps are only touched on drops, once per batch.
/// Every counter is also exported through swift-metrics (`homer_hep_*_total{transport=…}`).
public final class IngestStats: Sendable {
    private let byTransport: [TransportCounters] = HEPTransport.allCases.map { _ in TransportCounters() }
    private let framing = Mutex<[String: Int]>([:])
    /// TCP/TLS connections accepted.
    let connections = Atomic<Int>(0)
    /// Records decoded again from the spool at start and handed to the sink.
    let replayed = Atomic<Int>(0)
    /// Spool segments whose tail was truncated or corrupt (the rest of that segment was skipped).
    let spoolCorruptTails = Atomic<Int>(0)
    /// Spooled records that failed to decode on replay.
    let replayDecodeErrors = Atomic<Int>(0)
    /// Batches the sink accepted, and sink calls that threw (each is retried).
    let sinkBatches = Atomic<Int>(0)
    let sinkErrors = Atomic<Int>(0)
    /// Packets accepted by listeners and not yet consumed by the sink (the back-pressure measure).
    let pending = Atomic<Int>(0)
    /// Local port of the UDP listener (0 = none), to read the kernel's drop counter of that socket.
    let udpPort = Atomic<Int>(0)

    public init() {}

    private func counters(_ t: HEPTransport) -> TransportCounters { byTransport[Int(t.rawValue) - 1] }

    func addPackets(_ t: HEPTransport, count: Int, bytes: Int) {
        counters(t).packets.add(count, ordering: .relaxed)
        counters(t).bytes.add(bytes, ordering: .relaxed)
        Counter(label: "homer_hep_packets_total", dimensions: [("transport", t.label)]).increment(by: count)
    }

    func addDecoded(_ t: HEPTransport, _ n: Int) {
        counters(t).decoded.add(n, ordering: .relaxed)
        Counter(label: "homer_hep_decoded_total", dimensions: [("transport", t.label)]).increment(by: n)
    }

    func addReceived(_ t: HEPTransport, _ n: Int) {
        guard n > 0 else { return }
        counters(t).received.add(n, ordering: .relaxed)
        Counter(label: "homer_hep_received_total", dimensions: [("transport", t.label)]).increment(by: n)
    }

    /// Counts `n` dropped packets with a reason label (a `DropReason` raw value or a HEP decode reason).
    public func addDropped(_ t: HEPTransport, reason: String, _ n: Int = 1) {
        guard n > 0 else { return }
        counters(t).dropped.withLock { $0[reason, default: 0] += n }
        Counter(label: "homer_hep_dropped_total", dimensions: [("transport", t.label), ("reason", reason)])
            .increment(by: n)
    }

    /// Counts a TCP/TLS connection closed because its byte stream could not be framed.
    func addFramingError(_ t: HEPTransport, reason: String) {
        framing.withLock { $0["\(t.label):\(reason)", default: 0] += 1 }
        Counter(label: "homer_hep_framing_errors_total", dimensions: [("transport", t.label), ("reason", reason)])
            .increment()
    }

    /// A consistent-enough copy of every counter (each value is read atomically; the set is not a transaction).
    public func snapshot() -> IngestStatsSnapshot {
        var transports: [String: IngestStatsSnapshot.Transport] = [:]
        for t in HEPTransport.allCases {
            let c = counters(t)
            transports[t.label] = .init(
                packets: c.packets.load(ordering: .relaxed), bytes: c.bytes.load(ordering: .relaxed),
                decoded: c.decoded.load(ordering: .relaxed), received: c.received.load(ordering: .relaxed),
                dropped: c.dropped.withLock { $0 })
        }
        return IngestStatsSnapshot(
            transports: transports, framingErrors: framing.withLock { $0 },
            connections: connections.load(ordering: .relaxed), replayed: replayed.load(ordering: .relaxed),
            spoolCorruptTails: spoolCorruptTails.load(ordering: .relaxed),
            replayDecodeErrors: replayDecodeErrors.load(ordering: .relaxed),
            sinkBatches: sinkBatches.load(ordering: .relaxed), sinkErrors: sinkErrors.load(ordering: .relaxed),
            pending: pending.load(ordering: .relaxed), udpKernelDrops: IngestStats.kernelDrops(port: udpPort.load(ordering: .relaxed)))
    }

    /// Datagrams the kernel dropped on the UDP listener's socket because its receive buffer was full (the `drops`
    /// column of /proc/net/udp and /proc/net/udp6 for the bound port); nil when not on Linux or no UDP listener.
    /// These never reached homer, so they are reported next to the counters rather than as a drop reason.
    static func kernelDrops(port: Int) -> Int? {
        guard port > 0 else { return nil }
        let hex = String(port, radix: 16, uppercase: true)
        let hexPort = ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        var found = false
        var total = 0
        for table in ["/proc/net/udp", "/proc/net/udp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 12, fields[1].hasSuffix(hexPort), let drops = Int(fields[fields.count - 1]) else {
                    continue
                }
                found = true
                total += drops
            }
        }
        return found ? total : nil
    }
}

/// A copy of the ingest counters, JSON-encodable for the debug route and logs.
public struct IngestStatsSnapshot: Sendable, Codable, Equatable {
    public struct Transport: Sendable, Codable, Equatable {
        /// Datagrams / frames seen (before any check).
        public var packets: Int
        /// Bytes of those packets.
        public var bytes: Int
        /// Decoded and accepted (size, version, auth passed).
        public var decoded: Int
        /// Durable in the spool (fsynced): only these count as received.
        public var received: Int
        /// Dropped packets by reason.
        public var dropped: [String: Int]
        /// Sum of `dropped`.
        public var droppedTotal: Int { dropped.values.reduce(0, +) }
    }
    /// Keyed by `udp`, `tcp`, `tls`.
    public var transports: [String: Transport]
    /// Connections closed on a framing error, keyed `transport:reason`.
    public var framingErrors: [String: Int]
    public var connections: Int
    public var replayed: Int
    public var spoolCorruptTails: Int
    public var replayDecodeErrors: Int
    public var sinkBatches: Int
    public var sinkErrors: Int
    public var pending: Int
    /// Datagrams the kernel dropped on the UDP socket (receive buffer full) — lost before homer saw them.
    public var udpKernelDrops: Int?

    enum CodingKeys: String, CodingKey {
        case transports, connections, replayed, pending
        case udpKernelDrops = "udp_kernel_drops"
        case framingErrors = "framing_errors"
        case spoolCorruptTails = "spool_corrupt_tails"
        case replayDecodeErrors = "replay_decode_errors"
        case sinkBatches = "sink_batches"
        case sinkErrors = "sink_errors"
    }
}
