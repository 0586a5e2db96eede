import HEP
import Parquet

/// Turns a batch of `HEPRecord`s (one partition, in the file's row order) into the Parquet columns of `main.hep_messages` and
/// the exact per-column catalog stats in DuckDB's text formats (research §2.4). Stats are computed here from the
/// values, not taken from the Parquet footer, so truncated footer statistics can never make the catalog narrower
/// than the data (which would make DuckDB prune wrongly, research §4).
struct HEPColumnBuilder {
    /// Parquet schema of the table: field_id = column_id, every column optional (as DuckDB writes them).
    static let schema = ParquetSchema(columns: HEPTable.columns.map {
        ParquetColumn(name: $0.name, type: parquetType($0.type), optional: true, fieldID: Int32($0.id))
    })

    static func parquetType(_ t: LakeColumnType) -> ParquetType {
        switch t {
        case .timestamp: return .timestampMicros
        case .date: return .date
        case .varchar: return .string
        case .int32: return .int32
        case .int64: return .int64
        case .blob: return .binary
        }
    }

    /// The columns (in `HEPTable.columns` order) and their stats for `records`.
    static func build(_ records: [HEPRecord]) -> (columns: [ColumnData], stats: [LakeColumnStats]) {
        let n = records.count
        var micros = [Int64](repeating: 0, count: n)
        var days = [Int32](repeating: 0, count: n)
        for i in records.indices {
            let us = StatsText.floorDivMod(records[i].timestamp, 1000).0
            micros[i] = us
            days[i] = Int32(truncatingIfNeeded: StatsText.floorDivMod(us, 86_400_000_000).0)
        }
        var columns: [ColumnData] = []
        var stats: [LakeColumnStats] = []
        func add(_ column: (ColumnData, (Int64, String?, String?))) { add(column.0, column.1) }
        func add(_ column: ColumnData, _ stat: (Int64, String?, String?)) {
            stats.append(LakeColumnStats(columnID: Int64(columns.count + 1), columnSizeBytes: nil, valueCount: stat.0,
                                         nullCount: Int64(n) - stat.0, min: stat.1, max: stat.2))
            columns.append(column)
        }
        add(ColumnData(values: .int64(micros)), bounds(micros) { StatsText.timestamp(micros: $0) })
        add(ColumnData(values: .int32(days)), bounds(days) { StatsText.date(days: Int64($0)) })
        add(text(records, .sessionID))
        add(text(records, .correlationID))
        add(ints(records) { $0.protoType }, intBounds(records) { $0.protoType })
        add(ints(records) { $0.ipFamily }, intBounds(records) { $0.ipFamily })
        add(ints(records) { $0.transport }, intBounds(records) { $0.transport })
        add(text(records, .srcIP))
        add(text(records, .dstIP))
        add(ints(records) { $0.srcPort }, intBounds(records) { $0.srcPort })
        add(ints(records) { $0.dstPort }, intBounds(records) { $0.dstPort })
        add(longs(records) { $0.captureID }, intBounds(records) { $0.captureID })
        add(strings(records) { $0.nodeName }, stringBounds(records) { $0.nodeName })
        add(ints(records) { $0.vlan }, intBounds(records) { $0.vlan })
        add(text(records, .method))
        add(ints(records) { $0.responseCode }, intBounds(records) { $0.responseCode })
        add(longs(records) { $0.cseqNumber }, intBounds(records) { $0.cseqNumber })
        add(text(records, .cseqMethod))
        add(text(records, .fromUser))
        add(text(records, .fromDomain))
        add(text(records, .fromTag))
        add(text(records, .toUser))
        add(text(records, .toDomain))
        add(text(records, .toTag))
        add(text(records, .ruriUser))
        add(text(records, .ruriDomain))
        add(text(records, .userAgent, bounds: false))
        // Records are read in place (`records[i]`), never bound to a loop variable: a copy of a record is a retain
        // and release of its payload per column per row.
        // The payload, lossless: valid UTF-8 in `payload`, anything else byte-exact in `payload_bin` (DuckDB rejects
        // invalid UTF-8 in VARCHAR).
        let valid = records.indices.map { UTF8Check.isValid(records[$0].payload) }
        let text = valid.count { $0 }
        add(payloadColumn(records, valid, wantValid: true), (Int64(text), nil, nil))
        add(payloadColumn(records, valid, wantValid: false), (Int64(n - text), nil, nil))
        return (columns, stats)
    }

    private static func bounds<T: Comparable>(_ values: [T], _ text: (T) -> String) -> (Int64, String?, String?) {
        guard let lo = values.min(), let hi = values.max() else { return (0, nil, nil) }
        return (Int64(values.count), text(lo), text(hi))
    }

    private static func ints(_ records: [HEPRecord], _ get: (HEPRecord) -> Int32?) -> ColumnData {
        var values = [Int32](repeating: 0, count: records.count)
        var validity = [Bool](repeating: true, count: records.count)
        var nulls = false
        for i in records.indices {
            if let v = get(records[i]) { values[i] = v } else { validity[i] = false; nulls = true }
        }
        return ColumnData(values: .int32(values), validity: nulls ? validity : nil)
    }

    private static func longs(_ records: [HEPRecord], _ get: (HEPRecord) -> Int64?) -> ColumnData {
        var values = [Int64](repeating: 0, count: records.count)
        var validity = [Bool](repeating: true, count: records.count)
        var nulls = false
        for i in records.indices {
            if let v = get(records[i]) { values[i] = v } else { validity[i] = false; nulls = true }
        }
        return ColumnData(values: .int64(values), validity: nulls ? validity : nil)
    }

