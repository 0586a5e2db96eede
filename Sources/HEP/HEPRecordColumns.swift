/// Every column of a batch of `HEPRecord`s, Arrow-style, built in ONE pass over the records: what a columnar writer
/// (the lake's Parquet files) needs, without a `String` or a copy of a record per value.
///
/// Why one pass: building column by column re-read each record and its payload once per column (15 text columns),
/// and a batch's payloads (MiBs) do not stay in cache between passes; here each record and the payload bytes its
/// columns come from are touched once, while hot. The lake writer `append`s each incoming batch right after it was
/// decoded (records still in cache, released at once), then sorts a permutation and `gathered` the rows at flush
/// time. `init(_:order:)` builds straight in a given order from several record arrays.
public struct HEPRecordColumns: Sendable, Equatable {
    /// A byte-array column: the values' bytes back to back, `offsets` (rows + 1 entries, `offsets[0] = 0`), and
    /// `validity`: one flag per row once some row is null (a null row has an empty value), EMPTY while no row is
    /// (most columns: one append per value saved).
    public struct Bytes: Sendable, Equatable {
        public var data: [UInt8] = []
        public var offsets: [Int32] = [0]
        public var validity: [Bool] = []
        /// Rows that are not null.
        public var nonNull = 0

        init(rows: Int, bytesPerRow: Int) {
            data.reserveCapacity(rows * bytesPerRow)
            offsets.reserveCapacity(rows + 1)
        }

        /// An empty column.
        public init() {}

        /// Appends all rows of `other`.
        mutating func append(contentsOf other: Bytes) {
            let rows = offsets.count - 1, base = Int32(truncatingIfNeeded: data.count)
            if !other.validity.isEmpty || !validity.isEmpty {
                if validity.isEmpty { validity = Array(repeating: true, count: rows) }
                if other.validity.isEmpty {
                    validity.append(contentsOf: repeatElement(true, count: other.offsets.count - 1))
                } else {
                    validity.append(contentsOf: other.validity)
                }
            }
            data.append(contentsOf: other.data)
            offsets.reserveCapacity(offsets.count + other.offsets.count - 1)
            for o in other.offsets.dropFirst() { offsets.append(base &+ o) }
            nonNull += other.nonNull
        }

        /// The rows `order` (indices into this column), in that order.
        public func gathered(_ order: [Int]) -> Bytes {
            var out = Bytes()
            out.offsets.reserveCapacity(order.count + 1)
            var size = 0
            offsets.withUnsafeBufferPointer { o in
                for row in order { size &+= Int(o[row &+ 1] &- o[row]) }
            }
            out.data.reserveCapacity(size)
            data.withUnsafeBufferPointer { d in
                offsets.withUnsafeBufferPointer { o in
                    for row in order {
                        out.data.append(contentsOf: UnsafeBufferPointer(rebasing: d[Int(o[row])..<Int(o[row &+ 1])]))
                        out.offsets.append(Int32(truncatingIfNeeded: out.data.count))
                    }
                }
            }
            if !validity.isEmpty { out.validity = order.map { validity[$0] } }
            out.nonNull = nonNull
            return out
        }

        /// Whether row `row` is not null.
        @inlinable
        public func isValid(_ row: Int) -> Bool { validity.isEmpty || validity[row] }

        @inline(__always)
        mutating func append(_ value: UnsafeBufferPointer<UInt8>) {
            data.append(contentsOf: value)
            offsets.append(Int32(truncatingIfNeeded: data.count))
            if !validity.isEmpty { validity.append(true) }
            nonNull &+= 1
        }

        @inline(__always)
        mutating func appendNull() {
            if validity.isEmpty {
                validity.reserveCapacity(offsets.capacity)
                validity.append(contentsOf: repeatElement(true, count: offsets.count - 1))
            }
            offsets.append(Int32(truncatingIfNeeded: data.count))
            validity.append(false)
        }
    }

