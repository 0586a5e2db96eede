/// The logical type of a lake column, with its DuckLake catalog name (spec 1.0 `ducklake_column.column_type`).
public enum LakeColumnType: String, Sendable, Hashable {
    case timestamp      // µs since the epoch, no time zone
    case date           // days since the epoch
    case varchar
    case int32
    case int64
    case blob

    /// The declared SQLite type of the column in DuckDB's inlined-data tables (research §2.4: timestamps and dates as
    /// text, integers as BIGINT).
    var inlinedSQLiteType: String {
        switch self {
        case .timestamp, .date, .varchar: return "VARCHAR"
        case .int32, .int64: return "BIGINT"
        case .blob: return "BLOB"
        }
    }
}

/// One top-level column of a lake table: `id` is the DuckLake `column_id` and the Parquet `field_id`.
public struct LakeColumn: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var type: LakeColumnType

    public init(id: Int64, name: String, type: LakeColumnType) {
        self.id = id
        self.name = name
        self.type = type
    }
}

/// The layout of `main.hep_messages` (issue 4 item 2), one column per `HEPRecord` field plus `date` (the identity
/// partition key) and the payload split into `payload` (valid UTF-8) / `payload_bin` (anything else).
public enum HEPTable {
    /// The schema the table lives in.
    public static let schemaName = "main"
    /// The table name.
    public static let tableName = "hep_messages"

    /// Columns in `column_order`; `column_id` = position + 1 = Parquet field_id.
    public static let columns: [LakeColumn] = {
        let spec: [(String, LakeColumnType)] = [
            ("timestamp", .timestamp), ("date", .date), ("session_id", .varchar), ("correlation_id", .varchar),
            ("proto_type", .int32), ("ip_family", .int32), ("transport", .int32),
            ("src_ip", .varchar), ("dst_ip", .varchar), ("src_port", .int32), ("dst_port", .int32),
            ("capture_id", .int64), ("node_name", .varchar), ("vlan", .int32),
            ("method", .varchar), ("response_code", .int32), ("cseq_number", .int64), ("cseq_method", .varchar),
            ("from_user", .varchar), ("from_domain", .varchar), ("from_tag", .varchar),
            ("to_user", .varchar), ("to_domain", .varchar), ("to_tag", .varchar),
            ("ruri_user", .varchar), ("ruri_domain", .varchar), ("user_agent", .varchar),
            ("payload", .varchar), ("payload_bin", .blob),
        ]
        return spec.enumerated().map { LakeColumn(id: Int64($0.offset + 1), name: $0.element.0, type: $0.element.1) }
    }()

    /// Column names, in order.
    public static var columnNames: [String] { columns.map(\.name) }

    /// The column with that name.
    public static func column(named name: String) -> LakeColumn? { columns.first { $0.name == name } }

    /// Columns whose min/max are not written to the catalog stats: long free text where bounds never prune and would
    /// only bloat the catalog (research §5.0: NULL min/max keeps the file, which is always correct).
    static let unboundedStatsColumns: Set<String> = ["payload", "payload_bin", "user_agent"]
}
