import Foundation
import Testing
@testable import Hub

@Suite struct HubConfigTests {
    func parse(_ text: String) throws(HubError) -> HubConfig { try HubConfig.parse(Array(text.utf8)) }

    @Test func defaultsApplyWhenOnlyNodesAreGiven() throws {
        let c = try parse(#"{"nodes": [{"name": "a", "url": "http://127.0.0.1:8080/"}]}"#)
        #expect(c.options == HubOptions())
        #expect(c.options.routing == .check)
        #expect(c.options.nodeTimeoutMilliseconds == 5000)
        #expect(c.nodes == [HubNode(name: "a", url: "http://127.0.0.1:8080")])
    }

    @Test func everyKeyIsRead() throws {
        let c = try parse(#"""
            {"hub": {"listen": "[::1]:9999", "auth_token": "t", "probe_interval_sec": 2.5, "node_timeout_ms": 900,
                     "check_timeout_ms": 80, "routing": "stats", "stats_slack_sec": 0, "probe_backoff_min_ms": 10,
                     "probe_backoff_max_sec": 4, "max_response_bytes": 1000, "call_link_rounds": 1},
             "nodes": [{"name": "hot", "url": "https://h:1", "auth_token": "n"}, {"name": "b", "url": "http://b"}]}
            """#)
        #expect(c.options.listenHost == "::1" && c.options.listenPort == 9999)
        #expect(c.options.authToken == "t")
        #expect(c.options.probeIntervalSeconds == 2.5)
        #expect(c.options.nodeTimeoutMilliseconds == 900)
        #expect(c.options.checkTimeoutMilliseconds == 80)
        #expect(c.options.routing == .stats)
        #expect(c.options.statsSlackSeconds == 0)
        #expect(c.options.probeBackoffMinMilliseconds == 10)
        #expect(c.options.probeBackoffMaxSeconds == 4)
        #expect(c.options.maxResponseBytes == 1000)
        #expect(c.options.callLinkRounds == 1)
        #expect(c.nodes[0].authToken == "n" && c.nodes[1].authToken == nil)
    }

    @Test(arguments: [
        (#"{"nodes": []}"#, "nodes"),
        (#"{"hub": {}}"#, "nodes"),
        (#"{"nodes": [{"url": "http://a"}]}"#, "nodes[0].name"),
        (#"{"nodes": [{"name": "a"}]}"#, "nodes[0].url"),
        (#"{"nodes": [{"name": "a", "url": "ftp://a"}]}"#, "nodes[0].url"),
        (#"{"nodes": [{"name": "a", "url": "http://a"}, {"name": "a", "url": "http://b"}]}"#, "nodes[1].name"),
        (#"{"nodes": [{"name": "a b", "url": "http://a"}]}"#, "nodes[0].name"),
        (#"{"nodes": [{"name": "a", "url": "http://a", "token": "x"}]}"#, "nodes[0].token"),
        (#"{"hub": {"listen": "nohost"}, "nodes": [{"name": "a", "url": "http://a"}]}"#, "hub.listen"),
        (#"{"hub": {"routing": "fast"}, "nodes": [{"name": "a", "url": "http://a"}]}"#, "hub.routing"),
        (#"{"hub": {"node_timeout_ms": "5s"}, "nodes": [{"name": "a", "url": "http://a"}]}"#, "hub.node_timeout_ms"),
        (#"{"hub": {"node_timeout_ms": 0}, "nodes": [{"name": "a", "url": "http://a"}]}"#, "hub.node_timeout_ms"),
        (#"{"hub": {"probe_interval_sec": -1}, "nodes": [{"name": "a", "url": "http://a"}]}"#, "hub.probe_interval_sec"),
        (#"{"hub": {"auth_token": 5}, "nodes": [{"name": "a", "url": "http://a"}]}"#, "hub.auth_token"),
        (#"{"hub": {"routnig": "check"}, "nodes": [{"name": "a", "url": "http://a"}]}"#, "hub.routnig"),
        (#"{"nodes": [{"name": "a", "url": "http://a"}], }"#, "not valid JSON"),
    ])
    func errorsNameTheKey(_ text: String, _ key: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            guard let e = error as? HubError else { return false }
            return e.reason == .config && e.detail.hasPrefix(key)
        }
    }
}
