// libFuzzer entry for the HEP decoder and the SIP field extraction.
// Built by fuzz/run.sh together with Sources/HEP/*.swift into one module, so internal API is reachable.

/// Properties checked on every input (a violation traps, which libFuzzer reports as a crash):
/// 1. decoding never traps (the sanitizer catches out-of-bounds reads);
/// 2. a decoded HEP3 packet re-encodes and decodes to the same value (when it still fits in 65535 bytes);
/// 3. SIP extraction of the decoded payload and of the raw input never traps;
/// 4. TCP framing never traps and agrees with the decoder about the total length;
/// 5. every text column read as bytes (`HEPRecord.withUTF8`) equals the UTF-8 of the `String` getter.
@_cdecl("LLVMFuzzerTestOneInput")
public func hepFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    var options = HEPOptions()
    options.maxDecompressedSize = 1 << 16
    options.aLegHeaders = ["X-CID", "i"]
    if let packet = try? HEPDecoder.decode(raw, options: options) {
        let record = HEPRecord(packet: packet, receivedAt: 42, options: options)
        precondition(record.timestamp != 0 || packet.timestampNanoseconds == 0)
        checkBytesEqualStrings(record)
        if packet.version == 3 {
            let length = try? HEPFraming.frameLength(raw)
            precondition(length != nil && length! <= size, "framing disagrees with decoder")
            var plain = packet
            plain.payloadWasCompressed = false
            if let again = try? HEPEncoder.encodeChecked(plain) {
                let back = try? HEPDecoder.decode(again, options: options)
                precondition(back == plain, "encode/decode round trip changed the packet")
            }
        }
    }
    _ = try? HEPFraming.frameLength(raw)
    var sip = HEPPacket()
    sip.protoType = 1
    sip.payload = Array(raw)
    checkBytesEqualStrings(HEPRecord(packet: sip, receivedAt: 1, options: options))
    return 0
}

/// Property 5.
func checkBytesEqualStrings(_ r: HEPRecord) {
    let strings: [String?] = [r.sessionID, r.correlationID, r.method, r.cseqMethod, r.fromUser, r.fromDomain, r.fromTag,
                              r.toUser, r.toDomain, r.toTag, r.ruriUser, r.ruriDomain, r.userAgent, r.srcIP, r.dstIP]
    for field in HEPRecord.TextField.allCases {
        let bytes = r.withUTF8(field) { $0.map(Array.init) }
        precondition(bytes == strings[field.rawValue].map { Array($0.utf8) }, "withUTF8(\(field)) differs from the getter")
    }
}
