/// Everything the S3 store needs: where the bucket is, how to sign, how to upload, how hard to retry.
///
/// Config keys `storage.ducklake.s3.{region, access_key_id, secret_access_key, session_token, endpoint, url_style,
/// use_ssl}` map onto the fields of the same meaning; `bucket` and `prefix` come from the `s3://bucket/prefix/`
/// data path (see `init(url:)`). Credentials left nil are taken from the AWS variables by `resolved(environment:)`.
public struct S3Options: Sendable, Equatable {
    /// How the bucket appears in request URLs.
    public enum URLStyle: String, Sendable, Equatable {
        /// `http(s)://endpoint/bucket/key`: works with any endpoint and any bucket name (moto, MinIO, IP addresses).
        case path
        /// `http(s)://bucket.endpoint/key`: what AWS prefers; needs DNS for `bucket.endpoint` and a DNS-safe name.
        case virtualHosted = "vhost"
    }

    /// AWS region used in the signature scope. Default nil = `AWS_REGION`/`AWS_DEFAULT_REGION`, else "us-east-1".
    /// Custom endpoints usually accept any region; AWS rejects a signature made for the wrong one.
    public var region: String?
    /// Access key id. nil = `AWS_ACCESS_KEY_ID` via `resolved(environment:)`; still nil = unsigned requests
    /// (public buckets only).
    public var accessKeyID: String?
    /// Secret access key (`AWS_SECRET_ACCESS_KEY` when nil).
    public var secretAccessKey: String?
    /// Session token of temporary credentials, sent and signed as `x-amz-security-token`
    /// (`AWS_SESSION_TOKEN` when nil and the key itself came from the environment).
    public var sessionToken: String?
    /// Custom endpoint as "host:port" (or "host"). Default nil = AWS: `s3.<region>.amazonaws.com`.
    public var endpoint: String?
    /// Path or virtual-hosted URLs. Default `.virtualHosted` (AWS's preference and DuckDB's `s3_url_style`
    /// default); set `.path` for moto, MinIO and other endpoints without wildcard DNS.
    public var urlStyle: URLStyle
    /// https (default true) or plain http. Plain http only makes sense on a trusted network or loopback.
    public var useSSL: Bool
    /// Bucket name.
    public var bucket: String
    /// Key prefix inside the bucket, "" or ending with "/" (e.g. "lake/"); every store key is relative to it.
    public var prefix: String
    /// `putFile` switches from one PUT to a multipart upload above this size. Default 16 MiB: one PUT is one
    /// request, a multipart upload is at least three, but parts upload in parallel and retry individually.
    public var multipartThreshold: Int64
    /// Size of each multipart part (S3 minimum 5 MiB except the last, at most 10,000 parts: the part size grows
    /// automatically for files above partSize × 10,000). Default 8 MiB. Memory use is partSize × uploadConcurrency.
    public var partSize: Int
    /// Parts uploaded at the same time. Default 4: enough to hide latency without flooding a small uplink.
    public var uploadConcurrency: Int
    /// Retries after the first attempt on 5xx, 429/503 SlowDown and connection errors (never on other 4xx).
    /// Default 5; with the default delays that spans about 6 s of outage before an error surfaces.
    public var maxRetries: Int
    /// First backoff delay in seconds; each retry doubles it (full jitter: a random delay in [0, delay]).
    /// Default 0.1 s.
    public var retryBaseDelay: Double
    /// Upper bound of one backoff delay in seconds. Default 3 s.
    public var retryMaxDelay: Double
    /// TCP connect timeout in seconds. Default 5 s.
    public var connectTimeout: Double
    /// Timeout for a whole request, upload and download included, in seconds. Default 300 s (a 64 MiB part
    /// on a slow link still fits); a stalled connection fails after this and is retried.
    public var requestTimeout: Double
    /// Keys per ListObjectsV2 page (S3 caps it at 1000, the default).
    public var listPageSize: Int

    /// Default multipart part size and the S3 minimum.
    public static let defaultPartSize = 8 << 20
    public static let minimumPartSize = 5 << 20

