/// A filter pushed into `ParquetReader.scan`, with SQL semantics: a comparison with a NULL value is unknown, and only
/// rows where the whole predicate is true are returned.
///
/// Values are compared in the column's sort order (parquet.thrift `ColumnOrder`): integers signed (unsigned for
/// unsigned logical types), floating point numerically, strings and binary as unsigned bytes, booleans false < true.
/// Integer values compare with integer or floating columns and vice versa; a value of another kind (bytes against an
/// integer column) makes `scan` throw `ParquetError(.invalidArgument)`. Timestamps and dates are compared as their
/// stored integers (`ParquetColumnInfo.timeUnit` says the unit).
public indirect enum ParquetPredicate: Sendable, Hashable {
    case equal(String, ParquetValue)
    case less(String, ParquetValue)
    case lessOrEqual(String, ParquetValue)
    case greater(String, ParquetValue)
    case greaterOrEqual(String, ParquetValue)
    /// Inclusive on both ends, like SQL BETWEEN.
    case between(String, ParquetValue, ParquetValue)
    case `in`(String, [ParquetValue])
    case isNull(String)
    case isNotNull(String)
    /// True when every operand is true; an empty list is true.
    case and([ParquetPredicate])
    /// True when any operand is true; an empty list is false.
    case or([ParquetPredicate])

    /// Every column the predicate mentions.
    public var columnNames: Set<String> {
        switch self {
        case .equal(let c, _), .less(let c, _), .lessOrEqual(let c, _), .greater(let c, _), .greaterOrEqual(let c, _),
             .between(let c, _, _), .in(let c, _), .isNull(let c), .isNotNull(let c):
            return [c]
        case .and(let ps), .or(let ps):
            return ps.reduce(into: Set<String>()) { $0.formUnion($1.columnNames) }
        }
    }
}

/// Three-valued truth (SQL): a predicate over statistics says whether *no*, *some* or *every* row can match.
/// Ordered so that AND is the minimum and OR the maximum.
enum Truth: UInt8, Sendable, Comparable {
    case no = 0
    case maybe = 1
    case yes = 2

    static func < (a: Truth, b: Truth) -> Bool { a.rawValue < b.rawValue }

    init(_ b: Bool) { self = b ? .yes : .no }
}
