import Foundation
import Testing
import TestSupport
@testable import HomerServer

#if canImport(Glibc)
import Glibc
#endif

/// `homer serve` and `homer send` as processes (build the binary first: `swift build --product homer`).
@Suite(.serialized) struct ServeTests {
    static func binary() throws -> String {
        let path = Oracle.homerBinary
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ConfigError(key: nil, "homer binary missing at \(path): run `swift build --product homer` (or set HOMER_BIN)")
        }
        return path
    }

    /// Runs a process to completion, returning its exit status and stderr.
    static func runStatus(_ exe: String, _ args: [String], env: [String: String] = [:]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func badConfigurationExitsWithCode2NamingTheKey() throws {
        let exe = try Self.binary()
        let dir = try Oracle.temporaryDirectory("homer-serve")
        let file = dir.appendingPathComponent("bad.json").path
        try #"{"hep": {"udp": "0.0.0.0:9060", "max_packet_siz": 100}}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let (s1, e1) = try Self.runStatus(exe, ["serve", "--config", file])
        #expect(s1 == 2)
        #expect(e1.contains("hep.max_packet_siz: unknown key"), "\(e1)")
        let (s2, e2) = try Self.runStatus(exe, ["serve"], env: ["HOMER_HTTP_LISTEN": "127.0.0.1"])
        #expect(s2 == 2)
        #expect(e2.contains("HOMER_HTTP_LISTEN"), "\(e2)")
        let (s3, e3) = try Self.runStatus(exe, ["serve", "--config", dir.appendingPathComponent("missing.json").path])
        #expect(s3 == 2)
        #expect(e3.contains("cannot read config file"), "\(e3)")
    }

    struct Debug: Decodable {
        struct Transport: Decodable { var packets: Int; var received: Int; var dropped: [String: Int] }
        struct Stats: Decodable { var transports: [String: Transport] }
        struct Record: Decodable { var call_id: String; var capture_id: Int64; var src_port: Int32; var dst_port: Int32 }
        var stats: Stats
        var records_total: Int
        var last: [Record]
    }

    static func get(_ url: String, token: String? = nil) throws -> String {
        try Oracle.run("curl", ["-sf", "--max-time", "5"] + (token.map { ["-H", "Authorization: Bearer \($0)"] } ?? []) + [url])
    }

    @Test func serveReceivesFromSendAndStopsCleanly() async throws {
        let exe = try Self.binary()
        let dir = try Oracle.temporaryDirectory("homer-serve")
        let udp = Ports.free(), tcp = Ports.free(), http = Ports.free()
        let server = try ChildProcess(exe, ["serve"], environment: [
            "HOMER_HEP_UDP": "127.0.0.1:\(udp)", "HOMER_HEP_TCP": "127.0.0.1:\(tcp)",
            "HOMER_HTTP_LISTEN": "127.0.0.1:\(http)",
            "HOMER_STORAGE_DUCKLAKE_CATALOG_PATH": dir.appendingPathComponent("cat.sqlite").path,
        ])
        defer { server.stop() }
        var healthy = false
        for _ in 0..<100 {
            if let body = try? Self.get("http://127.0.0.1:\(http)/health"), body.contains("ok") {
                healthy = true
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(healthy)

        let tcpOut = try Oracle.run(exe, ["send", "--generate", "--count", "5000", "--rate", "50000",
                                          "--tcp", "127.0.0.1:\(tcp)", "--capture-id", "77"])
        #expect(tcpOut.contains("sent 5000 packets"), "\(tcpOut)")
        let udpOut = try Oracle.run(exe, ["send", "--generate", "--count", "300", "--rate", "10000",
                                          "--udp", "127.0.0.1:\(udp)", "--capture-id", "78"])
        #expect(udpOut.contains("sent 300 packets"), "\(udpOut)")

        // A pcap replay: the fixture's SIP messages (tshark is the judge of what it holds).
        let pcap = Oracle.repositoryRoot.appendingPathComponent("Tests/IngestTests/Fixtures/sipp-5calls.pcap").path
        let pcapOut = try Oracle.run(exe, ["send", "--pcap", pcap, "--udp", "127.0.0.1:\(udp)", "--capture-id", "79"])
        #expect(pcapOut.contains("sent 30 packets"), "\(pcapOut)")
        let callIDs = Set(try Oracle.run("tshark", ["-r", pcap, "-Y", "sip", "-T", "fields", "-e", "sip.Call-ID"])
            .split(separator: "\n").map(String.init))
        #expect(callIDs.count == 5)

        var report: Debug?
        for _ in 0..<100 {
            let json = try Self.get("http://127.0.0.1:\(http)/api/v1/debug/ingest")
            report = try JSONDecoder().decode(Debug.self, from: Data(json.utf8))
            if report?.records_total == 5330 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let r = try #require(report)
        #expect(r.records_total == 5330)
        #expect(r.stats.transports["tcp"]?.received == 5000)
        #expect(r.stats.transports["udp"]?.received == 330)
        #expect(Set(r.last.map(\.capture_id)) == [77, 78, 79])
        let replayed = r.last.filter { $0.capture_id == 79 }
        #expect(Set(replayed.map(\.call_id)) == callIDs)
        #expect(replayed.count == 30)
        #expect(r.last.allSatisfy { !$0.call_id.isEmpty })

        // The listeners' counters reach the Prometheus exposition of the running server.
        let metrics = try Self.get("http://127.0.0.1:\(http)/metrics")
        #expect(metrics.contains(#"homer_hep_received_total{transport="tcp"} 5000"#), "\(metrics)")
        #expect(metrics.contains(#"homer_hep_received_total{transport="udp"} 330"#))

        server.signal(SIGTERM)
        #expect(server.wait(timeout: .seconds(10)))
        let text = server.stderrText()
        #expect(server.process.terminationStatus == 0, "\(text)")
        #expect(text.contains("HEP listener ready"))
        #expect(text.contains("HTTP API ready"))
        #expect(text.contains("HEP ingest stopped"))
    }
}
