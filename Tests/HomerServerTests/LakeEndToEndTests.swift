import Foundation
import HEP
import Ingest
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The whole path against the real `homer serve` binary (issue 4 "End to end" and "Crash"): real HEP agents or
/// `homer send` → listeners → durable spool → DuckLake writer → Parquet + SQLite catalog, judged by DuckDB 1.5.5 with
/// the ducklake extension (scripts/oracle/e2e_lake.py). Build the binary first: `swift build --product homer`.
@Suite(.serialized) struct LakeEndToEndTests {
    static let fixture = Oracle.repositoryRoot.appendingPathComponent("Tests/IngestTests/Fixtures/sipp-5calls.pcap").path

    /// Finds a tool or fails with the install hint (tests never skip silently).
    static func tool(_ name: String) throws -> String {
        for dir in ["/usr/bin", "/usr/sbin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw E2EError(name, -1, "\(name) is not installed: apt-get install -y sngrep kamailio sip-tester tshark (scripts/setup.sh)")
    }

    struct Message: Hashable, Comparable {
        var callID: String
        var srcPort: Int32
        var dstPort: Int32
        static func < (a: Message, b: Message) -> Bool { (a.callID, a.srcPort, a.dstPort) < (b.callID, b.srcPort, b.dstPort) }
    }

    /// Stops the server gracefully and checks it exited cleanly.
    static func stopCleanly(_ server: LakeServer) {
        let (status, stderr) = server.stop()
        #expect(status == 0, "homer serve exited \(status): \(stderr.suffix(3000))")
    }

    // MARK: - real agents

    @Test func sngrepReplayLandsInTheLake() async throws {
        let sngrep = try Self.tool("sngrep")
        // The judge of what the pcap holds: tshark's SIP dissector.
        let fields = try Oracle.run(try Self.tool("tshark"), ["-r", Self.fixture, "-Y", "sip", "-T", "fields",
                                                            "-e", "sip.Call-ID", "-e", "udp.srcport", "-e", "udp.dstport"])
        let expected = fields.split(separator: "\n").map { line -> Message in
            let f = line.split(separator: "\t").map(String.init)
            return Message(callID: f[0], srcPort: Int32(f[1]) ?? -1, dstPort: Int32(f[2]) ?? -1)
        }.sorted()
        #expect(expected.count == 30)

        let server = try LakeServer(label: "sngrep")
        try await server.start()
        try Oracle.run(sngrep, ["-N", "-q", "-F", "-H", "udp:127.0.0.1:\(server.udp)", "-I", Self.fixture],
                       environment: ["TERM": "dumb", "HOME": NSTemporaryDirectory()])
        #expect(try await server.waitForRecords(expected.count))
        Self.stopCleanly(server)

        let lake = try server.lakeRows()
        let got = lake.rows.map { Message(callID: $0.sessionID, srcPort: $0.srcPort, dstPort: $0.dstPort) }.sorted()
        #expect(got == expected)
        #expect(Set(lake.rows.map(\.sessionID)) == Set(expected.map(\.callID)))
        // sngrep 1.6 writes htons(2002) into the 32-bit capture id: the wire says 0x07d20000 and that is stored.
        #expect(lake.rows.allSatisfy { $0.captureID == 0x07D2_0000 && $0.transport == 17 && $0.protoType == 1 })
    }

    @Test(arguments: ["udp", "tcp"])
    func kamailioSiptraceLandsInTheLake(transport: String) async throws {
        let kamailio = try Self.tool("kamailio")
        let sipp = try Self.tool("sipp")
        let server = try LakeServer(label: "kamailio-\(transport)")
        try await server.start()
        let dir = server.directory
        let sipPort = Ports.free(), uasPort = Ports.free(), uacPort = Ports.free()
        let hepPort = transport == "udp" ? server.udp : server.tcp
        let config = KamailioConfig.siptrace(sipPort: sipPort, uasPort: uasPort, hepPort: hepPort,
                                                 transport: transport)
        let cfg = dir.appendingPathComponent("kamailio.cfg").path
        try config.write(toFile: cfg, atomically: true, encoding: .utf8)
        try Oracle.run(kamailio, ["-c", "-f", cfg])
        let k = try ChildProcess(kamailio, ["-f", cfg, "-DD", "-E", "-Y", dir.path, "-w", dir.path, "-m", "64", "-M", "8"])
        let uas = try ChildProcess(sipp, ["-sn", "uas", "-i", "127.0.0.1", "-p", "\(uasPort)", "-nostdin"])
        defer {
            uas.stop()
            k.stop()
        }
        try await Task.sleep(for: .milliseconds(800))  // Kamailio and the UAS bind
        // SIPp logs every message it sends and receives: the Call-IDs in that log are the judge.
        let messageLog = dir.appendingPathComponent("uac-messages.log").path
        try Oracle.run(sipp, ["-sn", "uac", "127.0.0.1:\(sipPort)", "-i", "127.0.0.1", "-p", "\(uacPort)",
                              "-m", "3", "-r", "5", "-d", "100", "-nostdin", "-timeout", "20s",
                              "-trace_msg", "-message_file", messageLog])
        let sippLog = try String(contentsOfFile: messageLog, encoding: .utf8)
        let sentCallIDs = Set(sippLog.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            guard line.lowercased().hasPrefix("call-id:") else { return nil }
            return line.dropFirst("call-id:".count).trimmingCharacters(in: .whitespaces)
        })
        #expect(sentCallIDs.count == 3)
        #expect(try await server.waitForRecords(18))
        Self.stopCleanly(server)

        let lake = try server.lakeRows()
        #expect(lake.count == 18)
        #expect(Set(lake.rows.map(\.sessionID)) == sentCallIDs)
        for (callID, messages) in Dictionary(grouping: lake.rows, by: \.sessionID) {
            #expect(messages.compactMap(\.method).sorted() == ["ACK", "BYE", "INVITE"], "\(callID)")
            #expect(messages.compactMap(\.responseCode).sorted() == [180, 200, 200], "\(callID)")
        }
        // Kamailio encodes the capture id correctly (big-endian 2001); every traced message crossed its SIP port.
        #expect(lake.rows.allSatisfy { $0.captureID == 2001 && $0.protoType == 1 })
        #expect(lake.rows.allSatisfy { $0.srcPort == Int32(sipPort) || $0.dstPort == Int32(sipPort) })
    }

