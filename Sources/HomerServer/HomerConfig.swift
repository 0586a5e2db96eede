import Ingest

/// The server configuration: the JSON file of `homer serve --config FILE`, overridden key by key by `HOMER_*`
/// environment variables. Every key, default and environment name is listed in `docs/configuration.md` (and in
/// `HomerConfig.keys`, from which the loader works).
public struct HomerConfig: Sendable, Equatable {
    public var storage = Storage()
    public var hep = HEP()
    public var http = HTTP()
    public var maintenance = Maintenance()

    public init() {}

    /// `storage.*`
    public struct Storage: Sendable, Equatable {
        /// `storage.enable`: write received packets to the DuckLake lake. Default true.
        public var enable = true
        public var ducklake = DuckLake()
    }

    /// `storage.ducklake.*`
    public struct DuckLake: Sendable, Equatable {
        /// `catalog_type`: the catalog database. Only `sqlite`.
        public var catalogType = "sqlite"
        /// `catalog_path`: the SQLite catalog file. Default `./data/homer_catalog.sqlite`.
        public var catalogPath = "./data/homer_catalog.sqlite"
        /// `data_path`: where Parquet files go: a directory or `s3://bucket/prefix/`. Default `./data/homer_parquet/`.
        public var dataPath = "./data/homer_parquet/"
        /// `batch_size`: rows buffered per partition before a flush. Default 10000.
        public var batchSize = 10_000
        /// `flush_interval_sec`: longest time rows wait before a flush. Default 30.
        public var flushIntervalSec = 30
        public var s3 = S3()
        /// `storage_policy.*`: tiered volumes.
        public var storagePolicy = StoragePolicy()
    }

    /// `storage.ducklake.s3.*` (used when `data_path` is an `s3://` URL).
    public struct S3: Sendable, Equatable {
        public var region = "us-east-1"
        public var accessKeyID: String?
        public var secretAccessKey: String?
        public var sessionToken: String?
        /// `host:port` of an S3-compatible server; nil = AWS.
        public var endpoint: String?
        /// `path` or `vhost`.
        public var urlStyle = "path"
        public var useSSL = true
    }

    /// `hep.*`
    public struct HEP: Sendable, Equatable {
        /// `hep.udp`; nil (JSON null or empty string) = off.
        public var udp: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 9060)
        /// `hep.tcp`; nil = off.
        public var tcp: ListenAddress? = ListenAddress(host: "0.0.0.0", port: 9060)
        /// `hep.tls.*`; the listener is on when `listen` is set (then `cert` and `key` are required).
        public var tls = TLS()
        public var authKey: String?
        public var hepv2Enable = true
        public var maxPacketSize = 65535
        public var udpRcvbuf = 8 << 20
        public var alegHeaders = ["X-CID"]
        public var spool = Spool()
    }

    /// `hep.tls.*`
    public struct TLS: Sendable, Equatable {
        public var listen: ListenAddress?
        public var cert: String?
        public var key: String?
    }

    /// `hep.spool.*`
    public struct Spool: Sendable, Equatable {
        /// Directory of the durable spool; nil = `spool/` next to the catalog file.
        public var path: String?
        public var fsyncIntervalMs = 50
    }

    /// `http.*`
    public struct HTTP: Sendable, Equatable {
        public var listen = ListenAddress(host: "127.0.0.1", port: 9080)
        /// Bearer token required by the API when set.
        public var authToken: String?
        /// `http.max_body_bytes`: larger request bodies get 413. Default 1 MiB.
        public var maxBodyBytes = 1 << 20
        /// `http.query_timeout_sec`: longer queries are cancelled with 504. Default 30.
        public var queryTimeoutSec = 30
    }

    /// The data directory: the directory of the catalog file (`./data` by default).
    public var dataDirectory: String {
        let path = storage.ducklake.catalogPath
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    /// The spool directory in effect: `hep.spool.path`, else `<data directory>/spool`.
    public var spoolDirectory: String { hep.spool.path ?? dataDirectory + "/spool" }

    /// The ingest options these settings describe.
    public var ingestOptions: IngestOptions {
        var o = IngestOptions(spoolDirectory: spoolDirectory)
        o.udp = hep.udp
        o.tcp = hep.tcp
        if let listen = hep.tls.listen, let cert = hep.tls.cert, let key = hep.tls.key {
            o.tls = TLSListenOptions(listen: listen, certificatePath: cert, privateKeyPath: key)
        }
        o.authKey = hep.authKey
        o.hepv2Enabled = hep.hepv2Enable
        o.maxPacketSize = hep.maxPacketSize
        o.udpReceiveBuffer = hep.udpRcvbuf
        o.hep.aLegHeaders = hep.alegHeaders
        o.hep.hepv2Enabled = hep.hepv2Enable
        o.spool.fsyncInterval = .milliseconds(hep.spool.fsyncIntervalMs)
        return o
    }
}
