import Foundation
import Testing
import TestSupport
@testable import HEP

/// Corrupt input: every case is a thrown `HEPError` with the right reason, never a trap.
@Suite struct HEPErrorTests {
    static func chunk(_ type: UInt16, _ value: [UInt8], vendor: UInt16 = 0) -> [UInt8] {
        let n = 6 + value.count
        return [UInt8(vendor >> 8), UInt8(vendor & 0xff), UInt8(type >> 8), UInt8(type & 0xff),
                UInt8(n >> 8), UInt8(n & 0xff)] + value
    }

    static func hep3(_ chunks: [[UInt8]], length: Int? = nil) -> [UInt8] {
        let body = chunks.flatMap { $0 }
        let n = length ?? 6 + body.count
        return [0x48, 0x45, 0x50, 0x33, UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + body
    }

    static let payload = chunk(0x0f, Array("x".utf8))

    static func reason(_ bytes: [UInt8], options: HEPOptions = HEPOptions()) -> HEPError.Reason? {
        do {
            _ = try HEPDecoder.decode(bytes, options: options)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func headerErrors() {
        #expect(Self.reason([]) == .truncated)
        #expect(Self.reason([0x48, 0x45, 0x50]) == .truncated)
        #expect(Self.reason(Array("GET / HTTP/1.1\r\n".utf8)) == .badMagic)
        #expect(Self.reason(Self.hep3([Self.payload], length: 0)) == .badLength)
        #expect(Self.reason(Self.hep3([Self.payload], length: 5)) == .badLength)
        #expect(Self.reason(Self.hep3([Self.payload], length: 200)) == .badLength)
        // "EEP3" is accepted as an alias of "HEP3" (spec §1.1).
        var eep = Self.hep3([Self.payload])
        eep[0] = 0x45
        #expect(Self.reason(eep) == nil)
    }

    @Test func chunkErrors() {
        // Chunk length below the 6-byte header.
        #expect(Self.reason(Self.hep3([[0, 0, 0, 0x0f, 0, 5, 0x41], Self.payload])) == .badChunkLength)
        // Chunk length past the end of the packet.
        #expect(Self.reason(Self.hep3([[0, 0, 0, 0x0f, 0, 50, 0x41]])) == .badChunkLength)
        // Trailing bytes too short for a chunk header.
        #expect(Self.reason(Self.hep3([Self.payload, [0, 0, 0]])) == .badChunkLength)
        // No payload chunk.
        #expect(Self.reason(Self.hep3([Self.chunk(0x07, [0, 1])])) == .missingPayload)
        #expect(Self.reason(Self.hep3([])) == .missingPayload)
        // Unknown vendor chunk with an odd size is skipped, not an error.
        #expect(Self.reason(Self.hep3([Self.chunk(0x07, [1, 2, 3], vendor: 5), Self.payload])) == nil)
    }

    /// Every fixed-size chunk type with one byte too few and one too many.
    @Test(arguments: [(UInt16(0x01), 1), (0x02, 1), (0x03, 4), (0x04, 4), (0x05, 16), (0x06, 16), (0x07, 2),
                      (0x08, 2), (0x09, 4), (0x0a, 4), (0x0b, 1), (0x0c, 4), (0x0d, 2), (0x12, 2), (0x14, 8),
                      (0x15, 8), (0x16, 2), (0x17, 1), (0x18, 1), (0x20, 2), (0x21, 2), (0x23, 4), (0x27, 2),
                      (0x28, 2)])
    func fixedSizeChunks(_ type: UInt16, _ size: Int) {
        #expect(Self.reason(Self.hep3([Self.chunk(type, [UInt8](repeating: 1, count: size)), Self.payload])) == nil)
        #expect(Self.reason(Self.hep3([Self.chunk(type, [UInt8](repeating: 1, count: size - 1)), Self.payload]))
                == .badChunkSize)
        #expect(Self.reason(Self.hep3([Self.chunk(type, [UInt8](repeating: 1, count: size + 1)), Self.payload]))
                == .badChunkSize)
    }

    @Test func compressedPayloadErrors() throws {
        #expect(Self.reason(Self.hep3([Self.chunk(0x10, Array("not compressed at all".utf8))])) == .decompressionFailed)
        #expect(Self.reason(Self.hep3([Self.chunk(0x10, [])])) == .decompressionFailed)
        // Truncated zlib stream.
        let good = try Fixtures.bytes("compressed_zlib")
        let p = try HEPDecoder.decode(good)
        let z = HEPInflate.deflate(p.payload, gzip: false)
        #expect(Self.reason(Self.hep3([Self.chunk(0x10, Array(z.prefix(z.count / 2)))])) == .decompressionFailed)
        // Decompression bomb: 1 MiB of zeros compresses to ~1 KB; a 64 KiB bound rejects it.
        let bomb = HEPInflate.deflate([UInt8](repeating: 0, count: 1 << 20), gzip: true)
        #expect(bomb.count < 5000)
        var options = HEPOptions()
        options.maxDecompressedSize = 1 << 16
        #expect(Self.reason(Self.hep3([Self.chunk(0x10, bomb)]), options: options) == .payloadTooLarge)
    }

    @Test func legacyErrors() throws {
        let v2 = try Fixtures.bytes("v2")
        var options = HEPOptions()
        options.hepv2Enabled = false
        #expect(Self.reason(v2, options: options) == .unsupportedVersion)
        #expect(Self.reason(Array(v2.prefix(5))) == .truncated)
        #expect(Self.reason(Array(v2.prefix(20))) == .truncated)
        #expect(Self.reason(Array(v2.prefix(28))) == .missingPayload)
        var badFamily = v2
        badFamily[2] = 7
        #expect(Self.reason(badFamily) == .unsupportedVersion)
    }

    /// Every prefix of every golden packet: HEP3 prefixes are all rejected (the length says more bytes follow);
    /// nothing traps.
    @Test(arguments: HEPGoldenTests.names)
    func truncationsNeverCrash(_ name: String) throws {
        let bytes = try Fixtures.bytes(name)
        for n in 0..<bytes.count {
            let r = Self.reason(Array(bytes.prefix(n)))
            if bytes[0] == 0x48 { #expect(r != nil, "prefix \(n) of \(name) decoded") }
        }
    }

    /// Random bytes and random mutations of valid packets: decode either throws or returns; SIP extraction runs on
    /// whatever decodes. (The libFuzzer target covers this at scale.)
    @Test func randomInputNeverCrashes() throws {
        var rng = TestRandom(seed: 7)
        let seeds = try HEPGoldenTests.names.map { try Fixtures.bytes($0) }
        var decoded = 0
        for i in 0..<20_000 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = rng.bytes(Int.random(in: 0...200, using: &rng))
                if i % 4 == 0 && bytes.count >= 6 { bytes.replaceSubrange(0..<4, with: [0x48, 0x45, 0x50, 0x33]) }
            } else {
                bytes = seeds[i % seeds.count]
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let k = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[k] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            if let p = try? HEPDecoder.decode(bytes) {
                decoded += 1
                _ = HEPRecord(packet: p, receivedAt: 1)
            }
            _ = try? bytes.withUnsafeBytes { try HEPFraming.frameLength($0) }
        }
        #expect(decoded > 100) // mutations that only touch payload bytes still decode
    }

    @Test func framing() throws {
        let a = try Fixtures.bytes("spec_example"), b = try Fixtures.bytes("ipv6")
        let stream = a + b
        // Walk the stream as a TCP reader would, feeding it in 7-byte segments.
        var buffer: [UInt8] = [], frames: [[UInt8]] = []
        var k = 0
        while k < stream.count {
            buffer += stream[k..<min(k + 7, stream.count)]
            k += 7
            while let n = try buffer.withUnsafeBytes({ try HEPFraming.frameLength($0) }), n <= buffer.count {
                frames.append(Array(buffer.prefix(n)))
                buffer.removeFirst(n)
            }
        }
        #expect(frames == [a, b])
        #expect(buffer.isEmpty)
        #expect(throws: HEPError.self) { try [0x47, 0x45].withUnsafeBytes { try HEPFraming.frameLength($0) } }
        #expect(throws: HEPError.self) { try Array("HEP3\0\0".utf8).withUnsafeBytes { try HEPFraming.frameLength($0) } }
        #expect(try [UInt8]().withUnsafeBytes { try HEPFraming.frameLength($0) } == nil)
    }
}

@Suite struct HEPAddressTests {
    /// Examples from RFC 5952 §4 (expected text written from the RFC, not from our code).
    @Test func rfc5952Examples() throws {
        let cases: [(String, String)] = [
            ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),      // §4.2.3: first of equal runs
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),   // §4.2.2: one 16-bit zero is not shortened
            ("2001:db8::0:1", "2001:db8::1"),
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),            // §4.2.3: longest run
            ("2001:DB8::AAAA", "2001:db8::aaaa"),               // §4.3: lower case
            ("0:0:0:0:0:0:0:1", "::1"), ("::", "::"), ("fe80::", "fe80::"),
            ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),           // §5: IPv4-mapped keeps the dotted quad
        ]
        for (input, text) in cases {
            let a = try #require(HEPAddress(input), "\(input) did not parse")
            #expect(a.description == text, "\(input)")
        }
        #expect(HEPAddress("192.168.0.255")?.description == "192.168.0.255")
        for bad in ["", "1.2.3", "1.2.3.256", "1:2", ":::", "1::2::3", "12345::", "g::1", "1.2.3.4.5"] {
            #expect(HEPAddress(bad) == nil, "\(bad)")
        }
    }

    /// Random IPv6 addresses (many zero groups) against Python's `ipaddress` compressed form.
    @Test func ipv6TextMatchesPython() throws {
        var rng = TestRandom(seed: 5)
        var addresses: [HEPAddress] = []
        for _ in 0..<300 {
            var groups = [UInt64](repeating: 0, count: 8)
            for g in 0..<8 where Int.random(in: 0..<3, using: &rng) == 0 { groups[g] = rng.next() & 0xffff }
            let hi = groups[0..<4].reduce(0) { $0 << 16 | $1 }, lo = groups[4..<8].reduce(0) { $0 << 16 | $1 }
            if hi == 0 && lo >> 32 == 0xffff { continue }
            addresses.append(.v6(high: hi, low: lo))
        }
        let hex = addresses.map { $0.bytes.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n")
        let lines = try Oracle.runPython("hep_ipv6.py", [], stdin: Data(hex.utf8)).split(separator: "\n")
        try #require(lines.count == addresses.count)
        for (a, line) in zip(addresses, lines) {
            #expect(a.description == String(line))
            #expect(HEPAddress(a.description) == a)
        }
    }
}
