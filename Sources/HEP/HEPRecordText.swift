/// How `HEPRecord` keeps one text column: nothing, a byte range into its own payload (resolved to a `String` only when
/// read), or an explicit string (set by a caller or by the memberwise initialiser).
///
/// Why: building ~14 Swift `String`s per SIP packet (validation, a heap allocation above 15 bytes, a release when the
/// record dies) cost more than decoding and scanning the message together. The spans are 2 × UInt32, so a payload of
/// up to 4 GiB is addressable; HEP packets are ≤ 64 KiB.
@usableFromInline
enum HEPRecordText: Sendable {
    case none
    /// `payload[lower..<upper]`; CR/LF inside (folded lines) collapse to one space when materialised (RFC 3261 §7.3.1).
    case span(UInt32, UInt32)
    /// A request or CSeq method: common ones resolve to literals without UTF-8 validation.
    case methodSpan(UInt32, UInt32)
    case value(String)

    @inline(__always)
    init(_ s: String?) { self = s.map { .value($0) } ?? .none }

    @inline(__always)
    init(_ r: Range<Int>) { self = .span(UInt32(truncatingIfNeeded: r.lowerBound), UInt32(truncatingIfNeeded: r.upperBound)) }

    @inline(__always)
    init(method r: Range<Int>) {
        self = .methodSpan(UInt32(truncatingIfNeeded: r.lowerBound), UInt32(truncatingIfNeeded: r.upperBound))
    }

    /// The string this stands for, reading spans from `payload`.
    func string(_ payload: [UInt8]) -> String? {
        switch self {
        case .none: return nil
        case .value(let s): return s
        case .span(let lo, let hi):
            return payload.withUnsafeBufferPointer { SIPFieldStrings.text($0, Int(lo)..<Int(hi)) }
        case .methodSpan(let lo, let hi):
            return payload.withUnsafeBufferPointer { SIPFieldStrings.method($0, Int(lo)..<Int(hi)) }
        }
    }

    /// Calls `body` with the UTF-8 bytes of the value (nil when absent) without building a `String` when the value is
    /// a plain span of the payload. A folded span (CR/LF inside) is materialised first so the bytes equal the string.
    func withUTF8<R>(_ payload: [UInt8], _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        switch self {
        case .none:
            return try body(nil)
        case .span(let lo, let hi), .methodSpan(let lo, let hi):
            return try payload.withUnsafeBufferPointer { b in
                let slice = UnsafeBufferPointer(rebasing: b[Int(lo)..<Int(hi)])
                for c in slice where c == 0x0d || c == 0x0a {
                    var s = SIPFieldStrings.text(b, Int(lo)..<Int(hi))
                    return try s.withUTF8 { try body($0) }
                }
                return try body(slice)
            }
        case .value(var s):
            return try s.withUTF8 { try body($0) }
        }
    }

    /// This value with any span replaced by its string (used before the payload changes).
    func frozen(_ payload: [UInt8]) -> HEPRecordText {
        switch self {
        case .span, .methodSpan: return HEPRecordText(string(payload))
        default: return self
        }
    }
}

/// How `HEPRecord` keeps an address column: the decoded address (its text is built when read) or an explicit string.
@usableFromInline
enum HEPRecordAddress: Sendable {
    case address(HEPAddress)
    case value(String)

    @inline(__always)
    init(_ a: HEPAddress?) { self = a.map { .address($0) } ?? .value("") }

    var string: String {
        switch self {
        case .address(let a): return a.description
        case .value(let s): return s
        }
    }
}
