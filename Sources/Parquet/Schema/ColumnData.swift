/// One column of a batch, Arrow-like: `values` has one slot per row; `validity[i] == false` marks row `i` null;
/// `validity == nil` means no nulls.
public struct ColumnData: Sendable, Hashable {
    /// One slot per row.
    public var values: ColumnValues
    /// Per-row validity (true = present), or nil when every row is present.
    public var validity: [Bool]?

    /// Creates a column of a batch.
    public init(values: ColumnValues, validity: [Bool]? = nil) {
        self.values = values
        self.validity = validity
    }

    /// Number of rows.
    public var count: Int { values.count }

    /// Whether row `i` holds a value.
    @inline(__always)
    public func isValid(_ i: Int) -> Bool {
        validity?[i] ?? true
    }

    /// Row `i` as a value, nil when null.
    public func value(at i: Int) -> ParquetValue? {
        isValid(i) ? values.value(at: i) : nil
    }

    /// Number of null rows.
    public var nullCount: Int {
        guard let validity else { return 0 }
        var n = 0
        for v in validity where !v { n += 1 }
        return n
    }
}