    public init(bucket: String = "", prefix: String = "", region: String? = nil, accessKeyID: String? = nil,
                secretAccessKey: String? = nil, sessionToken: String? = nil, endpoint: String? = nil,
                urlStyle: URLStyle = .virtualHosted, useSSL: Bool = true,
                multipartThreshold: Int64 = 16 << 20, partSize: Int = S3Options.defaultPartSize,
                uploadConcurrency: Int = 4, maxRetries: Int = 5, retryBaseDelay: Double = 0.1,
                retryMaxDelay: Double = 3, connectTimeout: Double = 5, requestTimeout: Double = 300,
                listPageSize: Int = 1000) {
        self.bucket = bucket
        self.prefix = prefix
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.endpoint = endpoint
        self.urlStyle = urlStyle
        self.useSSL = useSSL
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.uploadConcurrency = uploadConcurrency
        self.maxRetries = maxRetries
        self.retryBaseDelay = retryBaseDelay
        self.retryMaxDelay = retryMaxDelay
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.listPageSize = listPageSize
    }

    /// Options for the bucket and prefix of an `s3://bucket/prefix/` URL, other fields at their defaults.
    public init(url: String) throws(StorageError) {
        self.init()
        let location = try S3Options.parseURL(url)
        bucket = location.bucket
        prefix = location.prefix
    }

    /// Splits `s3://bucket/some/prefix` into the bucket and a prefix normalised to "" or "some/prefix/".
    public static func parseURL(_ url: String) throws(StorageError) -> (bucket: String, prefix: String) {
        let scheme = "s3://"
        guard url.lowercased().hasPrefix(scheme) else {
            throw StorageError(.invalidConfiguration, message: "'\(url)' is not an s3:// URL")
        }
        let rest = url.dropFirst(scheme.count)
        let bucket = String(rest.prefix { $0 != "/" })
        guard !bucket.isEmpty else { throw StorageError(.invalidConfiguration, message: "no bucket in '\(url)'") }
        var prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
        while prefix.hasSuffix("//") { prefix.removeLast() }
        if !prefix.isEmpty && !prefix.hasSuffix("/") { prefix += "/" }
        return (bucket, prefix)
    }

    /// These options with unset credentials and region filled from the standard AWS variables
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`, `AWS_DEFAULT_REGION`).
    /// Values set in the options win; a session token is only taken from the environment together with the key
    /// it belongs to. Only HomerServer calls this, passing `ProcessInfo.processInfo.environment`.
    public func resolved(environment: [String: String]) -> S3Options {
        var copy = self
        func value(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        if copy.accessKeyID == nil, copy.secretAccessKey == nil,
           let key = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") {
            copy.accessKeyID = key
            copy.secretAccessKey = secret
            if copy.sessionToken == nil { copy.sessionToken = value("AWS_SESSION_TOKEN") }
        }
        if copy.region == nil { copy.region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") }
        return copy
    }

    /// The region used for signing.
    public var effectiveRegion: String { region ?? "us-east-1" }

    /// "host[:port]" of the service endpoint (without the bucket).
    public var effectiveEndpoint: String { endpoint ?? "s3.\(effectiveRegion).amazonaws.com" }

    /// Checks the values a request depends on; called by `S3ObjectStore.init`.
    public func validate() throws(StorageError) {
        guard !bucket.isEmpty else { throw StorageError(.invalidConfiguration, message: "S3 bucket is empty") }
        guard partSize >= S3Options.minimumPartSize else {
            throw StorageError(.invalidConfiguration, message: "partSize \(partSize) is below the S3 minimum of 5 MiB")
        }
        guard uploadConcurrency >= 1, maxRetries >= 0, listPageSize >= 1, listPageSize <= 1000 else {
            throw StorageError(.invalidConfiguration,
                               message: "uploadConcurrency ≥ 1, maxRetries ≥ 0 and 1 ≤ listPageSize ≤ 1000 required")
        }
        guard prefix.isEmpty || prefix.hasSuffix("/") else {
            throw StorageError(.invalidConfiguration, message: "prefix '\(prefix)' must be empty or end with '/'")
        }
        guard (accessKeyID == nil) == (secretAccessKey == nil) else {
            throw StorageError(.invalidConfiguration, message: "access key id and secret must be set together")
        }
    }
}
