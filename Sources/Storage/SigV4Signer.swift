import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// AWS Signature Version 4 for S3, written from the AWS "Signature Version 4 signing process" documentation:
/// canonical request → string to sign → HMAC-SHA256 chain `AWS4<secret>` → date → region → service →
/// `aws4_request` → signature, sent in the `Authorization` header.
public struct SigV4Signer: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Temporary-credential token, sent and signed as `x-amz-security-token`.
    public var sessionToken: String?
    public var region: String
    public var service: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, region: String,
                service: String = "s3") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.region = region
        self.service = service
    }

    /// The intermediate values and the headers to add to the request.
    public struct Signature: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        /// Headers to send: `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (if any), `Authorization`.
        public var headers: [(name: String, value: String)]
    }

    /// SHA-256 of an empty payload, the `x-amz-content-sha256` of bodiless requests.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Signs one request.
    /// - Parameters:
    ///   - canonicalURI: the path exactly as sent, already URI-encoded (S3 encodes each key segment once).
    ///   - query: decoded query parameters; they are encoded and sorted here.
    ///   - headers: the headers to sign besides the ones added here (at least `host`; `range` when present).
    ///   - payloadHash: lowercase hex SHA-256 of the body.
    public func sign(method: String, canonicalURI: String, query: [(String, String)], headers: [(String, String)],
                     payloadHash: String, date: Date) -> Signature {
        let amzDate = SigV4Signer.amzDate(date)
        let day = String(amzDate.prefix(8))
        var added: [(name: String, value: String)] = [("x-amz-date", amzDate), ("x-amz-content-sha256", payloadHash)]
        if let sessionToken { added.append(("x-amz-security-token", sessionToken)) }

        // Canonical headers: lowercase names, trimmed values with inner runs of spaces collapsed, sorted by name.
        var all: [(name: String, value: String)] = []
        for (name, value) in headers { all.append((name.lowercased(), SigV4Signer.trimValue(value))) }
        for (name, value) in added { all.append((name, value)) }
        all.sort { $0.name < $1.name }
        var canonicalHeaders = ""
        for header in all { canonicalHeaders += header.name + ":" + header.value + "\n" }
        let signedHeaders = all.map(\.name).joined(separator: ";")

        let canonicalRequest = [method, canonicalURI, SigV4Signer.canonicalQuery(query), canonicalHeaders,
                                signedHeaders, payloadHash].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope,
                            SigV4Signer.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))].joined(separator: "\n")

        var key = SymmetricKey(data: Array(("AWS4" + secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = SigV4Signer.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        added.append(("Authorization", authorization))
        return Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
                         headers: added)
    }

    /// Query string in SigV4 canonical form: every name and value URI-encoded ('/' too), sorted by name then value.
    public static func canonicalQuery(_ query: [(String, String)]) -> String {
        var encoded: [(String, String)] = []
        for (name, value) in query { encoded.append((uriEncode(name, keepSlash: false), uriEncode(value, keepSlash: false))) }
        encoded.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var parts: [String] = []
        for (name, value) in encoded { parts.append(name + "=" + value) }
        return parts.joined(separator: "&")
    }

    /// SigV4 URI encoding: unreserved characters (A-Z a-z 0-9 - _ . ~) stay, every other UTF-8 byte becomes %XX
    /// with uppercase hex; '/' stays only when `keepSlash` (object key paths).
    public static func uriEncode(_ string: String, keepSlash: Bool) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC (ISO 8601 basic format, as `x-amz-date` requires).
    public static func amzDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    /// Lowercase hex of a digest or MAC.
    public static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ digest: SHA256.Digest) -> String { hex(Array(digest)) }
    static func hex(_ mac: HashedAuthenticationCode<SHA256>) -> String { hex(Array(mac)) }

    /// Lowercase hex SHA-256 of a buffer.
    public static func sha256Hex(_ bytes: UnsafeRawBufferPointer) -> String { hex(SHA256.hash(data: bytes)) }

    static func trimValue(_ value: String) -> String {
        var out = ""
        var lastWasSpace = false
        for ch in value.trimmingCharacters(in: .whitespaces) {
            if ch == " " {
                if !lastWasSpace { out.append(ch) }
                lastWasSpace = true
            } else {
                out.append(ch)
                lastWasSpace = false
            }
        }
        return out
    }
}
