import Foundation
import Testing
import TestSupport
@testable import Parquet

/// Property tests: random flat schemas and data written by our writer (random codecs, encodings, page and row group
/// sizes, bloom filters) and read back by our reader — every value and NULL identical, and random predicates return
/// exactly the rows a brute-force evaluation over the original data selects, whatever the pruning skipped.
@Suite struct ReaderRoundTripTests {
    /// Reproducible randomness (the seed is in every failure message).
    typealias Random = SplitMix64

    static func randomColumn(_ type: ParquetType, rows: Int, nulls: Double, rng: inout Random) -> ColumnData {
        var validity: [Bool]? = nil
        if nulls > 0 { validity = (0..<rows).map { _ in !rng.chance(nulls) } }
        let small = rng.chance(0.5)   // few distinct values → dictionaries
        func int64() -> Int64 {
            switch rng.below(10) {
            case 0: return [Int64.min, Int64.max, 0, -1][rng.below(4)]
            default: return small ? Int64(rng.below(20)) - 10 : Int64(bitPattern: rng.next()) >> Int64(rng.below(60))
            }
        }
        let values: ColumnValues
        switch type {
        case .boolean: values = .boolean((0..<rows).map { _ in rng.chance(0.3) })
        case .int32, .date:
            values = .int32((0..<rows).map { _ in
                rng.below(10) == 0 ? [Int32.min, Int32.max][rng.below(2)] : Int32(truncatingIfNeeded: int64())
            })
        case .int64: values = .int64((0..<rows).map { _ in int64() })
        case .timestampMicros:
            var t = Int64(rng.below(1 << 30)) - (1 << 29) * 1_000_000
            values = .int64((0..<rows).map { _ in t += Int64(rng.below(5000)); return t })
        case .double:
            values = .double((0..<rows).map { _ in
                switch rng.below(12) {
                case 0: return [-0.0, 0.0, .infinity, -.infinity, .greatestFiniteMagnitude][rng.below(5)]
                default: return small ? Double(rng.below(8)) / 2 : Double(Int64(bitPattern: rng.next()) >> 11) / 1e3
                }
            })
        case .string:
            let pool = ["", "INVITE", "é", "日本", "x😀y", String(repeating: "long", count: 50)]
            values = .bytes(ByteArrays((0..<rows).map { _ -> String in
                if small || rng.chance(0.3) { return pool[rng.below(pool.count)] }
                return String((0..<rng.below(30)).map { _ in Character(UnicodeScalar(UInt8(97 + rng.below(26)))) })
            }))
        case .binary:
            values = .bytes(ByteArrays((0..<rows).map { _ in (0..<rng.below(small ? 3 : 90)).map { _ in UInt8(rng.below(256)) } }))
        }
        return ColumnData(values: values, validity: validity?.contains(false) == true ? validity : nil)
    }

    /// Brute-force SQL evaluation of a predicate on row `i` of the original data (nil = unknown).
    static func truth(_ p: ParquetPredicate, row i: Int, schema: ParquetSchema, data: [ColumnData]) -> Bool? {
        func cell(_ c: String) -> ParquetValue? { data[schema.index(of: c)!].value(at: i) }
        func cmp(_ a: ParquetValue, _ b: ParquetValue) -> Int? {
            switch (a, b) {
            case (.boolean(let x), .boolean(let y)): return x == y ? 0 : (x ? 1 : -1)
            case (.int32(let x), .int32(let y)): return x < y ? -1 : (x == y ? 0 : 1)
            case (.int64(let x), .int64(let y)): return x < y ? -1 : (x == y ? 0 : 1)
            case (.double(let x), .double(let y)): return x.isNaN || y.isNaN ? nil : (x < y ? -1 : (x == y ? 0 : 1))
            case (.bytes(let x), .bytes(let y)):
                return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
            default: return nil
            }
        }
        switch p {
        case .isNull(let c): return cell(c) == nil
        case .isNotNull(let c): return cell(c) != nil
        case .equal(let c, let v): return cell(c).flatMap { cmp($0, v) }.map { $0 == 0 }
        case .less(let c, let v): return cell(c).flatMap { cmp($0, v) }.map { $0 < 0 }
        case .lessOrEqual(let c, let v): return cell(c).flatMap { cmp($0, v) }.map { $0 <= 0 }
        case .greater(let c, let v): return cell(c).flatMap { cmp($0, v) }.map { $0 > 0 }
        case .greaterOrEqual(let c, let v): return cell(c).flatMap { cmp($0, v) }.map { $0 >= 0 }
        case .between(let c, let a, let b):
            guard let x = cell(c), let l = cmp(x, a), let h = cmp(x, b) else { return nil }
            return l >= 0 && h <= 0
        case .in(let c, let vs):
            guard let x = cell(c) else { return nil }
            var unknown = false
            for v in vs { if let r = cmp(x, v) { if r == 0 { return true } } else { unknown = true } }
            return unknown ? nil : false
        case .and(let ps):
            var result: Bool? = true
            for q in ps {
                let t = truth(q, row: i, schema: schema, data: data)
                if t == false { return false }
                if t == nil { result = nil }
            }
            return result
        case .or(let ps):
            var result: Bool? = false
            for q in ps {
                let t = truth(q, row: i, schema: schema, data: data)
                if t == true { return true }
                if t == nil { result = nil }
            }
            return result
        }
    }

