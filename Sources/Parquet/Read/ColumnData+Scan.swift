extension ColumnData {
    /// The rows where `mask` is true (`keeping` of them).
    func filtered(_ mask: [Bool], keeping: Int) -> ColumnData {
        func pick<T>(_ a: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(keeping)
            for i in 0..<mask.count where mask[i] { out.append(a[i]) }
            return out
        }
        let v: ColumnValues
        switch values {
        case .boolean(let a): v = .boolean(pick(a))
        case .int32(let a): v = .int32(pick(a))
        case .int64(let a): v = .int64(pick(a))
        case .double(let a): v = .double(pick(a))
        case .bytes(let b):
            var out = ByteArrays()
            out.reserveCapacity(values: keeping, bytes: 0)
            for i in 0..<mask.count where mask[i] { out.append(b[i]) }
            v = .bytes(out)
        }
        let valid = validity.map(pick)
        return ColumnData(values: v, validity: valid.flatMap { $0.contains(false) ? $0 : nil })
    }

    /// Concatenates batches of one column; `emptyKind` gives the case for zero batches.
    static func concatenate(_ parts: [ColumnData], emptyKind: ParquetType) throws -> ColumnData {
        if parts.count == 1 { return parts[0] }
        guard let first = parts.first else {
            switch emptyKind.valuesKindForReader {
            case .boolean: return ColumnData(values: .boolean([]))
            case .int32: return ColumnData(values: .int32([]))
            case .int64: return ColumnData(values: .int64([]))
            case .double: return ColumnData(values: .double([]))
            case .bytes: return ColumnData(values: .bytes(ByteArrays()))
            }
        }
        let total = parts.reduce(0) { $0 + $1.count }
        var validity: [Bool]? = nil
        if parts.contains(where: { $0.validity != nil }) {
            var v: [Bool] = []
            v.reserveCapacity(total)
            for p in parts { if let pv = p.validity { v += pv } else { v += repeatElement(true, count: p.count) } }
            validity = v
        }
        switch first.values {
        case .boolean:
            var a: [Bool] = []; a.reserveCapacity(total)
            for p in parts { if case .boolean(let x) = p.values { a += x } }
            return ColumnData(values: .boolean(a), validity: validity)
        case .int32:
            var a: [Int32] = []; a.reserveCapacity(total)
            for p in parts { if case .int32(let x) = p.values { a += x } }
            return ColumnData(values: .int32(a), validity: validity)
        case .int64:
            var a: [Int64] = []; a.reserveCapacity(total)
            for p in parts { if case .int64(let x) = p.values { a += x } }
            return ColumnData(values: .int64(a), validity: validity)
        case .double:
            var a: [Double] = []; a.reserveCapacity(total)
            for p in parts { if case .double(let x) = p.values { a += x } }
            return ColumnData(values: .double(a), validity: validity)
        case .bytes:
            var data: [UInt8] = []
            var offsets: [Int32] = [0]
            offsets.reserveCapacity(total + 1)
            for p in parts {
                guard case .bytes(let b) = p.values else { continue }
                let base = data.count
                guard base + b.data.count <= Int(Int32.max) else {
                    throw ParquetError(.unsupported, "a scan result column over 2 GiB; use scanRowGroups")
                }
                data += b.data
                for o in b.offsets.dropFirst() { offsets.append(Int32(base) + o) }
            }
            return ColumnData(values: .bytes(ByteArrays(data: data, offsets: offsets)), validity: validity)
        }
    }
}

extension ParquetType {
    /// The `ColumnValues` case the reader returns for this type.
    var valuesKindForReader: ColumnValues.Kind {
        switch self {
        case .boolean: .boolean
        case .int32, .date: .int32
        case .int64, .timestampMicros: .int64
        case .double: .double
        case .string, .binary: .bytes
        }
    }
}
