import Foundation
import Testing
@testable import Parquet

/// Thrift compact protocol: round trips of random parquet.thrift structures, robustness on malformed input.
@Suite struct ThriftTests {
    typealias R = WriterFixture.Random

    static func randomBytes(_ rng: inout R, _ max: Int = 12) -> [UInt8] {
        (0..<Int.random(in: 0...max, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func maybe<T>(_ rng: inout R, _ make: (inout R) -> T) -> T? {
        Bool.random(using: &rng) ? make(&rng) : nil
    }

    static func randomStatistics(_ rng: inout R) -> Statistics {
        Statistics(max: maybe(&rng) { randomBytes(&$0) }, min: maybe(&rng) { randomBytes(&$0) },
                   nullCount: maybe(&rng) { Int64.random(in: .min ... .max, using: &$0) },
                   distinctCount: maybe(&rng) { Int64.random(in: 0...1000, using: &$0) },
                   maxValue: maybe(&rng) { randomBytes(&$0) }, minValue: maybe(&rng) { randomBytes(&$0) },
                   isMaxValueExact: maybe(&rng) { Bool.random(using: &$0) },
                   isMinValueExact: maybe(&rng) { Bool.random(using: &$0) })
    }

    static let logicalTypes: [LogicalType] = [
        .string, .map, .list, .enum, .decimal(scale: 2, precision: 10), .date,
        .time(isAdjustedToUTC: true, unit: .millis), .timestamp(isAdjustedToUTC: false, unit: .micros),
        .timestamp(isAdjustedToUTC: true, unit: .nanos), .integer(bitWidth: 16, isSigned: false), .unknown, .json,
        .bson, .uuid, .float16,
    ]

    static func randomFileMetaData(_ rng: inout R) -> FileMetaData {
        let leaves = Int.random(in: 1...20, using: &rng)
        var schema = [SchemaElement(name: "schema", numChildren: Int32(leaves))]
        for i in 0..<leaves {
            schema.append(SchemaElement(type: PhysicalType(rawValue: Int32.random(in: 0...7, using: &rng)),
                                        typeLength: maybe(&rng) { Int32.random(in: 1...16, using: &$0) },
                                        repetitionType: FieldRepetitionType(rawValue: Int32.random(in: 0...1, using: &rng)),
                                        name: "c\(i)-é",
                                        convertedType: maybe(&rng) { ConvertedType(rawValue: Int32.random(in: 0...21, using: &$0)) },
                                        fieldID: maybe(&rng) { Int32.random(in: .min ... .max, using: &$0) },
                                        logicalType: maybe(&rng) { logicalTypes.randomElement(using: &$0)! }))
        }
        let groups = (0..<Int.random(in: 0...5, using: &rng)).map { g in
            RowGroup(columns: (0..<leaves).map { c in
                ColumnChunk(fileOffset: 0,
                            metaData: ColumnMetaData(type: schema[c + 1].type!, encodings: [.rle, .plain, .rleDictionary],
                                                     pathInSchema: [schema[c + 1].name], codec: .zstd,
                                                     numValues: Int64.random(in: 0...1_000_000, using: &rng),
                                                     totalUncompressedSize: Int64.random(in: 0...1 << 40, using: &rng),
                                                     totalCompressedSize: Int64.random(in: 0...1 << 40, using: &rng),
                                                     keyValueMetadata: maybe(&rng) { _ in [KeyValue(key: "k", value: nil)] },
                                                     dataPageOffset: Int64.random(in: 4...1 << 40, using: &rng),
                                                     dictionaryPageOffset: maybe(&rng) { Int64.random(in: 4...1 << 40, using: &$0) },
                                                     statistics: maybe(&rng) { randomStatistics(&$0) },
                                                     encodingStats: maybe(&rng) { _ in [PageEncodingStats(pageType: .dataPage, encoding: .plain, count: 3)] },
                                                     bloomFilterOffset: maybe(&rng) { Int64.random(in: 0...1 << 40, using: &$0) },
                                                     bloomFilterLength: maybe(&rng) { Int32.random(in: 0...1 << 20, using: &$0) }),
                            offsetIndexOffset: maybe(&rng) { Int64.random(in: 0...1 << 40, using: &$0) },
                            offsetIndexLength: maybe(&rng) { Int32.random(in: 0...1 << 20, using: &$0) },
                            columnIndexOffset: maybe(&rng) { Int64.random(in: 0...1 << 40, using: &$0) },
                            columnIndexLength: maybe(&rng) { Int32.random(in: 0...1 << 20, using: &$0) })
            }, totalByteSize: Int64.random(in: 0...1 << 40, using: &rng), numRows: Int64.random(in: 0...1 << 30, using: &rng),
               fileOffset: 4, totalCompressedSize: 10, ordinal: Int16(g))
        }
        return FileMetaData(version: 1, schema: schema, numRows: 42, rowGroups: groups,
                            keyValueMetadata: maybe(&rng) { _ in [KeyValue(key: "a", value: "b"), KeyValue(key: "日本", value: "")] },
                            createdBy: maybe(&rng) { _ in "homer" },
                            columnOrders: Array(repeating: .typeDefinedOrder, count: leaves))
    }

    @Test func randomFooterRoundTrips() throws {
        var rng = R(state: 1234)
        for _ in 0..<200 {
            let m = Self.randomFileMetaData(&rng)
            let bytes = m.thriftBytes()
            let (decoded, length) = try FileMetaData.decode(bytes)
            #expect(decoded == m)
            #expect(length == bytes.count)
        }
    }

    @Test func pageStructuresRoundTrip() throws {
        var rng = R(state: 77)
        for _ in 0..<200 {
            let header = PageHeader(type: .dataPage, uncompressedPageSize: Int32.random(in: 0...Int32.max, using: &rng),
                                    compressedPageSize: Int32.random(in: 0...Int32.max, using: &rng),
                                    crc: Self.maybe(&rng) { Int32.random(in: .min ... .max, using: &$0) },
                                    dataPageHeader: DataPageHeader(numValues: 5, encoding: .deltaBinaryPacked,
                                                                   statistics: Self.maybe(&rng) { Self.randomStatistics(&$0) }),
                                    dictionaryPageHeader: Self.maybe(&rng) { DictionaryPageHeader(numValues: 3, isSorted: Bool.random(using: &$0)) },
                                    dataPageHeaderV2: Self.maybe(&rng) { _ in
                                        DataPageHeaderV2(numValues: 1, numNulls: 0, numRows: 1, encoding: .plain,
                                                         definitionLevelsByteLength: 2, repetitionLevelsByteLength: 0,
                                                         isCompressed: false)
                                    })
            // A trailing byte after the header must not be consumed.
            let (decoded, length) = try PageHeader.decode(header.thriftBytes() + [0xAB])
            #expect(decoded == header && length == header.thriftBytes().count)
            let n = Int.random(in: 0...30, using: &rng)
            let ci = ColumnIndex(nullPages: (0..<n).map { _ in Bool.random(using: &rng) },
                                 minValues: (0..<n).map { _ in Self.randomBytes(&rng) },
                                 maxValues: (0..<n).map { _ in Self.randomBytes(&rng) },
                                 boundaryOrder: .ascending, nullCounts: (0..<n).map { Int64($0) })
            #expect(try ColumnIndex.decode(ci.thriftBytes()).value == ci)
            let oi = OffsetIndex(pageLocations: (0..<n).map { PageLocation(offset: Int64($0) * 1000, compressedPageSize: 99, firstRowIndex: Int64($0)) })
            #expect(try OffsetIndex.decode(oi.thriftBytes()).value == oi)
            let bf = BloomFilterHeader(numBytes: 1024)
            #expect(try BloomFilterHeader.decode(bf.thriftBytes()).value == bf)
        }
    }

    @Test func unknownFieldsOfEveryTypeAreSkipped() throws {
        // KeyValue{key} followed by unknown fields 20…: bool, byte, i16, i32, i64, double, binary, list<i32>,
        // set<binary>, map<i32,binary>, nested struct, list<bool> — then value (field 2, long form).
        var w = ThriftCompactWriter()
        w.structBegin()
        w.writeString(1, "key")
        w.writeBool(20, true)
        w.writeI8(21, -3)
        w.writeI16(22, 300)
        w.writeI32(23, -70000)
        w.writeI64(24, 1 << 40)
        w.writeDouble(25, 3.5)
        w.writeBinary(26, [1, 2, 3])
        w.writeI32List(27, Array(0..<20))
        w.fieldHeader(28, .set)
        w.listHeader(.binary, count: 2)
        w.writeRawBinary([9])
        w.writeRawBinary([])
        w.fieldHeader(29, .map)
        w.writeVarint(2)
        w.bytes.append(0x58)  // i32 keys, binary values
        for k in 0..<2 {
            w.writeVarint(UInt64(k * 2))
            w.writeRawBinary([UInt8(k)])
        }
        w.writeStruct(30, Statistics(nullCount: 1, maxValue: [1]))
        w.writeBoolList(31, [true, false, true])
        w.writeString(2, "value")
        w.structEnd()
        let kv = try KeyValue.decode(w.bytes).value
        #expect(kv == KeyValue(key: "key", value: "value"))
    }

    @Test func boolListsAcceptBothElementTypes() throws {
        let ci = ColumnIndex(nullPages: [true, false], minValues: [[], [1]], maxValues: [[], [2]], boundaryOrder: .unordered)
        var bytes = ci.thriftBytes()
        // Our writer uses element type 1; rewrite to type 2 and values 0 for false (both conventions exist).
        let at = try #require(bytes.firstIndex(of: 0x21))
        bytes[at] = 0x22
        bytes[at + 2] = 0
        #expect(try ColumnIndex.decode(bytes).value.nullPages == [true, false])
    }

    @Test func malformedInputThrowsAndNeverCrashes() throws {
        var rng = R(state: 99)
        let good = Self.randomFileMetaData(&rng).thriftBytes()
        // Every proper prefix is an error.
        for cut in stride(from: 0, to: good.count, by: max(1, good.count / 300)) {
            #expect(throws: ParquetError.self) { try FileMetaData.decode(Array(good.prefix(cut))) }
        }
        // Random mutations: decode must return or throw, never trap.
        for _ in 0..<3000 {
            var bad = good
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bad[Int.random(in: 0..<bad.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            _ = try? FileMetaData.decode(bad)
        }
        // Deep nesting is cut off.
        let deep = [UInt8](repeating: 0x1C, count: 10_000)  // field 1, type struct, forever
        #expect(throws: ParquetError.self) { try FileMetaData.decode(deep) }
        // A list claiming more elements than bytes left.
        #expect(throws: ParquetError.self) { try FileMetaData.decode([0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0x7F]) }
        // Varint overflow.
        #expect(throws: ParquetError.self) { try FileMetaData.decode([0x16] + [UInt8](repeating: 0xFF, count: 11)) }
    }
}