    static func randomLeaf(schema: ParquetSchema, data: [ColumnData], rows: Int, rng: inout Random) -> ParquetPredicate {
        let k = rng.below(schema.columns.count)
        let name = schema.columns[k].name
        func sample() -> ParquetValue {
            for _ in 0..<8 { if let v = data[k].value(at: rng.below(rows)) { return v } }
            return data[k].values.value(at: rng.below(rows))
        }
        switch rng.below(9) {
        case 0: return .isNull(name)
        case 1: return .isNotNull(name)
        case 2, 3: return .equal(name, sample())
        case 4: return .less(name, sample())
        case 5: return .greaterOrEqual(name, sample())
        case 6:
            let a = sample(), b = sample()
            return .between(name, a, b)
        case 7: return .in(name, [sample(), sample(), sample()])
        default: return .greater(name, sample())
        }
    }

    @Test(arguments: 0..<24)
    func randomFilesRoundTrip(seed: Int) async throws {
        var rng = Random(state: UInt64(seed) &* 7919 &+ 17)
        let all = ParquetType.allCases
        let columnCount = 1 + rng.below(7)
        var columns: [ParquetColumn] = []
        for i in 0..<columnCount {
            columns.append(ParquetColumn(name: "c\(i)", type: all[rng.below(all.count)], optional: rng.chance(0.6)))
        }
        let schema = ParquetSchema(columns: columns)
        let rows = rng.below(4) == 0 ? rng.below(5) : 1 + rng.below(3000)
        var data: [ColumnData] = []
        for c in schema.columns {
            let nulls = c.optional ? [0, 0.1, 0.7, 1][rng.below(4)] : 0
            data.append(Self.randomColumn(c.type, rows: rows, nulls: nulls, rng: &rng))
        }
        var options = ParquetWriterOptions()
        options.codec = [.uncompressed, .snappy, .gzip, .zstd][rng.below(4)]
        options.rowGroupRows = [100, 700, 5000][rng.below(3)]
        options.pageRows = [7, 64, 1000][rng.below(3)]
        options.pageBytes = [512, 1 << 20][rng.below(2)]
        options.dictionaryPageLimit = [64, 1 << 20][rng.below(2)]
        options.fsync = false
        for c in schema.columns {
            options.columnEncodings[c.name] = [.automatic, .plain, .dictionary, .deltaBinaryPacked,
                                               .deltaLengthByteArray][rng.below(5)]
            if rng.chance(0.4) { options.bloomFilterColumns.insert(c.name) }
        }
        let writer = try ParquetWriter(schema: schema, options: options)
        // Write in a few batches so batches straddle row groups.
        var start = 0
        while start < rows {
            let n = min(rows - start, 1 + rng.below(1500))
            try writer.write(data.map { $0.slice(start..<(start + n)) })
            start += n
        }
        _ = try writer.close()
        let reader = try await ParquetReader.open(MemoryRangeReader(writer.bytes))
        #expect(reader.rowCount == Int64(rows), "seed \(seed)")
        #expect(reader.schema.columns.map(\.type) == schema.columns.map(\.type), "seed \(seed)")
        let full = try await reader.scan()
        #expect(full.rowCount == rows, "seed \(seed)")
        for (k, c) in schema.columns.enumerated() {
            let got = try #require(full.columns[c.name])
            #expect(Self.sameRows(got, data[k], rows: 0..<rows), "seed \(seed) column \(c.name) \(c.type)")
        }
        guard rows > 0 else { return }
        for _ in 0..<6 {
            var p = Self.randomLeaf(schema: schema, data: data, rows: rows, rng: &rng)
            if rng.chance(0.4) {
                let q = Self.randomLeaf(schema: schema, data: data, rows: rows, rng: &rng)
                p = rng.chance(0.5) ? .and([p, q]) : .or([p, q])
            }
            let expected = (0..<rows).filter { Self.truth(p, row: $0, schema: schema, data: data) == true }
            let result = try await reader.scan(where: p)
            #expect(result.rowCount == expected.count, "seed \(seed) predicate \(p)")
            guard result.rowCount == expected.count else { continue }
            for (k, c) in schema.columns.enumerated() {
                let got = try #require(result.columns[c.name])
                #expect(Self.sameRows(got, data[k].gather(expected), rows: 0..<expected.count),
                        "seed \(seed) predicate \(p) column \(c.name)")
            }
        }
    }

    /// A lookup of a few rows in big pages: dictionary indexes are decoded only at the rows wanted (the runs between
    /// skipped) and DELTA_LENGTH_BYTE_ARRAY values copied only there, with and without NULLs around them.
    @Test(arguments: 0..<6)
    func fewRowsOfBigPagesDecodeExactly(seed: Int) async throws {
        var rng = Random(state: UInt64(seed) &* 104_729 &+ 3)
        let rows = 4000
        let schema = ParquetSchema(columns: [
            ParquetColumn(name: "key", type: .int64, optional: false),
            ParquetColumn(name: "dict", type: .string, optional: true),
            ParquetColumn(name: "dict_required", type: .string, optional: false),
            ParquetColumn(name: "payload", type: .binary, optional: true),
            ParquetColumn(name: "payload_required", type: .binary, optional: false),
        ])
        let words = (0..<300).map { "w\($0)-" + String(repeating: "x", count: $0 % 17) }
        var validity: [[Bool]] = [[], [], [], [], []]
        for _ in 0..<rows { validity[1].append(!rng.chance(0.3)); validity[3].append(!rng.chance(0.5)) }
        let data = [
            ColumnData(values: .int64((0..<rows).map { Int64($0) }), validity: nil),
            ColumnData(values: .bytes(ByteArrays((0..<rows).map { _ in words[rng.below(words.count)] })), validity: validity[1]),
            ColumnData(values: .bytes(ByteArrays((0..<rows).map { _ in words[rng.below(words.count)] })), validity: nil),
            ColumnData(values: .bytes(ByteArrays((0..<rows).map { _ in (0..<rng.below(400)).map { _ in UInt8(rng.below(256)) } })),
                       validity: validity[3]),
            ColumnData(values: .bytes(ByteArrays((0..<rows).map { _ in (0..<rng.below(400)).map { _ in UInt8(rng.below(256)) } })),
                       validity: nil),
        ]
        var options = ParquetWriterOptions()
        options.rowGroupRows = rows
        options.pageRows = rows
        options.pageBytes = 64 << 20
        options.fsync = false
        options.columnEncodings = ["dict": .dictionary, "dict_required": .dictionary,
                                   "payload": .deltaLengthByteArray, "payload_required": .deltaLengthByteArray]
        let writer = try ParquetWriter(schema: schema, options: options)
        try writer.write(data)
        _ = try writer.close()
        let reader = try await ParquetReader.open(MemoryRangeReader(writer.bytes))
        for _ in 0..<20 {
            let keys = Set((0..<(1 + rng.below(40))).map { _ in rng.below(rows) }).sorted()
            let p: ParquetPredicate = keys.count == 1 ? .equal("key", .int64(Int64(keys[0])))
                : .in("key", keys.map { .int64(Int64($0)) })
            let result = try await reader.scan(where: p)
            #expect(result.rowCount == keys.count, "seed \(seed) keys \(keys)")
            for (k, c) in schema.columns.enumerated() {
                let got = try #require(result.columns[c.name])
                #expect(Self.sameRows(got, data[k].gather(keys), rows: 0..<keys.count), "seed \(seed) column \(c.name) keys \(keys)")
            }
        }
    }

    /// The word-at-a-time count of present levels equals a plain count on every range of random level runs.
    @Test func presentLevelCountsAgreeWithAPlainCount() {
        var rng = Random(state: 99)
        for _ in 0..<200 {
            var levels: [UInt8] = []
            while levels.count < 3000 { levels += repeatElement(UInt8(rng.below(2)), count: 1 + rng.below(rng.chance(0.5) ? 3 : 700)) }
            let lo = rng.below(levels.count), hi = lo + rng.below(levels.count - lo + 1)
            #expect(ColumnChunkDecoder.countPresent(levels, lo..<hi) == levels[lo..<hi].filter { $0 == 1 }.count)
        }
    }

    static func sameRows(_ a: ColumnData, _ b: ColumnData, rows: Range<Int>) -> Bool {
        guard a.count == rows.count, b.count >= rows.count else { return false }
        for i in rows {
            guard a.isValid(i) == b.isValid(i) else { return false }
            guard a.isValid(i) else { continue }
            switch (a.values.value(at: i), b.values.value(at: i)) {
            case (.double(let x), .double(let y)): if x.bitPattern != y.bitPattern { return false }
            case (let x, let y): if x != y { return false }
            }
        }
        return true
    }
}

extension ColumnData {
    func slice(_ r: Range<Int>) -> ColumnData { gather(Array(r)) }

    func gather(_ rows: [Int]) -> ColumnData {
        let v: ColumnValues
        switch values {
        case .boolean(let a): v = .boolean(rows.map { a[$0] })
        case .int32(let a): v = .int32(rows.map { a[$0] })
        case .int64(let a): v = .int64(rows.map { a[$0] })
        case .double(let a): v = .double(rows.map { a[$0] })
        case .bytes(let b): v = .bytes(ByteArrays(rows.map { Array(b[$0]) }))
        }
        return ColumnData(values: v, validity: validity.map { va in rows.map { va[$0] } })
    }
}
