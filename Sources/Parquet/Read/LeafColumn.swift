/// The reader's internal view of one schema leaf: how to decode its values and how to order its statistics.
struct LeafColumn: Sendable {
    let info: ParquetColumnInfo
    let physical: PhysicalType
    let kind: PhysicalKind
    /// Max definition level: 1 for OPTIONAL, 0 for REQUIRED (flat schemas only).
    let maxDefinitionLevel: Int
    /// Order of min_value/max_value.
    let order: ValueOrder
    /// Whether the deprecated signed `min`/`max` statistics may be used (they are in signed order, which is the
    /// type order only for signed integers, booleans and floating point).
    let deprecatedStatsUsable: Bool

    var name: String { info.column.name }

    init(element e: SchemaElement, info: ParquetColumnInfo, columnOrder: ColumnOrder?, hasOrders: Bool)
        throws(ParquetError) {
        self.info = info
        guard let physical = e.type else { throw ParquetError(.corruptFile, "leaf without type") }
        self.physical = physical
        switch physical {
        case .boolean: kind = .boolean
        case .int32: kind = .int32
        case .int64: kind = .int64
        case .int96: kind = .int96
        case .float: kind = .float
        case .double: kind = .double
        case .byteArray: kind = .byteArray
        case .fixedLenByteArray:
            guard let n = e.typeLength, n > 0 else {
                throw ParquetError(.corruptFile, "FIXED_LEN_BYTE_ARRAY \(e.name) without type_length")
            }
            kind = .fixedLenByteArray(Int(n))
        default:
            throw ParquetError(.unsupported, "physical type \(physical)")
        }
        maxDefinitionLevel = e.repetitionType == .required ? 0 : 1
        var isDecimal = false
        if case .decimal? = e.logicalType { isDecimal = true }
        if e.convertedType == .decimal { isDecimal = true }
        let typeOrder: ValueOrder
        switch kind {
        case .boolean: typeOrder = .signed
        case .int32, .int64: typeOrder = info.isUnsigned ? .unsigned : .signed
        case .float, .double: typeOrder = .floating
        case .byteArray, .fixedLenByteArray: typeOrder = isDecimal ? .none : .bytes
        case .int96: typeOrder = .none
        }
        if let columnOrder, case .other = columnOrder {
            order = .none
        } else {
            order = typeOrder
        }
        deprecatedStatsUsable = typeOrder == .signed || typeOrder == .floating
    }

    /// Decodes a statistics value (PLAIN, no length prefix); nil when its size does not fit the type.
    func value(plain b: [UInt8]) -> ParquetValue? {
        func load<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard b.count == MemoryLayout<T>.size else { return nil }
            var v: T = 0
            for (i, x) in b.enumerated() { v |= T(truncatingIfNeeded: x) << (8 * i) }
            return v
        }
        switch kind {
        case .boolean: return b.count == 1 ? .boolean(b[0] != 0) : nil
        case .int32: return load(Int32.self).map { .int32($0) }
        case .int64: return load(Int64.self).map { .int64($0) }
        case .float: return load(UInt32.self).map { .double(Double(Float(bitPattern: $0))) }
        case .double: return load(UInt64.self).map { .double(Double(bitPattern: $0)) }
        case .byteArray, .fixedLenByteArray: return .bytes(b)
        case .int96: return nil
        }
    }

    /// Statistics of a chunk as a `StatsView` over `rowCount` rows.
    func statsView(_ s: Statistics?, rowCount: Int64) -> StatsView {
        var v = StatsView(rowCount: rowCount, order: order)
        guard let s else { return v }
        v.nullCount = s.nullCount
        if let lo = s.minValue, let hi = s.maxValue {
            v.min = value(plain: lo)
            v.max = value(plain: hi)
            v.minExact = s.isMinValueExact ?? (kind != .byteArray)
            v.maxExact = s.isMaxValueExact ?? (kind != .byteArray)
        } else if deprecatedStatsUsable, let lo = s.min, let hi = s.max {
            v.min = value(plain: lo)
            v.max = value(plain: hi)
        }
        // NaN bounds order nothing (research notes §2.8); a floating column whose bounds are NaN is unknown.
        if case .double(let x)? = v.min, x.isNaN { v.min = nil; v.max = nil }
        if case .double(let x)? = v.max, x.isNaN { v.min = nil; v.max = nil }
        // Floats: a -0.0/+0.0 bound may stand for either zero (parquet.thrift ColumnOrder notes).
        if case .double(let x)? = v.min, x == 0 { v.min = .double(-0.0) }
        if case .double(let x)? = v.max, x == 0 { v.max = .double(0.0) }
        return v
    }

    /// What a bloom filter should be probed with for a predicate value.
    enum BloomKey { case bytes([UInt8]), impossible, unusable }

    /// The PLAIN bytes the bloom filter hashed for a predicate value (BloomFilter.md: PLAIN without a length
    /// prefix); `.impossible` when the value cannot occur in the column (2^40 in an INT32 column), `.unusable` when
    /// the filter cannot answer (floating point, booleans, kind mismatch).
    func bloomKey(_ v: ParquetValue) -> BloomKey {
        switch (kind, v) {
        case (.int32, .int32), (.int32, .int64):
            guard let i = ValueOrder.integer(v), let x = Int32(exactly: i) else { return .impossible }
            return .bytes(withUnsafeBytes(of: x.littleEndian) { Array($0) })
        case (.int64, .int32), (.int64, .int64):
            guard let i = ValueOrder.integer(v) else { return .unusable }
            return .bytes(withUnsafeBytes(of: i.littleEndian) { Array($0) })
        case (.byteArray, .bytes(let b)):
            return .bytes(b)
        case (.fixedLenByteArray(let n), .bytes(let b)):
            return b.count == n ? .bytes(b) : .impossible
        default:
            return .unusable
        }
    }
}