    /// A fixed-width column with nulls: `values` has one slot per row (0 in null rows).
    public struct Nullable<T: Sendable & Equatable>: Sendable, Equatable {
        public var values: [T] = []
        public var validity: [Bool] = []
        /// Rows that are not null.
        public var nonNull = 0

        init(rows: Int) {
            values.reserveCapacity(rows)
            validity.reserveCapacity(rows)
        }

        /// An empty column.
        public init() {}

        mutating func append(contentsOf other: Nullable<T>) {
            values.append(contentsOf: other.values)
            validity.append(contentsOf: other.validity)
            nonNull += other.nonNull
        }

        /// The rows `order`, in that order.
        public func gathered(_ order: [Int]) -> Nullable<T> {
            var out = Nullable<T>()
            out.values = order.map { values[$0] }
            out.validity = order.map { validity[$0] }
            out.nonNull = nonNull
            return out
        }

        @inline(__always)
        mutating func append(_ value: T?, zero: T) {
            if let value {
                values.append(value)
                validity.append(true)
                nonNull &+= 1
            } else {
                values.append(zero)
                validity.append(false)
            }
        }
    }

    /// Rows in every column.
    public private(set) var rows = 0
    public var timestamp: [Int64] = []
    public var protoType: [Int32] = []
    public var ipFamily: [Int32] = []
    public var transport: [Int32] = []
    public var srcPort: [Int32] = []
    public var dstPort: [Int32] = []
    public var captureID: [Int64] = []
    public var nodeName: Bytes
    public var vlan: Nullable<Int32>
    public var responseCode: Nullable<Int32>
    public var cseqNumber: Nullable<Int64>
    /// The text columns, indexed by `HEPRecord.TextField.rawValue`; the bytes are what `withUTF8` gives (`sessionID`,
    /// `srcIP` and `dstIP` are never null: "" instead).
    public var text: [Bytes]
    /// Every payload, exact bytes (never null).
    public var payload: Bytes
    /// Rows (ascending) whose payload is not valid UTF-8 (RFC 3629, what DuckDB accepts in a VARCHAR).
    public var invalidUTF8Rows: [Int] = []

    /// No rows.
    public init() {
        nodeName = Bytes()
        vlan = Nullable()
        responseCode = Nullable()
        cseqNumber = Nullable()
        text = (0..<HEPRecordSlots.count).map { _ in Bytes() }
        payload = Bytes()
    }

    /// Appends `records`, in their order. The lake writer calls this as batches arrive, while each record and its
    /// payload are still in cache from decoding, and keeps only the columns (the records are released at once);
    /// the flush then sorts and gathers rows (`gathered`), which reads contiguous column bytes instead of records.
    public mutating func append(_ records: [HEPRecord]) {
        records.withUnsafeBufferPointer { rs in
            guard let base = rs.baseAddress else { return }
            var columns = text
            text = []
            columns.withUnsafeMutableBufferPointer { tp in
                for i in 0..<rs.count { appendRow(base + i, tp) }
            }
            text = columns
        }
    }

    /// Reserves room for `total` rows, extrapolating each byte column's size from the rows already held (+25 %):
    /// the columns of a batch then grow without reallocating and copying (what a buffer of a known batch size
    /// calls after its first append).
    public mutating func reserveCapacity(forRows total: Int) {
        guard rows > 0, total > rows else { return }
        func bytes(_ b: inout Bytes) {
            b.data.reserveCapacity(b.data.count * total / rows * 5 / 4)
            b.offsets.reserveCapacity(total + 1)
            if !b.validity.isEmpty { b.validity.reserveCapacity(total) }
        }
        timestamp.reserveCapacity(total)
        protoType.reserveCapacity(total)
        ipFamily.reserveCapacity(total)
        transport.reserveCapacity(total)
        srcPort.reserveCapacity(total)
        dstPort.reserveCapacity(total)
        captureID.reserveCapacity(total)
        bytes(&nodeName)
        vlan.values.reserveCapacity(total); vlan.validity.reserveCapacity(total)
        responseCode.values.reserveCapacity(total); responseCode.validity.reserveCapacity(total)
        cseqNumber.values.reserveCapacity(total); cseqNumber.validity.reserveCapacity(total)
        for f in text.indices { bytes(&text[f]) }
        bytes(&payload)
    }

