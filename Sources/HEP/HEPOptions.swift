/// Options of the HEP module (decoder and SIP field extraction).
public struct HEPOptions: Sendable, Equatable {
    /// SIP headers whose value is the A-leg Call-ID of a B-leg (correlation of the two legs of a call through a B2BUA).
    /// The first one present becomes `HEPRecord.correlationID`. Matched case-insensitively.
    /// Default `["X-CID"]` (HOMER convention). More names cost one comparison per header line each.
    public var aLegHeaders: [String] = ["X-CID"] {
        didSet {
            aLegNamesLower = Self.lowered(aLegHeaders)
            aLegLengthMask = Self.lengthMask(aLegNamesLower)
            (aLegFirstMask, aLegOddFirst) = Self.firstMask(aLegNamesLower)
        }
    }

    /// `aLegHeaders` as lower-case UTF-8, computed once so the per-packet SIP parse does not allocate.
    private(set) var aLegNamesLower: [[UInt8]] = [Array("x-cid".utf8)]

    /// Bit n set when some A-leg name has n bytes (names of 64 bytes or more are never matched).
    private(set) var aLegLengthMask: UInt64 = 1 << 5

    /// Bit (c − 0x40) set when some A-leg name starts with the byte c (0x40…0x7f, lower case), and whether some name
    /// starts with another byte (which turns the SIP parser's first-letter shortcut off). Computed once, so the
    /// per-packet parse never walks the name arrays to set up.
    private(set) var aLegFirstMask: UInt64 = 1 << (0x78 - 0x40)
    private(set) var aLegOddFirst = false

    static func firstMask(_ names: [[UInt8]]) -> (UInt64, Bool) {
        var mask: UInt64 = 0
        var odd = false
        for name in names {
            guard let f = name.first else { continue }
            if f >= 0x40 && f < 0x80 { mask |= 1 << UInt64(f - 0x40) } else { odd = true }
        }
        return (mask, odd)
    }

    static func lengthMask(_ names: [[UInt8]]) -> UInt64 {
        names.reduce(0) { $1.count < 64 ? $0 | 1 << UInt64($1.count) : $0 }
    }

    static func lowered(_ names: [String]) -> [[UInt8]] {
        names.map { $0.utf8.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 } }
    }

    /// Accept legacy HEPv1/v2 packets (first byte 1 or 2). Default `true`, like heplify-server and HOMER 11.
    /// Turn it off when only HEP3 senders exist: a random datagram starting with 0x01/0x02 is then rejected early.
    public var hepv2Enabled: Bool = true

    /// Upper bound for the inflated size of a compressed payload (chunk 0x0010), in bytes. Default 1 MiB.
    /// Protects against decompression bombs; larger payloads are rejected with `.payloadTooLarge`.
    public var maxDecompressedSize: Int = 1 << 20

    /// Parse SIP payloads (protocol type 1) into the SIP columns of `HEPRecord`. Default `true`.
    /// Off saves roughly the SIP parse time per packet when only raw storage is wanted.
    public var extractSIP: Bool = true

    /// Creates options with the defaults documented on each field.
    public init(aLegHeaders: [String] = ["X-CID"], hepv2Enabled: Bool = true, maxDecompressedSize: Int = 1 << 20,
                extractSIP: Bool = true) {
        self.aLegHeaders = aLegHeaders
        self.aLegNamesLower = Self.lowered(aLegHeaders)
        self.aLegLengthMask = Self.lengthMask(aLegNamesLower)
        (self.aLegFirstMask, self.aLegOddFirst) = Self.firstMask(aLegNamesLower)
        self.hepv2Enabled = hepv2Enabled
        self.maxDecompressedSize = maxDecompressedSize
        self.extractSIP = extractSIP
    }
}
