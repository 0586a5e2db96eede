import Ingest

/// One configuration key: its dotted JSON path, type, default, meaning and how it is stored in `HomerConfig`.
/// The loader, the environment overrides and the docs test all work from `HomerConfig.keys`.
public struct ConfigKey: Sendable {
    /// The value types a key can have.
    public enum Kind: Sendable {
        case bool
        case int(ClosedRange<Int>)
        case string
        /// A string; JSON null or "" = unset.
        case optionalString
        /// `host:port`.
        case address
        /// `host:port`; JSON null or "" = off.
        case optionalAddress
        /// JSON array of strings (environment: comma-separated).
        case stringList
        /// One of a fixed set of strings.
        case choice([String])
        /// A number (integer or fraction) in a range.
        case number(ClosedRange<Double>)
        /// The `storage_policy.volumes` array of objects (environment: the same JSON text).
        case volumes
    }

    /// A checked value of a key.
    public enum Value: Sendable {
        case bool(Bool), int(Int), string(String), optionalString(String?), address(ListenAddress?), list([String])
        case number(Double), volumes([HomerConfig.Volume])
    }

    /// Dotted path, e.g. `hep.udp`.
    public let path: String
    public let kind: Kind
    /// The default as written in the docs.
    public let defaultText: String
    /// What the key does.
    public let meaning: String
    let apply: @Sendable (inout HomerConfig, Value) -> Void

    /// `HOMER_` + the path in upper case with `_` for `.`: `hep.udp` → `HOMER_HEP_UDP`.
    public var environmentName: String {
        "HOMER_" + path.uppercased().map { $0 == "." ? "_" : $0 }.map(String.init).joined()
    }

    /// A human description of the expected type, for error messages and docs.
    public var typeText: String {
        switch kind {
        case .bool: "boolean"
        case .int(let r): "integer \(r.lowerBound)…\(r.upperBound)"
        case .string: "string"
        case .optionalString: "string or null"
        case .address: "\"host:port\" string"
        case .optionalAddress: "\"host:port\" string, or null/\"\" to disable"
        case .stringList: "array of strings"
        case .choice(let c): "one of " + c.map { "\"\($0)\"" }.joined(separator: ", ")
        case .number(let r): "number \(r.lowerBound)…\(r.upperBound)"
        case .volumes: "array of volume objects"
        }
    }
}

