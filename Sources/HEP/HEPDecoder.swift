/// Decodes HEPv3 (and legacy HEPv1/v2) packets.
///
/// Wire format: `shared/research/homer.md` §1.1 (HEP3 spec REV 37) and §1.2 (v1/v2). The decoder reads straight from
/// the caller's buffer; the only allocations are the payload array and octet-string fields longer than 15 bytes
/// (shorter Swift strings are stored inline).
public enum HEPDecoder {
    /// Decodes one HEP packet with default options (v1/v2 accepted, 1 MiB inflate bound).
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(HEPError) -> HEPPacket {
        try decode(bytes, options: HEPOptions())
    }

    /// Decodes one HEP packet held in an array.
    public static func decode(_ bytes: [UInt8]) throws(HEPError) -> HEPPacket {
        try decode(bytes, options: HEPOptions())
    }

    /// Decodes one HEP packet held in an array, with options.
    public static func decode(_ bytes: [UInt8], options: HEPOptions) throws(HEPError) -> HEPPacket {
        let result: Result<HEPPacket, HEPError> = bytes.withUnsafeBytes { raw in
            do throws(HEPError) { return .success(try decode(raw, options: options)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Decodes one HEP packet. For HEP3 only the first `total length` bytes are read (trailing bytes of a datagram are
    /// ignored, as heplify-server does).
    public static func decode(_ bytes: UnsafeRawBufferPointer, options: HEPOptions) throws(HEPError) -> HEPPacket {
        guard let base = bytes.baseAddress, bytes.count >= 1 else { throw HEPError(.truncated, "empty packet") }
        let first = base.load(as: UInt8.self)
        if first == 1 || first == 2 {
            guard options.hepv2Enabled else { throw HEPError(.unsupportedVersion, "HEPv\(first) disabled") }
            return try decodeLegacy(bytes)
        }
        var packet = HEPPacket()
        try decodeV3(bytes, options: options, into: &packet)
        return packet
    }

    // MARK: HEPv3

    @inline(__always)
    static func be16(_ p: UnsafeRawPointer, _ o: Int) -> UInt16 {
        UInt16(bigEndian: p.loadUnaligned(fromByteOffset: o, as: UInt16.self))
    }

    @inline(__always)
    static func be32(_ p: UnsafeRawPointer, _ o: Int) -> UInt32 {
        UInt32(bigEndian: p.loadUnaligned(fromByteOffset: o, as: UInt32.self))
    }

    @inline(__always)
    static func be64(_ p: UnsafeRawPointer, _ o: Int) -> UInt64 {
        UInt64(bigEndian: p.loadUnaligned(fromByteOffset: o, as: UInt64.self))
    }

    /// "HEP3" and "EEP3" as big-endian 32-bit words.
    static let magicHEP3: UInt32 = 0x4845_5033
    static let magicEEP3: UInt32 = 0x4545_5033

    @inline(__always)
    static func string(_ p: UnsafeRawPointer, _ o: Int, _ n: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: (p + o).assumingMemoryBound(to: UInt8.self), count: n),
               as: UTF8.self)
    }

    @inline(__always)
    static func sizeError(_ type: UInt16, _ size: Int, _ expected: Int) -> HEPError {
        HEPError(.badChunkSize, "chunk 0x\(String(type, radix: 16)) has \(size) bytes, expected \(expected)")
    }

    /// Fills `packet` (a fresh value) in place: returning a local instead made the optimiser copy the whole struct
    /// (one retain/release per reference field) on every packet.
    static func decodeV3(_ bytes: UnsafeRawBufferPointer, options: HEPOptions,
                         into packet: inout HEPPacket) throws(HEPError) {
        guard bytes.count >= 6, let p = bytes.baseAddress else {
            throw HEPError(.truncated, "\(bytes.count) bytes, a HEP3 header needs 6")
        }
        let magic = be32(p, 0)
        guard magic == magicHEP3 || magic == magicEEP3 else { throw HEPError(.badMagic, "not HEP3/EEP3") }
        let total = Int(be16(p, 4))
        guard total >= 6 else { throw HEPError(.badLength, "total length \(total) < 6") }
        guard total <= bytes.count else {
            throw HEPError(.badLength, "total length \(total) > \(bytes.count) bytes received")
        }
        var offset = 6
        var payloadFound = false
        var compressedStart = -1, compressedCount = 0
        while offset < total {
            guard total - offset >= 6 else {
                throw HEPError(.badChunkLength, "\(total - offset) trailing bytes at \(offset) cannot hold a chunk header")
            }
            let vendor = be16(p, offset)
            let type = be16(p, offset + 2)
            let length = Int(be16(p, offset + 4))
            guard length >= 6, length <= total - offset else {
                throw HEPError(.badChunkLength, "chunk 0x\(String(type, radix: 16)) at \(offset) has length \(length)")
            }
            let o = offset + 6
            let n = length - 6
            offset += length
            if vendor != 0 {
                packet.otherChunks.append(HEPChunk(vendor: vendor, type: type, value: Array(UnsafeRawBufferPointer(start: p + o, count: n))))
                continue
            }
            switch type {
            case 0x01:
                guard n == 1 else { throw sizeError(type, n, 1) }
                packet.ipFamily = p.load(fromByteOffset: o, as: UInt8.self)
            case 0x02:
                guard n == 1 else { throw sizeError(type, n, 1) }
                packet.ipProtocol = p.load(fromByteOffset: o, as: UInt8.self)
            case 0x03:
                guard n == 4 else { throw sizeError(type, n, 4) }
                packet.srcAddress = .v4(be32(p, o))
            case 0x04:
                guard n == 4 else { throw sizeError(type, n, 4) }
                packet.dstAddress = .v4(be32(p, o))
            case 0x05:
                guard n == 16 else { throw sizeError(type, n, 16) }
                packet.srcAddress = .v6(high: be64(p, o), low: be64(p, o + 8))
            case 0x06:
                guard n == 16 else { throw sizeError(type, n, 16) }
                packet.dstAddress = .v6(high: be64(p, o), low: be64(p, o + 8))
            case 0x07:
                guard n == 2 else { throw sizeError(type, n, 2) }
                packet.srcPort = be16(p, o)
            case 0x08:
                guard n == 2 else { throw sizeError(type, n, 2) }
                packet.dstPort = be16(p, o)
            case 0x09:
                guard n == 4 else { throw sizeError(type, n, 4) }
                packet.timeSeconds = be32(p, o)
            case 0x0a:
                guard n == 4 else { throw sizeError(type, n, 4) }
                packet.timeMicroseconds = be32(p, o)
            case 0x0b:
                guard n == 1 else { throw sizeError(type, n, 1) }
                packet.protoType = p.load(fromByteOffset: o, as: UInt8.self)
            case 0x0c:
                guard n == 4 else { throw sizeError(type, n, 4) }
                packet.captureID = be32(p, o)
            case 0x0d:
                guard n == 2 else { throw sizeError(type, n, 2) }
                packet.keepAliveTimer = be16(p, o)
            case 0x0e:
                packet.authKey = string(p, o, n)
            case 0x0f:
                packet.payload = Array(UnsafeRawBufferPointer(start: p + o, count: n))
                packet.payloadWasCompressed = false
                payloadFound = true
            case 0x10:
                compressedStart = o
                compressedCount = n
            case 0x11:
                packet.correlationID = string(p, o, n)
            case 0x12:
                guard n == 2 else { throw sizeError(type, n, 2) }
                packet.vlan = be16(p, o)
            case 0x13:
                packet.nodeName = string(p, o, n)
            case 0x14:
                guard n == 8 else { throw sizeError(type, n, 8) }
                packet.srcMAC = be64(p, o)
            case 0x15:
                guard n == 8 else { throw sizeError(type, n, 8) }
                packet.dstMAC = be64(p, o)
            case 0x16:
                guard n == 2 else { throw sizeError(type, n, 2) }
                packet.ethernetType = be16(p, o)
            case 0x17:
                guard n == 1 else { throw sizeError(type, n, 1) }
                packet.tcpFlags = p.load(fromByteOffset: o, as: UInt8.self)
            case 0x18:
                guard n == 1 else { throw sizeError(type, n, 1) }
                packet.ipTOS = p.load(fromByteOffset: o, as: UInt8.self)
            case 0x20:
                guard n == 2 else { throw sizeError(type, n, 2) }
                packet.mos = be16(p, o)
            case 0x21:
                guard n == 2 else { throw sizeError(type, n, 2) }
                packet.rFactor = be16(p, o)
            case 0x22:
                packet.geoLocation = string(p, o, n)
            case 0x23:
                guard n == 4 else { throw sizeError(type, n, 4) }
                packet.jitter = be32(p, o)
            case 0x24:
                packet.transactionType = string(p, o, n)
            case 0x25:
                packet.payloadJSONKeys = string(p, o, n)
            case 0x26:
                packet.tagValues = string(p, o, n)
            case 0x27:
                guard n == 2 else { throw sizeError(type, n, 2) }
                packet.tagType = be16(p, o)
            case 0x28:
                guard n == 2 else { throw sizeError(type, n, 2) }
                packet.eventType = be16(p, o)
            case 0x29:
                packet.groupID = string(p, o, n)
            default:
                // Reserved (0x0019–0x001f) and future generic types: skip by length, keep verbatim.
                packet.otherChunks.append(HEPChunk(vendor: vendor, type: type, value: Array(UnsafeRawBufferPointer(start: p + o, count: n))))
            }
        }
        if !payloadFound {
            guard compressedStart >= 0 else { throw HEPError(.missingPayload, "no chunk 0x000f or 0x0010") }
            packet.payload = try HEPInflate.inflate(UnsafeRawBufferPointer(start: p + compressedStart, count: compressedCount),
                                                    limit: options.maxDecompressedSize)
            packet.payloadWasCompressed = true
        }
    }

    // MARK: HEPv1 / HEPv2

    /// HEPv1/v2 (§1.2): `hep_hdr` (8 bytes: version, header length, family, protocol, sport, dport — ports in network
    /// order), then the source and destination address (2×4 or 2×16 bytes), then for v2 `hep_timehdr`
    /// (tv_sec u32, tv_usec u32, captid u16 and 2 padding bytes — written in the sender's host order, little-endian on
    /// every x86 sender, which is how the sipcapture Wireshark dissector reads them), then the SIP payload.
    /// The header-length byte is not trusted: senders disagree on whether it includes the addresses.
    static func decodeLegacy(_ bytes: UnsafeRawBufferPointer) throws(HEPError) -> HEPPacket {
        guard bytes.count >= 8, let p = bytes.baseAddress else {
            throw HEPError(.truncated, "\(bytes.count) bytes, a HEPv1/v2 header needs 8")
        }
        let version = p.load(as: UInt8.self)
        let family = p.load(fromByteOffset: 2, as: UInt8.self)
        var packet = HEPPacket()
        packet.version = version
        packet.ipFamily = family
        packet.ipProtocol = p.load(fromByteOffset: 3, as: UInt8.self)
        packet.srcPort = be16(p, 4)
        packet.dstPort = be16(p, 6)
        packet.protoType = 1 // v1/v2 carry SIP only
        var offset = 8
        switch family {
        case 2:
            guard bytes.count >= offset + 8 else { throw HEPError(.truncated, "HEPv\(version) IPv4 header truncated") }
            packet.srcAddress = .v4(be32(p, offset))
            packet.dstAddress = .v4(be32(p, offset + 4))
            offset += 8
        case 10:
            guard bytes.count >= offset + 32 else { throw HEPError(.truncated, "HEPv\(version) IPv6 header truncated") }
            packet.srcAddress = .v6(high: be64(p, offset), low: be64(p, offset + 8))
            packet.dstAddress = .v6(high: be64(p, offset + 16), low: be64(p, offset + 24))
            offset += 32
        default:
            throw HEPError(.unsupportedVersion, "HEPv\(version) with address family \(family)")
        }
        if version == 2 {
            guard bytes.count >= offset + 12 else { throw HEPError(.truncated, "HEPv2 time header truncated") }
            packet.timeSeconds = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            packet.timeMicroseconds = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            packet.captureID = UInt32(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset + 8, as: UInt16.self)))
            offset += 12
        }
        guard bytes.count > offset else { throw HEPError(.missingPayload, "HEPv\(version) packet without payload") }
        packet.payload = Array(UnsafeRawBufferPointer(start: p + offset, count: bytes.count - offset))
        return packet
    }
}
