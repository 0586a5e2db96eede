import Foundation
import HEP
import Logging
import ServiceLifecycle

/// End-to-end ingest benchmark in one process: `HEPSender` (on its own thread) → loopback UDP or TCP → listeners →
/// decode + SIP fields → spool (group commit) → a sink that only counts. The lead wires it as `homer bench ingest`.
public enum IngestBench {
    public struct Result: Sendable, CustomStringConvertible {
        public var transport: String
        public var sent: Int
        public var received: Int
        public var dropped: Int
        public var sendSeconds: Double
        /// Packets per second from the first send to the last packet received.
        public var receivedPerSecond: Double
        public var description: String {
            String(format: "%@: sent %d, received %d (%.3f%% lost), dropped %d, %.0f packets/s end to end",
                   transport, sent, received, sent > 0 ? Double(sent - received) * 100 / Double(sent) : 0, dropped,
                   receivedPerSecond)
        }
    }

    final class CountingSink: RecordSink {
        let spool: Spool
        init(spool: Spool) { self.spool = spool }
        func consume(_ records: [HEPRecord], through position: SpoolPosition) async throws {
            try spool.markCommitted(position)
        }
    }

    /// Sends `packets` generated SIP packets at `rate` pps (nil = as fast as possible) over `transport` ("udp"/"tcp").
    public static func run(transport: String, packets: Int, rate: Double?, udpReceiveBuffer: Int = 32 << 20,
                           spoolDirectory: String) async throws -> Result {
        var options = IngestOptions(spoolDirectory: spoolDirectory)
        options.udp = transport == "udp" ? ListenAddress(host: "127.0.0.1", port: 0) : nil
        options.tcp = transport == "tcp" ? ListenAddress(host: "127.0.0.1", port: 0) : nil
        options.udpReceiveBuffer = udpReceiveBuffer
        let spool = try Spool(options: options.spool)
        var logger = Logger(label: "homer.bench")
        logger.logLevel = .warning
        let service = IngestService(options: options, spool: spool, sink: CountingSink(spool: spool), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let task = Task { try await group.run() }
        let bound = await service.listening()
        let address = transport == "udp" ? bound[.udp]! : bound[.tcp]!
        let senderOptions = HEPSenderOptions(target: transport == "udp" ? .udp(address) : .tcp(address), rate: rate,
                                             count: packets)
        // Pre-encode a pool so the sender's cost is copying bytes, not generating SIP.
        var generator = GeneratorSource(stamp: HEPStamp())
        var pool: [[UInt8]] = []
        for _ in 0..<min(packets, 100_000) {
            var b: [UInt8] = []
            _ = generator.next(into: &b, now: 1_764_000_000_000_000_000)
            pool.append(b)
        }
        let packetsPool = pool
        let start = ContinuousClock.now
        let report: HEPSendReport = try await withCheckedThrowingContinuation { c in
            let thread = Thread {
                var i = 0
                do {
                    let r = try HEPSender(options: senderOptions).run { buffer, _ in
                        buffer.append(contentsOf: packetsPool[i % packetsPool.count])
                        i += 1
                        return true
                    }
                    c.resume(returning: r)
                } catch {
                    c.resume(throwing: error)
                }
            }
            thread.start()
        }
        var last = service.stats.snapshot()
        var stable = 0
        while stable < 20 {
            try await Task.sleep(for: .milliseconds(50))
            let now = service.stats.snapshot()
            let t = now.transports[transport]!
            if t.received + t.droppedTotal >= report.packets { break }
            stable = (now.transports[transport]!.received == last.transports[transport]!.received) ? stable + 1 : 0
            last = now
        }
        let elapsed = ContinuousClock.now - start
        let t = service.stats.snapshot().transports[transport]!
        await group.triggerGracefulShutdown()
        try await task.value
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(transport: transport, sent: report.packets, received: t.received, dropped: t.droppedTotal,
                      sendSeconds: report.seconds, receivedPerSecond: Double(t.received) / seconds)
    }
}
