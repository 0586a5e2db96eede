import Testing
@testable import HEP

@Test func encodeDecodeMinimal() throws {
    var p = HEPPacket()
    p.payload = Array("OPTIONS sip:a@b SIP/2.0\r\n\r\n".utf8)
    let bytes = HEPEncoder.encode(p)
    #expect(try HEPDecoder.decode(bytes) == p)
}
