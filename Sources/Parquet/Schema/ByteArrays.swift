/// A run of variable-length byte strings stored Arrow-style: one contiguous buffer plus `count + 1` offsets.
/// Value `i` is `data[offsets[i]..<offsets[i+1]]`.
public struct ByteArrays: Sendable, Hashable {
    /// All values back to back.
    public var data: [UInt8]
    /// `count + 1` ascending offsets into `data`; `offsets[0] == 0`.
    public var offsets: [Int32]

    /// An empty run.
    public init() {
        data = []
        offsets = [0]
    }

    /// Wraps existing buffers; the caller guarantees `offsets` is ascending, starts at 0 and ends at `data.count`.
    public init(data: [UInt8], offsets: [Int32]) {
        self.data = data
        self.offsets = offsets
    }

    /// The UTF-8 bytes of each string.
    public init(_ strings: [String]) {
        self.init()
        offsets.reserveCapacity(strings.count + 1)
        for s in strings { append(s) }
    }

    /// Each byte array in turn.
    public init(_ arrays: [[UInt8]]) {
        self.init()
        offsets.reserveCapacity(arrays.count + 1)
        for a in arrays { append(a) }
    }

    /// Number of values.
    public var count: Int { offsets.count - 1 }

    /// Reserves room for `values` more values and `bytes` more bytes.
    public mutating func reserveCapacity(values: Int, bytes: Int) {
        offsets.reserveCapacity(offsets.count + values)
        data.reserveCapacity(data.count + bytes)
    }

    /// Appends one value.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        data.append(contentsOf: bytes)
        offsets.append(Int32(truncatingIfNeeded: data.count))
    }

    /// Appends the UTF-8 bytes of a string.
    public mutating func append(_ string: String) {
        var s = string
        s.withUTF8 { data.append(contentsOf: $0) }
        offsets.append(Int32(truncatingIfNeeded: data.count))
    }

    /// Value `i` as a slice of `data`.
    public subscript(i: Int) -> ArraySlice<UInt8> {
        data[Int(offsets[i])..<Int(offsets[i + 1])]
    }

    /// Value `i` decoded as UTF-8 (invalid sequences become U+FFFD).
    public func string(at i: Int) -> String {
        String(decoding: self[i], as: UTF8.self)
    }

    /// Byte length of value `i`.
    @inline(__always)
    public func length(at i: Int) -> Int {
        Int(offsets[i + 1] - offsets[i])
    }

    /// Checks the offsets invariant; a writer calls this before trusting caller-provided buffers.
    func validate() throws(ParquetError) {
        guard let first = offsets.first, first == 0, Int(offsets[offsets.count - 1]) == data.count else {
            throw ParquetError(.invalidArgument, "ByteArrays offsets must start at 0 and end at data.count")
        }
        var prev: Int32 = 0
        for o in offsets {
            guard o >= prev else { throw ParquetError(.invalidArgument, "ByteArrays offsets must be ascending") }
            prev = o
        }
    }
}
