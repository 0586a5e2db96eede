import Testing
@testable import HEP

/// `HEPRecordColumns`: every column of records of all shapes (decoded SIP, explicit strings, HEP correlation ids,
/// non-SIP, IPv6, invalid UTF-8 payloads), from several chunks in a shuffled order, against the records' properties.
@Suite struct HEPRecordColumnsTests {
    static func records() -> [HEPRecord] {
        var generator = SIPTrafficGenerator()
        var out: [HEPRecord] = []
        for k in 0..<300 {
            var p = generator.next(timestamp: 1_737_590_000_000_000_000 + Int64(k))
            switch k % 6 {
            case 1: p.correlationID = "corr-\(k)"; p.protoType = 100    // non-SIP: session id = correlation id
            case 2: p.srcAddress = .v6(high: 0x2001_0db8_0000_0000, low: UInt64(k)); p.nodeName = "node-\(k)"
            case 3: p.payload[5] = 0xff                                   // invalid UTF-8 (and an odd byte in the text)
            case 4: p.vlan = UInt16(k)
            default: break
            }
            var r = HEPRecord(packet: p, receivedAt: 7)
            if k % 6 == 5 {
                r.fromUser = "explicit-\u{e9}"   // an explicit string, non-ASCII
                r.toTag = nil
            }
            out.append(r)
        }
        out.append(HEPRecord(timestamp: 3, sessionID: "", protoType: 5, ipFamily: 2, transport: 6, srcIP: "",
                             dstIP: "192.0.2.9", srcPort: 1, dstPort: 2, captureID: 9, payload: []))
        return out
    }

    static func text(_ r: HEPRecord, _ f: HEPRecord.TextField) -> String? {
        switch f {
        case .sessionID: r.sessionID
        case .correlationID: r.correlationID
        case .method: r.method
        case .cseqMethod: r.cseqMethod
        case .fromUser: r.fromUser
        case .fromDomain: r.fromDomain
        case .fromTag: r.fromTag
        case .toUser: r.toUser
        case .toDomain: r.toDomain
        case .toTag: r.toTag
        case .ruriUser: r.ruriUser
        case .ruriDomain: r.ruriDomain
        case .userAgent: r.userAgent
        case .srcIP: r.srcIP
        case .dstIP: r.dstIP
        }
    }

    static func value(_ b: HEPRecordColumns.Bytes, _ row: Int) -> [UInt8]? {
        b.isValid(row) ? Array(b.data[Int(b.offsets[row])..<Int(b.offsets[row + 1])]) : nil
    }

    @Test func columnsEqualTheRecordsInTheGivenOrder() throws {
        let all = Self.records()
        let chunks = [Array(all[0..<100]), [], Array(all[100..<101]), Array(all[101...])]
        var order: [UInt64] = []
        for c in chunks.indices { for i in chunks[c].indices { order.append(UInt64(c) << 32 | UInt64(i)) } }
        var rng = SystemRandomNumberGenerator()
        order.shuffle(using: &rng)
        let cols = HEPRecordColumns(chunks, order: order)
        #expect(cols.rows == all.count)
        var invalid: [Int] = []
        for (row, key) in order.enumerated() {
            let r = chunks[Int(key >> 32)][Int(key & 0xffff_ffff)]
            #expect(cols.timestamp[row] == r.timestamp && cols.protoType[row] == r.protoType
                    && cols.ipFamily[row] == r.ipFamily && cols.transport[row] == r.transport
                    && cols.srcPort[row] == r.srcPort && cols.dstPort[row] == r.dstPort
                    && cols.captureID[row] == r.captureID)
            #expect((cols.vlan.validity[row] ? cols.vlan.values[row] : nil) == r.vlan)
            #expect((cols.responseCode.validity[row] ? cols.responseCode.values[row] : nil) == r.responseCode)
            #expect((cols.cseqNumber.validity[row] ? cols.cseqNumber.values[row] : nil) == r.cseqNumber)
            #expect(Self.value(cols.nodeName, row) == r.nodeName.map { Array($0.utf8) })
            for f in HEPRecord.TextField.allCases {
                #expect(Self.value(cols.text[f.rawValue], row) == Self.text(r, f).map { Array($0.utf8) }, "\(f) row \(row)")
            }
            #expect(Self.value(cols.payload, row) == r.payload)
            if String(validating: r.payload, as: UTF8.self) == nil { invalid.append(row) }
        }
        #expect(cols.invalidUTF8Rows == invalid)
        #expect(!invalid.isEmpty)
        for f in HEPRecord.TextField.allCases {
            let c = cols.text[f.rawValue]
            #expect(c.nonNull == (0..<cols.rows).count { c.isValid($0) })
            #expect(c.validity.isEmpty || c.validity.count == cols.rows)
        }
    }

    /// The validator against the standard library's, on random byte strings rich in UTF-8 lead and continuation
    /// bytes (and long ASCII runs, for the eight-bytes-at-a-time path).
    @Test func utf8ValidationAgreesWithTheStandardLibrary() {
        var rng = SystemRandomNumberGenerator()
        let interesting: [UInt8] = [0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xee,
                                    0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff]
        var invalid = 0
        for k in 0..<20_000 {
            var bytes: [UInt8] = Array(repeating: 0x61, count: Int.random(in: 0..<20, using: &rng))
            for _ in 0..<Int.random(in: 0..<6, using: &rng) {
                bytes.insert(interesting.randomElement(using: &rng)!, at: Int.random(in: 0...bytes.count, using: &rng))
            }
            if k % 3 == 0 { bytes += Array("é😀ж".utf8) }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            let got = bytes.withUnsafeBufferPointer { UTF8Validation.isValid($0) }
            #expect(got == expected, "\(bytes)")
            if !expected { invalid += 1 }
        }
        #expect(invalid > 1000)
    }

    /// Columns appended batch by batch (and two buffers merged) equal the columns built in one go, and a gathered
    /// permutation equals the columns built in that order.
    @Test func appendMergeAndGatherAgree() {
        let all = Self.records()
        let chunks = [Array(all[0..<100]), [], Array(all[100..<101]), Array(all[101...])]
        var identity: [UInt64] = []
        for c in chunks.indices { for i in chunks[c].indices { identity.append(UInt64(c) << 32 | UInt64(i)) } }
        let whole = HEPRecordColumns(chunks, order: identity)
        var appended = HEPRecordColumns()
        for chunk in chunks { appended.append(chunk) }
        #expect(appended == whole)
        var first = HEPRecordColumns(), second = HEPRecordColumns()
        first.append(Array(all[0..<150]))
        second.append(Array(all[150...]))
        first.append(contentsOf: second)
        #expect(first == whole)
        var rng = SystemRandomNumberGenerator()
        let perm = Array(0..<all.count).shuffled(using: &rng)
        let byRows = HEPRecordColumns([all], order: perm.map { UInt64($0) })
        #expect(whole.gathered(perm) == byRows)
        #expect(whole.gathered(Array(0..<all.count)) == whole)
        #expect(!whole.invalidUTF8Rows.isEmpty && whole.gathered(perm).invalidUTF8Rows == byRows.invalidUTF8Rows)
    }
}
