import Foundation
import TestSupport

/// DuckDB (with httpfs for S3 data paths) judging lake upkeep: `scripts/oracle/upkeep_oracle.py`.
enum UpkeepOracle {
    struct Rows: Equatable {
        var keys: [LakeOracle.Key]
        var error: String?
    }

    /// (session_id, timestamp µs, rowid) of every row DuckDB sees at `version` (current when nil), sorted by rowid;
    /// `error` holds DuckDB's message when it refuses the read.
    static func rows(_ catalog: String, version: Int64? = nil, s3 endpoint: String? = nil) throws -> Rows {
        var args = ["rows", "--catalog", catalog]
        if let version { args += ["--version", String(version)] }
        if let endpoint { args += ["--s3", endpoint] }
        let out = try Oracle.runPython("upkeep_oracle.py", args)
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        if let error = obj["error"] as? String { return Rows(keys: [], error: error) }
        let list = obj["rows"] as? [[Any]] ?? []
        return Rows(keys: list.map {
            LakeOracle.Key(sessionID: $0[0] as? String ?? "<null>", timestamp: ($0[1] as? NSNumber)?.int64Value ?? -1,
                           rowID: ($0[2] as? NSNumber)?.int64Value ?? -1)
        }, error: nil)
    }

    static func sql(_ catalog: String, s3 endpoint: String? = nil, _ statements: String...) throws -> [[Any]] {
        try Oracle.lakeSQL(catalog, s3: endpoint, statements)
    }
}