    // MARK: - crash

    /// `kill -9` while `homer send` streams over TCP, three times on the same lake. After each restart and clean stop,
    /// DuckDB holds exactly what was committed before the kill plus what the spool held after the committed position
    /// (every packet the server had accepted), without duplicates, never more than the sender wrote, and the data
    /// directory holds exactly the files the catalog lists (a planted orphan is removed).
    @Test func killNineMidStreamLosesAndDuplicatesNothing() async throws {
        let exe = try LakeServer.binary()
        let server = try LakeServer(label: "crash", batchSize: 1000, flushSeconds: 1)
        var lakeCount = 0
        var spooledTotal = 0
        for cycle in 1...3 {
            try await server.start()
            // A fixed rate, far longer than the test waits: the kill interrupts it. The rate is modest because a
            // debug build's Parquet encoding is slow and the restart replays everything uncommitted before it listens.
            let sender = Process()
            sender.executableURL = URL(fileURLWithPath: exe)
            sender.arguments = ["send", "--generate", "--tcp", "127.0.0.1:\(server.tcp)", "--rate", "2500",
                                "--duration", "60", "--seed", "\(cycle)", "--capture-id", "\(100 + cycle)"]
            let out = Pipe()
            sender.standardOutput = out
            sender.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try sender.run()
            try await Task.sleep(for: .milliseconds(1000 + 300 * cycle))
            server.kill9()
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            sender.waitUntilExit()
            #expect(sender.terminationStatus != 0, "the sender should have seen the server die: \(output)")
            let written = try #require(output.firstMatch(of: #/sent (\d+) packets/#).flatMap { Int($0.1) },
                                       "no count in: \(output)")

            // The state the kill left: committed rows, the catalog's spool position, the spool after it.
            let before = try server.lakeRows()
            #expect(before.count == before.distinct_keys)
            #expect(before.count >= lakeCount, "cycle \(cycle): the lake lost committed rows")
            let committed = Set(before.rows.map(\.key))
            let spooled = try await server.spooledKeys(after: before.position)
            #expect(Set(spooled).count == spooled.count, "cycle \(cycle): a packet is twice in the spool")
            let overlap = committed.intersection(spooled)
            #expect(overlap.isEmpty, "cycle \(cycle): \(overlap.count) spooled packets after the committed position are already in the lake, e.g. \(overlap.first.map(String.init(describing:)) ?? "")")
            spooledTotal += spooled.count
            let accepted = before.count - lakeCount + spooled.count
            #expect(accepted > 0 && accepted <= written, "cycle \(cycle): accepted \(accepted), sender wrote \(written)")

            // A crash between writing a Parquet file and committing it leaves such a file: start-up must remove it.
            let orphan = try plantOrphan(server)

            if cycle >= 2 {
                // A second crash right after the restart replayed the spool into the writer: part of the replayed
                // packets may be committed, the rest only in the writer's buffer. The next start must still bring
                // each of them in exactly once.
                try await server.start()
                server.kill9()
            }
            try await server.start()
            Self.stopCleanly(server)
            let after = try server.lakeRows()
            #expect(after.count == after.distinct_keys, "cycle \(cycle): duplicate rows in the lake")
            #expect(after.count == before.count + spooled.count,
                    "cycle \(cycle): lake \(after.count) ≠ committed \(before.count) + spooled \(spooled.count)")
            #expect(Set(after.rows.map(\.key)) == committed.union(spooled))
            #expect(after.rows.allSatisfy { $0.captureID >= 101 && $0.captureID <= 103 })
            print("crash cycle \(cycle): sender wrote \(written), committed before the kill \(before.count - lakeCount), "
                + "spooled after the committed position \(spooled.count), lake now \(after.count)")
            lakeCount = after.count

