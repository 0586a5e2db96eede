import Foundation

/// `scripts/oracle/upkeep_oracle.py`: DuckDB 1.5.5 + ducklake (+ httpfs for lakes on moto) and boto3, shared by the
/// DuckLake and HomerServer tests.
extension Oracle {
    /// Creates `bucket` on the S3 endpoint at `url` (moto starts empty).
    public static func createBucket(_ url: String, _ bucket: String) throws {
        _ = try runPython("upkeep_oracle.py", ["create-bucket", url, bucket])
    }

    /// Runs `statements` in DuckDB against the lake of `catalog` (its S3 files read from moto at `endpoint` when
    /// given); the rows of the last statement.
    public static func lakeSQL(_ catalog: String, s3 endpoint: String? = nil, _ statements: [String]) throws -> [[Any]] {
        var args = ["sql", "--catalog", catalog]
        if let endpoint { args += ["--s3", endpoint] }
        let out = try runPython("upkeep_oracle.py", args + statements)
        return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[Any]] ?? []
    }
}
