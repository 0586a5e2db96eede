/// Encodes `HEPPacket` values as HEPv3 (`shared/research/homer.md` §1.1), whatever version they were decoded from.
///
/// Chunk order: family, protocol, addresses, ports, time, protocol type, capture id (always written, like the spec
/// example), then every optional field that is set, the payload (0x000f, or 0x0010 when compression is asked for)
/// and finally `otherChunks` verbatim.
public enum HEPEncoder {
    /// The largest HEP3 packet: the total length is a 16-bit field.
    public static let maxPacketSize = 65535

    /// Encodes a packet as HEPv3. A packet whose encoding would exceed 65535 bytes has its payload cut to fit (the
    /// total length field cannot express more); use `encodeChecked` to get an error instead.
    public static func encode(_ packet: HEPPacket) -> [UInt8] {
        var p = packet
        let overflow = size(of: p, payloadCount: p.payload.count) - maxPacketSize
        if overflow > 0 { p.payload.removeLast(min(overflow, p.payload.count)) }
        return write(p, payloadChunkType: 0x0f, payload: p.payload)
    }

    /// Encodes a packet as HEPv3; throws `.payloadTooLarge` when it does not fit in 65535 bytes.
    /// With `compressPayload` the payload goes into chunk 0x0010 as a zlib (or gzip) stream.
    public static func encodeChecked(_ packet: HEPPacket, compressPayload: Bool = false,
                                     gzip: Bool = false) throws(HEPError) -> [UInt8] {
        let body = compressPayload ? HEPInflate.deflate(packet.payload, gzip: gzip) : packet.payload
        guard size(of: packet, payloadCount: body.count) <= maxPacketSize else {
            throw HEPError(.payloadTooLarge, "HEP3 packet would exceed 65535 bytes")
        }
        return write(packet, payloadChunkType: compressPayload ? 0x10 : 0x0f, payload: body)
    }

    static func size(of p: HEPPacket, payloadCount: Int) -> Int {
        var n = 6 + 7 + 7 + 8 + 8 + 10 + 10 + 7 + 10
        if let a = p.srcAddress { n += a.family == 2 ? 10 : 22 }
        if let a = p.dstAddress { n += a.family == 2 ? 10 : 22 }
        if p.keepAliveTimer != nil { n += 8 }
        if let s = p.authKey { n += 6 + s.utf8.count }
        if let s = p.correlationID { n += 6 + s.utf8.count }
        if p.vlan != nil { n += 8 }
        if let s = p.nodeName { n += 6 + s.utf8.count }
        if p.srcMAC != nil { n += 14 }
        if p.dstMAC != nil { n += 14 }
        if p.ethernetType != nil { n += 8 }
        if p.tcpFlags != nil { n += 7 }
        if p.ipTOS != nil { n += 7 }
        if p.mos != nil { n += 8 }
        if p.rFactor != nil { n += 8 }
        if let s = p.geoLocation { n += 6 + s.utf8.count }
        if p.jitter != nil { n += 10 }
        if let s = p.transactionType { n += 6 + s.utf8.count }
        if let s = p.payloadJSONKeys { n += 6 + s.utf8.count }
        if let s = p.tagValues { n += 6 + s.utf8.count }
        if p.tagType != nil { n += 8 }
        if p.eventType != nil { n += 8 }
        if let s = p.groupID { n += 6 + s.utf8.count }
        n += 6 + payloadCount
        for c in p.otherChunks { n += 6 + c.value.count }
        return n
    }