    private static func intBounds<T: BinaryInteger>(_ records: [HEPRecord], _ get: (HEPRecord) -> T?) -> (Int64, String?, String?) {
        var lo: T?, hi: T?, count: Int64 = 0
        for i in records.indices {
            guard let v = get(records[i]) else { continue }
            count += 1
            if lo == nil || v < lo! { lo = v }
            if hi == nil || v > hi! { hi = v }
        }
        return (count, lo.map { String($0) }, hi.map { String($0) })
    }

    /// A text column straight from the record's bytes (`HEPRecord.withUTF8`: no `String` per value) and its stats:
    /// non-null count and, when `bounds`, the byte-wise (UTF-8) min and max, as DuckDB orders VARCHAR.
    private static func text(_ records: [HEPRecord], _ field: HEPRecord.TextField,
                             bounds: Bool = true) -> (ColumnData, (Int64, String?, String?)) {
        var data: [UInt8] = []
        data.reserveCapacity(records.count * 16)
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(records.count + 1)
        var validity = [Bool](repeating: true, count: records.count)
        // One batch call into HEP: per-record `withUTF8` closures made the optimiser copy each record first (a
        // retain and release of its payload and strings per value; 13 % of the lake bench's samples).
        let count = Int64(HEPRecord.appendColumn(field, of: records, data: &data, offsets: &offsets, validity: &validity))
        var lo: String?, hi: String?
        if bounds && count > 0 {
            data.withUnsafeBufferPointer { d in
                var minRow = -1, maxRow = -1
                @inline(__always) func value(_ row: Int) -> UnsafeBufferPointer<UInt8> {
                    UnsafeBufferPointer(rebasing: d[Int(offsets[row])..<Int(offsets[row + 1])])
                }
                for row in 0..<records.count where validity[row] {
                    if minRow < 0 {
                        minRow = row
                        maxRow = row
                        continue
                    }
                    let v = value(row)
                    if v.lexicographicallyPrecedes(value(minRow)) { minRow = row }
                    if value(maxRow).lexicographicallyPrecedes(v) { maxRow = row }
                }
                lo = String(decoding: value(minRow), as: UTF8.self)
                hi = String(decoding: value(maxRow), as: UTF8.self)
            }
        }
        return (ColumnData(values: .bytes(ByteArrays(data: data, offsets: offsets)),
                           validity: count == Int64(records.count) ? nil : validity), (count, lo, hi))
    }

    private static func strings(_ records: [HEPRecord], _ get: (HEPRecord) -> String?) -> ColumnData {
        var data: [UInt8] = []
        data.reserveCapacity(records.count * 16)
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(records.count + 1)
        var validity = [Bool](repeating: true, count: records.count)
        var nulls = false
        for i in records.indices {
            if let s = get(records[i]) { data.append(contentsOf: s.utf8) } else { validity[i] = false; nulls = true }
            offsets.append(Int32(truncatingIfNeeded: data.count))
        }
        return ColumnData(values: .bytes(ByteArrays(data: data, offsets: offsets)), validity: nulls ? validity : nil)
    }

    /// Byte-wise (UTF-8) min and max, as DuckDB orders VARCHAR.
    private static func stringBounds(_ records: [HEPRecord], _ get: (HEPRecord) -> String?) -> (Int64, String?, String?) {
        var lo: String?, hi: String?, count: Int64 = 0
        for i in records.indices {
            guard let v = get(records[i]) else { continue }
            count += 1
            if let l = lo {
                if v != l && v.utf8.lexicographicallyPrecedes(l.utf8) { lo = v }
            } else { lo = v }
            if let h = hi {
                if v != h && h.utf8.lexicographicallyPrecedes(v.utf8) { hi = v }
            } else { hi = v }
        }
        return (count, lo, hi)
    }

    private static func payloadColumn(_ records: [HEPRecord], _ valid: [Bool], wantValid: Bool) -> ColumnData {
        var data: [UInt8] = []
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(records.count + 1)
        var validity = [Bool](repeating: false, count: records.count)
        for i in records.indices {
            if valid[i] == wantValid {
                data.append(contentsOf: records[i].payload)
                validity[i] = true
            }
            offsets.append(Int32(truncatingIfNeeded: data.count))
        }
        return ColumnData(values: .bytes(ByteArrays(data: data, offsets: offsets)), validity: validity)
    }
}

/// UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), ASCII fast path. Decides
/// between `payload` (valid) and `payload_bin` (anything else).
public enum UTF8Check {
    /// Whether the bytes are valid UTF-8 (what DuckDB accepts in a VARCHAR).
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x80 { i += 1; continue }
                let len: Int, lo: UInt8, hi: UInt8
                switch c {
                case 0xC2...0xDF: len = 2; lo = 0x80; hi = 0xBF
                case 0xE0: len = 3; lo = 0xA0; hi = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF: len = 3; lo = 0x80; hi = 0xBF
                case 0xED: len = 3; lo = 0x80; hi = 0x9F
                case 0xF0: len = 4; lo = 0x90; hi = 0xBF
                case 0xF1...0xF3: len = 4; lo = 0x80; hi = 0xBF
                case 0xF4: len = 4; lo = 0x80; hi = 0x8F
                default: return false
                }
                guard i + len <= n, b[i + 1] >= lo, b[i + 1] <= hi else { return false }
                for k in 2..<len where b[i + k] < 0x80 || b[i + k] > 0xBF { return false }
                i += len
            }
            return true
        }
    }
}
