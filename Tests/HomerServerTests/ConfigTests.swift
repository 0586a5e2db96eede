import Foundation
import Ingest
import Testing
import TestSupport
@testable import HomerServer

@Suite struct ConfigTests: ConfigLoading {
    @Test func defaultsWithoutFile() throws {
        let c = try ConfigLoader.load(file: nil, environment: ["HOMER_PYTHON": "/x", "PATH": "/bin"])
        #expect(c.hep.udp?.description == "0.0.0.0:9060")
        #expect(c.hep.tcp?.description == "0.0.0.0:9060")
        #expect(c.hep.tls.listen == nil)
        #expect(c.http.listen.description == "127.0.0.1:9080")
        #expect(c.storage.enable)
        #expect(c.storage.ducklake.catalogType == "sqlite")
        #expect(c.storage.ducklake.catalogPath == "./data/homer_catalog.sqlite")
        #expect(c.storage.ducklake.dataPath == "./data/homer_parquet/")
        #expect(c.storage.ducklake.batchSize == 10_000)
        #expect(c.storage.ducklake.flushIntervalSec == 30)
        #expect(c.hep.maxPacketSize == 65535)
        #expect(c.hep.udpRcvbuf == 8 << 20)
        #expect(c.hep.alegHeaders == ["X-CID"])
        #expect(c.spoolDirectory == "./data/spool")
        #expect(c.ingestOptions.spool.fsyncInterval == .milliseconds(50))
    }

