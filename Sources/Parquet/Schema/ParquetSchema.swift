/// A flat Parquet schema: a root group whose children are all primitive leaves.
public struct ParquetSchema: Sendable, Hashable {
    /// The leaves, in file order.
    public var columns: [ParquetColumn]

    /// Creates a schema from its columns.
    public init(columns: [ParquetColumn]) {
        self.columns = columns
    }

    /// Index of the column named `name`, if any.
    public func index(of name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }
}

extension ParquetSchema {
    /// The root name written in the footer (DuckDB writes "duckdb_schema", Arrow "schema"; readers ignore it).
    static let rootName = "schema"

    /// The flattened schema for the footer: root, then one leaf per column with field_id, repetition and both
    /// annotations (LogicalType and legacy ConvertedType).
    var schemaElements: [SchemaElement] {
        var out = [SchemaElement(name: Self.rootName, numChildren: Int32(columns.count))]
        for (i, c) in columns.enumerated() {
            out.append(SchemaElement(type: c.type.physicalType,
                                     repetitionType: c.optional ? .optional : .required,
                                     name: c.name,
                                     convertedType: c.type.convertedType,
                                     fieldID: c.fieldID ?? Int32(i + 1),
                                     logicalType: c.type.logicalType))
        }
        return out
    }

    /// Rebuilds a flat schema from a footer's schema elements. Throws `.unsupported` for nested or repeated
    /// schemas and for leaf types outside `ParquetType`.
    init(elements: [SchemaElement]) throws(ParquetError) {
        guard let root = elements.first else { throw ParquetError(.corruptFile, "empty schema") }
        let leaves = elements.dropFirst()
        guard Int(root.numChildren ?? 0) == leaves.count else {
            throw ParquetError(.unsupported, "nested schema (root has \(root.numChildren ?? 0) children, "
                               + "\(leaves.count) elements follow)")
        }
        var columns: [ParquetColumn] = []
        for e in leaves {
            guard e.numChildren == nil || e.numChildren == 0 else {
                throw ParquetError(.unsupported, "nested column \(e.name)")
            }
            guard e.repetitionType != .repeated else { throw ParquetError(.unsupported, "repeated column \(e.name)") }
            guard let t = ParquetType(element: e) else {
                throw ParquetError(.unsupported, "column \(e.name): type \(e.type.map { "\($0)" } ?? "none") "
                                   + "with \(e.logicalType.map { "\($0)" } ?? "no") logical type")
            }
            columns.append(ParquetColumn(name: e.name, type: t, optional: e.repetitionType != .required,
                                         fieldID: e.fieldID))
        }
        self.init(columns: columns)
    }
}
