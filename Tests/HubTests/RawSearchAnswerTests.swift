import Testing
@testable import Hub

/// The Hub merges search answers as raw bytes (`RawSearchAnswer`, `RecordMerge.mergeRaw`); the tree merge
/// (`RecordMerge.mergeRecords` over parsed `JSONValue`s) is the reference it must agree with record for record.
@Suite struct RawSearchAnswerTests {
    /// Random node answers (timestamp ties, the same message on two nodes, escaped and unicode strings, nested
    /// values, an empty record, extra top-level members in any order) merged both ways, both orders, several limits.
    @Test func rawMergeAgreesWithTreeMerge() throws {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<60 {
            let shared = (0..<4).map { i in record(ts: 1_000 + Int64(i), payload: "shared \(i) \"q\" é\n", rng: &rng) }
            var answers: [(node: String, body: [UInt8])] = []
            for n in 0..<Int.random(in: 1...3, using: &rng) {
                var records: [JSONValue] = (0..<Int.random(in: 0...25, using: &rng)).map { _ in
                    record(ts: Int64.random(in: 990...1_010, using: &rng), payload: "p\(Int.random(in: 0..<6, using: &rng))", rng: &rng)
                }
                records += shared.filter { _ in Bool.random(using: &rng) }
                if round % 7 == 0 { records.append(.object(JSONObject())) }
                records.sort { ($0["timestamp"]?.intValue ?? .min) < ($1["timestamp"]?.intValue ?? .min) }
                var top: [(String, JSONValue)] = [("count", .int(Int64(records.count))), ("records", .array(records)),
                                                  ("stats", .object(JSONObject([("files", .array([.int(1), .null]))])))]
                if Bool.random(using: &rng) { top.insert(("snapshot_id", .int(Int64(n + 7))), at: 0) }
                top.shuffle(using: &rng)
                answers.append(("node\(n)", JSONCodec.serialize(.object(JSONObject(top)))))
            }
            for order in [RecordMerge.Order.asc, .desc] {
                for limit in [nil, 1, 5, 1000] as [Int?] {
                    // Nodes answer in the requested order: the ascending lists reversed for `desc`.
                    let sorted = try answers.map { a in
                        let recs = try #require(try JSONCodec.parse(a.body)["records"]?.arrayValue)
                        return (a.node, order == .asc ? recs : recs.reversed())
                    }
                    let tree = RecordMerge.mergeRecords(sorted, order: order, limit: limit)
                    let rawAnswers = try sorted.map { node, recs in
                        (node: node, answer: try RawSearchAnswer(JSONCodec.serialize(.object(JSONObject([("records", .array(recs))])))))
                    }
                    let raw = RecordMerge.mergeRaw(rawAnswers, order: order, limit: limit)
                    #expect(try JSONCodec.parse(raw.array) == .array(tree.records), "round \(round) \(order) \(String(describing: limit))")
                    #expect(raw.count == tree.records.count)
                    #expect(raw.duplicates == tree.duplicates)
                }
            }
            for (_, body) in answers {
                let parsed = try RawSearchAnswer(body)
                #expect(parsed.snapshotID == (try JSONCodec.parse(body))["snapshot_id"])
            }
        }
    }

    /// Strings are skipped eight bytes at a time: a quote, backslash escape or control character at every offset of
    /// the word, near the end of the body too, is accepted or refused exactly as the tree parser does, and the record
    /// spans cover the same text.
    @Test func stringScanAgreesWithTheTreeParserAtEveryOffset() throws {
        let inserts: [[UInt8]] = [Array("\\\"".utf8), Array("\\\\".utf8), Array("\\n".utf8), Array("\\u00e9".utf8),
                                  [0x1F], [0x09], [0x7F], Array("\"".utf8), [0xC3, 0xA9], Array("\\x".utf8), Array("\\u12".utf8), [0x20]]
        for insert in inserts {
            for before in 0..<18 {
                for after in [0, 1, 7, 8, 9] {
                    var text: [UInt8] = Array(repeating: UInt8(ascii: "a"), count: before) + insert
                    text += Array(repeating: UInt8(ascii: "b"), count: after)
                    let body = Array("{\"records\": [{\"timestamp\": 5, \"payload\": \"".utf8) + text + Array("\"}]}".utf8)
                    let tree = try? JSONCodec.parse(body)
                    let raw = try? RawSearchAnswer(body)
                    #expect((tree == nil) == (raw == nil), "\(insert) at \(before)+\(after)")
                    if let tree, let raw {
                        let merged = RecordMerge.mergeRaw([("n", raw)], order: .asc, limit: nil, tag: nil)
                        #expect(try JSONCodec.parse(merged.array) == tree["records"], "\(insert) at \(before)+\(after)")
                    }
                }
            }
        }
    }

    /// A body that is not valid JSON, or has no records list, is the node's fault: an error, never a crash.
    @Test func badAnswersAreErrors() {
        for bad in ["", "[]", "{", "{\"records\": 3}", "{\"records\": [1]}", "{\"records\": [{\"a\": tru}]}",
                    "{\"records\": [{\"a\": \"\\x\"}]}", "{\"records\": []} x", "{\"count\": 1}",
                    "{\"records\": [{\"a\": \"unterminated}]}", String(repeating: "[", count: 10_000)] {
            #expect(throws: HubError.self, "\(bad)") { try RawSearchAnswer(Array(bad.utf8)) }
        }
    }

    private func record(ts: Int64, payload: String, rng: inout SystemRandomNumberGenerator) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("timestamp", .int(ts)), ("session_id", .string("c\(Int.random(in: 0..<3, using: &rng))@x\\y")),
            ("src_ip", .string("10.0.0.1")), ("src_port", .int(5060)), ("dst_ip", .string("10.0.0.2")),
            ("dst_port", .int(5060)), ("transport", .int(17)), ("proto_type", .int(1)), ("payload", .string(payload)),
            ("capture_id", .int(Int64.random(in: 1...2, using: &rng))), ("extra", .array([.double(1.5), .bool(true), .null])),
        ]
        if Bool.random(using: &rng) { members.removeAll { $0.0 == "src_port" } }
        return .object(JSONObject(members))
    }
}
