import Foundation

/// The buffered values of one column for the row group being built. Non-null values are stored compacted
/// (contiguous, one typed array per kind, only the one matching the column used); `validity` keeps one flag per row
/// for OPTIONAL columns.
struct ColumnBuffer {
    let column: ParquetColumn
    let fieldID: Int32
    let kind: ColumnValues.Kind
    /// One flag per row (true = present); only filled for OPTIONAL columns.
    var validity: [Bool] = []
    var rows = 0
    var nulls = 0
    var bools: [Bool] = []
    var i32: [Int32] = []
    var i64: [Int64] = []
    var f64: [Double] = []
    var bytes = ByteArrays()
    /// True while `bytes.data` is the caller's buffer, shared copy-on-write instead of copied: the first batch of a
    /// row group without nulls is not copied (`offsets` then index the caller's data and need not start at 0).
    /// Only for the duration of one `ParquetWriter.write` call: rows still buffered when it returns are copied
    /// (`keepOwnCopy`), so the writer never keeps a caller's (possibly much larger) buffer alive; the next append
    /// to a borrowed row group copies it in first too.
    private(set) var bytesBorrowed = false

    init(column: ParquetColumn, fieldID: Int32) {
        self.column = column
        self.fieldID = fieldID
        self.kind = column.type.valuesKind
    }

    /// Number of buffered non-null values.
    var valueCount: Int { rows - nulls }

    /// Uncompressed size estimate of the buffered values (row-group cut by bytes).
    var estimatedBytes: Int {
        let levels = column.optional ? rows / 8 : 0
        switch kind {
        case .boolean: return levels + bools.count / 8
        case .int32: return levels + 4 * i32.count
        case .int64: return levels + 8 * i64.count
        case .double: return levels + 8 * f64.count
        case .bytes: return levels + Int(bytes.offsets[bytes.count] - bytes.offsets[0]) + 4 * bytes.count
        }
    }

    /// Empties the buffer, keeping capacity for the next row group.
    mutating func reset() {
        validity.removeAll(keepingCapacity: true)
        rows = 0
        nulls = 0
        bools.removeAll(keepingCapacity: true)
        i32.removeAll(keepingCapacity: true)
        i64.removeAll(keepingCapacity: true)
        f64.removeAll(keepingCapacity: true)
        if bytesBorrowed {
            bytes = ByteArrays()
            bytesBorrowed = false
        } else {
            bytes.data.removeAll(keepingCapacity: true)
            bytes.offsets.removeAll(keepingCapacity: true)
            bytes.offsets.append(0)
        }
    }

    // MARK: - Appending

    /// Appends rows `range` of a batch column.
    mutating func append(_ data: ColumnData, _ range: Range<Int>) throws(ParquetError) {
        guard data.values.kind == kind else {
            throw ParquetError(.invalidArgument, "column \(column.name) is \(column.type), got \(data.values.kind) values")
        }
        var present = range.count
        if let v = data.validity {
            guard v.count == data.values.count else {
                throw ParquetError(.invalidArgument, "column \(column.name): validity has \(v.count) entries for \(data.values.count) values")
            }
            present = 0
            for i in range where v[i] { present += 1 }
            if !column.optional && present != range.count {
                throw ParquetError(.invalidArgument, "column \(column.name) is required but the batch has nulls")
            }
        }
        let allValid = present == range.count
        if column.optional {
            if let v = data.validity, !allValid {
                validity.append(contentsOf: v[range])
            } else {
                validity.append(contentsOf: repeatElement(true, count: range.count))
            }
        }
        rows += range.count
        nulls += range.count - present
        switch data.values {
        case .boolean(let v): Self.appendFixed(v, range, allValid ? nil : data.validity, into: &bools)
        case .int32(let v): Self.appendFixed(v, range, allValid ? nil : data.validity, into: &i32)
        case .int64(let v): Self.appendFixed(v, range, allValid ? nil : data.validity, into: &i64)
        case .double(let v): Self.appendFixed(v, range, allValid ? nil : data.validity, into: &f64)
        case .bytes(let b):
            guard b.offsets.count == b.count + 1, let last = b.offsets.last, Int(last) <= b.data.count,
                  b.offsets[0] >= 0 else {
                throw ParquetError(.invalidArgument, "column \(column.name): malformed ByteArrays offsets")
            }
            try appendBytes(b, range, allValid ? nil : data.validity)
        }
    }

