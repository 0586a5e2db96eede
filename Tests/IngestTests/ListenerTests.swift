import Foundation
import HEP
import Testing
import TestSupport
@testable import Ingest

@Suite(.serialized) struct ListenerTests {
    @Test func tcpFramingAcrossArbitrarySplits() async throws {
        var rng = SystemRandomNumberGenerator()
        let ids = (0..<300).map { "split-\($0)@test" }
        var stream: [UInt8] = []
        for (i, id) in ids.enumerated() {
            stream += Packets.sip(callID: id, srcPort: UInt16(10000 + i), padding: Int.random(in: 0..<900, using: &rng))
        }
        let sink = CollectingSink()
        try await Harness.run(try Harness.options(udp: false), sink: sink) { _, bound in
            let s = try TestSocket(tcp: try #require(bound[.tcp]))
            defer { s.close() }
            var at = 0
            var pieces = 0
            while at < stream.count {
                // Cuts at any byte: inside the 6-byte header, inside chunks, exactly at frame ends.
                let n = min(stream.count - at, [1, 2, 5, 6, 7, 100, 1000, 3000].randomElement(using: &rng)!)
                #expect(s.send(Array(stream[at..<at + n])))
                at += n
                pieces += 1
                if pieces % 7 == 0 { usleep(300) }  // let the kernel deliver separate segments
            }
            #expect(await sink.wait(for: ids.count))
        }
        #expect(firstMismatch(sink.sessionIDs, ids) == nil)
        let records = sink.records.withLock { $0 }
        #expect(records.map(\.srcPort) == (0..<300).map { Int32(10000 + $0) })
    }

    @Test func udpDatagramsArriveDecoded() async throws {
        let sink = CollectingSink()
        let ids = (0..<200).map { "udp-\($0)@test" }
        var service: IngestService?
        try await Harness.run(try Harness.options(tcp: false), sink: sink) { svc, bound in
            service = svc
            let s = try TestSocket(udp: try #require(bound[.udp]))
            defer { s.close() }
            for (i, id) in ids.enumerated() {
                s.send(Packets.sip(callID: id, captureID: UInt32(100 + i % 3), srcPort: UInt16(20000 + i)))
            }
            #expect(await sink.wait(for: ids.count))
            #expect(svc.stats.snapshot().udpKernelDrops == 0)  // the listener's socket is found in /proc/net/udp
        }
        #expect(firstMismatch(sink.sessionIDs.sorted(), Array(Set(ids)).sorted()) == nil)
        let records = sink.records.withLock { $0 }
        for r in records {
            let i = try #require(ids.firstIndex(of: r.sessionID))
            #expect(r.srcPort == Int32(20000 + i))
            #expect(r.captureID == Int64(100 + i % 3))
            #expect(r.srcIP == "127.0.0.1")
        }
        let stats = try #require(service).stats.snapshot()
        #expect(stats.transports["udp"]?.received == ids.count)
        #expect(stats.transports["udp"]?.packets == ids.count)
        #expect(stats.transports["udp"]?.droppedTotal == 0)
        let finished = sink.finished.load(ordering: .relaxed)
        #expect(finished)
    }

    /// Vector reads (`recvmmsg`) cut one receive buffer into per-datagram slots: a burst mixing the largest datagrams
    /// with small ones must arrive whole, none truncated to a slot.
    @Test func udpLargeDatagramsSurviveVectorReads() async throws {
        let sink = CollectingSink()
        let sizes = (0..<120).map { i in [0, 60_000, 7_000, 30_000][i % 4] }
        let packets = sizes.enumerated().map { i, pad in Packets.sip(callID: "big-\(i)@test", padding: pad) }
        #expect(packets.map(\.count).max()! > 60_000 && packets.map(\.count).max()! <= 65_535)
        try await Harness.run(try Harness.options(tcp: false), sink: sink) { _, bound in
            let s = try TestSocket(udp: try #require(bound[.udp]))
            defer { s.close() }
            for p in packets { s.send(p) }  // back to back, so one read returns several datagrams
            #expect(await sink.wait(for: packets.count))
        }
        let records = sink.records.withLock { $0 }
        #expect(records.count == packets.count)
        for r in records {
            let i = try #require(Int(r.sessionID.dropFirst(4).prefix { $0 != "@" }))
            let sent = try HEPDecoder.decode(packets[i])
            #expect(r.payload == sent.payload, "datagram \(i) (\(packets[i].count) bytes) changed in transit")
        }
    }

    @Test func authKeyDropsMissingAndWrongKeys() async throws {
        var options = try Harness.options()
        options.authKey = "s3cret"
        let sink = CollectingSink()
        var service: IngestService?
        try await Harness.run(options, sink: sink) { svc, bound in
            service = svc
            let u = try TestSocket(udp: try #require(bound[.udp]))
            let t = try TestSocket(tcp: try #require(bound[.tcp]))
            defer { u.close(); t.close() }
            for i in 0..<10 {
                u.send(Packets.sip(callID: "u-ok-\(i)", authKey: "s3cret"))
                u.send(Packets.sip(callID: "u-bad-\(i)", authKey: "wrong"))
                u.send(Packets.sip(callID: "u-none-\(i)"))
                t.send(Packets.sip(callID: "t-ok-\(i)", authKey: "s3cret")
                    + Packets.sip(callID: "t-bad-\(i)", authKey: "S3CRET")
                    + Packets.sip(callID: "t-none-\(i)"))
            }
            #expect(await sink.wait(for: 20))
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(firstMismatch(sink.sessionIDs.sorted(), Array(Set((0..<10).flatMap { ["u-ok-\($0)", "t-ok-\($0)"] })).sorted()) == nil)
        let stats = try #require(service).stats.snapshot()
        #expect(stats.transports["udp"]?.dropped == ["auth_failed": 20])
        #expect(stats.transports["tcp"]?.dropped == ["auth_failed": 20])
        #expect(stats.transports["tcp"]?.received == 10)
    }

    @Test func framingErrorClosesOnlyThatConnection() async throws {
        let sink = CollectingSink()
        var service: IngestService?
        try await Harness.run(try Harness.options(udp: false), sink: sink) { svc, bound in
            service = svc
            let address = try #require(bound[.tcp])
            let good = try TestSocket(tcp: address)
            let bad = try TestSocket(tcp: address)
            defer { good.close(); bad.close() }
            good.send(Packets.sip(callID: "before"))
            // Two valid packets, then a stream that is not HEP3: the connection must be closed, counted.
            bad.send(Packets.sip(callID: "bad-conn-1") + Packets.sip(callID: "bad-conn-2") + Array("GET / HTTP/1.1\r\n\r\n".utf8))
            #expect(bad.peerClosed())
            let zeroLength = try TestSocket(tcp: address)
            defer { zeroLength.close() }
            zeroLength.send(Array("HEP3".utf8) + [0, 3] + [UInt8](repeating: 0, count: 10))
            #expect(zeroLength.peerClosed())
            good.send(Packets.sip(callID: "after"))
            #expect(await sink.wait(for: 4))
        }
        #expect(firstMismatch(sink.sessionIDs.sorted(), Array(["before", "bad-conn-1", "bad-conn-2", "after"]).sorted()) == nil)
        let stats = try #require(service).stats.snapshot()
        #expect(stats.framingErrors == ["tcp:bad_magic": 1, "tcp:bad_length": 1])
    }

    @Test func badInputMixedWithValidTraffic() async throws {
        var options = try Harness.options()
        options.maxPacketSize = 4000
        options.hepv2Enabled = false
        let sink = CollectingSink()
        var service: IngestService?
        var rng = SystemRandomNumberGenerator()
        var valid: [String] = []
        try await Harness.run(options, sink: sink) { svc, bound in
            service = svc
            let u = try TestSocket(udp: try #require(bound[.udp]))
            let t = try TestSocket(tcp: try #require(bound[.tcp]))
            defer { u.close(); t.close() }
            for i in 0..<50 {
                let ok = Packets.sip(callID: "valid-u-\(i)")
                valid.append("valid-u-\(i)")
                u.send(ok)
                u.send((0..<Int.random(in: 1..<300, using: &rng)).map { _ in UInt8.random(in: 3...255, using: &rng) })
                u.send(Array(ok.prefix(ok.count - 10)))  // truncated: header says more than arrived
                u.send(Packets.sip(callID: "too-big-u-\(i)", padding: 5000))  // oversized
                u.send([2, 16, 2, 17] + [UInt8](repeating: 0, count: 40))  // HEPv2 while disabled
                // TCP: a frame with a broken chunk length but a correct total length is dropped, the stream goes on;
                // an oversized frame is skipped by its length.
                var broken = Packets.sip(callID: "broken-t-\(i)")
                broken[6 + 4] = 0xFF  // first chunk's length high byte: runs past the end
                t.send(broken + Packets.sip(callID: "too-big-t-\(i)", padding: 5000) + Packets.sip(callID: "valid-t-\(i)"))
                valid.append("valid-t-\(i)")
            }
            #expect(await sink.wait(for: valid.count))
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(firstMismatch(sink.sessionIDs.sorted(), Array(Set(valid)).sorted()) == nil)
        let stats = try #require(service).stats.snapshot()
        let udp = try #require(stats.transports["udp"])
        #expect(udp.received == 50)
        #expect(udp.dropped["oversized"] == 50)
        #expect(udp.dropped["hepv2_disabled"] == 50)
        #expect(udp.droppedTotal == 200)  // random bytes and truncated ones land in decoder reasons
        #expect(udp.packets == 250)
        let tcp = try #require(stats.transports["tcp"])
        #expect(tcp.received == 50)
        #expect(tcp.dropped["oversized"] == 50)
        #expect(tcp.dropped["bad_chunk_length"] == 50)
        #expect(stats.framingErrors.isEmpty)
    }

    @Test func slowSinkBackPressuresTCPWithoutLoss() async throws {
        var options = try Harness.options(udp: false)
        options.maxPendingPackets = 300
        options.sinkBatchSize = 100
        let sink = CollectingSink(delay: .milliseconds(15))
        let total = 4000
        var service: IngestService?
        try await Harness.run(options, sink: sink) { svc, bound in
            service = svc
            let t = try TestSocket(tcp: try #require(bound[.tcp]))
            defer { t.close() }
            var chunk: [UInt8] = []
            for i in 0..<total {
                chunk += Packets.sip(callID: "bp-\(i)")
                if chunk.count > 64_000 { #expect(t.send(chunk)); chunk = [] }
            }
            #expect(t.send(chunk))
            #expect(await sink.wait(for: total, timeout: .seconds(30)))
        }
        #expect(firstMismatch(sink.sessionIDs, (0..<total).map { "bp-\($0)" }) == nil)
        let stats = try #require(service).stats.snapshot()
        #expect(stats.transports["tcp"]?.droppedTotal == 0)
        #expect(stats.transports["tcp"]?.received == total)
    }

    @Test func slowSinkCountsUDPOverloadDrops() async throws {
        var options = try Harness.options(tcp: false)
        options.maxPendingPackets = 200
        options.sinkBatchSize = 100
        let sink = CollectingSink(delay: .milliseconds(50))
        let total = 3000
        var service: IngestService?
        try await Harness.run(options, sink: sink) { svc, bound in
            service = svc
            let u = try TestSocket(udp: try #require(bound[.udp]))
            defer { u.close() }
            for i in 0..<total { u.send(Packets.sip(callID: "ov-\(i)")) }
            // Wait until every datagram was either accepted or dropped.
            for _ in 0..<500 {
                let s = svc.stats.snapshot().transports["udp"]!
                if s.packets == total { break }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let snapshot = try #require(service).stats.snapshot()
        let udp = try #require(snapshot.transports["udp"])
        #expect(udp.packets == total)
        #expect((udp.dropped["overload"] ?? 0) > 0)
        #expect(udp.received + (udp.dropped["overload"] ?? 0) == total)
        #expect(sink.count == udp.received)
    }

    @Test func failingSinkIsRetried() async throws {
        let sink = CollectingSink(failFirst: 2)
        var service: IngestService?
        try await Harness.run(try Harness.options(udp: false), sink: sink) { svc, bound in
            service = svc
            let t = try TestSocket(tcp: try #require(bound[.tcp]))
            defer { t.close() }
            t.send((0..<10).flatMap { Packets.sip(callID: "retry-\($0)") })
            #expect(await sink.wait(for: 10))
        }
        #expect(firstMismatch(sink.sessionIDs, (0..<10).map { "retry-\($0)" }) == nil)
        #expect(try #require(service).stats.snapshot().sinkErrors == 2)
    }

    @Test func tlsListenerFramesHEPInsideTLS() async throws {
        let dir = try Oracle.temporaryDirectory("homer-tls")
        let cert = dir.appendingPathComponent("cert.pem").path, key = dir.appendingPathComponent("key.pem").path
        try Oracle.run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                                   "-days", "1", "-subj", "/CN=localhost"])
        var options = try Harness.options(udp: false, tcp: false)
        options.tls = TLSListenOptions(listen: ListenAddress(host: "127.0.0.1", port: 0), certificatePath: cert,
                                       privateKeyPath: key)
        let sink = CollectingSink()
        let ids = (0..<50).map { "tls-\($0)" }
        var service: IngestService?
        try await Harness.run(options, sink: sink) { svc, bound in
            service = svc
            let port = try #require(bound[.tls]).port
            let stream = ids.flatMap { Packets.sip(callID: $0, padding: 300) }
            // A real TLS client: openssl s_client writes the HEP stream from stdin and closes at EOF.
            _ = try? Oracle.run("openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-quiet", "-no_ign_eof"],
                                stdin: Data(stream))
            #expect(await sink.wait(for: ids.count))
        }
        #expect(firstMismatch(sink.sessionIDs, ids) == nil)
        #expect(try #require(service).stats.snapshot().transports["tls"]?.received == ids.count)
    }
}
