import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Codec round trips and cross-checks against pyarrow's codecs (scripts/oracle/parquet_write_check.py).
@Suite struct CompressionTests {
    /// Inputs that exercise literals, short/long copies, overlapping copies, incompressible data and 64 KiB
    /// fragment boundaries.
    static func samples() -> [[UInt8]] {
        var rng = WriterFixture.Random(state: 42)
        var out: [[UInt8]] = [[], [7], Array("a".utf8), Array(repeating: 0, count: 100_000)]
        out.append((0..<70_000).map { _ in UInt8.random(in: 0...255, using: &rng) })
        out.append(Array(String(repeating: "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1\r\n", count: 3000).utf8))
        for _ in 0..<40 {
            let n = Int.random(in: 0..<20_000, using: &rng)
            let alphabet = Int.random(in: 1...256, using: &rng)
            var v: [UInt8] = []
            v.reserveCapacity(n)
            while v.count < n {
                if v.count > 8 && Bool.random(using: &rng) {
                    let back = Int.random(in: 1...min(v.count, 70_000), using: &rng)
                    let len = Int.random(in: 1...100, using: &rng)
                    for _ in 0..<len { v.append(v[v.count - back]) }
                } else {
                    v.append(UInt8(Int.random(in: 0..<alphabet, using: &rng)))
                }
            }
            out.append(v)
        }
        return out
    }

    @Test func snappyRoundTripsRandomData() throws {
        for s in Self.samples() {
            var c: [UInt8] = []
            s.withUnsafeBytes { Snappy.compress($0, into: &c) }
            #expect(c.count <= Snappy.maxCompressedLength(s.count))
            let d = try c.withUnsafeBytes { try Snappy.decompress($0, expectedSize: s.count) }
            #expect(d == s)
        }
        // Compressible input actually shrinks.
        let text = Self.samples()[5]
        var c: [UInt8] = []
        text.withUnsafeBytes { Snappy.compress($0, into: &c) }
        #expect(c.count < text.count / 10)
    }

    /// A page body given as two parts (encoded lengths, then the values' bytes left in place) compresses to exactly
    /// the bytes of the concatenated body, for splits inside fragments and on and around 64 KiB boundaries.
    @Test func snappyOverTwoPartsEqualsSnappyOverTheWhole() {
        var big: [UInt8] = []
        for s in Self.samples() where big.count < 300_000 { big += s }
        var whole: [UInt8] = []
        big.withUnsafeBytes { Snappy.compress($0, into: &whole) }
        for split in [0, 1, 17, 65_535, 65_536, 65_537, 131_000, 200_001, big.count - 1, big.count] {
            let parts: [UInt8] = big.withUnsafeBytes { b in
                var out = [UInt8](repeating: 0, count: Snappy.maxCompressedLength(b.count))
                let n = out.withUnsafeMutableBufferPointer {
                    Snappy.compress([UnsafeRawBufferPointer(rebasing: b[0..<split]),
                                     UnsafeRawBufferPointer(rebasing: b[split...])], to: $0.baseAddress!)
                }
                return Array(out.prefix(n))
            }
            #expect(parts == whole, "split at \(split)")
        }
    }

    @Test func snappyOutputIsReadByPyarrowAndPyarrowOutputIsReadByUs() throws {
        let dir = try Oracle.temporaryDirectory("snappy")
        for (i, s) in Self.samples().enumerated() where i % 4 == 0 || i < 6 {
            var c: [UInt8] = []
            s.withUnsafeBytes { Snappy.compress($0, into: &c) }
            let input = dir.appendingPathComponent("in-\(i)"), output = dir.appendingPathComponent("out-\(i)")
            try Data(c).write(to: input)
            try Oracle.runPython("parquet_write_check.py", ["snappy", input.path, String(s.count), output.path])
            #expect([UInt8](try Data(contentsOf: output)) == s, "pyarrow decoded sample \(i) differently")

            let raw = dir.appendingPathComponent("raw-\(i)"), theirs = dir.appendingPathComponent("theirs-\(i)")
            try Data(s).write(to: raw)
            for codec in ["snappy", "gzip", "zstd"] {
                try Oracle.runPython("parquet_write_check.py", ["compress", codec, raw.path, theirs.path])
                let compressed = [UInt8](try Data(contentsOf: theirs))
                let cc: CompressionCodec = codec == "snappy" ? .snappy : codec == "gzip" ? .gzip : .zstd
                #expect(try PageCompression.decompress(cc, compressed[...], uncompressedSize: s.count) == s,
                        "\(codec) sample \(i)")
            }
        }
    }

    @Test(arguments: [ParquetCompression.snappy, .gzip, .zstd, .uncompressed])
    func pageCompressorRoundTrips(codec: ParquetCompression) throws {
        let compressor = try PageCompressor(codec, level: codec == .gzip ? 6 : 3)
        for s in Self.samples() {
            let c = try compressor.compress(s)
            #expect(try PageCompression.decompress(codec.codec, c[...], uncompressedSize: s.count) == s)
        }
    }

    @Test func corruptInputThrowsInsteadOfCrashing() throws {
        var rng = WriterFixture.Random(state: 9)
        let text = Self.samples()[5]
        for codec in [CompressionCodec.snappy, .gzip, .zstd] {
            let c = try PageCompressor(codec == .snappy ? .snappy : codec == .gzip ? .gzip : .zstd, level: 3).compress(text)
            // Truncations and random byte flips must either throw or (rarely) decode to something of the right size.
            for _ in 0..<200 {
                var bad = c
                if Bool.random(using: &rng) {
                    bad = Array(bad.prefix(Int.random(in: 0..<bad.count, using: &rng)))
                } else {
                    for _ in 0..<3 { bad[Int.random(in: 0..<bad.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
                }
                if let d = try? PageCompression.decompress(codec, bad[...], uncompressedSize: text.count) {
                    #expect(d.count == text.count)
                }
            }
        }
        // A tiny Snappy block claiming gigabytes is rejected before allocating.
        #expect(throws: ParquetError.self) {
            try PageCompression.decompress(.snappy, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00][...], uncompressedSize: 0xFFFF_FFFF)
        }
        #expect(throws: ParquetError.self) { try PageCompression.decompress(.snappy, [0x05, 0x01, 0x00][...], uncompressedSize: 5) }
    }
}
