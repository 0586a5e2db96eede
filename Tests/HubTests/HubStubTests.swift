import Foundation
import Testing
import TestSupport
@testable import Hub

/// The Hub in front of three stub nodes speaking the node API over real HTTP (loopback).
@Suite(.serialized) struct HubStubTests {
    struct Cluster {
        let data: StubData
        let hot: StubNode, archive: StubNode, mid: StubNode
        let hub: HubHarness
        var nodes: [StubNode] { [hot, archive, mid] }

        func stop() async {
            await hub.stop()
            for n in nodes { await n.stop() }
        }

        func searchHits() async -> [String: Int] {
            var out: [String: Int] = [:]
            for n in nodes { out[n.name] = await n.state.count("search") }
            return out
        }

        func resetHits() async { for n in nodes { await n.state.resetHits() } }
    }

    static func cluster(routing: RoutingMode = .check, hubToken: String? = nil, nodeToken: String? = nil,
                        configure: @escaping (inout HubOptions) -> Void = { _ in }) async throws -> Cluster {
        let data = StubData()
        let hot = try await StubNode.start(name: "hot", records: data.hot, authToken: nodeToken)
        let archive = try await StubNode.start(name: "archive", records: data.archive, authToken: nodeToken)
        let mid = try await StubNode.start(name: "mid", records: data.mid, authToken: nodeToken)
        let hub = try await HubHarness.start(nodes: [hot, archive, mid].map {
            HubNode(name: $0.name, url: $0.url, authToken: nodeToken)
        }) { o in
            o.routing = routing
            o.authToken = hubToken
            configure(&o)
        }
        return Cluster(data: data, hot: hot, archive: archive, mid: mid, hub: hub)
    }

    /// Each range reaches exactly the nodes holding it, and the merged answer is the union of their data.
    func checkRanges(_ c: Cluster) async throws {
        let now = c.data.now, h = StubData.hour, d = StubData.day
        let cases: [(String, Int64, Int64, Set<String>)] = [
            ("last 20 min (hot only)", now - h / 3, now, ["hot"]),
            ("last hour", now - h, now, ["hot", "mid"]),
            ("a week ago", now - 7 * d - h, now - 6 * d, ["archive", "mid"]),
            ("three weeks ago", now - 21 * d, now - 20 * d, []),
            ("everything", now - 30 * d, now + h, ["hot", "archive", "mid"]),
        ]
        for (label, lo, hi, expectedNodes) in cases {
            await c.resetHits()
            let a = try await c.hub.search(["min_ts": lo, "max_ts": hi, "limit": 10000])
            #expect(a.status == 200, "\(label): \(String(decoding: a.body, as: UTF8.self))")
            #expect(Set(a.queried) == expectedNodes, "\(label)")
            #expect(Set(a.skipped) == Set(["hot", "archive", "mid"]).subtracting(expectedNodes), "\(label)")
            #expect(a.partial == false, "\(label)")
            let hits = await c.searchHits()
            for n in ["hot", "archive", "mid"] {
                #expect(hits[n] == (expectedNodes.contains(n) ? 1 : 0), "\(label): search requests to \(n)")
            }
            #expect(a.pairs.sorted() == c.data.expected(lo, hi), "\(label): merged records")
            #expect(a.timestamps == a.timestamps.sorted(), "\(label): ascending")
        }
    }

