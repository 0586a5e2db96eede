import Foundation
import HEP
import Ingest
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A real `homer serve` process storing into a lake under one directory, restartable on the same data (crash tests).
final class LakeServer {
    let directory: URL
    let catalog: String
    let dataPath: String
    let spool: String
    let udp = Ports.free(), tcp = Ports.free(), http = Ports.free()
    let environment: [String: String]
    private(set) var child: ChildProcess?

    /// - Parameters: batchSize / flushSeconds: `storage.ducklake.batch_size` / `flush_interval_sec`.
    /// - Parameter dataPath: the lake's `data_path` (a directory under `directory` when nil, or `s3://…`);
    ///   `extraEnvironment`: more `HOMER_*` / `AWS_*` variables for the server.
    init(label: String, batchSize: Int = 10_000, flushSeconds: Int = 1, dataPath: String? = nil,
         extraEnvironment: [String: String] = [:]) throws {
        directory = try Oracle.temporaryDirectory("homer-e2e-\(label)")
        catalog = directory.appendingPathComponent("homer_catalog.sqlite").path
        self.dataPath = dataPath ?? directory.appendingPathComponent("homer_parquet").path + "/"
        spool = directory.appendingPathComponent("spool").path
        environment = [
            "HOMER_HEP_UDP": "127.0.0.1:\(udp)", "HOMER_HEP_TCP": "127.0.0.1:\(tcp)",
            "HOMER_HTTP_LISTEN": "127.0.0.1:\(http)",
            "HOMER_STORAGE_DUCKLAKE_CATALOG_PATH": catalog,
            "HOMER_STORAGE_DUCKLAKE_DATA_PATH": self.dataPath,
            "HOMER_STORAGE_DUCKLAKE_BATCH_SIZE": "\(batchSize)",
            "HOMER_STORAGE_DUCKLAKE_FLUSH_INTERVAL_SEC": "\(flushSeconds)",
        ].merging(extraEnvironment) { _, extra in extra }
    }