            // Committed spool segments are deleted: besides the segment the last start opened, only segments without
            // any record may be left (one opened by the interrupted restart is deleted at the next commit after it).
            let segments = try FileManager.default.contentsOfDirectory(atPath: server.spool).filter { $0.hasSuffix(".hspl") }
                .sorted().dropLast()
            let nonEmpty = try segments.filter {
                try FileManager.default.attributesOfItem(atPath: server.spool + "/" + $0)[.size] as? Int ?? 0 > 8
            }
            #expect(nonEmpty.isEmpty, "cycle \(cycle): spool segments with records left after a clean stop: \(nonEmpty)")

            let files = try server.lakeFiles()
            #expect(!FileManager.default.fileExists(atPath: orphan), "orphan \(orphan) was not removed")
            #expect(files.catalog.allSatisfy { FileManager.default.fileExists(atPath: $0) },
                    "catalog lists missing files: \(files.catalog.filter { !FileManager.default.fileExists(atPath: $0) })")
            #expect(Set(files.disk) == Set(files.catalog),
                    "unreferenced files: \(Set(files.disk).subtracting(files.catalog)); missing: \(Set(files.catalog).subtracting(files.disk))")
        }
        // Over three kills, packets that were only in the spool must have been seen (else the test proved nothing).
        #expect(spooledTotal > 0)
    }

    /// Copies a committed data file to a new `homer-<uuid>.parquet` name beside it (a valid file the catalog does not
    /// know, exactly what a kill between write and commit leaves) and returns its path.
    func plantOrphan(_ server: LakeServer) throws -> String {
        let files = try server.lakeFiles()
        let source = try #require(files.catalog.first, "no committed file to copy")
        let orphan = URL(fileURLWithPath: source).deletingLastPathComponent()
            .appendingPathComponent("homer-\(UUID().uuidString.lowercased()).parquet").path
        try FileManager.default.copyItem(atPath: source, toPath: orphan)
        return orphan
    }

    // MARK: - payload bytes

    @Test func invalidUTF8PayloadComesBackByteIdentical() async throws {
        let server = try LakeServer(label: "utf8")
        try await server.start()
        let tag = UUID().uuidString.prefix(8)
        // SIP-shaped, but with bytes that are not UTF-8: a lone continuation byte, an overlong encoding, 0xFF, a
        // truncated 3-byte sequence at the very end.
        let invalid: [UInt8] = Array("MESSAGE sip:bob@example.com SIP/2.0\r\nCall-ID: bin-\(tag)\r\nCSeq: 1 MESSAGE\r\n"
            .utf8) + Array("X-Bytes: ".utf8) + [0x80, 0xC0, 0xAF, 0xFF, 0xFE] + Array("\r\nContent-Length: 3\r\n\r\n".utf8)
            + [0x00, 0xE2, 0x82]
        let valid: [UInt8] = Array("MESSAGE sip:bob@example.com SIP/2.0\r\nCall-ID: txt-\(tag)\r\nCSeq: 1 MESSAGE\r\n\r\n€"
            .utf8)
        var stream: [UInt8] = []
        for payload in [invalid, valid] {
            var p = HEPPacket()
            p.ipFamily = 2
            p.ipProtocol = 17
            p.srcAddress = .v4(0x7F00_0001)
            p.dstAddress = .v4(0x7F00_0002)
            p.srcPort = 5060
            p.dstPort = 5062
            let now = Int64(Date().timeIntervalSince1970 * 1e6)
            p.timeSeconds = UInt32(now / 1_000_000)
            p.timeMicroseconds = UInt32(now % 1_000_000)
            p.protoType = 1
            p.captureID = 9
            p.payload = payload
            stream += HEPEncoder.encode(p)
        }
        try sendTCP(port: server.tcp, stream)
        #expect(try await server.waitForRecords(2))
        Self.stopCleanly(server)

        struct Payloads: Decodable { var rows: [[JSONScalar]] }
        func payloads(_ session: String) throws -> [(isNull: Bool, bin: String?)] {
            let json = try Oracle.runPython("e2e_lake.py", ["payload", "--catalog", server.catalog, "--session", session])
            return try JSONDecoder().decode(Payloads.self, from: Data(json.utf8)).rows.map { ($0[0].bool ?? false, $0[1].string) }
        }
        let bin = try payloads("bin-\(tag)")
        #expect(bin.count == 1)
        #expect(bin.first?.isNull == true, "invalid UTF-8 must not be in the VARCHAR payload")
        #expect(bin.first?.bin == invalid.map { String(format: "%02x", $0) }.joined())
        let text = try payloads("txt-\(tag)")
        #expect(text.count == 1)
        #expect(text.first?.isNull == false)
        #expect(text.first?.bin == nil)
    }
}

/// A JSON scalar from the oracle (bool, string or null).
enum JSONScalar: Decodable {
    case bool(Bool), string(String), null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else {
            self = .string(try c.decode(String.self))
        }
    }

    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
}
