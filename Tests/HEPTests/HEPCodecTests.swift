import Foundation
import Testing
import TestSupport
@testable import HEP

/// Golden vectors written by `scripts/oracle/hep_golden.py` (Python struct/zlib, independent of our encoder).
@Suite struct HEPGoldenTests {
    static let names = ["spec_example", "ipv6", "all_chunks", "compressed_zlib", "compressed_gzip",
                        "compressed_deflate", "v1", "v2", "v2_ipv6"]

    @Test(arguments: names)
    func goldenVectorDecodes(_ name: String) throws {
        let bytes = try Fixtures.bytes(name)
        let expected = try Fixtures.json(name)
        let p = try HEPDecoder.decode(bytes)
        func int(_ key: String) -> Int? { (expected[key] as? NSNumber)?.intValue }
        #expect(Int(p.version) == int("version"))
        #expect(Int(p.ipFamily) == int("ipFamily"))
        #expect(Int(p.ipProtocol) == int("ipProtocol"))
        #expect(p.srcAddress?.description == expected["src"] as? String)
        #expect(p.dstAddress?.description == expected["dst"] as? String)
        #expect(Int(p.srcPort) == int("srcPort"))
        #expect(Int(p.dstPort) == int("dstPort"))
        #expect(Int(p.timeSeconds) == int("timeSeconds"))
        #expect(Int(p.timeMicroseconds) == int("timeMicroseconds"))
        #expect(Int(p.protoType) == int("protoType"))
        #expect(Int(p.captureID) == int("captureID"))
        #expect(String(decoding: p.payload, as: UTF8.self) == expected["payload"] as? String)
        #expect(p.payloadWasCompressed == (expected["payloadWasCompressed"] as? Bool ?? false))
        #expect(p.keepAliveTimer.map(Int.init) == int("keepAliveTimer"))
        #expect(p.authKey == expected["authKey"] as? String)
        #expect(p.correlationID == expected["correlationID"] as? String)
        #expect(p.vlan.map(Int.init) == int("vlan"))
        #expect(p.nodeName == expected["nodeName"] as? String)
        #expect(p.srcMAC.map(Int.init) == int("srcMAC"))
        #expect(p.dstMAC.map(Int.init) == int("dstMAC"))
        #expect(p.ethernetType.map(Int.init) == int("ethernetType"))
        #expect(p.tcpFlags.map(Int.init) == int("tcpFlags"))
        #expect(p.ipTOS.map(Int.init) == int("ipTOS"))
        #expect(p.mos.map(Int.init) == int("mos"))
        #expect(p.rFactor.map(Int.init) == int("rFactor"))
        #expect(p.geoLocation == expected["geoLocation"] as? String)
        #expect(p.jitter.map(Int.init) == int("jitter"))
        #expect(p.transactionType == expected["transactionType"] as? String)
        #expect(p.payloadJSONKeys == expected["payloadJSONKeys"] as? String)
        #expect(p.tagValues == expected["tagValues"] as? String)
        #expect(p.tagType.map(Int.init) == int("tagType"))
        #expect(p.eventType.map(Int.init) == int("eventType"))
        #expect(p.groupID == expected["groupID"] as? String)
        let others = (expected["otherChunks"] as? [[String: Any]] ?? []).map {
            HEPChunk(vendor: UInt16(($0["vendor"] as! NSNumber).intValue), type: UInt16(($0["type"] as! NSNumber).intValue),
                     value: Array(($0["value"] as! String).utf8))
        }
        #expect(p.otherChunks == others)
    }

    /// Our encoder writes the spec example byte for byte (same chunk order as the specification).
    @Test func specExampleEncodesByteExact() throws {
        let bytes = try Fixtures.bytes("spec_example")
        #expect(HEPEncoder.encode(try HEPDecoder.decode(bytes)) == bytes)
    }

    /// Re-encoding any golden packet (v1/v2 become v3) keeps every field.
    @Test(arguments: names)
    func goldenReencodes(_ name: String) throws {
        var p = try HEPDecoder.decode(try Fixtures.bytes(name))
        p.version = 3
        p.payloadWasCompressed = false
        #expect(try HEPDecoder.decode(HEPEncoder.encode(p)) == p)
    }

