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
}
