/// The physical layout a decoder reads (parquet.thrift `Type`, with FIXED_LEN_BYTE_ARRAY's width).
enum PhysicalKind: Sendable, Equatable {
    case boolean, int32, int64, int96, float, double, byteArray
    case fixedLenByteArray(Int)

    /// Bytes per value for fixed-width types (BYTE_STREAM_SPLIT, PLAIN); nil for BOOLEAN and BYTE_ARRAY.
    var fixedWidth: Int? {
        switch self {
        case .int32, .float: 4
        case .int64, .double: 8
        case .int96: 12
        case .fixedLenByteArray(let n): n
        case .boolean, .byteArray: nil
        }
    }
}

/// Where decoders append non-null values of one column, in the in-memory shape of `ColumnValues`.
///
/// FLOAT is widened to Double (exactly), INT96 and FIXED_LEN_BYTE_ARRAY are kept as bytes. One struct with one array
/// per shape (rather than an enum with payloads) so appends never copy the storage.
struct ValueSink {
    enum Shape: Sendable { case boolean, int32, int64, double, bytes }

    let shape: Shape
    var booleans: [Bool] = []
    var int32s: [Int32] = []
    var int64s: [Int64] = []
    var doubles: [Double] = []
    var data: [UInt8] = []
    /// Start offset of each value in `data`, plus the end offset of the last one.
    var offsets: [Int] = [0]
    /// Byte values read in place from a PLAIN dictionary page (`data` is the page body, the 4-byte lengths between
    /// the values left where they are): value i is `data[offsets[i]..<ends[i]]`. nil for the contiguous layout.
    var ends: [Int]? = nil

    init(shape: Shape) { self.shape = shape }

    static func shape(of kind: PhysicalKind) -> Shape {
        switch kind {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .float, .double: .double
        case .int96, .byteArray, .fixedLenByteArray: .bytes
        }
    }

    var count: Int {
        switch shape {
        case .boolean: booleans.count
        case .int32: int32s.count
        case .int64: int64s.count
        case .double: doubles.count
        case .bytes: ends?.count ?? offsets.count - 1
        }
    }

    mutating func reserve(_ n: Int) {
        switch shape {
        case .boolean: booleans.reserveCapacity(booleans.count + n)
        case .int32: int32s.reserveCapacity(int32s.count + n)
        case .int64: int64s.reserveCapacity(int64s.count + n)
        case .double: doubles.reserveCapacity(doubles.count + n)
        case .bytes: offsets.reserveCapacity(offsets.count + n)
        }
    }