// Setters are written out per key (no key paths: they are not Sendable across the table).
extension HomerConfig {
    /// Every key, in documentation order.
    public static let keys: [ConfigKey] = [
        ConfigKey(path: "storage.enable", kind: .bool, defaultText: "true",
                  meaning: "Store received packets in the DuckLake lake. false = receive, spool and count only.") {
            if case .bool(let v) = $1 { $0.storage.enable = v }
        },
        ConfigKey(path: "storage.ducklake.catalog_type", kind: .choice(["sqlite"]), defaultText: "\"sqlite\"",
                  meaning: "Catalog database kind. Only SQLite.") {
            if case .string(let v) = $1 { $0.storage.ducklake.catalogType = v }
        },
        ConfigKey(path: "storage.ducklake.catalog_path", kind: .string, defaultText: "\"./data/homer_catalog.sqlite\"",
                  meaning: "The SQLite catalog file. Its directory is the data directory (default spool location).") {
            if case .string(let v) = $1 { $0.storage.ducklake.catalogPath = v }
        },
        ConfigKey(path: "storage.ducklake.data_path", kind: .string, defaultText: "\"./data/homer_parquet/\"",
                  meaning: "Where Parquet files are written: a local directory or s3://bucket/prefix/.") {
            if case .string(let v) = $1 { $0.storage.ducklake.dataPath = v }
        },
        ConfigKey(path: "storage.ducklake.batch_size", kind: .int(1...10_000_000), defaultText: "10000",
                  meaning: "Rows buffered per partition before a flush writes a Parquet file and a snapshot.") {
            if case .int(let v) = $1 { $0.storage.ducklake.batchSize = v }
        },
        ConfigKey(path: "storage.ducklake.flush_interval_sec", kind: .int(1...86_400), defaultText: "30",
                  meaning: "Longest time buffered rows wait before a flush.") {
            if case .int(let v) = $1 { $0.storage.ducklake.flushIntervalSec = v }
        },
        ConfigKey(path: "storage.ducklake.s3.region", kind: .string, defaultText: "\"us-east-1\"",
                  meaning: "S3 region (SigV4 signing).") {
            if case .string(let v) = $1 { $0.storage.ducklake.s3.region = v }
        },
        ConfigKey(path: "storage.ducklake.s3.access_key_id", kind: .optionalString, defaultText: "null",
                  meaning: "S3 access key id.") {
            if case .optionalString(let v) = $1 { $0.storage.ducklake.s3.accessKeyID = v }
        },
        ConfigKey(path: "storage.ducklake.s3.secret_access_key", kind: .optionalString, defaultText: "null",
                  meaning: "S3 secret access key.") {
            if case .optionalString(let v) = $1 { $0.storage.ducklake.s3.secretAccessKey = v }
        },
        ConfigKey(path: "storage.ducklake.s3.session_token", kind: .optionalString, defaultText: "null",
                  meaning: "S3 session token (temporary credentials).") {
            if case .optionalString(let v) = $1 { $0.storage.ducklake.s3.sessionToken = v }
        },
        ConfigKey(path: "storage.ducklake.s3.endpoint", kind: .optionalString, defaultText: "null",
                  meaning: "host:port of an S3-compatible server (MinIO, moto…); null = AWS.") {
            if case .optionalString(let v) = $1 { $0.storage.ducklake.s3.endpoint = v }
        },
        ConfigKey(path: "storage.ducklake.s3.url_style", kind: .choice(["path", "vhost"]), defaultText: "\"path\"",
                  meaning: "Path-style (http://host/bucket/key) or virtual-host-style (http://bucket.host/key) URLs.") {
            if case .string(let v) = $1 { $0.storage.ducklake.s3.urlStyle = v }
        },
        ConfigKey(path: "storage.ducklake.s3.use_ssl", kind: .bool, defaultText: "true",
                  meaning: "HTTPS to the S3 endpoint.") {
            if case .bool(let v) = $1 { $0.storage.ducklake.s3.useSSL = v }
        },
        ConfigKey(path: "hep.udp", kind: .optionalAddress, defaultText: "\"0.0.0.0:9060\"",
                  meaning: "HEP over UDP listener (one packet per datagram; HEPv1/v2 accepted here).") {
            if case .address(let v) = $1 { $0.hep.udp = v }
        },
        ConfigKey(path: "hep.tcp", kind: .optionalAddress, defaultText: "\"0.0.0.0:9060\"",
                  meaning: "HEP over TCP listener (stream of back-to-back HEP3 packets).") {
            if case .address(let v) = $1 { $0.hep.tcp = v }
        },
        ConfigKey(path: "hep.tls.listen", kind: .optionalAddress, defaultText: "null (off)",
                  meaning: "HEP over TLS listener; needs hep.tls.cert and hep.tls.key.") {
            if case .address(let v) = $1 { $0.hep.tls.listen = v }
        },
        ConfigKey(path: "hep.tls.cert", kind: .optionalString, defaultText: "null",
                  meaning: "PEM file with the TLS certificate chain.") {
            if case .optionalString(let v) = $1 { $0.hep.tls.cert = v }
        },
        ConfigKey(path: "hep.tls.key", kind: .optionalString, defaultText: "null",
                  meaning: "PEM file with the TLS private key.") {
            if case .optionalString(let v) = $1 { $0.hep.tls.key = v }
        },
        ConfigKey(path: "hep.auth_key", kind: .optionalString, defaultText: "null (not checked)",
                  meaning: "Required HEP auth key (chunk 0x000e); packets without it or with another are dropped and counted.") {
            if case .optionalString(let v) = $1 { $0.hep.authKey = v }
        },
        ConfigKey(path: "hep.hepv2_enable", kind: .bool, defaultText: "true",
                  meaning: "Accept legacy HEPv1/v2 datagrams on UDP.") {
            if case .bool(let v) = $1 { $0.hep.hepv2Enable = v }
        },
        ConfigKey(path: "hep.max_packet_size", kind: .int(64...65535), defaultText: "65535",
                  meaning: "Largest accepted HEP packet in bytes; bigger ones are dropped and counted (oversized).") {
            if case .int(let v) = $1 { $0.hep.maxPacketSize = v }
        },
        ConfigKey(path: "hep.udp_rcvbuf", kind: .int(65536...(1 << 30)), defaultText: "8388608 (8 MiB)",
                  meaning: "UDP socket receive buffer (SO_RCVBUF; the kernel caps it at net.core.rmem_max).") {
            if case .int(let v) = $1 { $0.hep.udpRcvbuf = v }
        },
        ConfigKey(path: "hep.aleg_headers", kind: .stringList, defaultText: "[\"X-CID\"]",
                  meaning: "SIP headers holding the A-leg Call-ID (stored as correlation_id).") {
            if case .list(let v) = $1 { $0.hep.alegHeaders = v }
        },
        ConfigKey(path: "hep.spool.path", kind: .optionalString, defaultText: "null (<data dir>/spool)",
                  meaning: "Directory of the durable spool; default: spool/ next to the catalog file.") {
            if case .optionalString(let v) = $1 { $0.hep.spool.path = v }
        },
        ConfigKey(path: "hep.spool.fsync_interval_ms", kind: .int(0...10_000), defaultText: "50",
                  meaning: "Group-commit interval of the spool; 0 = fsync every batch.") {
            if case .int(let v) = $1 { $0.hep.spool.fsyncIntervalMs = v }
        },
        ConfigKey(path: "http.listen", kind: .address, defaultText: "\"127.0.0.1:9080\"",
                  meaning: "HTTP API address (GET /health, /api/v1/…).") {
            if case .address(let v) = $1, let v { $0.http.listen = v }
        },
        ConfigKey(path: "http.auth_token", kind: .optionalString, defaultText: "null (no auth)",
                  meaning: "Bearer token the HTTP API requires (except /health) when set.") {
            if case .optionalString(let v) = $1 { $0.http.authToken = v }
        },
        ConfigKey(path: "http.max_body_bytes", kind: .int(1024...(64 << 20)), defaultText: "1048576 (1 MiB)",
                  meaning: "Largest accepted request body; bigger ones get 413.") {
            if case .int(let v) = $1 { $0.http.maxBodyBytes = v }
        },
        ConfigKey(path: "http.query_timeout_sec", kind: .int(1...3600), defaultText: "30",
                  meaning: "A query running longer is cancelled and answered 504.") {
            if case .int(let v) = $1 { $0.http.queryTimeoutSec = v }
        },
    ] + storagePolicyKeys + maintenanceKeys
}
