import Foundation
import TestSupport
import DuckLake

/// The DuckDB side of the tests: `scripts/oracle/ducklake_oracle.py` driven as a subprocess.
enum LakeOracle {
    static let script = "ducklake_oracle.py"

    /// Runs statements through DuckDB attached to the lake; returns the rows of the last one as JSON values.
    static func sql(_ catalog: String, _ statements: String..., readOnly: Bool = false) throws -> [[Any]] {
        var args = ["sql", "--catalog", catalog]
        if readOnly { args.append("--read-only") }
        let out = try Oracle.runPython(script, args + statements)
        return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[Any]] ?? []
    }

    /// One value of a one-row result as Int64.
    static func int(_ catalog: String, _ statement: String) throws -> Int64 {
        let rows = try sql(catalog, statement, readOnly: true)
        return (rows.first?.first as? NSNumber)?.int64Value ?? -1
    }

    /// (session_id, timestamp µs, rowid) of every row DuckDB sees, sorted by rowid.
    struct Rows: Equatable, CustomStringConvertible {
        var rows: [Key]
        var description: String { "\(rows.count) rows" }
    }
    struct Key: Hashable, Comparable {
        var sessionID: String
        var timestamp: Int64
        var rowID: Int64
        static func < (a: Key, b: Key) -> Bool { a.rowID < b.rowID }
    }

    static func rows(_ catalog: String, version: Int64? = nil, timestamp: String? = nil) throws -> Rows {
        var args = ["rows", "--catalog", catalog]
        if let version { args += ["--version", String(version)] }
        if let timestamp { args += ["--timestamp", timestamp] }
        let out = try Oracle.runPython(script, args)
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        let list = obj["rows"] as? [[Any]] ?? []
        return Rows(rows: list.map {
            Key(sessionID: $0[0] as? String ?? "<null>", timestamp: ($0[1] as? NSNumber)?.int64Value ?? -1,
                rowID: ($0[2] as? NSNumber)?.int64Value ?? -1)
        })
    }

    /// A Parquet file written by pyarrow in hep_messages' layout, with stats computed by DuckDB.
    static func pyarrowFile(out: String, date: String, startMicros: Int64, count: Int, prefix: String) throws -> LakeNewDataFile {
        let json = try Oracle.runPython(script, ["pyfile", "--out", out, "--date", date, "--start-us", String(startMicros),
                                                 "--n", String(count), "--prefix", prefix])
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        let stats = (obj["stats"] as? [[String: Any]] ?? []).map {
            LakeColumnStats(columnID: ($0["column_id"] as? NSNumber)?.int64Value ?? 0,
                            columnSizeBytes: ($0["size"] as? NSNumber)?.int64Value,
                            valueCount: ($0["value_count"] as? NSNumber)?.int64Value ?? 0,
                            nullCount: ($0["null_count"] as? NSNumber)?.int64Value ?? 0,
                            min: $0["min"] as? String, max: $0["max"] as? String)
        }
        return LakeNewDataFile(path: "", recordCount: Int64(count),
                               fileSizeBytes: (obj["file_size"] as? NSNumber)?.int64Value ?? 0,
                               footerSize: (obj["footer_size"] as? NSNumber)?.int64Value ?? 0,
                               partitionValue: date, columnStats: stats)
    }
}