    @Test func checkRoutingReachesExactlyTheNodesHoldingTheRange() async throws {
        let c = try await Self.cluster(routing: .check)
        do {
            try await checkRanges(c)
            // The last range ("everything") overlaps every node's known range: no node needed a live check.
            for n in c.nodes { #expect(await n.state.count("check") == 0, "\(n.name): known range proves the overlap") }
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    /// `check` routing: a node whose known range already overlaps the query is queried without a check; a node is
    /// skipped only when a live check says it holds nothing; a node that received data outside its known range is
    /// checked live and queried, never skipped on stale knowledge.
    @Test func checkRoutingSkipsOnlyOnALiveCheck() async throws {
        // No poll after the first one: the ranges stay what the Hub learnt at start and from checks.
        let c = try await Self.cluster(routing: .check) { $0.probeIntervalSeconds = 60 }
        do {
            let now = c.data.now, h = StubData.hour, d = StubData.day
            // Learn every range (the first poll, or checks when it has not answered yet).
            _ = try await c.hub.search(["min_ts": now - 30 * d, "max_ts": now + h])
            await c.resetHits()
            let hot = try await c.hub.search(["min_ts": now - h / 3, "max_ts": now])
            #expect(hot.queried == ["hot"] && Set(hot.skipped) == ["archive", "mid"])
            #expect(await c.hot.state.count("check") == 0, "hot's known range proves the overlap")
            #expect(await c.archive.state.count("check") == 1)
            #expect(await c.archive.state.count("search") == 0)
            #expect(await c.mid.state.count("check") == 1)
            #expect(await c.mid.state.count("search") == 0)
            // Nothing anywhere three weeks ago: every node is checked live and skipped.
            await c.resetHits()
            let (lo, hi) = (now - 21 * d, now - 20 * d)
            let none = try await c.hub.search(["min_ts": lo, "max_ts": hi])
            #expect(none.queried.isEmpty && Set(none.skipped) == ["hot", "archive", "mid"] && none.partial == false)
            for n in c.nodes {
                #expect(await n.state.count("check") == 1, "\(n.name)")
                #expect(await n.state.count("search") == 0, "\(n.name)")
            }
            // archive receives a backfilled message in that range after the Hub learnt its range.
            await c.archive.state.append(StubData.record(lo + 5 * StubData.second, session: "backfill@hub",
                                                         payload: "backfilled"))
            await c.resetHits()
            let fresh = try await c.hub.search(["min_ts": lo, "max_ts": hi])
            #expect(fresh.queried == ["archive"] && Set(fresh.skipped) == ["hot", "mid"], "\(fresh.skipped)")
            #expect(fresh.records.map { $0["payload"] as? String } == ["backfilled"])
            #expect(await c.archive.state.count("check") == 1)
            #expect(await c.archive.state.count("search") == 1)
            // The check taught the Hub the new range: the next query there needs no check.
            await c.resetHits()
            let again = try await c.hub.search(["min_ts": lo, "max_ts": hi])
            #expect(again.queried == ["archive"] && again.records.count == 1)
            #expect(await c.archive.state.count("check") == 0)
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func statsRoutingUsesPolledRanges() async throws {
        let c = try await Self.cluster(routing: .stats)
        do {
            // Wait for the first poll of every node.
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                var polled = true
                for n in c.nodes where await n.state.count("stats") == 0 { polled = false }
                if polled { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            try await checkRanges(c)
            for n in c.nodes { #expect(await n.state.count("check") == 0, "stats routing never calls check") }
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func routingAllQueriesEveryNode() async throws {
        let c = try await Self.cluster(routing: .all)
        do {
            let now = c.data.now
            let a = try await c.hub.search(["min_ts": now - 21 * StubData.day, "max_ts": now - 20 * StubData.day])
            #expect(Set(a.queried) == ["hot", "archive", "mid"])
            #expect(a.skipped.isEmpty && a.records.isEmpty)
            for n in c.nodes { #expect(await n.state.count("check") == 0) }
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func globalLimitOrderAndDeduplication() async throws {
        let c = try await Self.cluster()
        do {
            let now = c.data.now
            let all = c.data.expected(now - 2 * StubData.hour, now)
            let desc = try await c.hub.search(["min_ts": now - 2 * StubData.hour, "max_ts": now, "limit": 7, "order": "desc"])
            #expect(desc.status == 200)
            #expect(desc.pairs == Array(all.reversed().prefix(7)))
            let asc = try await c.hub.search(["min_ts": now - 2 * StubData.hour, "max_ts": now, "limit": 10000])
            #expect(asc.pairs == all)
            #expect(asc.records.filter { ($0["payload"] as? String) == "OPTIONS dup" }.count == 1)
            #expect((asc.json["duplicates"] as? Int) == 1)
            #expect(asc.records.allSatisfy { ["hot", "mid"].contains($0["hub_node"] as? String ?? "") })
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func callSplitAcrossNodesComesBackWhole() async throws {
        let c = try await Self.cluster()
        do {
            let a = try await c.hub.request(.GET, "/api/v1/calls/split%40hub")
            #expect(a.status == 200)
            #expect(a.records.map { $0["payload"] as? String ?? "" } ==
                ["INVITE split", "100 Trying split", "180 Ringing split", "200 OK split", "ACK split", "BYE split"])
            #expect(Set(a.queried) == ["hot", "archive", "mid"])
            let split = (c.data.hot + c.data.mid).filter { ($0["session_id"] as? String) == "split@hub" }
            let hosts = Set(split.flatMap { ["\($0["src_ip"]!):\($0["src_port"]!)", "\($0["dst_ip"]!):\($0["dst_port"]!)"] })
            #expect(Set(a.json["hosts"] as? [String] ?? []) == hosts)
            // B-leg on archive links to the A-leg on mid only through its correlation_id.
            let b = try await c.hub.request(.GET, "/api/v1/calls/leg-b%40hub")
            #expect(b.records.map { $0["payload"] as? String ?? "" } == ["INVITE leg a", "INVITE leg b"])
            let none = try await c.hub.request(.GET, "/api/v1/calls/nothing%40hub")
            #expect(none.status == 404)
            #expect(none.partial == false)
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func pcapOfASplitCallIsMergedInTimeOrder() async throws {
        let c = try await Self.cluster()
        do {
            let a = try await c.hub.request(.GET, "/api/v1/calls/split%40hub/pcap")
            #expect(a.status == 200)
            #expect(a.headers["x-homer-partial"] == "false")
            let dir = try Oracle.temporaryDirectory("hub-pcap")
            let file = dir.appendingPathComponent("call.pcap")
            try Data(a.body).write(to: file)
            // tshark is the judge of the file and of the packet times.
            let out = try Oracle.run("tshark", ["-r", file.path, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len"])
            let lines = out.split(separator: "\n")
            let expected = (c.data.hot + c.data.mid).filter { ($0["session_id"] as? String) == "split@hub" }
                .map { ($0["timestamp"] as! Int64, ($0["payload"] as! String).utf8.count) }.sorted { $0.0 < $1.0 }
            #expect(lines.count == expected.count)
            for (line, (ts, len)) in zip(lines, expected) {
                let f = line.split(separator: "\t")
                let secs = f[0].split(separator: ".")
                let ns = Int64(secs[0])! * 1_000_000_000 + Int64(secs[1].padding(toLength: 9, withPad: "0", startingAt: 0))!
                #expect(ns == ts)
                #expect(Int(f[1]) == len)
            }
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func slowNodeIsCutAtTheTimeout() async throws {
        let c = try await Self.cluster { $0.nodeTimeoutMilliseconds = 700 }
        do {
            await c.mid.state.setMode(.slow(6000), routes: ["search"])
            let now = c.data.now
            let started = ContinuousClock.now
            let a = try await c.hub.search(["min_ts": now - StubData.hour, "max_ts": now, "limit": 10000])
            let took = ContinuousClock.now - started
            #expect(a.status == 200)
            #expect(a.partial == true)
            #expect(a.failed["mid"]?.contains("700 ms") == true, "\(a.failed)")
            #expect(a.queried == ["hot"])
            #expect(a.pairs.sorted() == c.data.hot.map { StubData.Pair(ts: $0["timestamp"] as! Int64, payload: $0["payload"] as! String) }
                .filter { $0.ts >= now - StubData.hour }.sorted())
            // Cut at 700 ms, not after the node's 6 s (bound generous for a loaded 2-core machine).
            #expect(took < .milliseconds(4500), "answer took \(took)")
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func serverErrorAndBadJSONFailOnlyThatNode() async throws {
        let c = try await Self.cluster()
        do {
            let now = c.data.now
            await c.mid.state.setMode(.error500, routes: ["search"])
            let a = try await c.hub.search(["min_ts": now - StubData.hour, "max_ts": now])
            #expect(a.status == 200)
            #expect(a.partial == true)
            #expect(a.failed["mid"]?.contains("HTTP 500") == true, "\(a.failed)")
            #expect(!a.records.isEmpty)
            await c.mid.state.setMode(.badJSON, routes: ["search"])
            let b = try await c.hub.search(["min_ts": now - StubData.hour, "max_ts": now])
            #expect(b.status == 200)
            #expect(b.failed["mid"]?.contains("invalid JSON") == true, "\(b.failed)")
            #expect(b.queried == ["hot"])
            // A check that fails is a failed node too (it may hold data), not a skipped one. (A range outside
            // archive's known range: inside it, archive would be queried without a check.)
            await c.archive.state.setMode(.error500, routes: ["check"])
            let d = try await c.hub.search(["min_ts": now - 2 * StubData.day, "max_ts": now - StubData.day])
            #expect(d.failed["archive"]?.contains("metadata/check") == true, "\(d.failed)")
            #expect(d.partial == true)
            await c.mid.state.setMode(.normal)
            await c.archive.state.setMode(.normal)
            let e = try await c.hub.search(["min_ts": now - StubData.hour, "max_ts": now])
            #expect(e.partial == false)
            let metrics = String(decoding: try await c.hub.request(.GET, "/metrics").body, as: UTF8.self)
            #expect(metrics.contains("homer_hub_node_failed_total{node=\"mid\",kind=\"bad_response\"} 3"), "\(metrics)")
            #expect(metrics.contains("homer_hub_node_failed_total{node=\"archive\",kind=\"check_bad_response\"} 1"), "\(metrics)")
            #expect(metrics.contains("homer_hub_partial_answers_total 3"))
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    /// A node answer larger than `max_response_bytes` fails that node (announced by Content-Length, refused before
    /// the body is read), not the Hub; the other nodes' records still come back.
    @Test func answerLargerThanMaxResponseBytesFailsThatNode() async throws {
        let c = try await Self.cluster(routing: .all) { $0.maxResponseBytes = 4000 }
        do {
            let now = c.data.now
            // "everything": hot and mid answer with all their records (several KB), archive's answer is small.
            let a = try await c.hub.search(["min_ts": now - 30 * StubData.day, "max_ts": now - 6 * StubData.day,
                                            "limit": 2])
            #expect(a.status == 200)
            #expect(a.failed.isEmpty, "small answers pass: \(a.failed)")
            let b = try await c.hub.search(["min_ts": now - 30 * StubData.day, "max_ts": now + StubData.hour,
                                            "limit": 10000])
            #expect(b.status == 200)
            #expect(b.partial == true)
            for (node, reason) in b.failed { #expect(reason.contains("max_response_bytes"), "\(node): \(reason)") }
            #expect(!b.failed.isEmpty)
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func deadNodeYieldsPartialAndIsProbedWithBackoff() async throws {
        let c = try await Self.cluster { $0.probeBackoffMinMilliseconds = 300; $0.probeIntervalSeconds = 30 }
        do {
            let now = c.data.now
            let lo = now - 8 * StubData.day
            // One answer while archive is alive: the Hub learns its range (metadata/check).
            let alive = try await c.hub.search(["min_ts": lo, "max_ts": now])
            #expect(alive.partial == false && alive.queried.contains("archive"))
            await c.archive.stop()
            let a = try await c.hub.search(["min_ts": lo, "max_ts": now, "limit": 10000])
            #expect(a.status == 200)
            #expect(a.partial == true)
            #expect(a.failed.keys.sorted() == ["archive"])
            #expect(Set(a.queried) == ["hot", "mid"])
            let rest = Set(c.data.expected(lo, now)).subtracting(c.data.archive.map {
                StubData.Pair(ts: $0["timestamp"] as! Int64, payload: $0["payload"] as! String)
            })
            #expect(Set(a.pairs) == rest)
            let status = try await c.hub.request(.GET, "/api/v1/hub/nodes")
            let nodes = status.json["nodes"] as? [[String: Any]] ?? []
            let arc = nodes.first { $0["name"] as? String == "archive" }
            #expect(arc?["healthy"] as? Bool == false, "\(String(decoding: status.body, as: UTF8.self))")
            #expect((arc?["last_error"] as? String)?.isEmpty == false)
            // While down it is not contacted: the next answer reports it down immediately.
            let b = try await c.hub.search(["min_ts": lo, "max_ts": now])
            #expect(b.failed["archive"]?.hasPrefix("down") == true, "\(b.failed)")
            // A range only the (down) archive could hold, per its last known range, is still reported failed,
            // and one far from it is skipped.
            let far = try await c.hub.search(["min_ts": now - 30 * StubData.day, "max_ts": now - 29 * StubData.day])
            #expect(far.skipped.contains("archive"), "\(far.failed)")
            #expect(far.partial == false)
            // The poller keeps probing it with backoff; wait for several probes and check the intervals grow.
            try await Task.sleep(for: .milliseconds(2500))
            let m = String(decoding: try await c.hub.request(.GET, "/metrics").body, as: UTF8.self)
            // Probes are metadata/stats requests of the poller: count its failures.
            let probes = m.split(separator: "\n").first { $0.hasPrefix("homer_hub_node_failed_total{node=\"archive\",kind=\"stats_unreachable\"}") }
            let n = Int(probes?.split(separator: " ").last ?? "0") ?? 0
            // 300, 600, 1200 ms backoff → about 3 probes in 2.5 s (not 8 as a fixed 300 ms retry would make).
            #expect(n >= 2 && n <= 5, "unreachable count \(n)")
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func snapshotIDNeedsASingleNodeAndAsOfReachesEveryNode() async throws {
        let c = try await Self.cluster()
        do {
            let now = c.data.now
            let two = try await c.hub.search(["min_ts": now - StubData.hour, "max_ts": now, "snapshot_id": 3])
            #expect(two.status == 400)
            #expect(String(decoding: two.body, as: UTF8.self).contains("snapshot_id"))
            let one = try await c.hub.search(["min_ts": now - 10 * 60 * StubData.second, "max_ts": now, "snapshot_id": 3])
            #expect(one.status == 200)
            #expect(one.queried == ["hot"])
            #expect(one.json["snapshot_id"] as? Int == 7)
            let asOf = "2030-01-01T00:00:00Z"
            let t = try await c.hub.search(["min_ts": now - 8 * StubData.day, "max_ts": now, "as_of": asOf])
            #expect(t.status == 200)
            for n in c.nodes { #expect(await n.state.lastAsOf == asOf, "as_of forwarded to \(n.name)") }
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func badRequestsAre400NamingTheField() async throws {
        let c = try await Self.cluster()
        do {
            let now = c.data.now
            let missing = try await c.hub.search(["max_ts": now])
            #expect(missing.status == 400 && (missing.json["error"] as? String ?? "").hasPrefix("min_ts"))
            let big = try await c.hub.search(["min_ts": 0, "max_ts": now, "limit": 20000])
            #expect(big.status == 400 && (big.json["error"] as? String ?? "").hasPrefix("limit"))
            let order = try await c.hub.search(["min_ts": 0, "max_ts": now, "order": "sideways"])
            #expect(order.status == 400 && (order.json["error"] as? String ?? "").hasPrefix("order"))
            let inverted = try await c.hub.search(["min_ts": now, "max_ts": 1])
            #expect(inverted.status == 400)
            let junk = try await c.hub.request(.POST, "/api/v1/search", rawBody: "{nope")
            #expect(junk.status == 400)
            // Every node refuses an unknown field: that is the client's error, not a partial answer.
            let bogus = try await c.hub.search(["min_ts": now - StubData.hour, "max_ts": now, "bogus": 1])
            #expect(bogus.status == 400)
            #expect((bogus.json["error"] as? String ?? "").contains("bogus"))
            let method = try await c.hub.request(.GET, "/api/v1/search")
            #expect(method.status == 405)
            let huge = try await c.hub.request(.POST, "/api/v1/search", rawBody: String(repeating: " ", count: 2 << 20))
            #expect(huge.status == 413)
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func bearerAuthOnTheHubAndTokensToTheNodes() async throws {
        let c = try await Self.cluster(hubToken: "hub-secret", nodeToken: "node-secret")
        do {
            let now = c.data.now
            let body: [String: Any] = ["min_ts": now - StubData.hour, "max_ts": now]
            #expect(try await c.hub.search(body).status == 401)
            #expect(try await c.hub.search(body, token: "wrong").status == 401)
            #expect(try await c.hub.request(.GET, "/api/v1/hub/nodes").status == 401)
            #expect(try await c.hub.request(.GET, "/health").status == 200)
            #expect(try await c.hub.request(.GET, "/metrics").status == 200)
            let ok = try await c.hub.search(body, token: "hub-secret")
            #expect(ok.status == 200)
            // The stubs answer 401 unless the node token came along.
            #expect(ok.partial == false, "\(ok.failed)")
            #expect(Set(ok.queried) == ["hot", "mid"])
        } catch { await c.stop(); throw error }
        await c.stop()
    }

    @Test func nodesStatusAndMetricsCountRoutedAndSkipped() async throws {
        let c = try await Self.cluster()
        do {
            let now = c.data.now
            for _ in 0..<3 { _ = try await c.hub.search(["min_ts": now - StubData.hour, "max_ts": now]) }
            let m = String(decoding: try await c.hub.request(.GET, "/metrics").body, as: UTF8.self)
            #expect(m.contains("homer_hub_node_routed_total{node=\"hot\"} 3"))
            #expect(m.contains("homer_hub_node_skipped_total{node=\"archive\"} 3"))
            #expect(m.contains("homer_hub_node_routed_total{node=\"archive\"} 0"))
            #expect(m.contains("homer_hub_node_latency_seconds_count{node=\"mid\"} 3"))
            #expect(m.contains("homer_hub_requests_total{route=\"search\"} 3"))
            let s = try await c.hub.request(.GET, "/api/v1/hub/nodes").json
            let nodes = s["nodes"] as? [[String: Any]] ?? []
            #expect(nodes.map { $0["name"] as? String ?? "" } == ["hot", "archive", "mid"])
            for n in nodes {
                #expect(n["healthy"] as? Bool == true)
                #expect(n["last_latency_ms"] is NSNumber)
                let range = n["last_range"] as? [String: Any]
                #expect(range?["min_ts"] is NSNumber, "\(n)")
            }
            let arc = nodes[1]["last_range"] as? [String: Any]
            #expect((arc?["max_ts"] as? NSNumber)?.int64Value == c.data.archive.map { $0["timestamp"] as! Int64 }.max())
        } catch { await c.stop(); throw error }
        await c.stop()
    }
}
