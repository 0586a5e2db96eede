import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Corrupt input never traps: truncated files, flipped bytes in the footer and in pages, and lying metadata all end
/// in a thrown `ParquetError` (or, for flips that keep the file valid, a successful read).
@Suite struct ReaderMalformedTests {
    static func file() throws -> [UInt8] {
        let schema = ParquetSchema(columns: [
            ParquetColumn(name: "t", type: .timestampMicros), ParquetColumn(name: "s", type: .string),
            ParquetColumn(name: "i", type: .int32, optional: false), ParquetColumn(name: "d", type: .double),
        ])
        var options = ParquetWriterOptions()
        options.rowGroupRows = 300
        options.pageRows = 50
        options.bloomFilterColumns = ["s"]
        options.codec = .snappy
        let w = try ParquetWriter(schema: schema, options: options)
        let n = 1000
        try w.write([
            ColumnData(values: .int64((0..<n).map { Int64($0) * 1000 })),
            ColumnData(values: .bytes(ByteArrays((0..<n).map { "v\($0 % 37)" })), validity: (0..<n).map { $0 % 5 != 0 }),
            ColumnData(values: .int32((0..<n).map { Int32($0) })),
            ColumnData(values: .double((0..<n).map { Double($0) / 3 })),
        ])
        _ = try w.close()
        return w.bytes
    }

    /// Opens and scans (with a predicate, to exercise bloom and page index paths); only ParquetError may escape.
    static func readAll(_ bytes: [UInt8]) async -> Bool {
        do {
            let r = try await ParquetReader.open(MemoryRangeReader(bytes))
            _ = try await r.scan()
            _ = try await r.scan(columns: ["s"], where: .or([.equal("s", .string("v3")), .between("t", .int64(5000), .int64(90000))]))
            return true
        } catch is ParquetError {
            return false
        } catch {
            Issue.record("non-Parquet error \(error)")
            return false
        }
    }

    @Test func truncatedFilesThrow() async throws {
        let bytes = try Self.file()
        #expect(await Self.readAll(bytes))
        for cut in [0, 3, 4, 11, 12, bytes.count / 2, bytes.count - 9, bytes.count - 8, bytes.count - 4, bytes.count - 1] {
            #expect(await Self.readAll(Array(bytes[0..<cut])) == false, "cut at \(cut)")
        }
    }

    @Test func flippedBytesNeverTrap() async throws {
        let bytes = try Self.file()
        var state: UInt64 = 12345
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8 | Int(bytes[bytes.count - 6]) << 16
        let footerStart = bytes.count - 8 - footerLength
        var failures = 0
        for round in 0..<400 {
            var b = bytes
            let flips = 1 + next() % 4
            for _ in 0..<flips {
                // Half the rounds hit the footer, half anywhere.
                let at = round % 2 == 0 ? footerStart + next() % footerLength : next() % b.count
                b[at] = UInt8(truncatingIfNeeded: next())
            }
            if await Self.readAll(b) == false { failures += 1 }
        }
        #expect(failures > 50, "most corruptions are detected (\(failures) of 400)")
    }

    @Test func lyingLengthsThrow() async throws {
        var bytes = try Self.file()
        // Footer length larger than the file.
        bytes[bytes.count - 5] = 0x7F
        await #expect(throws: ParquetError.self) { try await ParquetReader.open(MemoryRangeReader(bytes)) }
        var noMagic = try Self.file()
        noMagic[noMagic.count - 1] = 0x32
        await #expect(throws: ParquetError.self) { try await ParquetReader.open(MemoryRangeReader(noMagic)) }
    }

    @Test func statisticsMatchTheData() async throws {
        let r = try await ParquetReader.open(MemoryRangeReader(try Self.file()))
        let stats = r.rowGroupStatistics()
        #expect(stats.map(\.rowCount) == [300, 300, 300, 100])
        let t = stats.map { $0.columns[0] }
        #expect(t.map(\.min) == [.int64(0), .int64(300_000), .int64(600_000), .int64(900_000)])
        #expect(t.map(\.max) == [.int64(299_000), .int64(599_000), .int64(899_000), .int64(999_000)])
        #expect(stats[0].columns[1].nullCount == 60)
        #expect(stats[0].columns[1].hasBloomFilter)
        #expect(stats.allSatisfy { $0.columns.allSatisfy(\.hasPageIndex) })
    }
}
