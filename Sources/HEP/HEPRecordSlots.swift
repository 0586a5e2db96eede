/// Where each text column of a `HEPRecord` lives: nowhere (nil), a byte range of the record's own payload, an
/// explicit string, the HEP correlation id (0x0011) or one of the two decoded addresses.
///
/// Why a trivial struct: a record built from a packet holds no `String` for its SIP columns, only 13 ranges and a
/// 4-bit kind per column, so building, copying and destroying a record touches no reference except the payload
/// (callgrind: building and releasing the old record of 13 enum-wrapped strings cost ≈ 1 500 instructions per packet).
/// Ranges are 2 × UInt32: payloads are ≤ 64 KiB on the wire and ≤ `HEPOptions.maxDecompressedSize` inflated.
@usableFromInline
struct HEPRecordSlots: Sendable {
    /// What a slot holds. Slot numbers are `HEPRecord.TextField` raw values.
    @usableFromInline
    enum Kind: UInt64 {
        /// nil (for `sessionID`, `srcIP`, `dstIP`: the empty string).
        case none = 0
        /// A range of the payload without CR/LF inside.
        case span = 1
        /// A range of a folded header value: CR/LF + whitespace collapse to one space when read (RFC 3261 §7.3.1).
        case foldedSpan = 2
        /// `HEPRecord._strings[slot]`.
        case string = 3
        /// `HEPRecord._hepCorrelationID`.
        case hepCorrelation = 4
        /// The decoded source (slot 13) or destination (slot 14) address, formatted when read.
        case address = 5
    }

    /// Number of slots: 13 text columns + 2 addresses.
    static let count = 15
    /// Slots that have a payload range (the 13 text columns).
    static let spanCount = 13

    /// 4 bits per slot.
    @usableFromInline var kinds: UInt64 = 0
    /// `lower | upper << 32` per text slot.
    @usableFromInline var spans: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                  UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    @inline(__always)
    init() {}

    @inlinable @inline(__always)
    func kind(_ slot: Int) -> Kind {
        Kind(rawValue: (kinds >> UInt64(slot &* 4)) & 0xf) ?? .none
    }

    @inline(__always)
    mutating func setKind(_ slot: Int, _ kind: Kind) {
        let shift = UInt64(slot &* 4)
        kinds = (kinds & ~(0xf << shift)) | (kind.rawValue << shift)
    }

    /// The range of a span slot (meaningful only when its kind is `.span` or `.foldedSpan`).
    @inlinable @inline(__always)
    func span(_ slot: Int) -> (lower: Int, upper: Int) {
        let v = withUnsafeBytes(of: spans) { $0.load(fromByteOffset: slot &* 8, as: UInt64.self) }
        return (Int(truncatingIfNeeded: v & 0xffff_ffff), Int(truncatingIfNeeded: v >> 32))
    }

    /// Stores `payload[lower..<upper]` in a text slot; the caller guarantees `0 ≤ lower ≤ upper < 2³²`.
    @inline(__always)
    mutating func setSpan(_ slot: Int, _ lower: Int, _ upper: Int, folded: Bool) {
        let v = UInt64(truncatingIfNeeded: lower) | UInt64(truncatingIfNeeded: upper) << 32
        withUnsafeMutableBytes(of: &spans) { $0.storeBytes(of: v, toByteOffset: slot &* 8, as: UInt64.self) }
        setKind(slot, folded ? .foldedSpan : .span)
    }
}

/// String conversion helpers of the SIP extraction.
@usableFromInline
enum SIPFieldStrings {
    /// Common methods (exact, case-sensitive as RFC 3261 §7.1 says) map to literals: no UTF-8 validation.
    static func method(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        switch r.count {
        case 3 where same(b, r, "ACK"): return "ACK"
        case 3 where same(b, r, "BYE"): return "BYE"
        case 6 where same(b, r, "INVITE"): return "INVITE"
        case 6 where same(b, r, "CANCEL"): return "CANCEL"
        case 7 where same(b, r, "OPTIONS"): return "OPTIONS"
        case 8 where same(b, r, "REGISTER"): return "REGISTER"
        default: return text(b, r)
        }
    }

    @inline(__always)
    static func same(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ lit: StaticString) -> Bool {
        guard lit.utf8CodeUnitCount == r.count else { return false }
        let l = lit.utf8Start
        for k in 0..<r.count where b[r.lowerBound + k] != l[k] { return false }
        return true
    }

    /// Text of a header value range; folded line breaks (CRLF + WSP) collapse to one space (RFC 3261 §7.3.1).
    /// Invalid UTF-8 becomes U+FFFD (as `String(decoding:as:)` does).
    static func text(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: b[r])
        var folded = false
        for c in slice where c == 0x0d || c == 0x0a { folded = true; break }
        guard folded else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var k = 0
        while k < slice.count {
            let c = slice[k]
            if c == 0x0d || c == 0x0a {
                while out.last == 0x20 || out.last == 0x09 { out.removeLast() }
                var j = k
                while j < slice.count && SIPParser.isWS(slice[j]) { j += 1 }
                out.append(0x20)
                k = j
            } else {
                out.append(c)
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether every byte is printable ASCII or DEL (0x20…0x7f), eight bytes at a time: such bytes are their own
    /// `String`'s UTF-8 and hold no CR/LF to collapse. (A byte below 0x20 makes the subtraction borrow into its high
    /// bit; a false alarm only follows a real one, and either way the caller takes the exact slow path.)
    @inlinable @inline(__always)
    static func isPlainText(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = s.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var k = 0
        var acc: UInt64 = 0
        while k &+ 8 <= s.count {
            let x = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            acc |= x | (x &- 0x2020_2020_2020_2020)
            k &+= 8
        }
        while k < s.count {
            let c = base[k]
            if c < 0x20 || c >= 0x80 { return false }
            k &+= 1
        }
        return acc & 0x8080_8080_8080_8080 == 0
    }
}