    @inline(__always)
    mutating func appendBytes(_ p: UnsafeRawBufferPointer, from: Int, count: Int) {
        if count > 0 { data.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[from..<(from + count)])) }
        offsets.append(data.count)
    }

    /// Appends one value per span of `p` (`total` = the sum of their lengths): the storage grows once and each value
    /// is a plain memory copy.
    mutating func appendBytes(_ p: UnsafeRawBufferPointer, spans: [(start: Int, length: Int)], total: Int) {
        let first = data.count
        data.append(contentsOf: repeatElement(0, count: total))
        offsets.reserveCapacity(offsets.count + spans.count)
        var at = first
        data.withUnsafeMutableBytes { out in
            for span in spans where span.length > 0 {
                out.baseAddress!.advanced(by: at).copyMemory(from: p.baseAddress!.advanced(by: span.start),
                                                             byteCount: span.length)
                at += span.length
            }
        }
        at = first
        for span in spans {
            at += span.length
            offsets.append(at)
        }
    }

    /// Appends value `index` of another sink of the same shape (dictionary lookup).
    @inline(__always)
    mutating func append(from other: ValueSink, index: Int) {
        switch shape {
        case .boolean: booleans.append(other.booleans[index])
        case .int32: int32s.append(other.int32s[index])
        case .int64: int64s.append(other.int64s[index])
        case .double: doubles.append(other.doubles[index])
        case .bytes:
            let s = other.offsets[index], e = other.ends?[index] ?? other.offsets[index + 1]
            if e > s { data.append(contentsOf: other.data[s..<e]) }
            offsets.append(data.count)
        }
    }

    /// A PLAIN BYTE_ARRAY dictionary page as values in place: the lengths are walked (bounds checked), the bytes are
    /// not copied; a lookup then copies only the entries its rows use.
    static func byteArraysInPlace(_ body: [UInt8], count: Int) throws -> ValueSink {
        var sink = ValueSink(shape: .bytes)
        var starts: [Int] = [], ends: [Int] = []
        starts.reserveCapacity(count)
        ends.reserveCapacity(count)
        try body.withUnsafeBytes { raw in
            var c = DecoderCursor(raw)
            for _ in 0..<count {
                let length = Int(try c.le32())
                try c.require(length, "PLAIN BYTE_ARRAY")
                starts.append(c.position)
                ends.append(c.position + length)
                c.position += length
            }
        }
        sink.data = body
        sink.offsets = starts
        sink.ends = ends
        return sink
    }

    /// The contiguous layout of a sink read in place (a copy of just the values).
    func contiguous() -> ValueSink {
        guard let ends else { return self }
        var out = ValueSink(shape: shape)
        out.data.reserveCapacity(zip(offsets, ends).reduce(0) { $0 + $1.1 - $1.0 })
        out.offsets.reserveCapacity(ends.count + 1)
        for i in 0..<ends.count { out.append(from: self, index: i) }
        return out
    }

    /// Appends `count` default values (placeholders for null slots).
    mutating func appendPlaceholders(_ count: Int) {
        guard count > 0 else { return }
        switch shape {
        case .boolean: booleans.append(contentsOf: repeatElement(false, count: count))
        case .int32: int32s.append(contentsOf: repeatElement(0, count: count))
        case .int64: int64s.append(contentsOf: repeatElement(0, count: count))
        case .double: doubles.append(contentsOf: repeatElement(0, count: count))
        case .bytes: offsets.append(contentsOf: repeatElement(data.count, count: count))
        }
    }
}

extension ValueSink {
    /// Appends values `range` of another sink of the same shape.
    mutating func append(contentsOf other: ValueSink, range: Range<Int>) {
        guard !range.isEmpty else { return }
        if other.ends != nil {
            for i in range { append(from: other, index: i) }
            return
        }
        switch shape {
        case .boolean: booleans.append(contentsOf: other.booleans[range])
        case .int32: int32s.append(contentsOf: other.int32s[range])
        case .int64: int64s.append(contentsOf: other.int64s[range])
        case .double: doubles.append(contentsOf: other.doubles[range])
        case .bytes:
            let s = other.offsets[range.lowerBound], e = other.offsets[range.upperBound]
            let shift = data.count - s
            data.append(contentsOf: other.data[s..<e])
            offsets.reserveCapacity(offsets.count + range.count)
            for i in (range.lowerBound + 1)...range.upperBound { offsets.append(other.offsets[i] + shift) }
        }
    }

    /// The values as a `ColumnData`; throws when a byte column exceeds the 2 GiB `ByteArrays` offsets allow.
    func columnData(validity: [Bool]?) throws -> ColumnData {
        if ends != nil { return try contiguous().columnData(validity: validity) }
        let values: ColumnValues
        switch shape {
        case .boolean: values = .boolean(booleans)
        case .int32: values = .int32(int32s)
        case .int64: values = .int64(int64s)
        case .double: values = .double(doubles)
        case .bytes:
            guard data.count <= Int(Int32.max) else {
                throw ParquetError(.unsupported, "a scan batch of \(data.count) bytes in one column exceeds 2 GiB")
            }
            values = .bytes(ByteArrays(data: data, offsets: offsets.map { Int32(truncatingIfNeeded: $0) }))
        }
        return ColumnData(values: values, validity: validity)
    }
}
