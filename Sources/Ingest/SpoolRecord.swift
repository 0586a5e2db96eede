/// The on-disk format of spool segments.
///
/// A segment file starts with the 8-byte header `HSPL` + version (u32 LE, 1), followed by records:
///
/// | size | field |
/// |------|-------|
/// | 4 | payload length n (u32 LE) |
/// | 4 | checksum (u32 LE) of the next 12 header bytes and the payload |
/// | 8 | receive time, ns since the Unix epoch (i64 LE) |
/// | 1 | transport (`HEPTransport` raw value) |
/// | 3 | zero |
/// | n | the HEP packet exactly as received |
///
/// A crash can leave a partly written last record (or, on some file systems, a zero-filled tail). Readers stop at the
/// first record whose length runs past the end, whose checksum differs or whose transport is unknown.
enum SpoolRecord {
    static let headerSize = 20
    static let fileHeader: [UInt8] = Array("HSPL".utf8) + [1, 0, 0, 0]

    /// Appends one framed record to `buffer`.
    static func append(_ packet: UnsafeRawBufferPointer, receivedAt: Int64, transport: HEPTransport,
                       to buffer: inout [UInt8]) {
        let start = buffer.count
        appendLE(UInt32(packet.count), &buffer)
        appendLE(UInt32(0), &buffer)  // checksum, filled below
        appendLE(UInt64(bitPattern: receivedAt), &buffer)
        buffer.append(transport.rawValue)
        buffer.append(0); buffer.append(0); buffer.append(0)
        buffer.append(contentsOf: packet)
        let sum = buffer.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[(start + 8)...])) }
        buffer.withUnsafeMutableBytes { $0.storeBytes(of: sum.littleEndian, toByteOffset: start + 4, as: UInt32.self) }
    }

    /// One decoded record: where its packet bytes are inside the segment buffer.
    struct Entry {
        var receivedAt: Int64
        var transport: HEPTransport
        var packet: Range<Int>
        /// Offset just after this record.
        var end: Int
    }

    /// Reads the record at `offset`; nil when it is incomplete or damaged (the caller stops there).
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Entry? {
        guard offset >= 0, bytes.count - offset >= headerSize else { return nil }
        let n = Int(loadLE(UInt32.self, bytes, offset))
        let end = offset + headerSize + n
        guard end <= bytes.count else { return nil }
        let stored = loadLE(UInt32.self, bytes, offset + 4)
        guard checksum(UnsafeRawBufferPointer(rebasing: bytes[(offset + 8)..<end])) == stored,
              let transport = HEPTransport(rawValue: bytes[offset + 16])
        else { return nil }
        let at = Int64(bitPattern: loadLE(UInt64.self, bytes, offset + 8))
        return Entry(receivedAt: at, transport: transport, packet: (offset + headerSize)..<end, end: end)
    }

    /// A fast 32-bit checksum (8 bytes per step, multiply–rotate mixing). It detects torn and zero-filled writes,
    /// which is all a local crash can produce; it is not meant to resist deliberate tampering. A CRC would cost
    /// ~1 ns/byte without hardware help, which is a large share of the per-packet budget at 400k packets/s.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h = (h << 31) | (h >> 33)
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    static func appendLE<T: FixedWidthInteger>(_ v: T, _ buffer: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) }
    }

    static func loadLE<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawBufferPointer, _ offset: Int) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
