/// One leaf column of a flat schema.
public struct ParquetColumn: Sendable, Hashable {
    /// Column name (path_in_schema has just this element).
    public var name: String
    /// Stored type.
    public var type: ParquetType
    /// OPTIONAL (nullable) when true, REQUIRED otherwise.
    public var optional: Bool
    /// Parquet `field_id`. DuckLake maps columns by it; the writer numbers unset ids 1, 2, … by position.
    public var fieldID: Int32?

    /// Creates a column; columns are nullable by default, as DuckDB writes them.
    public init(name: String, type: ParquetType, optional: Bool = true, fieldID: Int32? = nil) {
        self.name = name
        self.type = type
        self.optional = optional
        self.fieldID = fieldID
    }
}
