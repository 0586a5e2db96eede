/// Framing of HEP3 packets in a TCP/TLS byte stream (back-to-back packets, each self-delimited by its total length,
/// `shared/research/homer.md` §1.1 transport notes).
public enum HEPFraming {
    /// For a TCP stream: total length of the HEP3 packet starting at `bytes[0]`, nil if fewer than 6 bytes are
    /// available; throws `HEPError` (`.badMagic`, `.badLength`) when the bytes cannot start a HEP3 packet.
    /// The caller compares the result with its maximum packet size and waits until that many bytes are buffered.
    public static func frameLength(_ bytes: UnsafeRawBufferPointer) throws(HEPError) -> Int? {
        guard bytes.count >= 6, let p = bytes.baseAddress else {
            // Reject early when even the first bytes cannot be a magic prefix, so a garbage stream fails fast.
            let magic: [UInt8] = [0x48, 0x45, 0x50, 0x33]
            let eep: [UInt8] = [0x45, 0x45, 0x50, 0x33]
            for i in 0..<min(bytes.count, 4) where bytes[i] != magic[i] && bytes[i] != eep[i] {
                throw HEPError(.badMagic, "stream does not start with HEP3")
            }
            return nil
        }
        let magic = HEPDecoder.be32(p, 0)
        guard magic == HEPDecoder.magicHEP3 || magic == HEPDecoder.magicEEP3 else {
            throw HEPError(.badMagic, "stream does not start with HEP3")
        }
        let total = Int(HEPDecoder.be16(p, 4))
        guard total >= 6 else { throw HEPError(.badLength, "total length \(total) < 6") }
        return total
    }
}