    private static func appendFixed<T>(_ src: [T], _ range: Range<Int>, _ validity: [Bool]?, into dst: inout [T]) {
        if let validity {
            for i in range where validity[i] { dst.append(src[i]) }
        } else {
            dst.append(contentsOf: src[range])
        }
    }

    private mutating func appendBytes(_ b: ByteArrays, _ range: Range<Int>, _ validity: [Bool]?) throws(ParquetError) {
        guard !range.isEmpty else { return }
        if validity == nil && bytes.count == 0 {
            // Borrow: keep a reference to the caller's bytes and copy only the offsets (4 bytes per value).
            var offsets = [Int32]()
            offsets.reserveCapacity(range.count + 1)
            var prev = b.offsets[range.lowerBound]
            guard prev >= 0 else { throw ParquetError(.invalidArgument, "column \(column.name): negative offset") }
            offsets.append(prev)
            for i in range.lowerBound + 1...range.upperBound {
                let o = b.offsets[i]
                guard o >= prev else { throw ParquetError(.invalidArgument, "column \(column.name): offsets not ascending") }
                prev = o
                offsets.append(o)
            }
            bytes = ByteArrays(data: b.data, offsets: offsets)
            bytesBorrowed = true
            return
        }
        if bytesBorrowed { materializeBytes() }
        let base = Int32(bytes.data.count)
        if validity == nil {
            let a = b.offsets[range.lowerBound], e = b.offsets[range.upperBound]
            guard a <= e else { throw ParquetError(.invalidArgument, "column \(column.name): offsets not ascending") }
            guard Int(base) + Int(e - a) <= Int(Int32.max) else {
                throw ParquetError(.invalidArgument, "column \(column.name): more than 2 GiB of bytes in a row group")
            }
            bytes.data.append(contentsOf: b.data[Int(a)..<Int(e)])
            bytes.offsets.reserveCapacity(bytes.offsets.count + range.count)
            var prev = a
            for i in range.lowerBound + 1...range.upperBound {
                let o = b.offsets[i]
                guard o >= prev else { throw ParquetError(.invalidArgument, "column \(column.name): offsets not ascending") }
                prev = o
                bytes.offsets.append(base + (o - a))
            }
        } else if let validity {
            for i in range where validity[i] {
                let a = Int(b.offsets[i]), e = Int(b.offsets[i + 1])
                guard a <= e else { throw ParquetError(.invalidArgument, "column \(column.name): offsets not ascending") }
                guard bytes.data.count + (e - a) <= Int(Int32.max) else {
                    throw ParquetError(.invalidArgument, "column \(column.name): more than 2 GiB of bytes in a row group")
                }
                bytes.append(b.data[a..<e])
            }
        }
    }

    /// Copies borrowed bytes (if any) so the caller's buffer is no longer referenced.
    mutating func keepOwnCopy() {
        if bytesBorrowed { materializeBytes() }
    }

    /// Replaces borrowed bytes by an own copy of just the borrowed values, rebased to offset 0.
    private mutating func materializeBytes() {
        let first = bytes.offsets[0], last = bytes.offsets[bytes.count]
        var own = ByteArrays()
        own.data = Array(bytes.data[Int(first)..<Int(last)])
        own.offsets = bytes.offsets.map { $0 - first }
        bytes = own
        bytesBorrowed = false
    }

    // MARK: - Value access (by compacted value index)

    /// Bytes a value adds to a PLAIN page (page cutting).
    @inline(__always)
    func plainSize(_ i: Int) -> Int {
        switch kind {
        case .boolean: 1
        case .int32: 4
        case .int64, .double: 8
        case .bytes: 4 + bytes.length(at: i)
        }
    }

