import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One S3 call before signing: the key (nil = the bucket itself), decoded query parameters, extra headers to sign.
struct S3Request: Sendable {
    var method: HTTPMethod
    var key: String?
    var query: [(String, String)] = []
    var headers: [(String, String)] = []
    var body: ByteBuffer?
}

/// What came back: status, headers and the whole body.
struct S3Response: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}

extension S3ObjectStore {
    /// URL, `Host` header and canonical URI of a request, for the configured endpoint and URL style.
    /// Keys are URI-encoded once per SigV4's S3 rule, and the URL carries exactly the encoded path that is signed.
    func target(for request: S3Request) -> (url: String, host: String, canonicalURI: String) {
        let scheme = options.useSSL ? "https" : "http"
        let encodedKey = request.key.map { SigV4Signer.uriEncode(options.prefix + $0, keepSlash: true) }
        let host: String
        let path: String
        switch options.urlStyle {
        case .path:
            host = options.effectiveEndpoint
            path = "/" + SigV4Signer.uriEncode(options.bucket, keepSlash: false) + (encodedKey.map { "/" + $0 } ?? "")
        case .virtualHosted:
            host = options.bucket + "." + options.effectiveEndpoint
            path = "/" + (encodedKey ?? "")
        }
        let query = SigV4Signer.canonicalQuery(request.query)
        return ("\(scheme)://\(host)\(path)" + (query.isEmpty ? "" : "?" + query), host, path)
    }

    /// Signs `request` for `date`: the full header list to send (Host first).
    func signedHeaders(for request: S3Request, host: String, canonicalURI: String, payloadHash: String,
                       date: Date) -> [(String, String)] {
        var toSign: [(String, String)] = [("host", host)]
        toSign += request.headers
        guard let signer else { return toSign }
        let signature = signer.sign(method: request.method.rawValue, canonicalURI: canonicalURI, query: request.query,
                                    headers: toSign, payloadHash: payloadHash, date: date)
        return toSign + signature.headers.map { ($0.name, $0.value) }
    }

    /// Sends a request with retries. Returns 2xx responses (and 206); throws `StorageError` for everything else.
    func send(_ request: S3Request) async throws -> S3Response {
        let (url, host, canonicalURI) = target(for: request)
        let payloadHash = request.body.map { body in
            body.withUnsafeReadableBytes { SigV4Signer.sha256Hex($0) }
        } ?? SigV4Signer.emptyPayloadHash
        var attempt = 0
        while true {
            try Task.checkCancellation()
            var http = HTTPClientRequest(url: url)
            http.method = request.method
            for (name, value) in signedHeaders(for: request, host: host, canonicalURI: canonicalURI,
                                               payloadHash: payloadHash, date: Date()) {
                http.headers.add(name: name, value: value)
            }
            if let body = request.body {
                http.body = .bytes(body)
            } else if request.method == .PUT || request.method == .POST {
                http.body = .bytes(ByteBuffer())  // S3 wants Content-Length: 0 on bodiless PUT/POST
            }
            statistics.requests.add(1, ordering: .relaxed)
            let failure: StorageError
            do {
                let response = try await client.execute(http, timeout: .milliseconds(Int64(options.requestTimeout * 1000)))
                let collected = try await response.body.collect(upTo: Int.max)
                let body = Array(collected.readableBytesView)
                statistics.bytesSent.add(request.body?.readableBytes ?? 0, ordering: .relaxed)
                statistics.bytesReceived.add(body.count, ordering: .relaxed)
                let status = Int(response.status.code)
                // CompleteMultipartUpload can fail after a 200 header: the error then arrives in the body.
                let bodyError = status == 200 && request.method == .POST && body.count < 4096
                    && String(decoding: body, as: UTF8.self).contains("<Error>")
                if (200..<300).contains(status) && !bodyError {
                    return S3Response(status: status, headers: response.headers, body: body)
                }
                failure = Self.error(status: status, body: body, key: request.key)
            } catch let error as CancellationError {
                throw error
            } catch let error as HTTPClientError where Self.isPermanent(error) {
                throw StorageError(.invalidConfiguration, message: "\(error) for \(url)", key: request.key)
            } catch {
                failure = StorageError(.transport, message: "\(request.method) \(url): \(error)", key: request.key)
            }
            guard Self.isRetryable(failure), attempt < options.maxRetries else { throw failure }
            attempt += 1
            statistics.retries.add(1, ordering: .relaxed)
            let delay = backoff(attempt: attempt)
            logger.notice("S3 request failed, retrying", metadata: [
                "method": "\(request.method)", "key": "\(request.key ?? "")", "attempt": "\(attempt)",
                "delay_ms": "\(Int(delay * 1000))", "error": "\(failure)",
            ])
            try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
    }

    /// Full-jitter exponential backoff: a random delay in [0, min(max, base · 2^(attempt-1))].
    func backoff(attempt: Int) -> Double {
        let exponential = options.retryBaseDelay * pow(2, Double(min(attempt - 1, 30)))
        return Double.random(in: 0...max(0, min(options.retryMaxDelay, exponential)))
    }

    /// 5xx, 429 and the S3 codes documented as transient are retried; so are connection failures.
    static func isRetryable(_ error: StorageError) -> Bool {
        if error.reason == .transport { return true }
        guard let status = error.status else { return false }
        if status >= 500 || status == 429 { return true }
        return ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"].contains(error.code ?? "")
    }

    /// Client-side errors that no retry can fix (a malformed URL, a shut-down client).
    static func isPermanent(_ error: HTTPClientError) -> Bool {
        [HTTPClientError.invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown].contains(error)
            || "\(error)".contains("unsupportedScheme")
    }

    /// Maps an error response onto `StorageError`, keeping the S3 `<Code>` and `<Message>`.
    static func error(status: Int, body: [UInt8], key: String?) -> StorageError {
        let xml = Substring(String(decoding: body.prefix(65536), as: UTF8.self))
        let code = S3XML.text("Code", in: xml)
        let message = S3XML.text("Message", in: xml) ?? (body.isEmpty ? "HTTP \(status)" : String(xml.prefix(300)))
        let reason: StorageError.Reason
        switch status {
        case 404: reason = .notFound
        case 401, 403: reason = .accessDenied
        case 416: reason = .invalidRange
        default: reason = .httpStatus
        }
        return StorageError(reason, status: status, code: code, message: message, key: key)
    }
}