    private struct Writer {
        var out: [UInt8]
        mutating func u16(_ v: UInt16) { out.append(UInt8(v >> 8)); out.append(UInt8(truncatingIfNeeded: v)) }
        mutating func u32(_ v: UInt32) { u16(UInt16(v >> 16)); u16(UInt16(truncatingIfNeeded: v)) }
        mutating func u64(_ v: UInt64) { u32(UInt32(v >> 32)); u32(UInt32(truncatingIfNeeded: v)) }
        mutating func header(_ type: UInt16, _ n: Int, vendor: UInt16 = 0) {
            u16(vendor); u16(type); u16(UInt16(truncatingIfNeeded: 6 + n))
        }
        mutating func chunk8(_ type: UInt16, _ v: UInt8) { header(type, 1); out.append(v) }
        mutating func chunk16(_ type: UInt16, _ v: UInt16) { header(type, 2); u16(v) }
        mutating func chunk32(_ type: UInt16, _ v: UInt32) { header(type, 4); u32(v) }
        mutating func chunk64(_ type: UInt16, _ v: UInt64) { header(type, 8); u64(v) }
        mutating func chunkString(_ type: UInt16, _ s: String) {
            var s = s
            s.withUTF8 { u in header(type, u.count); out.append(contentsOf: u) }
        }
        mutating func address(_ a: HEPAddress, v4Type: UInt16, v6Type: UInt16) {
            switch a {
            case .v4(let v): chunk32(v4Type, v)
            case .v6(let hi, let lo): header(v6Type, 16); u64(hi); u64(lo)
            }
        }
    }

    private static func write(_ p: HEPPacket, payloadChunkType: UInt16, payload: [UInt8]) -> [UInt8] {
        let total = size(of: p, payloadCount: payload.count)
        var w = Writer(out: [])
        w.out.reserveCapacity(total)
        w.out.append(contentsOf: [0x48, 0x45, 0x50, 0x33])
        w.u16(UInt16(truncatingIfNeeded: total))
        w.chunk8(0x01, p.ipFamily)
        w.chunk8(0x02, p.ipProtocol)
        if let a = p.srcAddress { w.address(a, v4Type: 0x03, v6Type: 0x05) }
        if let a = p.dstAddress { w.address(a, v4Type: 0x04, v6Type: 0x06) }
        w.chunk16(0x07, p.srcPort)
        w.chunk16(0x08, p.dstPort)
        w.chunk32(0x09, p.timeSeconds)
        w.chunk32(0x0a, p.timeMicroseconds)
        w.chunk8(0x0b, p.protoType)
        w.chunk32(0x0c, p.captureID)
        if let v = p.keepAliveTimer { w.chunk16(0x0d, v) }
        if let s = p.authKey { w.chunkString(0x0e, s) }
        if let s = p.correlationID { w.chunkString(0x11, s) }
        if let v = p.vlan { w.chunk16(0x12, v) }
        if let s = p.nodeName { w.chunkString(0x13, s) }
        if let v = p.srcMAC { w.chunk64(0x14, v) }
        if let v = p.dstMAC { w.chunk64(0x15, v) }
        if let v = p.ethernetType { w.chunk16(0x16, v) }
        if let v = p.tcpFlags { w.chunk8(0x17, v) }
        if let v = p.ipTOS { w.chunk8(0x18, v) }
        if let v = p.mos { w.chunk16(0x20, v) }
        if let v = p.rFactor { w.chunk16(0x21, v) }
        if let s = p.geoLocation { w.chunkString(0x22, s) }
        if let v = p.jitter { w.chunk32(0x23, v) }
        if let s = p.transactionType { w.chunkString(0x24, s) }
        if let s = p.payloadJSONKeys { w.chunkString(0x25, s) }
        if let s = p.tagValues { w.chunkString(0x26, s) }
        if let v = p.tagType { w.chunk16(0x27, v) }
        if let v = p.eventType { w.chunk16(0x28, v) }
        if let s = p.groupID { w.chunkString(0x29, s) }
        w.header(payloadChunkType, payload.count)
        w.out.append(contentsOf: payload)
        for c in p.otherChunks {
            w.header(c.type, c.value.count, vendor: c.vendor)
            w.out.append(contentsOf: c.value)
        }
        return w.out
    }
}