    /// Sort-order comparison of values `i` and `j` (signed integers, IEEE doubles without NaN, unsigned bytes).
    @inline(__always)
    func compare(_ i: Int, _ j: Int) -> Int {
        switch kind {
        case .boolean: return bools[i] == bools[j] ? 0 : (bools[i] ? 1 : -1)
        case .int32: return i32[i] < i32[j] ? -1 : (i32[i] == i32[j] ? 0 : 1)
        case .int64: return i64[i] < i64[j] ? -1 : (i64[i] == i64[j] ? 0 : 1)
        case .double: return f64[i] < f64[j] ? -1 : (f64[i] == f64[j] ? 0 : 1)
        case .bytes:
            let la = bytes.length(at: i), lb = bytes.length(at: j)
            let c = bytes.data.withUnsafeBufferPointer { d in
                memcmp(d.baseAddress! + Int(bytes.offsets[i]), d.baseAddress! + Int(bytes.offsets[j]), min(la, lb))
            }
            if c != 0 { return c < 0 ? -1 : 1 }
            return la == lb ? 0 : (la < lb ? -1 : 1)
        }
    }

    /// Whether value `i` is a NaN (never part of min/max, parquet.thrift ColumnOrder notes).
    @inline(__always)
    func isNaN(_ i: Int) -> Bool { kind == .double && f64[i].isNaN }

    /// Value `i` as a `ParquetValue`; doubles equal to zero become −0.0 for a min and +0.0 for a max (so readers
    /// never exclude the other zero).
    func value(_ i: Int, forMin: Bool? = nil) -> ParquetValue {
        switch kind {
        case .boolean: return .boolean(bools[i])
        case .int32: return .int32(i32[i])
        case .int64: return .int64(i64[i])
        case .double:
            let v = f64[i]
            if v == 0, let forMin { return .double(forMin ? -0.0 : 0.0) }
            return .double(v)
        case .bytes: return .bytes(Array(bytes[i]))
        }
    }

    /// XXH64 of value `i`'s PLAIN bytes (without length prefix), for dictionaries and bloom filters.
    @inline(__always)
    func hash(_ i: Int) -> UInt64 {
        switch kind {
        case .boolean: XXHash64.hash(littleEndian: UInt8(bools[i] ? 1 : 0))
        case .int32: XXHash64.hash(littleEndian: i32[i])
        case .int64: XXHash64.hash(littleEndian: i64[i])
        case .double: XXHash64.hash(littleEndian: f64[i].bitPattern)
        case .bytes:
            bytes.data.withUnsafeBytes { d in
                XXHash64.hash(d.baseAddress! + Int(bytes.offsets[i]), count: bytes.length(at: i))
            }
        }
    }

    // MARK: - Encoding

    /// Appends the DELTA_LENGTH_BYTE_ARRAY lengths of values `range` and returns the range of `bytes.data` holding
    /// their bytes, which complete the encoding.
    func encodeLengths(_ range: Range<Int>, into out: inout [UInt8]) -> Range<Int> {
        DeltaLengthByteArrayEncoder.encodeLengths(bytes, range: range, into: &out)
    }

    /// Appends values `range` in `encoding` (PLAIN, DELTA_BINARY_PACKED or DELTA_LENGTH_BYTE_ARRAY).
    func encode(_ range: Range<Int>, _ encoding: Encoding, into out: inout [UInt8]) {
        switch (kind, encoding) {
        case (.int32, .deltaBinaryPacked):
            i32.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        case (.int64, .deltaBinaryPacked):
            i64.withUnsafeBufferPointer { DeltaBinaryPackedEncoder.encode(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        case (.bytes, .deltaLengthByteArray):
            DeltaLengthByteArrayEncoder.encode(bytes, range: range, into: &out)
        case (.boolean, _):
            bools.withUnsafeBufferPointer { PlainEncoder.append(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        case (.int32, _):
            i32.withUnsafeBufferPointer { PlainEncoder.append(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        case (.int64, _):
            i64.withUnsafeBufferPointer { PlainEncoder.append(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        case (.double, _):
            f64.withUnsafeBufferPointer { PlainEncoder.append(UnsafeBufferPointer(rebasing: $0[range]), into: &out) }
        case (.bytes, _):
            PlainEncoder.append(bytes, range: range, into: &out)
        }
    }
}
