import HEP

/// The per-packet checks every listener applies, as plain functions on a value (no allocation besides the record):
/// size limit, version policy, decode, auth key; then the record is built and the packet joins the batch.
struct PacketGate: Sendable {
    let maxPacketSize: Int
    let authKey: String?
    let hep: HEPOptions

    init(_ options: IngestOptions) {
        maxPacketSize = options.maxPacketSize
        authKey = options.authKey
        var hep = options.hep
        hep.hepv2Enabled = options.hepv2Enabled
        self.hep = hep
    }

    /// Checks and decodes one packet; on success appends it to `batch` and returns nil, else returns the drop label
    /// (a `DropReason` raw value or the HEP decoder's reason).
    @inline(__always)
    func admit(_ bytes: UnsafeRawBufferPointer, transport: HEPTransport, receivedAt: Int64,
               into batch: inout IngestBatch) -> String? {
        if bytes.count > maxPacketSize { return DropReason.oversized.rawValue }
        if let first = bytes.first, first == 1 || first == 2 {
            // HEPv1/v2 exist on UDP only (they carry no length for stream framing).
            if transport != .udp || !hep.hepv2Enabled { return DropReason.hepv2Disabled.rawValue }
        }
        let packet: HEPPacket
        do {
            packet = try HEPDecoder.decode(bytes, options: hep)
        } catch {
            return error.reason.rawValue
        }
        if let authKey, packet.authKey != authKey { return DropReason.authFailed.rawValue }
        let record = HEPRecord(packet: packet, receivedAt: receivedAt, options: hep)
        batch.append(record, raw: bytes, receivedAt: receivedAt, transport: transport)
        return nil
    }

    /// Decodes a packet read back from the spool (it passed every check when it was accepted).
    func redecode(_ packet: SpooledPacket) throws(HEPError) -> HEPRecord {
        let decoded = try HEPDecoder.decode(packet.bytes, options: hep)
        return HEPRecord(packet: decoded, receivedAt: packet.receivedAt, options: hep)
    }
}
