import API
import Foundation
import HEP
import Testing
import TestSupport

@Suite struct CallTests {
    /// tshark's view of a pcap: one line per SIP message, Call-ID and epoch time.
    static func tsharkSIP(_ pcap: [UInt8], dir: URL) throws -> [(callID: String, time: String)] {
        let file = dir.appendingPathComponent("call-\(UUID().uuidString.prefix(6)).pcap")
        try Data(pcap).write(to: file)
        let out = try Oracle.run("/usr/bin/tshark", ["-r", file.path, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID",
                                                     "-e", "frame.time_epoch"])
        return out.split(separator: "\n").map {
            let f = $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return (f[0], f.count > 1 ? f[1] : "")
        }
    }

    /// A-leg + B-leg (X-CID) over IPv4/IPv6, UDP/TCP: the call route returns both legs in time order (DuckDB judges
    /// which rows belong: session_id in the two Call-IDs), and tshark decodes every message of the pcap as SIP with
    /// its Call-ID and timestamp.
    @Test func linkedLegsAndPcap() async throws {
        let dir = try Oracle.temporaryDirectory("api-call")
        let records = Corpus.records(calls: 16)
        let file = dir.appendingPathComponent("rows.jsonl")
        try Corpus.jsonl(records).write(to: file)
        let backend = MemoryBackend()
        backend.commit(records, time: 1)
        // Calls 5 (IPv4/UDP), 11 (IPv4/TCP), 9 (IPv6/UDP) have B-legs; 14 is IPv6/TCP without one.
        let picks = [5, 11, 9, 14]
        try await LiveServer.with(backend: backend) { client in
            for i in picks {
                guard let aLeg = records.first(where: { $0.sessionID.hasPrefix("c\(i)-") })?.sessionID else {
                    Issue.record("no call \(i)")
                    continue
                }
                let bLeg = records.first { $0.correlationID == aLeg }?.sessionID
                let ids = [aLeg] + (bLeg.map { [$0] } ?? [])
                let queries = dir.appendingPathComponent("q\(i).json")
                let body = #"[{"min_ts":0,"max_ts":9223372036854775807,"limit":10000,"filters":{"session_id":[\#(ids.map { "\"\($0)\"" }.joined(separator: ","))]}}]"#
                try Data(body.utf8).write(to: queries)
                let truth = try JSONValue.parse(Array(try Oracle.runPython("api_search.py", ["--jsonl", file.path, "--queries", queries.path]).utf8))
                let want = try (truth.array?.first?.array ?? []).map { try SearchRecord(json: $0) }
                #expect(want.count == (bLeg == nil ? 7 : 14))

                // Asked by the A-leg or by the B-leg, the flow is the same.
                for asked in ids {
                    let reply = try await client.send(.GET, "/api/v1/calls/\(APIClient.escape(asked))")
                    #expect(reply.status == 200, "\(reply.text)")
                    let o = try reply.object()
                    let got = try (o["messages"]?.array ?? []).map { try SearchRecord(json: $0) }
                    #expect(got.count == want.count, "call \(i) asked as \(asked)")
                    #expect(got == want, "call \(i) asked as \(asked)")
                    #expect(Set((o["sessions"]?.array ?? []).compactMap(\.string)) == Set(ids))
                    let hosts = (o["hosts"]?.array ?? []).compactMap(\.string)
                    var expectedHosts: [String] = []
                    for r in want {
                        for h in [CallFlow.host(r.srcIP, r.srcPort), CallFlow.host(r.dstIP, r.dstPort)]
                        where !expectedHosts.contains(h) { expectedHosts.append(h) }
                    }
                    #expect(hosts == expectedHosts)
                }
                let pcap = try await client.callPcap(aLeg)
                let sip = try Self.tsharkSIP(pcap, dir: dir)
                #expect(sip.map(\.callID) == want.map(\.sessionID), "call \(i): tshark saw \(sip)")
                #expect(sip.map(\.time) == want.map { String(format: "%d.%09d", $0.timestamp / 1_000_000_000, $0.timestamp % 1_000_000_000) })
            }
            // A time window that holds only the first messages.
            let first = records[0]
            let windowed = try await client.send(.GET, "/api/v1/calls/\(APIClient.escape(first.sessionID))?min_ts=\(first.timestamp)&max_ts=\(first.timestamp + 30_000_000)").object()
            #expect(windowed["count"]?.int == 2)
            #expect(try await client.send(.GET, "/api/v1/calls/nope/pcap").status == 404)
            #expect(try await client.send(.GET, "/api/v1/calls/x?min_ts=abc").status == 400)
        }
    }

    /// Real HEP: packets from the HEP module's traffic generator, decoded into records, exported per call; tshark
    /// finds exactly the call's messages with its Call-ID.
    @Test func generatedTrafficPcap() async throws {
        let dir = try Oracle.temporaryDirectory("api-gen")
        var options = SIPTrafficGenerator.Options()
        options.seed = 7
        options.aLegShare = 0.5
        var generator = SIPTrafficGenerator(options: options)
        let packets = generator.packets(count: 400, start: Corpus.base, interval: 1_000_000)
        let records = try packets.map { SearchRecord(HEPRecord(packet: try HEPDecoder.decode(HEPEncoder.encode($0)), receivedAt: 0)) }
        let backend = MemoryBackend()
        backend.commit(records, time: 1)
        let invites = records.filter { $0.method == "INVITE" && $0.correlationID == nil }.prefix(3)
        #expect(invites.count == 3)
        try await LiveServer.with(backend: backend) { client in
            for invite in invites {
                let linked = Set(records.filter { $0.correlationID == invite.sessionID }.map(\.sessionID))
                let want = records.filter { $0.sessionID == invite.sessionID || linked.contains($0.sessionID) }
                let sip = try Self.tsharkSIP(try await client.callPcap(invite.sessionID), dir: dir)
                #expect(sip.count == want.count)
                #expect(sip.map(\.callID) == want.map(\.sessionID))
            }
        }
    }
}