    /// Appends every row of `other` (after this one's).
    public mutating func append(contentsOf other: HEPRecordColumns) {
        let base = rows
        rows += other.rows
        timestamp.append(contentsOf: other.timestamp)
        protoType.append(contentsOf: other.protoType)
        ipFamily.append(contentsOf: other.ipFamily)
        transport.append(contentsOf: other.transport)
        srcPort.append(contentsOf: other.srcPort)
        dstPort.append(contentsOf: other.dstPort)
        captureID.append(contentsOf: other.captureID)
        nodeName.append(contentsOf: other.nodeName)
        vlan.append(contentsOf: other.vlan)
        responseCode.append(contentsOf: other.responseCode)
        cseqNumber.append(contentsOf: other.cseqNumber)
        for f in text.indices { text[f].append(contentsOf: other.text[f]) }
        payload.append(contentsOf: other.payload)
        invalidUTF8Rows.append(contentsOf: other.invalidUTF8Rows.map { $0 + base })
    }

    /// The rows `order` (a permutation, or any selection, of `0..<rows`), in that order.
    public func gathered(_ order: [Int]) -> HEPRecordColumns {
        var out = HEPRecordColumns()
        out.rows = order.count
        out.timestamp = order.map { timestamp[$0] }
        out.protoType = order.map { protoType[$0] }
        out.ipFamily = order.map { ipFamily[$0] }
        out.transport = order.map { transport[$0] }
        out.srcPort = order.map { srcPort[$0] }
        out.dstPort = order.map { dstPort[$0] }
        out.captureID = order.map { captureID[$0] }
        out.nodeName = nodeName.gathered(order)
        out.vlan = vlan.gathered(order)
        out.responseCode = responseCode.gathered(order)
        out.cseqNumber = cseqNumber.gathered(order)
        out.text = text.map { $0.gathered(order) }
        out.payload = payload.gathered(order)
        if !invalidUTF8Rows.isEmpty {
            var invalid = [Bool](repeating: false, count: rows)
            for r in invalidUTF8Rows { invalid[r] = true }
            out.invalidUTF8Rows = order.indices.filter { invalid[order[$0]] }
        }
        // `nonNull` counts hold for a permutation; recount for a selection.
        if order.count != rows {
            out.nodeName.nonNull = (0..<order.count).count { out.nodeName.isValid($0) }
            for f in out.text.indices { out.text[f].nonNull = (0..<order.count).count { out.text[f].isValid($0) } }
            out.payload.nonNull = order.count
            out.vlan.nonNull = out.vlan.validity.count { $0 }
            out.responseCode.nonNull = out.responseCode.validity.count { $0 }
            out.cseqNumber.nonNull = out.cseqNumber.validity.count { $0 }
        }
        return out
    }

