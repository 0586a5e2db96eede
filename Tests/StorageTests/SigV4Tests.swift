import Foundation
import NIOCore
import Testing
import TestSupport
@testable import Storage

@Suite struct SigV4Tests {
    /// AWS documentation, "Signature Calculations for the Authorization Header: Transferring Payload in a Single
    /// Chunk", example "GET Object": published credentials, date and expected signature.
    @Test func matchesTheAWSGetObjectExample() {
        let signer = SigV4Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                 secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
        let signed = signer.sign(method: "GET", canonicalURI: "/test.txt", query: [],
                                 headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
                                 payloadHash: SigV4Signer.emptyPayloadHash, date: date)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        let authorization = signed.headers.first { $0.name == "Authorization" }?.value
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                    + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                    + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.headers.contains { $0.name == "x-amz-date" && $0.value == "20130524T000000Z" })
    }

    /// Virtual-hosted and path style put the bucket in different places; the URL sent must carry exactly the
    /// canonical URI that is signed (keys encoded once, '/' kept, space as %20, UTF-8 bytes as %XX).
    @Test func requestTargetsForBothURLStyles() throws {
        let vhost = try S3ObjectStore(options: S3Options(bucket: "examplebucket", region: "eu-west-1",
                                                         accessKeyID: "AK", secretAccessKey: "SK"),
                                      httpClient: .shared)
        let request = S3Request(method: .GET, key: "photos/my cat ü.jpg", query: [("versionId", "a/b+c")])
        let t = vhost.target(for: request)
        #expect(t.host == "examplebucket.s3.eu-west-1.amazonaws.com")
        #expect(t.canonicalURI == "/photos/my%20cat%20%C3%BC.jpg")
        #expect(t.url == "https://examplebucket.s3.eu-west-1.amazonaws.com/photos/my%20cat%20%C3%BC.jpg?versionId=a%2Fb%2Bc")
        let headers = vhost.signedHeaders(for: request, host: t.host, canonicalURI: t.canonicalURI,
                                          payloadHash: SigV4Signer.emptyPayloadHash, date: Date())
        #expect(headers.first?.0 == "host" && headers.first?.1 == "examplebucket.s3.eu-west-1.amazonaws.com")
        #expect(headers.contains { $0.0 == "Authorization" && $0.1.contains("/eu-west-1/s3/aws4_request") })
        #expect(vhost.target(for: S3Request(method: .GET, key: nil)).canonicalURI == "/")

        let path = try S3ObjectStore(options: S3Options(bucket: "examplebucket", prefix: "lake/", endpoint: "127.0.0.1:9000",
                                                        urlStyle: .path, useSSL: false),
                                     httpClient: .shared)
        let p = path.target(for: request)
        #expect(p.host == "127.0.0.1:9000")
        #expect(p.canonicalURI == "/examplebucket/lake/photos/my%20cat%20%C3%BC.jpg")
        #expect(p.url == "http://127.0.0.1:9000/examplebucket/lake/photos/my%20cat%20%C3%BC.jpg?versionId=a%2Fb%2Bc")
        // Without credentials the request goes out unsigned (public buckets).
        let unsigned = path.signedHeaders(for: request, host: p.host, canonicalURI: p.canonicalURI,
                                          payloadHash: SigV4Signer.emptyPayloadHash, date: Date())
        #expect(!unsigned.contains { $0.0 == "Authorization" })
    }

    /// botocore's signer (an independent implementation) signs the same requests — odd keys, queries, a range,
    /// a body, a session token, both URL styles — and must produce the same Authorization header.
    @Test func agreesWithBotocore() throws {
        let date = Date(timeIntervalSince1970: 1_764_061_277)
        let cases: [(S3Options, S3Request)] = [
            (S3Options(bucket: "homer", prefix: "lake/", region: "us-east-1", accessKeyID: "AKIDEXAMPLE",
                       secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", endpoint: "127.0.0.1:5000",
                       urlStyle: .path, useSSL: false),
             S3Request(method: .GET, key: "main/hep/dir with space/naïve 東京+x=1&y.parquet",
                       headers: [("range", "bytes=100-65635")])),
            (S3Options(bucket: "homer", region: "eu-central-1", accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret",
                       sessionToken: "FQoGZXIvYXdzE//token+with/slashes==", urlStyle: .virtualHosted),
             S3Request(method: .PUT, key: "a/b/c.parquet", query: [("partNumber", "3"), ("uploadId", "x/y+z==")],
                       body: ByteBuffer(string: "hello parquet"))),
            (S3Options(bucket: "homer", region: "us-east-1", accessKeyID: "AK", secretAccessKey: "SK",
                       endpoint: "localhost:9000", urlStyle: .path, useSSL: false),
             S3Request(method: .GET, key: nil, query: [("list-type", "2"), ("prefix", "lake/main/ü €/"),
                                                        ("max-keys", "1000"),
                                                        ("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")])),
            (S3Options(bucket: "homer", region: "us-east-1", accessKeyID: "AK", secretAccessKey: "SK",
                       endpoint: "localhost:9000", urlStyle: .path, useSSL: false),
             S3Request(method: .POST, key: "big file.bin", query: [("uploads", "")])),
        ]
        var requests: [[String: Any]] = []
        var ours: [String] = []
        for (options, request) in cases {
            let store = try S3ObjectStore(options: options, httpClient: .shared)
            let t = store.target(for: request)
            let body = request.body.map { Array($0.readableBytesView) } ?? []
            let hash = body.isEmpty ? SigV4Signer.emptyPayloadHash : body.withUnsafeBytes { SigV4Signer.sha256Hex($0) }
            let headers = store.signedHeaders(for: request, host: t.host, canonicalURI: t.canonicalURI,
                                              payloadHash: hash, date: date)
            ours.append(try #require(headers.first { $0.0 == "Authorization" }?.1))
            var plain: [String: String] = [:]
            for (name, value) in [("host", t.host)] + request.headers { plain[name] = value }
            requests.append(["method": request.method.rawValue, "url": t.url, "headers": plain,
                             "body_hex": body.map { String(format: "%02x", $0) }.joined(),
                             "access_key": options.accessKeyID!, "secret": options.secretAccessKey!,
                             "token": options.sessionToken as Any, "region": options.effectiveRegion,
                             "timestamp": SigV4Signer.amzDate(date)])
        }
        let input = try JSONSerialization.data(withJSONObject: requests)
        let output = try Oracle.runPython("storage_sigv4.py", [], stdin: input)
        let theirs = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String]
        #expect(theirs == ours)
    }
}
