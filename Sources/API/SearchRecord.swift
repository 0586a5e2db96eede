/// One row of the lake table `main.hep_messages` as the API returns it: one HEP message with its SIP fields.
/// Property names are the lake's column names in camelCase; `SearchRecord.columns` lists the snake_case names, which
/// are the JSON keys. Timestamps are nanoseconds since the Unix epoch (the lake keeps microseconds).
public struct SearchRecord: Sendable, Hashable {
    public var timestamp: Int64
    /// `YYYY-MM-DD`, the UTC day of `timestamp` (the lake's partition column).
    public var date: String
    public var sessionID: String
    public var correlationID: String?
    public var protoType: Int32
    public var ipFamily: Int32
    public var transport: Int32
    public var srcIP: String
    public var dstIP: String
    public var srcPort: Int32
    public var dstPort: Int32
    public var captureID: Int64
    public var nodeName: String?
    public var vlan: Int32?
    public var method: String?
    public var responseCode: Int32?
    public var cseqNumber: Int64?
    public var cseqMethod: String?
    public var fromUser: String?
    public var fromDomain: String?
    public var fromTag: String?
    public var toUser: String?
    public var toDomain: String?
    public var toTag: String?
    public var ruriUser: String?
    public var ruriDomain: String?
    public var userAgent: String?
    /// The payload when it is valid UTF-8 (lake column `payload`), else nil.
    public var payload: String?
    /// The exact payload bytes when they are not valid UTF-8 (lake column `payload_bin`), else nil.
    public var payloadBin: [UInt8]?

    public init(timestamp: Int64, date: String? = nil, sessionID: String, correlationID: String? = nil,
                protoType: Int32 = 1, ipFamily: Int32 = 2, transport: Int32 = 17, srcIP: String, dstIP: String,
                srcPort: Int32, dstPort: Int32, captureID: Int64 = 0, nodeName: String? = nil, vlan: Int32? = nil,
                method: String? = nil, responseCode: Int32? = nil, cseqNumber: Int64? = nil, cseqMethod: String? = nil,
                fromUser: String? = nil, fromDomain: String? = nil, fromTag: String? = nil, toUser: String? = nil,
                toDomain: String? = nil, toTag: String? = nil, ruriUser: String? = nil, ruriDomain: String? = nil,
                userAgent: String? = nil, payload: String? = nil, payloadBin: [UInt8]? = nil) {
        self.timestamp = timestamp
        self.date = date ?? RFC3339.date(timestamp)
        self.sessionID = sessionID
        self.correlationID = correlationID
        self.protoType = protoType
        self.ipFamily = ipFamily
        self.transport = transport
        self.srcIP = srcIP
        self.dstIP = dstIP
        self.srcPort = srcPort
        self.dstPort = dstPort
        self.captureID = captureID
        self.nodeName = nodeName
        self.vlan = vlan
        self.method = method
        self.responseCode = responseCode
        self.cseqNumber = cseqNumber
        self.cseqMethod = cseqMethod
        self.fromUser = fromUser
        self.fromDomain = fromDomain
        self.fromTag = fromTag
        self.toUser = toUser
        self.toDomain = toDomain
        self.toTag = toTag
        self.ruriUser = ruriUser
        self.ruriDomain = ruriDomain
        self.userAgent = userAgent
        self.payload = payload
        self.payloadBin = payloadBin
    }

    /// The JSON keys of a record, in output order (= the lake's column names).
    public static let columns: [String] = [
        "timestamp", "date", "session_id", "correlation_id", "proto_type", "ip_family", "transport", "src_ip",
        "dst_ip", "src_port", "dst_port", "capture_id", "node_name", "vlan", "method", "response_code", "cseq_number",
        "cseq_method", "from_user", "from_domain", "from_tag", "to_user", "to_domain", "to_tag", "ruri_user",
        "ruri_domain", "user_agent", "payload", "payload_bin",
    ]