    @Test func fullFileIsRead() throws {
        let c = try load("""
            {"storage": {"enable": false, "ducklake": {"catalog_type": "sqlite", "catalog_path": "/d/cat.sqlite",
              "data_path": "s3://b/p/", "batch_size": 500, "flush_interval_sec": 5,
              "s3": {"region": "eu-west-1", "access_key_id": "AK", "secret_access_key": "SK", "session_token": null,
                     "endpoint": "127.0.0.1:5000", "url_style": "vhost", "use_ssl": false}}},
             "hep": {"udp": "127.0.0.1:19060", "tcp": null, "tls": {"listen": "[::1]:9061", "cert": "c.pem", "key": "k.pem"},
              "auth_key": "pw", "hepv2_enable": false, "max_packet_size": 9000, "udp_rcvbuf": 33554432,
              "aleg_headers": ["X-CID", "X-Leg"], "spool": {"path": "/sp", "fsync_interval_ms": 0}},
             "http": {"listen": "0.0.0.0:8080", "auth_token": "tok"}}
            """)
        #expect(!c.storage.enable)
        #expect(c.storage.ducklake.catalogPath == "/d/cat.sqlite")
        #expect(c.dataDirectory == "/d")
        #expect(c.storage.ducklake.batchSize == 500)
        #expect(c.storage.ducklake.s3 == HomerConfig.S3(region: "eu-west-1", accessKeyID: "AK", secretAccessKey: "SK",
                                                         sessionToken: nil, endpoint: "127.0.0.1:5000",
                                                         urlStyle: "vhost", useSSL: false))
        #expect(c.hep.udp == ListenAddress(host: "127.0.0.1", port: 19060))
        #expect(c.hep.tcp == nil)
        #expect(c.hep.tls.listen == ListenAddress(host: "::1", port: 9061))
        let o = c.ingestOptions
        #expect(o.tls?.certificatePath == "c.pem")
        #expect(o.authKey == "pw")
        #expect(!o.hepv2Enabled)
        #expect(o.maxPacketSize == 9000)
        #expect(o.udpReceiveBuffer == 32 << 20)
        #expect(o.hep.aLegHeaders == ["X-CID", "X-Leg"])
        #expect(o.spool.directory == "/sp")
        #expect(o.spool.fsyncInterval == .zero)
        #expect(c.http.authToken == "tok")
    }

    @Test(arguments: [
        (#"{"hep": {"udpp": "0.0.0.0:9060"}}"#, "hep.udpp", "unknown key"),
        (#"{"storage": {"ducklake": {"batch_size": "10"}}}"#, "storage.ducklake.batch_size", "got a string"),
        (#"{"storage": {"ducklake": {"batch_size": 1.5}}}"#, "storage.ducklake.batch_size", "fraction"),
        (#"{"storage": {"ducklake": {"batch_size": 0}}}"#, "storage.ducklake.batch_size", "out of range"),
        (#"{"storage": {"enable": 1}}"#, "storage.enable", "expected boolean"),
        (#"{"hep": {"udp": "localhost"}}"#, "hep.udp", "not a valid host:port"),
        (#"{"hep": {"tcp": "0.0.0.0:70000"}}"#, "hep.tcp", "not a valid host:port"),
        (#"{"hep": {"tcp": "::1:9060"}}"#, "hep.tcp", "not a valid host:port"),
        (#"{"http": {"listen": null}}"#, "http.listen", "got null"),
        (#"{"hep": 5}"#, "hep", "expected an object"),
        (#"{"hep": {"aleg_headers": "X-CID"}}"#, "hep.aleg_headers", "array of strings"),
        (#"{"storage": {"ducklake": {"catalog_type": "postgres"}}}"#, "storage.ducklake.catalog_type", "one of"),
        (#"{"hep": {"tls": {"listen": "0.0.0.0:9061"}}}"#, "hep.tls.cert", "required"),
        (#"{"storagee": {}}"#, "storagee", "unknown key"),
        (#"{"storage": {"ducklake": {"s3": {"regoin": "x"}}}}"#, "storage.ducklake.s3.regoin", "unknown key"),
    ])
    func errorsNameTheKey(json: String, key: String, fragment: String) throws {
        let e = try #require(error(json))
        #expect(e.key == key)
        #expect(e.description.contains(fragment), "\(e)")
    }

    @Test func notJSONIsAFileError() throws {
        let e = try #require(error("{ hep: "))
        #expect(e.key == nil)
        #expect(e.description.contains("not valid JSON"))
    }

    @Test func environmentOverridesSingleKeys() throws {
        let c = try load(#"{"hep": {"udp": "127.0.0.1:1000"}, "storage": {"ducklake": {"batch_size": 7}}}"#, env: [
            "HOMER_HEP_UDP": "127.0.0.1:2000",
            "HOMER_STORAGE_DUCKLAKE_BATCH_SIZE": "20000",
            "HOMER_HTTP_LISTEN": "[::]:9999",
            "HOMER_HEP_TCP": "",
            "HOMER_HEP_ALEG_HEADERS": "X-CID, X-Other",
            "HOMER_HEP_HEPV2_ENABLE": "off",
            "HOMER_STORAGE_DUCKLAKE_S3_USE_SSL": "0",
            "HOMER_HEP_SPOOL_FSYNC_INTERVAL_MS": "10",
            "HOMER_UNRELATED": "ignored",
        ])
        #expect(c.hep.udp?.port == 2000)
        #expect(c.storage.ducklake.batchSize == 20000)
        #expect(c.http.listen == ListenAddress(host: "::", port: 9999))
        #expect(c.hep.tcp == nil)
        #expect(c.hep.alegHeaders == ["X-CID", "X-Other"])
        #expect(!c.hep.hepv2Enable)
        #expect(!c.storage.ducklake.s3.useSSL)
        #expect(c.hep.spool.fsyncIntervalMs == 10)
    }

    @Test func badEnvironmentValueNamesTheVariable() throws {
        let e1 = try #require(error("{}", env: ["HOMER_STORAGE_DUCKLAKE_BATCH_SIZE": "lots"]))
        #expect(e1.key == "HOMER_STORAGE_DUCKLAKE_BATCH_SIZE")
        let e2 = try #require(error("{}", env: ["HOMER_HEP_UDP": "nowhere"]))
        #expect(e2.key == "HOMER_HEP_UDP")
        #expect(e2.description.contains("not a valid host:port"))
        let e3 = try #require(error("{}", env: ["HOMER_STORAGE_ENABLE": "maybe"]))
        #expect(e3.key == "HOMER_STORAGE_ENABLE")
    }

    @Test func everyKeyIsDocumented() throws {
        let doc = try String(contentsOf: Oracle.repositoryRoot.appendingPathComponent("docs/configuration.md"),
                             encoding: .utf8)
        for key in HomerConfig.keys {
            #expect(doc.contains("| `\(key.path)` | `\(key.environmentName)` |"), "\(key.path) missing in docs")
        }
        #expect(HomerConfig.keys.count == Set(HomerConfig.keys.map(\.path)).count)
    }

    @Test func addressParsing() {
        #expect(ListenAddress(parsing: "0.0.0.0:9060") == ListenAddress(host: "0.0.0.0", port: 9060))
        #expect(ListenAddress(parsing: "[::]:0") == ListenAddress(host: "::", port: 0))
        #expect(ListenAddress(parsing: "homer-1.local:80") == ListenAddress(host: "homer-1.local", port: 80))
        for bad in ["", ":9060", "host:", "host:port", "host:-1", "host:65536", "[::1]", "[::1]9060", "a b:1", "::1:80"] {
            #expect(ListenAddress(parsing: bad) == nil, "\(bad)")
        }
    }
}