    /// Builds the columns of `chunks[c][i]` for each `c << 32 | i` of `order`, in that order. An entry outside the
    /// chunks is skipped (the caller builds `order` from the same chunks, so this never happens).
    public init(_ chunks: [[HEPRecord]], order: [UInt64]) {
        let n = order.count
        timestamp.reserveCapacity(n)
        protoType.reserveCapacity(n)
        ipFamily.reserveCapacity(n)
        transport.reserveCapacity(n)
        srcPort.reserveCapacity(n)
        dstPort.reserveCapacity(n)
        captureID.reserveCapacity(n)
        nodeName = Bytes(rows: n, bytesPerRow: 0)
        vlan = Nullable(rows: n)
        responseCode = Nullable(rows: n)
        cseqNumber = Nullable(rows: n)
        text = (0..<HEPRecordSlots.count).map { _ in Bytes(rows: n, bytesPerRow: 16) }
        payload = Bytes(rows: n, bytesPerRow: 0)
        // Records are reached through pointers: `chunks[c][i]` as an argument made the optimiser copy each record
        // (a retain and release of its payload and strings).
        chunks.withUnsafeBufferPointer { cs in
            guard let chunkBase = cs.baseAddress else { return }
            var payloadBytes = 0
            for c in 0..<cs.count {
                (chunkBase + c).pointee.withUnsafeBufferPointer { rs in
                    for i in 0..<rs.count { payloadBytes &+= rs[i]._payload.count }
                }
            }
            payload.data.reserveCapacity(payloadBytes)
            // The text columns are moved out of `self` and reached through a pointer: no uniqueness check of the
            // outer array per value.
            var columns = text
            text = []
            columns.withUnsafeMutableBufferPointer { tp in
                for key in order {
                    let c = Int(truncatingIfNeeded: key >> 32), i = Int(truncatingIfNeeded: key & 0xffff_ffff)
                    guard c < cs.count else { continue }
                    (chunkBase + c).pointee.withUnsafeBufferPointer { rs in
                        guard i < rs.count, let base = rs.baseAddress else { return }
                        appendRow(base + i, tp)
                    }
                }
            }
            text = columns
        }
    }

    /// Appends one record to every column, reading it in place.
    private mutating func appendRow(_ r: UnsafePointer<HEPRecord>, _ text: UnsafeMutableBufferPointer<Bytes>) {
        rows &+= 1
        timestamp.append(r.pointee.timestamp)
        protoType.append(r.pointee.protoType)
        ipFamily.append(r.pointee.ipFamily)
        transport.append(r.pointee.transport)
        srcPort.append(r.pointee.srcPort)
        dstPort.append(r.pointee.dstPort)
        captureID.append(r.pointee.captureID)
        vlan.append(r.pointee.vlan, zero: 0)
        responseCode.append(r.pointee.responseCode, zero: 0)
        cseqNumber.append(r.pointee.cseqNumber, zero: 0)
        if var name = r.pointee.nodeName {
            name.withUTF8 { nodeName.append($0) }
        } else {
            nodeName.appendNull()
        }
        let slots = r.pointee._slots
        r.pointee._payload.withUnsafeBufferPointer { p in
            for slot in 0..<HEPRecordSlots.count {
                switch slots.kind(slot) {
                case .span:
                    let (lo, hi) = slots.span(slot)
                    if lo <= hi, hi <= p.count {
                        let s = UnsafeBufferPointer(rebasing: p[lo..<hi])
                        if SIPFieldStrings.isPlainText(s) {
                            text[slot].append(s)
                            continue
                        }
                    }
                case .address:
                    if let a = slot == HEPRecord.TextField.srcIP.rawValue ? r.pointee._srcAddress : r.pointee._dstAddress {
                        a.withText { text[slot].append($0!) }
                        continue
                    }
                case .none:
                    if slot == HEPRecord.TextField.sessionID.rawValue || slot >= HEPRecord.TextField.srcIP.rawValue {
                        text[slot].append(UnsafeBufferPointer(start: nil, count: 0))
                    } else {
                        text[slot].appendNull()
                    }
                    continue
                default:
                    break
                }
                // Folded header values, non-ASCII text, explicit strings, the HEP correlation id: the exact
                // `withUTF8` bytes through a `String` (rare on the capture path).
                HEPRecord.withUTF8Slow(slot, slots, r.pointee._payload, r.pointee._strings, r.pointee._hepCorrelationID) { v in
                    if let v { text[slot].append(v) } else { text[slot].appendNull() }
                }
            }
            if !UTF8Validation.isValid(p) { invalidUTF8Rows.append(rows &- 1) }
            payload.append(p)
        }
    }
}
