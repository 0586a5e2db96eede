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

    /// The Parquet columns (in `HEPTable.columns` order) of the rows of `b`, in their order.
    static func build(_ b: HEPRecordColumns) -> [ColumnData] {
        let n = b.rows
        var micros = [Int64](repeating: 0, count: n)
        var days = [Int32](repeating: 0, count: n)
        b.timestamp.withUnsafeBufferPointer { ns in
            for i in 0..<n {
                let us = StatsText.floorDivMod(ns[i], 1000).0
                micros[i] = us
                days[i] = Int32(truncatingIfNeeded: StatsText.floorDivMod(us, 86_400_000_000).0)
            }
        }
        func bytes(_ c: HEPRecordColumns.Bytes) -> ColumnData {
            ColumnData(values: .bytes(ByteArrays(data: c.data, offsets: c.offsets)), validity: c.validity.isEmpty ? nil : c.validity)
        }
        func ints(_ c: HEPRecordColumns.Nullable<Int32>) -> ColumnData {
            ColumnData(values: .int32(c.values), validity: c.nonNull == n ? nil : c.validity)
        }
        func longs(_ c: HEPRecordColumns.Nullable<Int64>) -> ColumnData {
            ColumnData(values: .int64(c.values), validity: c.nonNull == n ? nil : c.validity)
        }
        func text(_ f: HEPRecord.TextField) -> ColumnData { bytes(b.text[f.rawValue]) }
        // The payload, lossless: valid UTF-8 in `payload`, anything else byte-exact in `payload_bin` (DuckDB rejects
        // invalid UTF-8 in VARCHAR). A null slot may hold any bytes (`ColumnData`), so `payload` keeps every
        // payload and only marks the invalid rows null.
        let payload: ColumnData, payloadBin: ColumnData
        if b.invalidUTF8Rows.isEmpty {
            payload = ColumnData(values: .bytes(ByteArrays(data: b.payload.data, offsets: b.payload.offsets)))
            payloadBin = ColumnData(values: .bytes(ByteArrays(data: [], offsets: [Int32](repeating: 0, count: n + 1))),
                                    validity: [Bool](repeating: false, count: n))
        } else {
            var valid = [Bool](repeating: true, count: n)
            var binValid = [Bool](repeating: false, count: n)
            var bin = ByteArrays(data: [], offsets: [0])
            var next = 0
            b.payload.data.withUnsafeBufferPointer { d in
                for row in 0..<n {
                    if next < b.invalidUTF8Rows.count && b.invalidUTF8Rows[next] == row {
                        next += 1
                        valid[row] = false
                        binValid[row] = true
                        bin.data.append(contentsOf: d[Int(b.payload.offsets[row])..<Int(b.payload.offsets[row + 1])])
                    }
                    bin.offsets.append(Int32(truncatingIfNeeded: bin.data.count))
                }
            }
            payload = ColumnData(values: .bytes(ByteArrays(data: b.payload.data, offsets: b.payload.offsets)),
                                 validity: valid)
            payloadBin = ColumnData(values: .bytes(bin), validity: binValid)
        }
        return [
            ColumnData(values: .int64(micros)), ColumnData(values: .int32(days)),
            text(.sessionID), text(.correlationID),
            ColumnData(values: .int32(b.protoType)), ColumnData(values: .int32(b.ipFamily)),
            ColumnData(values: .int32(b.transport)),
            text(.srcIP), text(.dstIP),
            ColumnData(values: .int32(b.srcPort)), ColumnData(values: .int32(b.dstPort)),
            ColumnData(values: .int64(b.captureID)), bytes(b.nodeName), ints(b.vlan),
            text(.method), ints(b.responseCode), longs(b.cseqNumber), text(.cseqMethod),
            text(.fromUser), text(.fromDomain), text(.fromTag), text(.toUser), text(.toDomain), text(.toTag),
            text(.ruriUser), text(.ruriDomain), text(.userAgent),
            payload, payloadBin,
        ]
    }

    /// The catalog stats of a written file (research §2.4), from the Parquet writer's exact (untruncated) per-column
    /// min/max and counts — computed from the values while encoding, so they can never be narrower than the data
    /// (which would make DuckDB prune wrongly, research §4). Long free-text columns get no bounds
    /// (`HEPTable.unboundedStatsColumns`).
    static func stats(_ summary: ParquetFileSummary) -> [LakeColumnStats] {
        HEPTable.columns.enumerated().map { i, column in
            let c = summary.columns[i]
            var lo: String?, hi: String?
            if !HEPTable.unboundedStatsColumns.contains(column.name) {
                lo = c.min.map { text($0, column.type) }
                hi = c.max.map { text($0, column.type) }
            }
            return LakeColumnStats(columnID: column.id, columnSizeBytes: c.compressedSize,
                                   valueCount: c.valueCount - c.nullCount, nullCount: c.nullCount, min: lo, max: hi)
        }
    }

    /// A Parquet statistics value in DuckDB's text format of the column's type.
    private static func text(_ v: ParquetValue, _ type: LakeColumnType) -> String {
        switch (v, type) {
        case (.int64(let us), .timestamp): return StatsText.timestamp(micros: us)
        case (.int32(let d), .date): return StatsText.date(days: Int64(d))
        case (.int32(let x), _): return String(x)
        case (.int64(let x), _): return String(x)
        case (.bytes(let b), _): return String(decoding: b, as: UTF8.self)
        case (.boolean(let x), _): return x ? "true" : "false"
        case (.double(let x), _): return String(x)
        }
    }
}

/// UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), ASCII fast path. Decides
/// between `payload` (valid) and `payload_bin` (anything else).
public enum UTF8Check {
    /// Whether the bytes are valid UTF-8 (what DuckDB accepts in a VARCHAR).
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
    }
}
