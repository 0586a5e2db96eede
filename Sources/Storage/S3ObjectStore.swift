import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An object store on S3 (AWS or any S3-compatible endpoint), on AsyncHTTPClient with hand-written SigV4.
///
/// Keys are relative to `options.prefix` inside `options.bucket`. Every request is retried on 5xx, 429, the S3
/// codes `SlowDown`/`RequestTimeout`/`InternalError` and connection failures, with exponential backoff and full
/// jitter; other 4xx answers fail at once. Call `shutdown()` when done when the store created its own HTTP client.
public final class S3ObjectStore: ObjectStore {
    // Sendable: every stored property is an immutable `let` of a Sendable type.
    public let options: S3Options
    /// Request, retry and byte counters (for metrics, benches and tests).
    public let statistics = S3Statistics()
    let client: HTTPClient
    let ownsClient: Bool
    let signer: SigV4Signer?
    let logger: Logger
    private let isShutDown = Atomic<Bool>(false)

    /// Creates a store. With `httpClient` nil the store creates (and `shutdown()` shuts down) its own client;
    /// a client passed in stays owned by the caller.
    public init(options: S3Options, httpClient: HTTPClient? = nil,
                logger: Logger = Logger(label: "homer.storage.s3")) throws {
        try options.validate()
        self.options = options
        self.logger = logger
        if let key = options.accessKeyID, let secret = options.secretAccessKey {
            signer = SigV4Signer(accessKeyID: key, secretAccessKey: secret, sessionToken: options.sessionToken,
                                 region: options.effectiveRegion)
        } else {
            signer = nil
        }
        if let httpClient {
            client = httpClient
            ownsClient = false
        } else {
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: .milliseconds(Int64(options.connectTimeout * 1000)),
                               read: .milliseconds(Int64(min(options.requestTimeout, 60) * 1000))))
            configuration.decompression = .disabled
            configuration.connectionPool = .init(idleTimeout: .seconds(30),
                                                 concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
            client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            ownsClient = true
        }
    }

    deinit {
        if ownsClient && !isShutDown.load(ordering: .acquiring) {
            // AsyncHTTPClient asserts when a client is released without shutdown; shut it down in the background.
            let client = self.client
            client.shutdown { _ in }
        }
    }

    /// Shuts down the store's own HTTP client (idempotent); does nothing for a client passed in.
    public func shutdown() async throws {
        guard ownsClient, isShutDown.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
            .exchanged else { return }
        try await client.shutdown()
    }

    public var location: String { "s3://\(options.bucket)/\(options.prefix)" }

    // MARK: - ObjectStore

    public func put(_ key: String, data: [UInt8]) async throws {
        try ObjectKey.validate(key)
        _ = try await send(S3Request(method: .PUT, key: key, body: ByteBuffer(bytes: data)))
    }

    public func putFile(_ key: String, from localPath: String) async throws {
        try ObjectKey.validate(key)
        let size = try await Self.localFileSize(localPath)
        if size > options.multipartThreshold {
            try await multipartUpload(key, from: localPath, size: size)
        } else {
            let bytes = try await Self.readLocal(localPath, offset: 0, count: Int(size))
            guard Int64(bytes.count) == size else {
                throw StorageError(.sizeMismatch, message: "\(localPath) changed size while reading", key: key)
            }
            _ = try await send(S3Request(method: .PUT, key: key, body: ByteBuffer(bytes: bytes)))
        }
        // The commit that follows must never name an object that is not all there: check what S3 holds.
        guard let info = try await head(key) else {
            throw StorageError(.notFound, message: "object missing right after upload", key: key)
        }
        guard info.size == size else {
            throw StorageError(.sizeMismatch, message: "stored \(info.size) bytes, local file has \(size)", key: key)
        }
    }

    public func get(_ key: String, range: Range<Int64>?) async throws -> [UInt8] {
        try ObjectKey.validate(key)
        var request = S3Request(method: .GET, key: key)
        if let range {
            if range.isEmpty { return [] }
            guard range.lowerBound >= 0 else {
                throw StorageError(.invalidRange, message: "negative range start", key: key)
            }
            // RFC 9110 §14.1.2: "bytes=first-last", both inclusive.
            request.headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)"))
        }
        let response = try await send(request)
        var body = response.body
        if let range, response.status == 200 {
            // The server ignored Range and sent the whole object: cut the slice ourselves.
            let lower = Int(min(range.lowerBound, Int64(body.count)))
            let upper = Int(min(range.upperBound, Int64(body.count)))
            guard lower < body.count else {
                throw StorageError(.invalidRange, message: "range \(range) outside object of \(body.count) bytes",
                                   key: key)
            }
            body = Array(body[lower..<upper])
        }
        return body
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        try ObjectKey.validate(key)
        do {
            let response = try await send(S3Request(method: .HEAD, key: key))
            guard let length = response.headers.first(name: "content-length").flatMap({ Int64($0) }) else {
                throw StorageError(.badResponse, status: response.status, message: "HEAD without Content-Length",
                                   key: key)
            }
            let modified = response.headers.first(name: "last-modified").flatMap(HTTPDate.parse)
            return ObjectInfo(key: key, size: length, lastModified: modified)
        } catch let error as StorageError where error.reason == .notFound {
            return nil
        }
    }

    public func list(prefix: String) async throws -> [ObjectInfo] {
        var found: [ObjectInfo] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", options.prefix + prefix),
                         ("max-keys", String(options.listPageSize))]
            if let token { query.append(("continuation-token", token)) }
            let response = try await send(S3Request(method: .GET, key: nil, query: query))
            let xml = Substring(String(decoding: response.body, as: UTF8.self))
            for entry in S3XML.elements("Contents", in: xml) {
                guard let fullKey = S3XML.text("Key", in: entry), fullKey.hasPrefix(options.prefix),
                      let size = S3XML.text("Size", in: entry).flatMap({ Int64($0) }) else {
                    throw StorageError(.badResponse, message: "ListObjectsV2 entry without Key/Size: \(entry.prefix(200))")
                }
                let modified = S3XML.text("LastModified", in: entry).flatMap(S3XML.date)
                found.append(ObjectInfo(key: String(fullKey.dropFirst(options.prefix.count)), size: size,
                                        lastModified: modified))
            }
            let truncated = S3XML.text("IsTruncated", in: xml) == "true"
            token = truncated ? S3XML.text("NextContinuationToken", in: xml) : nil
            if truncated && token == nil {
                throw StorageError(.badResponse, message: "truncated ListObjectsV2 page without NextContinuationToken")
            }
        } while token != nil
        return found
    }

    public func delete(_ key: String) async throws {
        try ObjectKey.validate(key)
        do {
            _ = try await send(S3Request(method: .DELETE, key: key))
        } catch let error as StorageError where error.reason == .notFound && error.code != "NoSuchBucket" {
            return  // S3 answers 204 for absent keys; some compatible servers answer 404.
        }
    }

    /// Creates the bucket (with a LocationConstraint outside us-east-1). Succeeds when we already own it.
    public func createBucket() async throws {
        var request = S3Request(method: .PUT, key: nil)
        if options.effectiveRegion != "us-east-1" {
            let xml = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>\(S3XML.escape(options.effectiveRegion))</LocationConstraint>"
                + "</CreateBucketConfiguration>"
            request.body = ByteBuffer(string: xml)
        }
        do {
            _ = try await send(request)
        } catch let error as StorageError where error.code == "BucketAlreadyOwnedByYou" {
            return
        }
    }

    // MARK: - Local file helpers (blocking calls on the NIO thread pool)

    static func localFileSize(_ path: String) async throws -> Int64 {
        try await NIOThreadPool.singleton.runIfActive {
            let fd = try POSIXFile.openRead(path)
            defer { close(fd) }
            return try POSIXFile.fileSize(fd, path: path)
        }
    }

    static func readLocal(_ path: String, offset: Int64, count: Int) async throws -> [UInt8] {
        try await NIOThreadPool.singleton.runIfActive {
            let fd = try POSIXFile.openRead(path)
            defer { close(fd) }
            return try POSIXFile.pread(fd, offset: offset, count: count, path: path)
        }
    }
}

/// Counters of one S3 store. `Atomic` so concurrent requests can bump them without a lock.
public final class S3Statistics: Sendable {
    /// HTTP requests sent, retries included.
    public let requests = Atomic<Int>(0)
    /// Attempts that were retried (a failed attempt followed by another one).
    public let retries = Atomic<Int>(0)
    /// Request body bytes sent and response body bytes received.
    public let bytesSent = Atomic<Int>(0)
    public let bytesReceived = Atomic<Int>(0)

    public init() {}
}

/// RFC 9110 §5.6.7 IMF-fixdate ("Wed, 25 Nov 2026 09:01:17 GMT"), the format of `Last-Modified`.
enum HTTPDate {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let day = Int32(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
              let year = Int32(parts[3]) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int32($0) }
        guard clock.count == 3 else { return nil }
        var t = tm()
        t.tm_year = year - 1900
        t.tm_mon = Int32(monthIndex)
        t.tm_mday = day
        t.tm_hour = clock[0]
        t.tm_min = clock[1]
        t.tm_sec = clock[2]
        return Date(timeIntervalSince1970: Double(timegm(&t)))
    }
}