    /// An independent Python HEP3 parser (scripts/oracle/hep_parse.py) reads our encoding of random packets.
    @Test func pythonParserReadsOurEncoding() throws {
        var rng = TestRandom(seed: 99)
        var packets: [[UInt8]] = []
        for _ in 0..<20 { packets.append(HEPEncoder.encode(HEPRoundTripTests.randomPacket(&rng))) }
        let hex = packets.map { $0.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n")
        let out = try Oracle.runPython("hep_parse.py", [], stdin: Data(hex.utf8))
        let lines = out.split(separator: "\n")
        try #require(lines.count == packets.count)
        for (line, bytes) in zip(lines, packets) {
            let p = try HEPDecoder.decode(bytes)
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            #expect(fields[0] == "\(p.srcPort)")
            #expect(fields[1] == "\(p.dstPort)")
            #expect(fields[2] == "\(p.captureID)")
            #expect(fields[3] == p.srcAddress?.description ?? "-")
            #expect(fields[4] == p.dstAddress?.description ?? "-")
            #expect(fields[5] == "\(p.payload.count)")
        }
    }
}

@Suite struct HEPRoundTripTests {
    static func randomPacket(_ rng: inout TestRandom) -> HEPPacket {
        var p = HEPPacket()
        p.ipFamily = Bool.random(using: &rng) ? 2 : 10
        p.ipProtocol = [6, 17, 132].randomElement(using: &rng)!
        if p.ipFamily == 2 {
            p.srcAddress = .v4(UInt32.random(in: 0...UInt32.max, using: &rng))
            p.dstAddress = .v4(UInt32.random(in: 0...UInt32.max, using: &rng))
        } else {
            p.srcAddress = .v6(high: rng.next(), low: rng.next())
            p.dstAddress = .v6(high: rng.next() & 0xffff_0000_ffff_0000, low: 0)
        }
        p.srcPort = UInt16.random(in: 0...65535, using: &rng)
        p.dstPort = UInt16.random(in: 0...65535, using: &rng)
        p.timeSeconds = UInt32.random(in: 0...UInt32.max, using: &rng)
        p.timeMicroseconds = UInt32.random(in: 0...999_999, using: &rng)
        p.protoType = UInt8.random(in: 0...255, using: &rng)
        p.captureID = UInt32.random(in: 0...UInt32.max, using: &rng)
        func maybe<T>(_ make: () -> T) -> T? { Bool.random(using: &rng) ? make() : nil }
        p.keepAliveTimer = maybe { UInt16.random(in: 0...65535, using: &rng) }
        p.authKey = maybe { rng.text(Int.random(in: 0...20, using: &rng)) }
        p.correlationID = maybe { rng.text(Int.random(in: 0...60, using: &rng)) }
        p.vlan = maybe { UInt16.random(in: 0...4095, using: &rng) }
        p.nodeName = maybe { rng.text(Int.random(in: 1...12, using: &rng)) }
        p.srcMAC = maybe { rng.next() }
        p.dstMAC = maybe { rng.next() }
        p.ethernetType = maybe { UInt16.random(in: 0...65535, using: &rng) }
        p.tcpFlags = maybe { UInt8.random(in: 0...255, using: &rng) }
        p.ipTOS = maybe { UInt8.random(in: 0...255, using: &rng) }
        p.mos = maybe { UInt16.random(in: 100...450, using: &rng) }
        p.rFactor = maybe { UInt16.random(in: 0...100, using: &rng) }
        p.geoLocation = maybe { rng.text(8) }
        p.jitter = maybe { UInt32.random(in: 0...UInt32.max, using: &rng) }
        p.transactionType = maybe { ["call", "registration"].randomElement(using: &rng)! }
        p.payloadJSONKeys = maybe { rng.text(10) }
        p.tagValues = maybe { rng.text(10) }
        p.tagType = maybe { UInt16.random(in: 0...65535, using: &rng) }
        p.eventType = maybe { UInt16.random(in: 0...2, using: &rng) }
        p.groupID = maybe { rng.text(6) }
        p.payload = rng.bytes(Int.random(in: 0...1500, using: &rng))
        if Bool.random(using: &rng) {
            p.otherChunks = [HEPChunk(vendor: UInt16.random(in: 1...8, using: &rng), type: 7, value: rng.bytes(5))]
        }
        return p
    }

    @Test func randomPacketsRoundTrip() throws {
        var rng = TestRandom(seed: 1)
        for _ in 0..<500 {
            let p = Self.randomPacket(&rng)
            let bytes = HEPEncoder.encode(p)
            #expect(bytes.count == Int(bytes[4]) << 8 | Int(bytes[5]))
            #expect(try HEPDecoder.decode(bytes) == p)
            #expect(try HEPFraming.frameLength(bytes.withUnsafeBytes { $0 }) == bytes.count)
        }
    }

    @Test func compressedRoundTrip() throws {
        var rng = TestRandom(seed: 2)
        for gzip in [false, true] {
            var p = Self.randomPacket(&rng)
            p.payload = Array(String(repeating: "INVITE sip:x SIP/2.0\r\n", count: 50).utf8)
            let bytes = try HEPEncoder.encodeChecked(p, compressPayload: true, gzip: gzip)
            #expect(bytes.count < p.payload.count)
            var back = try HEPDecoder.decode(bytes)
            #expect(back.payloadWasCompressed)
            back.payloadWasCompressed = false
            #expect(back == p)
        }
    }

    @Test func oversizedPacketIsRejectedOrCut() throws {
        var p = HEPPacket()
        p.payload = [UInt8](repeating: 0x41, count: 70_000)
        #expect(throws: HEPError(.payloadTooLarge, "HEP3 packet would exceed 65535 bytes")) {
            try HEPEncoder.encodeChecked(p)
        }
        let cut = HEPEncoder.encode(p)
        #expect(cut.count == 65535)
        #expect(try HEPDecoder.decode(cut).payload.count < 65535)
    }
}
