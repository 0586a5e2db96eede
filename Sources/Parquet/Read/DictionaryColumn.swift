/// A dictionary-encoded column kept as its dictionary plus one index per row (-1 for null), so that a filter tests
/// each distinct value once (`RowFilter`) and only matching rows are materialised (research notes §2.6: dictionary
/// pages hold each distinct value of a chunk once).
struct DictionaryColumn {
    /// The distinct values, no nulls.
    let dictionary: ColumnData
    /// Per row: index into `dictionary`, -1 when the row is null.
    let indexes: [Int32]
    /// Per row validity, nil when no row is null.
    let validity: [Bool]?

    var count: Int { indexes.count }

    /// The rows where `mask` is true, as values.
    func materialise(_ mask: [Bool], keeping: Int) -> ColumnData {
        var valid: [Bool] = []
        var anyNull = false
        valid.reserveCapacity(keeping)
        func pick<T>(_ a: [T], _ placeholder: T) -> [T] {
            var out: [T] = []
            out.reserveCapacity(keeping)
            for (i, m) in mask.enumerated() where m {
                let k = indexes[i]
                out.append(k < 0 ? placeholder : a[Int(k)])
            }
            return out
        }
        for (i, m) in mask.enumerated() where m {
            let ok = indexes[i] >= 0
            valid.append(ok)
            if !ok { anyNull = true }
        }
        let values: ColumnValues
        switch dictionary.values {
        case .boolean(let a): values = .boolean(pick(a, false))
        case .int32(let a): values = .int32(pick(a, 0))
        case .int64(let a): values = .int64(pick(a, 0))
        case .double(let a): values = .double(pick(a, 0))
        case .bytes(let b):
            var out = ByteArrays()
            out.reserveCapacity(values: keeping, bytes: 0)
            for (i, m) in mask.enumerated() where m {
                let k = indexes[i]
                if k < 0 { out.append([UInt8]()) } else { out.append(b[Int(k)]) }
            }
            values = .bytes(out)
        }
        return ColumnData(values: values, validity: anyNull ? valid : nil)
    }
}
