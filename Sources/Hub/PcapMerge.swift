/// Merges classic libpcap files (the `…/pcap` answers of several nodes) into one, ordered by capture time, without
/// duplicate packets. Only the container is touched (global header, record headers); packet bytes are copied as the
/// nodes synthesised them. Format: https://www.tcpdump.org/manpages/pcap-savefile.5.html (magic 0xa1b2c3d4 for
/// microseconds, 0xa1b23c4d for nanoseconds, either byte order).
public enum PcapMerge {
    struct Packet: Hashable {
        var nanoseconds: Int64
        var originalLength: UInt32
        var data: [UInt8]
    }

    struct File {
        var nanosecondResolution: Bool
        var snapLength: UInt32
        var linkType: UInt32
        var packets: [Packet]
    }

    static func read32(_ b: [UInt8], _ at: Int, bigEndian: Bool) -> UInt32 {
        let v = UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
        return bigEndian ? v.byteSwapped : v
    }

    static func parse(_ bytes: [UInt8]) throws(HubError) -> File {
        guard bytes.count >= 24 else { throw HubError(.badPcap, "shorter than a pcap global header") }
        let le = read32(bytes, 0, bigEndian: false)
        let bigEndian: Bool, nano: Bool
        switch le {
        case 0xa1b2_c3d4: (bigEndian, nano) = (false, false)
        case 0xa1b2_3c4d: (bigEndian, nano) = (false, true)
        case 0xd4c3_b2a1: (bigEndian, nano) = (true, false)
        case 0x4d3c_b2a1: (bigEndian, nano) = (true, true)
        default: throw HubError(.badPcap, "not a classic pcap file (magic 0x\(String(le, radix: 16)))")
        }
        let snap = read32(bytes, 16, bigEndian: bigEndian)
        let link = read32(bytes, 20, bigEndian: bigEndian)
        var packets: [Packet] = []
        var at = 24
        while at < bytes.count {
            guard at + 16 <= bytes.count else { throw HubError(.badPcap, "truncated record header at byte \(at)") }
            let sec = Int64(read32(bytes, at, bigEndian: bigEndian))
            let frac = Int64(read32(bytes, at + 4, bigEndian: bigEndian))
            let incl = Int(read32(bytes, at + 8, bigEndian: bigEndian))
            let orig = read32(bytes, at + 12, bigEndian: bigEndian)
            at += 16
            guard incl <= bytes.count - at else { throw HubError(.badPcap, "truncated packet at byte \(at)") }
            packets.append(Packet(nanoseconds: sec * 1_000_000_000 + (nano ? frac : frac * 1000),
                                  originalLength: orig, data: Array(bytes[at..<at + incl])))
            at += incl
        }
        return File(nanosecondResolution: nano, snapLength: snap, linkType: link, packets: packets)
    }

    static func append32(_ v: UInt32, _ out: inout [UInt8]) {
        out.append(UInt8(v & 0xff))
        out.append(UInt8(v >> 8 & 0xff))
        out.append(UInt8(v >> 16 & 0xff))
        out.append(UInt8(v >> 24 & 0xff))
    }

    /// Merges pcap files. All must share the link type (a node synthesises one; mixing would make an unreadable
    /// file). The output is little-endian, nanosecond resolution when any input has it (so no timestamp is rounded),
    /// ordered by time (stable), a packet identical in time and bytes to an earlier one dropped. Empty input → a
    /// header-only Ethernet file.
    public static func merge(_ files: [[UInt8]]) throws(HubError) -> [UInt8] {
        var parsed: [File] = []
        for f in files { parsed.append(try parse(f)) }
        let linkType = parsed.first?.linkType ?? 1
        guard parsed.allSatisfy({ $0.linkType == linkType }) else {
            throw HubError(.badPcap, "nodes returned different link types: \(Set(parsed.map(\.linkType)).sorted())")
        }
        let nano = parsed.contains { $0.nanosecondResolution }
        let snap = parsed.map(\.snapLength).max() ?? 65535
        var all: [Packet] = []
        for f in parsed { all.append(contentsOf: f.packets) }
        let order = all.indices.sorted { all[$0].nanoseconds != all[$1].nanoseconds ? all[$0].nanoseconds < all[$1].nanoseconds : $0 < $1 }
        var out: [UInt8] = []
        append32(nano ? 0xa1b2_3c4d : 0xa1b2_c3d4, &out)
        out.append(contentsOf: [2, 0, 4, 0])  // version 2.4
        append32(0, &out)  // thiszone
        append32(0, &out)  // sigfigs
        append32(snap, &out)
        append32(linkType, &out)
        var seen = Set<Packet>()
        for i in order {
            let p = all[i]
            guard seen.insert(p).inserted else { continue }
            let sec = p.nanoseconds / 1_000_000_000
            let frac = p.nanoseconds % 1_000_000_000
            append32(UInt32(truncatingIfNeeded: sec), &out)
            append32(UInt32(truncatingIfNeeded: nano ? frac : frac / 1000), &out)
            append32(UInt32(p.data.count), &out)
            append32(p.originalLength, &out)
            out.append(contentsOf: p.data)
        }
        return out
    }
}