    /// The payload bytes whichever column holds them.
    public var payloadBytes: [UInt8] {
        if let payloadBin { return payloadBin }
        return Array((payload ?? "").utf8)
    }

    /// Writes the record as one JSON object with every column (nulls explicit), `payload_bin` in base64.
    public func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("timestamp", timestamp)
        json.field("date", date)
        json.field("session_id", sessionID)
        json.field("correlation_id", correlationID)
        json.field("proto_type", Int64(protoType))
        json.field("ip_family", Int64(ipFamily))
        json.field("transport", Int64(transport))
        json.field("src_ip", srcIP)
        json.field("dst_ip", dstIP)
        json.field("src_port", Int64(srcPort))
        json.field("dst_port", Int64(dstPort))
        json.field("capture_id", captureID)
        json.field("node_name", nodeName)
        json.field("vlan", vlan)
        json.field("method", method)
        json.field("response_code", responseCode)
        json.field("cseq_number", cseqNumber)
        json.field("cseq_method", cseqMethod)
        json.field("from_user", fromUser)
        json.field("from_domain", fromDomain)
        json.field("from_tag", fromTag)
        json.field("to_user", toUser)
        json.field("to_domain", toDomain)
        json.field("to_tag", toTag)
        json.field("ruri_user", ruriUser)
        json.field("ruri_domain", ruriDomain)
        json.field("user_agent", userAgent)
        json.field("payload", payload)
        json.field("payload_bin", payloadBin.map(Base64.encode))
        json.endObject()
    }

    /// Reads a record back from its JSON object (what `write(to:)` produced): the `homer query --url` client.
    public init(json: JSONValue) throws(APIError) {
        guard case .object(let o) = json else { throw APIError(.transport, "record is not a JSON object") }
        func str(_ k: String) -> String? { if case .string(let s)? = o[k] { s } else { nil } }
        func int(_ k: String) -> Int64? { if case .integer(let i)? = o[k] { i } else { nil } }
        func i32(_ k: String) -> Int32? { int(k).flatMap { Int32(exactly: $0) } }
        guard let ts = int("timestamp") else { throw APIError(.transport, "record without timestamp") }
        self.init(timestamp: ts, date: str("date"), sessionID: str("session_id") ?? "",
                  correlationID: str("correlation_id"), protoType: i32("proto_type") ?? 0,
                  ipFamily: i32("ip_family") ?? 0, transport: i32("transport") ?? 0, srcIP: str("src_ip") ?? "",
                  dstIP: str("dst_ip") ?? "", srcPort: i32("src_port") ?? 0, dstPort: i32("dst_port") ?? 0,
                  captureID: int("capture_id") ?? 0, nodeName: str("node_name"), vlan: i32("vlan"),
                  method: str("method"), responseCode: i32("response_code"), cseqNumber: int("cseq_number"),
                  cseqMethod: str("cseq_method"), fromUser: str("from_user"), fromDomain: str("from_domain"),
                  fromTag: str("from_tag"), toUser: str("to_user"), toDomain: str("to_domain"), toTag: str("to_tag"),
                  ruriUser: str("ruri_user"), ruriDomain: str("ruri_domain"), userAgent: str("user_agent"),
                  payload: str("payload"), payloadBin: str("payload_bin").flatMap(Base64.decode))
    }
}

/// RFC 4648 §4 base64 with padding, for `payload_bin`.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], alphabet[Int(v & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let v = UInt32(bytes[i]) << 16
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], 61, 61]
        } else if rest == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], 61]
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            let v: UInt32
            switch c {
            case 65...90: v = UInt32(c - 65)
            case 97...122: v = UInt32(c - 71)
            case 48...57: v = UInt32(c + 4)
            case 43: v = 62
            case 47: v = 63
            case 61: continue
            default: return nil
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(acc >> UInt32(bits) & 0xFF))
            }
        }
        return out
    }
}
