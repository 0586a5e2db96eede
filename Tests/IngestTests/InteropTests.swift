import Foundation
import HEP
import Testing
import TestSupport
@testable import Ingest

#if canImport(Glibc)
import Glibc
#endif

/// Real HEP peers (sngrep, Kamailio siptrace driven by SIPp) sending to in-process listeners.
@Suite(.serialized) struct InteropTests {
    static let fixture = Oracle.repositoryRoot.appendingPathComponent("Tests/IngestTests/Fixtures/sipp-5calls.pcap").path

    /// Finds a tool or fails with the install hint (tests never skip silently).
    static func tool(_ name: String) throws -> String {
        for dir in ["/usr/bin", "/usr/sbin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw IngestError(.send, "\(name) is not installed: apt-get install -y sngrep kamailio sip-tester tshark (scripts/setup.sh)")
    }

    struct Message: Hashable, Comparable {
        var callID: String
        var srcPort: Int32
        var dstPort: Int32
        static func < (a: Message, b: Message) -> Bool { (a.callID, a.srcPort, a.dstPort) < (b.callID, b.srcPort, b.dstPort) }
    }

    @Test func sngrepReplaysFixtureAsHEP3() async throws {
        let sngrep = try Self.tool("sngrep")
        // The judge for what the pcap holds: tshark's SIP dissector.
        let fields = try Oracle.run(try Self.tool("tshark"), ["-r", Self.fixture, "-Y", "sip", "-T", "fields",
                                                            "-e", "sip.Call-ID", "-e", "udp.srcport", "-e", "udp.dstport"])
        let expected = fields.split(separator: "\n").map { line -> Message in
            let f = line.split(separator: "\t").map(String.init)
            return Message(callID: f[0], srcPort: Int32(f[1])!, dstPort: Int32(f[2])!)
        }.sorted()
        #expect(expected.count == 30)
        let sink = CollectingSink()
        var service: IngestService?
        try await Harness.run(try Harness.options(tcp: false), sink: sink) { svc, bound in
            service = svc
            let port = try #require(bound[.udp]).port
            try Oracle.run(sngrep, ["-N", "-q", "-F", "-H", "udp:127.0.0.1:\(port)", "-I", Self.fixture],
                           environment: ["TERM": "dumb", "HOME": NSTemporaryDirectory()])
            #expect(await sink.wait(for: expected.count))
            try await Task.sleep(for: .milliseconds(200))
        }
        let records = sink.records.withLock { $0 }
        let got = records.map { Message(callID: $0.sessionID, srcPort: $0.srcPort, dstPort: $0.dstPort) }.sorted()
        #expect(got == expected)
        // sngrep 1.6 writes htons(2002) into the 32-bit capture id chunk: bytes 07 d2 00 00 on the wire, which a
        // big-endian read gives as 0x07d20000. We store what the wire says (docs/configuration.md, "capture ids").
        #expect(records.allSatisfy { $0.captureID == 0x07D2_0000 })
        #expect(records.allSatisfy { $0.protoType == 1 && $0.srcIP == "127.0.0.1" && $0.transport == 17 })
        // The HEP timestamps are the pcap's capture times (deterministic replays).
        let first = try #require(records.map(\.timestamp).min())
        #expect(first > 1_700_000_000_000_000_000 && first < wallClockNanoseconds())
        let stats = try #require(service).stats.snapshot()
        #expect(stats.transports["udp"]?.received == 30)
        #expect(stats.transports["udp"]?.droppedTotal == 0)
    }

    @Test(arguments: ["udp", "tcp"])
    func kamailioSiptraceSendsEveryMessage(transport: String) async throws {
        let kamailio = try Self.tool("kamailio")
        let sipp = try Self.tool("sipp")
        let dir = try Oracle.temporaryDirectory("homer-kamailio")
        let sipPort = Ports.free(), uasPort = Ports.free(), uacPort = Ports.free()
        let sink = CollectingSink()
        var service: IngestService?
        try await Harness.run(try Harness.options(udp: transport == "udp", tcp: transport == "tcp"), sink: sink) { svc, bound in
            service = svc
            let hepPort = try #require(bound[transport == "udp" ? .udp : .tcp]).port
            let config = KamailioConfig.siptrace(sipPort: sipPort, uasPort: uasPort, hepPort: hepPort,
                                                     transport: transport)
            let cfg = dir.appendingPathComponent("kamailio.cfg").path
            try config.write(toFile: cfg, atomically: true, encoding: .utf8)
            try Oracle.run(kamailio, ["-c", "-f", cfg])
            let k = try ChildProcess(kamailio, ["-f", cfg, "-DD", "-E", "-Y", dir.path, "-w", dir.path, "-m", "64",
                                                "-M", "8"])
            let uas = try ChildProcess(sipp, ["-sn", "uas", "-i", "127.0.0.1", "-p", "\(uasPort)", "-nostdin"])
            defer {
                uas.stop()
                k.stop()
            }
            try await Task.sleep(for: .milliseconds(800))  // Kamailio and the UAS bind
            try Oracle.run(sipp, ["-sn", "uac", "127.0.0.1:\(sipPort)", "-i", "127.0.0.1", "-p", "\(uacPort)",
                                  "-m", "3", "-r", "5", "-d", "100", "-nostdin", "-timeout", "20s"])
            #expect(await sink.wait(for: 18, timeout: .seconds(15)))
            try await Task.sleep(for: .milliseconds(300))
        }
        let records = sink.records.withLock { $0 }
        #expect(records.count == 18)
        let calls = Dictionary(grouping: records, by: \.sessionID)
        #expect(calls.count == 3)
        for (callID, messages) in calls {
            #expect(!callID.isEmpty)
            #expect(messages.compactMap(\.method).sorted() == ["ACK", "BYE", "INVITE"])
            #expect(messages.compactMap(\.responseCode).sorted() == [180, 200, 200])
        }
        // Kamailio encodes the capture id correctly (big-endian 2001).
        #expect(records.allSatisfy { $0.captureID == 2001 })
        // Every traced message went through the proxy's SIP port.
        #expect(records.allSatisfy { $0.srcPort == Int32(sipPort) || $0.dstPort == Int32(sipPort) })
        let stats = try #require(service).stats.snapshot()
        #expect(stats.transports[transport]?.received == 18)
        #expect(stats.transports[transport]?.droppedTotal == 0)
    }
}
