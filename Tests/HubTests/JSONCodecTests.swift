import Foundation
import Testing
import TestSupport
@testable import Hub

@Suite struct JSONCodecTests {
    /// Python's json module judges our parser and printer: a document with escapes, unicode, big integers, floats
    /// and nesting goes Python → us → Python and must compare equal; nanosecond integers must stay exact.
    @Test func roundTripJudgedByPython() throws {
        let script = """
            import json, sys
            doc = {"ts": 1737590400123456789, "neg": -9223372036854775808, "f": 1.5e-7, "s": "a\\"b\\\\c\\n\\t\\u0001é😀",
                   "arr": [None, True, False, [], {}, [1, [2, [3]]]], "k": {"x": "y", "z": 0.1}}
            if sys.argv[1] == "dump":
                print(json.dumps(doc))
            else:
                back = json.loads(sys.stdin.read())
                assert back == doc, (back, doc)
                print("ok")
            """
        let dir = try Oracle.temporaryDirectory("hub-json")
        let path = dir.appendingPathComponent("rt.py").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        let dumped = try Oracle.run(Oracle.python, [path, "dump"])
        let value = try JSONCodec.parse(Array(dumped.utf8))
        #expect(value["ts"] == .int(1_737_590_400_123_456_789))
        #expect(value["neg"] == .int(Int64.min))
        let back = try Oracle.run(Oracle.python, [path, "check"], stdin: Data(JSONCodec.serialize(value)))
        #expect(back.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\x\"", "tru", "{\"a\":1}x", "\"\u{01}\"", "nul", "truE", "-", "1e", "-01"])
    func invalidDocumentsThrow(_ text: String) {
        #expect(throws: HubError.self) { try JSONCodec.parse(text) }
    }

    /// Integers are accumulated in place; Swift's own `Int64(String)` / `Double(String)` judge every edge: both
    /// Int64 limits, one past them (then a Double, as before), negative zero, fractions and exponents.
    @Test(arguments: ["0", "-0", "7", "-7", "1795617801099161000", "9223372036854775807", "-9223372036854775808",
                      "9223372036854775808", "-9223372036854775809", "123456789012345678901234", "1.5", "-2.5e3",
                      "1e2", "1E-2", "100000000000000000000"])
    func numbersParseAsSwiftParsesTheirText(_ text: String) throws {
        let double = try #require(Double(text))
        let expected: JSONValue = Int64(text).map { .int($0) } ?? .double(double)
        #expect(try JSONCodec.parse(text) == expected)
        #expect(try JSONCodec.parse("[true,\(text),null,false]") == .array([.bool(true), expected, .null, .bool(false)]))
        // The raw scan skips it the same way (it validates without building the value).
        let body = Array("{\"records\": [{\"timestamp\": \(text), \"x\": [\(text), true, null, false]}]}".utf8)
        let raw = try RawSearchAnswer(body)
        #expect(raw.records.count == 1 && raw.records[0].timestamp == (expected.intValue ?? Int64.min))
    }

    @Test func deepNestingIsRefusedNotCrashing() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: HubError.self) { try JSONCodec.parse(deep) }
    }
}