    static func binary() throws -> String {
        let path = Oracle.homerBinary
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw E2EError(path, -1, "homer binary missing: run `swift build --product homer` (or set HOMER_BIN)")
        }
        return path
    }

    /// Starts the server and waits until its HEP TCP listener accepts connections. Listeners bind only after the
    /// spool replay, so when this returns, a restarted server has handed every spooled packet to the lake writer.
    func start() async throws {
        let c = try ChildProcess(try Self.binary(), ["serve"], environment: environment)
        child = c
        let end = ContinuousClock.now + .seconds(60)
        while !MotoServer.accepts(port: tcp) {
            guard c.process.isRunning, ContinuousClock.now < end else {
                c.stop()
                throw E2EError("homer serve", c.process.isRunning ? -1 : c.process.terminationStatus, "did not start listening: \(c.stderrText())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// SIGTERM (graceful: flush and commit), waits for the exit; returns (exit status, stderr).
    @discardableResult
    func stop() -> (Int32, String) {
        guard let c = child else { return (-1, "") }
        child = nil
        c.signal(SIGTERM)
        if !c.wait(timeout: .seconds(30)) { c.stop() }
        return (c.process.terminationStatus, c.stderrText())
    }

    /// `kill -9`: no flush, no commit, no fsync of anything not yet synced.
    func kill9() {
        guard let c = child else { return }
        child = nil
        c.signal(SIGKILL)
        _ = c.wait(timeout: .seconds(10))
    }

    deinit { child?.stop() }

    /// How many records `GET /api/v1/debug/ingest` says were handed to storage.
    func recordsTotal() throws -> Int {
        let json = try Oracle.run("curl", ["-sf", "--max-time", "5", "http://127.0.0.1:\(http)/api/v1/debug/ingest"])
        struct Report: Decodable { var records_total: Int }
        return try JSONDecoder().decode(Report.self, from: Data(json.utf8)).records_total
    }

    /// Polls the debug route until `n` records reached the sink (or `timeout`).
    func waitForRecords(_ n: Int, timeout: Duration = .seconds(20)) async throws -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if (try? recordsTotal()) ?? 0 >= n { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try recordsTotal() >= n
    }

    // MARK: - what DuckDB sees

    struct Rows: Decodable {
        var count: Int
        var distinct_keys: Int
        var rows: [Row]
        var spool_position: [UInt64]?

        /// [session_id, cseq_number, cseq_method, method, response_code, src_port, dst_port, capture_id, transport,
        /// proto_type] as DuckDB returns them.
        struct Row: Decodable, Hashable {
            var sessionID: String
            var cseqNumber: Int64?
            var cseqMethod: String?
            var method: String?
            var responseCode: Int32?
            var srcPort: Int32
            var dstPort: Int32
            var captureID: Int64
            var transport: Int32
            var protoType: Int32

            init(from decoder: any Decoder) throws {
                var c = try decoder.unkeyedContainer()
                sessionID = try c.decode(String.self)
                cseqNumber = try c.decodeIfPresent(Int64.self)
                cseqMethod = try c.decodeIfPresent(String.self)
                method = try c.decodeIfPresent(String.self)
                responseCode = try c.decodeIfPresent(Int32.self)
                srcPort = try c.decode(Int32.self)
                dstPort = try c.decode(Int32.self)
                captureID = try c.decode(Int64.self)
                transport = try c.decode(Int32.self)
                protoType = try c.decode(Int32.self)
            }

            var key: MessageKey {
                MessageKey(sessionID: sessionID, cseqNumber: cseqNumber, cseqMethod: cseqMethod, method: method,
                           responseCode: responseCode)
            }
        }

        var position: SpoolPosition? {
            guard let p = spool_position, p.count == 2 else { return nil }
            return SpoolPosition(segment: p[0], offset: p[1])
        }
    }

    /// Every row of `main.hep_messages` as DuckDB reads it (the lake attached read-only).
    func lakeRows() throws -> Rows {
        let json = try Oracle.runPython("e2e_lake.py", ["rows", "--catalog", catalog])
        return try JSONDecoder().decode(Rows.self, from: Data(json.utf8))
    }

    struct Files: Decodable {
        var catalog: [String]
        var disk: [String]
        var table_dir: String
    }

    /// The files the catalog lists and the files on disk under the table directory.
    func lakeFiles() throws -> Files {
        let json = try Oracle.runPython("e2e_lake.py", ["files", "--catalog", catalog])
        return try JSONDecoder().decode(Files.self, from: Data(json.utf8))
    }

    /// The records in the spool after `position` (what a restart must still bring into the lake), read with the
    /// spool's own reader from a copy of the spool directory (opening a `Spool` starts a new segment; the copy keeps
    /// the server's directory exactly as the kill left it).
    func spooledKeys(after position: SpoolPosition?) async throws -> [MessageKey] {
        let copy = try Oracle.temporaryDirectory("homer-e2e-spool").appendingPathComponent("spool").path
        try FileManager.default.copyItem(atPath: spool, toPath: copy)
        let reader = try Spool(options: SpoolOptions(directory: copy))
        var keys: [MessageKey] = []
        _ = try await reader.replay(after: position ?? .start) { packets, _ in
            for p in packets {
                let record = HEPRecord(packet: try HEPDecoder.decode(p.bytes), receivedAt: p.receivedAt)
                keys.append(MessageKey(record))
            }
        }
        reader.close()
        return keys
    }
}

/// What identifies one message of `homer send --generate` traffic: one Call-ID per dialog, and within a dialog
/// every message differs in CSeq number/method or in request method/status code.
struct MessageKey: Hashable, CustomStringConvertible {
    var sessionID: String
    var cseqNumber: Int64?
    var cseqMethod: String?
    var method: String?
    var responseCode: Int32?

    init(sessionID: String, cseqNumber: Int64?, cseqMethod: String?, method: String?, responseCode: Int32?) {
        self.sessionID = sessionID
        self.cseqNumber = cseqNumber
        self.cseqMethod = cseqMethod
        self.method = method
        self.responseCode = responseCode
    }

    init(_ r: HEPRecord) {
        self.init(sessionID: r.sessionID, cseqNumber: r.cseqNumber, cseqMethod: r.cseqMethod, method: r.method,
                  responseCode: r.responseCode)
    }

    var description: String {
        "\(sessionID) \(cseqNumber.map(String.init) ?? "-") \(cseqMethod ?? "-") \(method ?? responseCode.map(String.init) ?? "-")"
    }
}

/// Writes bytes to a TCP peer (a HEP stream) and closes.
func sendTCP(port: Int, _ bytes: [UInt8]) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { throw E2EError("connect 127.0.0.1:\(port)", errno, "") }
    try bytes.withUnsafeBytes { b in
        var done = 0
        while done < b.count {
            let n = send(fd, b.baseAddress! + done, b.count - done, Int32(MSG_NOSIGNAL))
            guard n > 0 else { throw E2EError("send", errno, "") }
            done += n
        }
    }
    _ = shutdown(fd, Int32(SHUT_WR))
}

/// A failed step of an end-to-end test: what was run, its status, and what it said.
struct E2EError: Error, CustomStringConvertible {
    let command: String
    let status: Int32
    let detail: String

    init(_ command: String, _ status: Int32, _ detail: String) {
        self.command = command
        self.status = status
        self.detail = detail
    }

    var description: String { "`\(command)` (status \(status)): \(detail)" }
}
