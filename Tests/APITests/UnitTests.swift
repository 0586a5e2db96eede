import API
import Foundation
import Testing
import TestSupport

@Suite struct UnitTests {
    /// RFC 3339 against Python's datetime (the judge), for dates around epochs, leap days and offsets.
    @Test func rfc3339AgainstPython() throws {
        let samples: [Int64] = [0, 1_737_504_000_000_000_000, 1_737_676_799_999_999_999, 951_782_400_123_456_789,
                                4_107_542_400_000_001_000, -86_400_000_000_001]
        let script = """
        import sys, datetime
        for ns in map(int, sys.argv[1:]):
            s, f = divmod(ns, 10**9)
            d = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=s)
            print(d.strftime('%Y-%m-%dT%H:%M:%SZ'), d.strftime('%Y-%m-%dT%H:%M:%S') + '.%06dZ' % (f // 1000))
        """
        let out = try Oracle.run(Oracle.python, ["-c", script] + samples.map(String.init))
        let lines = out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        for (ns, line) in zip(samples, lines) {
            #expect(RFC3339.seconds(ns) == line[0])
            #expect(RFC3339.micros(ns) == line[1])
            #expect(RFC3339.parse(RFC3339.format9(ns)) == ns)
        }
        #expect(RFC3339.parse("2025-01-23T10:00:00+01:00") == 1_737_622_800_000_000_000)
        #expect(RFC3339.parse("2025-01-23T09:00:00.5Z") == 1_737_622_800_500_000_000)
        #expect(RFC3339.parse("2025-02-30T00:00:00Z") == nil)
        #expect(RFC3339.parse("2025-01-23 09:00:00") == nil)
    }

    @Test func globAndBase64() {
        #expect(Glob.matches(Array("abc@host".utf8), pattern: Array("abc*".utf8)))
        #expect(Glob.matches(Array("abc@host".utf8), pattern: Array("*@host".utf8)))
        #expect(Glob.matches(Array("abc@host".utf8), pattern: Array("a*c*t".utf8)))
        #expect(!Glob.matches(Array("abc@host".utf8), pattern: Array("a*x*".utf8)))
        #expect(!Glob.matches(Array("abc".utf8), pattern: Array("ab".utf8)))
        #expect(Glob.matches(Array("a_b".utf8), pattern: Array("a_b".utf8)))
        #expect(!Glob.matches(Array("axb".utf8), pattern: Array("a_b".utf8)))
        for bytes in [[UInt8](), [0], [0xFF, 0xFE], [1, 2, 3], [9, 8, 7, 6], Array(0...255)] {
            let text = Base64.encode(bytes)
            #expect(text == Data(bytes).base64EncodedString())
            #expect(Base64.decode(text) == bytes)
        }
    }
}
