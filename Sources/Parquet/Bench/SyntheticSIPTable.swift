/// A deterministic HEP-shaped table for benchmarks: SIP calls (INVITE, 100, 180, 200, ACK, BYE, 200) with realistic
/// ~600-byte payloads, interleaved in time and sorted by timestamp, as a capture server sees them.
public struct SyntheticSIPTable: Sendable {
    /// The schema: timestamp, Call-ID, addresses, ports, method/status, users and the raw payload.
    public static let schema = ParquetSchema(columns: [
        ParquetColumn(name: "ts", type: .timestampMicros, optional: false, fieldID: 1),
        ParquetColumn(name: "call_id", type: .string, optional: false, fieldID: 2),
        ParquetColumn(name: "src_ip", type: .string, optional: false, fieldID: 3),
        ParquetColumn(name: "dst_ip", type: .string, optional: false, fieldID: 4),
        ParquetColumn(name: "src_port", type: .int32, optional: false, fieldID: 5),
        ParquetColumn(name: "dst_port", type: .int32, optional: false, fieldID: 6),
        ParquetColumn(name: "method", type: .string, optional: true, fieldID: 7),
        ParquetColumn(name: "response_code", type: .int32, optional: true, fieldID: 8),
        ParquetColumn(name: "from_user", type: .string, optional: true, fieldID: 9),
        ParquetColumn(name: "to_user", type: .string, optional: true, fieldID: 10),
        ParquetColumn(name: "payload", type: .binary, optional: false, fieldID: 11),
    ])

    /// One batch column per schema column.
    public var columns: [ColumnData]
    /// Number of rows.
    public var rowCount: Int

    private struct Rng {
        var s: UInt64
        mutating func next() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func hex(_ n: Int) -> String {
            let digits = Array("0123456789abcdef")
            return String((0..<n).map { _ in digits[below(16)] })
        }
    }

    private struct Row {
        var ts: Int64, callID: String, src: String, dst: String, sport: Int32, dport: Int32
        var method: String?, code: Int32?, from: String, to: String, payload: [UInt8]
    }

    /// Builds `rows` rows (about 7 per call) starting 2026-01-01, seed-deterministic.
    public init(rows: Int, seed: UInt64 = 1) {
        var rng = Rng(s: seed)
        let proxies = (0..<8).map { "10.0.0.\($0 + 1)" }
        let clients = (0..<400).map { "192.168.\($0 / 200).\($0 % 200 + 2)" }
        let agents = ["Linphone/5.2.0 (belle-sip/5.2.0)", "Asterisk PBX 20.5.0", "FreeSWITCH-mod_sofia/1.10.11",
                      "Zoiper rv2.10.20.0", "Grandstream GXP2170 1.0.11.23", "Kamailio (5.7.4 (x86_64/linux))"]
        let start: Int64 = 1_767_225_600_000_000
        var out: [Row] = []
        out.reserveCapacity(rows + 8)
        var callNo = 0
        while out.count < rows {
            let from = "+4930\(1_000_000 + rng.below(9_000_000))"
            let to = "+4940\(1_000_000 + rng.below(9_000_000))"
            let callID = "\(rng.hex(8))-\(rng.hex(4))-\(rng.hex(4))@\(proxies[callNo % proxies.count])"
            let fromTag = rng.hex(10), toTag = rng.hex(8)
            let client = clients[rng.below(clients.count)], proxy = proxies[rng.below(proxies.count)]
            let cport = Int32(20_000 + rng.below(40_000))
            let agent = agents[rng.below(agents.count)]
            // Calls start uniformly over time (~70 calls/s); messages follow at realistic gaps.
            let t0 = start + Int64(callNo) * 14_000 + Int64(rng.below(14_000))
            let steps: [(String?, Int32?, Int64, Bool)] = [
                ("INVITE", nil, 0, true), (nil, 100, 3_000, false), (nil, 180, 250_000, false),
                (nil, 200, 4_000_000 + Int64(rng.below(8_000_000)), false), ("ACK", nil, 30_000, true),
                ("BYE", nil, 20_000_000 + Int64(rng.below(100_000_000)), true), (nil, 200, 5_000, false),
            ]
            var t = t0
            for (method, code, gap, fromCaller) in steps {
                t += gap
                let cseq = method == "BYE" || (code == 200 && method == nil && t - t0 > 20_000_000) ? 2 : 1
                let cseqMethod = method ?? (cseq == 2 ? "BYE" : "INVITE")
                var text = method.map { "\($0) sip:\(to)@\(proxy):5060 SIP/2.0\r\n" }
                    ?? "SIP/2.0 \(code!) \(code == 100 ? "Trying" : code == 180 ? "Ringing" : "OK")\r\n"
                text += "Via: SIP/2.0/UDP \(client):\(cport);branch=z9hG4bK\(rng.hex(12));rport\r\n"
                text += "Max-Forwards: 70\r\n"
                text += "From: <sip:\(from)@\(proxy)>;tag=\(fromTag)\r\n"
                text += "To: <sip:\(to)@\(proxy)>" + (code == 100 || method == "INVITE" ? "" : ";tag=\(toTag)") + "\r\n"
                text += "Call-ID: \(callID)\r\n"
                text += "CSeq: \(cseq) \(cseqMethod)\r\n"
                text += "Contact: <sip:\(from)@\(client):\(cport);transport=udp>\r\n"
                text += "User-Agent: \(agent)\r\n"
                text += "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\r\n"
                if method == "INVITE" || code == 200 && cseq == 1 {
                    let sdp = "v=0\r\no=- \(rng.below(1 << 30)) \(rng.below(1 << 30)) IN IP4 \(client)\r\ns=call\r\n"
                        + "c=IN IP4 \(client)\r\nt=0 0\r\nm=audio \(10_000 + 2 * rng.below(5000)) RTP/AVP 0 8 101\r\n"
                        + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
                    text += "Content-Type: application/sdp\r\nContent-Length: \(sdp.utf8.count)\r\n\r\n" + sdp
                } else {
                    text += "Content-Length: 0\r\n\r\n"
                }
                let toProxy = fromCaller
                out.append(Row(ts: t, callID: callID, src: toProxy ? client : proxy, dst: toProxy ? proxy : client,
                               sport: toProxy ? cport : 5060, dport: toProxy ? 5060 : cport, method: method, code: code,
                               from: from, to: to, payload: Array(text.utf8)))
            }
            callNo += 1
        }
        out.sort { $0.ts < $1.ts }
        if out.count > rows { out.removeLast(out.count - rows) }
        rowCount = rows
        var payload = ByteArrays()
        payload.reserveCapacity(values: rows, bytes: rows * 620)
        for r in out { payload.append(r.payload) }
        columns = [
            ColumnData(values: .int64(out.map(\.ts))),
            ColumnData(values: .bytes(ByteArrays(out.map(\.callID)))),
            ColumnData(values: .bytes(ByteArrays(out.map(\.src)))),
            ColumnData(values: .bytes(ByteArrays(out.map(\.dst)))),
            ColumnData(values: .int32(out.map(\.sport))),
            ColumnData(values: .int32(out.map(\.dport))),
            ColumnData(values: .bytes(ByteArrays(out.map { $0.method ?? "" })), validity: out.map { $0.method != nil }),
            ColumnData(values: .int32(out.map { $0.code ?? 0 }), validity: out.map { $0.code != nil }),
            ColumnData(values: .bytes(ByteArrays(out.map(\.from)))),
            ColumnData(values: .bytes(ByteArrays(out.map(\.to)))),
            ColumnData(values: .bytes(payload)),
        ]
    }
}
