import API
import Testing

/// The API's own JSON parser (request bodies, node answers): RFC 8259 values, exact 64-bit integers, refusals.
struct JSONParseTests {
    func parse(_ text: String) -> JSONValue? { try? JSONValue.parse(Array(text.utf8)) }

    @Test func scalarsAndNesting() throws {
        #expect(parse(#"{"a":[1,-2,3.5,1e3,true,false,null],"b":{"c":"d"}}"#) == .object([
            "a": .array([.integer(1), .integer(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d")]),
        ]))
        #expect(parse(" \n\t[ ] ") == .array([]))
        #expect(parse("{}") == .object([:]))
        // Nanosecond timestamps need every bit of an Int64; one past it becomes a Double.
        #expect(parse("9223372036854775807") == .integer(Int64.max))
        #expect(parse("-9223372036854775808") == .integer(Int64.min))
        #expect(parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(parse("-0.5E-2") == .double(-0.005))
    }

    @Test func stringEscapes() throws {
        #expect(parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(parse(#""\u00e9\u20AC""#) == .string("é€"))
        #expect(parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(parse("\"caf\u{e9} 😀\"") == .string("café 😀"))
    }

    @Test func malformedDocumentsAreRefused() throws {
        for bad in ["", "01", "1.", ".5", "-", "1e", "[1,]", "[1 2]", #"{"a" 1}"#, #"{"a":1,}"#, #"{a:1}"#, "\"open",
                    "\"tab\there\"", #""\ud83d""#, #""\ude00""#, #""\x""#, "tru", "nul", "[1]x", "{\"a\":1}}"] {
            #expect(parse(bad) == nil, "accepted \(bad)")
        }
        #expect(parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) == nil)
        #expect(throws: APIError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
    }
}
