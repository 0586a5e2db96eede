#if canImport(Glibc)
import Glibc
#endif

/// Options of `homer send` / `HEPSender`.
public struct HEPSenderOptions: Sendable {
    /// Where to send.
    public enum Target: Sendable, Equatable {
        /// One HEP packet per datagram.
        case udp(ListenAddress)
        /// Back-to-back HEP3 packets on one connection.
        case tcp(ListenAddress)
    }

    public var target: Target
    /// Packets per second; nil sends as fast as the socket takes them.
    public var rate: Double?
    /// Stop after this many packets (nil: until the source ends or `duration` passes).
    public var count: Int?
    /// Stop after this long (nil: no limit).
    public var duration: Duration?
    /// TCP: bytes coalesced into one `write`. Default 256 KiB — big writes are what makes hundreds of thousands of
    /// packets per second possible on loopback; smaller ones lower the latency of each packet.
    public var tcpWriteBytes: Int = 256 << 10
    /// UDP: datagrams produced per burst between clock checks. Default 64.
    public var udpBatch: Int = 64

    public init(target: Target, rate: Double? = nil, count: Int? = nil, duration: Duration? = nil) {
        self.target = target
        self.rate = rate
        self.count = count
        self.duration = duration
    }
}

/// What a send run did.
public struct HEPSendReport: Sendable, Equatable {
    public var packets = 0
    public var bytes = 0
    public var seconds = 0.0

    /// An empty report (nothing sent yet).
    public init() {}

    /// Achieved rate.
    public var packetsPerSecond: Double { seconds > 0 ? Double(packets) / seconds : 0 }
}

/// Sends encoded HEP packets over UDP or TCP with precise rate pacing: the sender keeps the count sent equal to
/// `rate × elapsed`, sending what is due in one go (a burst of at most ~1 ms of packets), then sleeping until the
/// next packet is due. Plain blocking sockets: this is a client tool, not part of the server's event loops.
public struct HEPSender {
    public let options: HEPSenderOptions

    public init(options: HEPSenderOptions) {
        self.options = options
    }

    /// Sends packets produced by `next` until it returns false, `count` packets were sent or `duration` passed.
    /// `next(&buffer, nowNanoseconds)` appends one encoded HEP packet to `buffer` (HEP3 for TCP) and returns true,
    /// or returns false when the source is exhausted.
    public func run(_ next: (inout [UInt8], Int64) -> Bool) throws(IngestError) -> HEPSendReport {
        var report = HEPSendReport()
        try run(into: &report, next)
        return report
    }

    /// Like `run(_:)`, but `report` also tells what was sent when it throws (e.g. the server died mid-stream):
    /// `packets` counts only packets whose every byte the kernel accepted, so a crash test can check that the server
    /// stored no more than that. (The kernel taking the bytes does not mean the peer read them.)
    public func run(into report: inout HEPSendReport, _ next: (inout [UInt8], Int64) -> Bool) throws(IngestError) {
        report = HEPSendReport()
        let socket: SenderSocket
        switch options.target {
        case .udp(let a): socket = try SenderSocket(address: a, stream: false)
        case .tcp(let a): socket = try SenderSocket(address: a, stream: true)
        }
        defer { socket.close() }
        let start = monotonicNanoseconds()
        let deadline = options.duration.map { start + $0.nanoseconds }
        let limit = options.count ?? Int.max
        var buffer: [UInt8] = []
        buffer.reserveCapacity(options.tcpWriteBytes + 65536)
        var bounds: [Int] = [0]
        let perBurstCap = socket.stream ? Int.max : options.udpBatch
        var exhausted = false
        while !exhausted && report.packets < limit {
            let now = monotonicNanoseconds()
            if let deadline, now >= deadline { break }
            var due: Int
            if let rate = options.rate, rate > 0 {
                let target = Int(Double(now - start) / 1e9 * rate) + 1
                due = target - report.packets
                if due <= 0 {
                    let wait = Int64((Double(report.packets) / rate) * 1e9) + start - now
                    sleepNanoseconds(max(20_000, min(wait, 1_000_000)))
                    continue
                }
                due = min(due, max(1, Int(rate / 1000)) * 2)  // never a burst above ~2 ms worth
            } else {
                due = Int.max
            }
            due = min(due, limit - report.packets)
            let wall = wallClockNanoseconds()
            var produced = 0
            while produced < due {
                if !next(&buffer, wall) {
                    exhausted = true
                    break
                }
                produced += 1
                bounds.append(buffer.count)
                if socket.stream {
                    if buffer.count >= options.tcpWriteBytes { break }
                } else if bounds.count - 1 >= perBurstCap {
                    break
                }
            }
            if produced > 0 {
                do throws(IngestError) {
                    if socket.stream {
                        var written = 0
                        do throws(IngestError) {
                            try socket.write(buffer, written: &written)
                        } catch {
                            // Packets whose last byte was written: bounds[1...] are the packets' end offsets.
                            report.packets += bounds.dropFirst().prefix { $0 <= written }.count
                            report.bytes += written
                            throw error
                        }
                    } else {
                        var sent = 0
                        do throws(IngestError) {
                            try socket.sendDatagrams(buffer, bounds: bounds, sent: &sent)
                        } catch {
                            report.packets += sent
                            report.bytes += bounds[sent]
                            throw error
                        }
                    }
                } catch {
                    report.seconds = Double(monotonicNanoseconds() - start) / 1e9
                    throw error
                }
                report.packets += produced
                report.bytes += buffer.count
                buffer.removeAll(keepingCapacity: true)
                bounds.removeAll(keepingCapacity: true)
                bounds.append(0)
            }
        }
        report.seconds = Double(monotonicNanoseconds() - start) / 1e9
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (s, a) = components
        return s &* 1_000_000_000 &+ a / 1_000_000_000
    }
}
