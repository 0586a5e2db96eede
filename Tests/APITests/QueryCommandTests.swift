import API
import Foundation
import Testing
import TestSupport

/// `homer query` (the built binary, `$HOMER_BIN`) against a lake and against a live node.
@Suite(.serialized) struct QueryCommandTests {
    func homer(_ args: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: Oracle.homerBinary) else {
            throw TestFailure("no homer binary at \(Oracle.homerBinary): run `swift build --product homer` and set HOMER_BIN")
        }
        return try Oracle.run(Oracle.homerBinary, args)
    }

    @Test func lakeAndNode() async throws {
        let lake = try await TestLake.make(calls: 12, flushes: 2, label: "api-cli")
        try await lake.writer.shutdown()
        let lo = lake.records.map(\.timestamp).min()!, hi = lake.records.map(\.timestamp).max()!

        // Direct on the lake: JSON equals DuckDB's answer for the same search.
        let body = #"{"min_ts":\#(lo),"max_ts":\#(hi),"limit":500,"order":"desc","filters":{"method":["INVITE","BYE"],"from_user":"alice*"}}"#
        let queries = lake.dir.appendingPathComponent("cli.json")
        try Data("[\(body)]".utf8).write(to: queries)
        let truth = try JSONValue.parse(Array(try Oracle.runPython("api_search.py", lake.oracleArgs + ["--queries", queries.path]).utf8))
        let want = try (truth.array?.first?.array ?? []).map { try SearchRecord(json: $0) }
        #expect(!want.isEmpty)
        let args = ["--from", String(lo), "--to", RFC3339.format9(hi), "--limit", "500", "--order", "desc",
                    "--filter", "method=INVITE", "--filter", "method=BYE", "--filter", "from_user=alice*"]
        let json = try JSONValue.parse(Array(try homer(["query", "--catalog", lake.catalog, "--format", "json"] + args).utf8))
        guard case .object(let o) = json else { Issue.record("not JSON: \(json)"); return }
        let got = try (o["records"]?.array ?? []).map { try SearchRecord(json: $0) }
        #expect(got == want)

        // Table: a header and one line per record.
        let table = try homer(["query", "--catalog", lake.catalog] + args)
        let lines = table.split(separator: "\n")
        #expect(lines.first?.hasPrefix("time") == true)
        #expect(lines.count == want.count + 1)

        // A call as pcap, judged by tshark.
        let callID = lake.records.first { $0.correlationID != nil }!.correlationID!
        let pcapFile = lake.dir.appendingPathComponent("cli-call.pcap").path
        _ = try homer(["query", "--catalog", lake.catalog, "--call", callID, "--format", "pcap", "--output", pcapFile])
        let sip = try CallTests.tsharkSIP(Array(try Data(contentsOf: URL(fileURLWithPath: pcapFile))), dir: lake.dir)
        let legs = Set([callID] + lake.records.filter { $0.correlationID == callID }.map(\.sessionID))
        #expect(sip.count == lake.records.filter { legs.contains($0.sessionID) }.count)

        // Through a live node with a token: the same records as the direct read.
        let backend = try DuckLakeBackend(catalogPath: lake.catalog)
        let viaNode = try await LiveServer.with(backend: backend, options: APIOptions(authToken: "t0k")) { client in
            try homer(["query", "--url", client.baseURL, "--token", "t0k", "--format", "json"] + args)
        }
        guard case .object(let n) = try JSONValue.parse(Array(viaNode.utf8)) else { Issue.record("not JSON: \(viaNode)"); return }
        #expect(try (n["records"]?.array ?? []).map { try SearchRecord(json: $0) } == want)
        // A wrong token is reported, not printed as an empty result.
        await #expect(throws: (any Error).self) {
            try await LiveServer.with(backend: backend, options: APIOptions(authToken: "t0k")) { client in
                try homer(["query", "--url", client.baseURL, "--token", "bad"])
            }
        }
    }
}
