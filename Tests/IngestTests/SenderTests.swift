import Foundation
import HEP
import Testing
import TestSupport
@testable import Ingest

@Suite(.serialized) struct SenderTests {
    @Test(arguments: ["udp", "tcp"])
    func senderDeliversExactCountAtPacedRate(transport: String) async throws {
        let sink = CollectingSink()
        var report = HEPSendReport()
        var service: IngestService?
        try await Harness.run(try Harness.options(udp: transport == "udp", tcp: transport == "tcp"), sink: sink) { svc, bound in
            service = svc
            let address = try #require(bound[transport == "udp" ? .udp : .tcp])
            let options = HEPSenderOptions(target: transport == "udp" ? .udp(address) : .tcp(address), rate: 4000,
                                           count: 2000)
            var source = GeneratorSource(stamp: HEPStamp(captureID: 4242, authKey: nil))
            report = try HEPSender(options: options).run { source.next(into: &$0, now: $1) }
            #expect(await sink.wait(for: 2000))
        }
        #expect(report.packets == 2000)
        // 2000 packets at 4000/s: half a second, give or take scheduling on a busy 2-core machine.
        #expect(report.seconds > 0.45 && report.seconds < 0.8, "\(report.seconds) s")
        #expect(sink.count == 2000)
        #expect(sink.records.withLock { $0.allSatisfy { $0.captureID == 4242 && !$0.sessionID.isEmpty } })
        let t = try #require(service).stats.snapshot().transports[transport]
        #expect(t?.received == 2000)
        #expect(t?.bytes == report.bytes)
    }

    @Test func senderStopsAfterDuration() async throws {
        let sink = CollectingSink()
        var report = HEPSendReport()
        try await Harness.run(try Harness.options(udp: false), sink: sink) { _, bound in
            let options = HEPSenderOptions(target: .tcp(try #require(bound[.tcp])), rate: 1000, duration: .milliseconds(300))
            var source = GeneratorSource(stamp: HEPStamp())
            report = try HEPSender(options: options).run { source.next(into: &$0, now: $1) }
            #expect(await sink.wait(for: report.packets))
        }
        #expect(report.packets >= 250 && report.packets <= 320, "\(report.packets)")
        #expect(sink.count == report.packets)
    }

    /// `--pool`: cycled packets decode like freshly generated ones, each carrying the send time it was given.
    @Test func pooledGeneratorRestampsTime() throws {
        var fresh = GeneratorSource(stamp: HEPStamp(captureID: 7), seed: 3)
        var pooled = GeneratorSource(stamp: HEPStamp(captureID: 7), seed: 3, pool: 5)
        for i in 0..<12 {
            let now = 1_764_000_000_000_000_000 + Int64(i) * 1_234_567_000
            var a: [UInt8] = [], b: [UInt8] = []
            _ = pooled.next(into: &b, now: now)
            let got = try HEPDecoder.decode(b)
            #expect(got.timeSeconds == UInt32(now / 1_000_000_000))
            #expect(got.timeMicroseconds == UInt32(now % 1_000_000_000 / 1_000))
            if i < 5 {
                _ = fresh.next(into: &a, now: now)
                var want = try HEPDecoder.decode(a)
                want.timeSeconds = got.timeSeconds
                want.timeMicroseconds = got.timeMicroseconds
                #expect(got == want, "packet \(i)")
            } else {
                var first: [UInt8] = []
                var again = GeneratorSource(stamp: HEPStamp(captureID: 7), seed: 3, pool: 5)
                for _ in 0...(i % 5) { first = []; _ = again.next(into: &first, now: now) }
                #expect(got.payload == (try HEPDecoder.decode(first)).payload, "packet \(i) repeats packet \(i % 5)")
            }
        }
    }
}
