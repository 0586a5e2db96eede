import Foundation
import TestSupport

/// Real `homer` processes for the end-to-end Hub tests: three `homer serve` nodes (own lake each) and `homer hub`.
/// The binary is `Oracle.homerBinary` (`swift build --product homer` in the full package).
final class HomerProcess: @unchecked Sendable {
    // Invariant: `process` is only touched by the test that owns this object (start, then stop/kill), never
    // concurrently.
    let process: Process
    let log: URL

    init(_ arguments: [String], log: URL) throws {
        process = Process()
        // Started through a one-line exec wrapper that clears the signal mask: the test runner may block SIGTERM,
        // children inherit masks, and a blocked SIGTERM would never reach the server.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import os,signal,sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                             Oracle.homerBinary] + arguments
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        self.log = log
        try process.run()
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// SIGTERM, then waits for the exit (the graceful path every service must take); SIGKILL after 10 s.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let end = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < end { usleep(20_000) }
        if process.isRunning { kill() }
        process.waitUntilExit()
    }

    /// SIGKILL: a node dying without a goodbye.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// One `homer serve` with its lake in a temporary directory.
struct RealNode {
    let name: String
    let dir: URL
    let hepPort: Int
    let httpPort: Int
    let process: HomerProcess

    var url: String { "http://127.0.0.1:\(httpPort)" }
    var catalog: String { dir.appendingPathComponent("homer_catalog.sqlite").path }
    var dataPath: String { dir.appendingPathComponent("parquet").path + "/" }

    static func start(_ name: String) throws -> RealNode {
        let dir = try Oracle.temporaryDirectory("hub-node-\(name)")
        let hep = Ports.free(), http = Ports.free()
        let config: [String: Any] = [
            "storage": ["ducklake": ["catalog_path": dir.appendingPathComponent("homer_catalog.sqlite").path,
                                     "data_path": dir.appendingPathComponent("parquet").path + "/",
                                     "batch_size": 1000, "flush_interval_sec": 1]],
            "hep": ["udp": "127.0.0.1:\(hep)", "tcp": "127.0.0.1:\(hep)"],
            "http": ["listen": "127.0.0.1:\(http)"],
        ]
        let file = dir.appendingPathComponent("homer.json")
        try JSONSerialization.data(withJSONObject: config).write(to: file)
        let p = try HomerProcess(["serve", "--config", file.path], log: dir.appendingPathComponent("serve.log"))
        return RealNode(name: name, dir: dir, hepPort: hep, httpPort: http, process: p)
    }
}

/// A SIP message sent as HEP: what the tests feed and what they expect back.
struct SentMessage: Hashable {
    var timestampMicros: Int64
    var callID: String
    var srcIP: String, srcPort: Int
    var dstIP: String, dstPort: Int
    var payload: String

    var timestampNanos: Int64 { timestampMicros * 1000 }

    static func sip(_ firstLine: String, callID: String, cseq: String, at micros: Int64, src: (String, Int),
                    dst: (String, Int), xcid: String? = nil) -> SentMessage {
        var text = "\(firstLine)\r\nVia: SIP/2.0/UDP \(src.0):\(src.1);branch=z9hG4bK\(micros)\r\n"
            + "From: <sip:alice@a.example>;tag=a1\r\nTo: <sip:bob@b.example>\r\nCall-ID: \(callID)\r\nCSeq: \(cseq)\r\n"
        if let xcid { text += "X-CID: \(xcid)\r\n" }
        text += "Content-Length: 0\r\n\r\n"
        return SentMessage(timestampMicros: micros, callID: callID, srcIP: src.0, srcPort: src.1, dstIP: dst.0,
                           dstPort: dst.1, payload: text)
    }
}

/// Classic pcap files of SIP over Ethernet/IPv4/UDP built from `SentMessage`s, for `homer send --pcap` (which replays
/// them with their capture timestamps). Headers per IEEE 802.3, RFC 791 (with header checksum) and RFC 768.
enum SIPPcap {
    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

    static func frame(_ m: SentMessage) -> [UInt8] {
        let payload = Array(m.payload.utf8)
        let ip = { (s: String) in s.split(separator: ".").map { UInt8($0) ?? 0 } }
        let udp = be16(m.srcPort) + be16(m.dstPort) + be16(8 + payload.count) + [0, 0] + payload
        var ipv4: [UInt8] = [0x45, 0] + be16(20 + udp.count) + [0, 0, 0x40, 0, 64, 17, 0, 0] + ip(m.srcIP) + ip(m.dstIP)
        var sum = 0
        for i in stride(from: 0, to: 20, by: 2) { sum += Int(ipv4[i]) << 8 | Int(ipv4[i + 1]) }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        let check = ~sum & 0xffff
        ipv4[10] = UInt8(check >> 8)
        ipv4[11] = UInt8(check & 0xff)
        let ethernet: [UInt8] = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]
        return ethernet + ipv4 + udp
    }

    /// Microsecond pcap, link type 1 (Ethernet), packets in the given order.
    static func file(_ messages: [SentMessage]) -> [UInt8] {
        PcapFixture.file(messages.map { ($0.timestampNanos, frame($0)) }, nano: false, linkType: 1)
    }
}
