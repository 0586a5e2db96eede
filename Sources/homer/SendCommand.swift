import ArgumentParser
import Foundation
import HEP
import Ingest

/// `homer send`: a HEP sender for tests, benchmarks and operators.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send HEPv3 packets: replay a pcap's SIP or generate synthetic SIP traffic.",
        discussion: """
            Exactly one of --pcap / --generate and one of --udp / --tcp. --rate paces in packets per second
            (default: as fast as possible). Prints the number of packets sent; when the connection fails midway
            (the server died) it still prints how many packets were written in full, then exits with status 1.
            """)

    @Option(name: .long, help: "Classic libpcap file whose SIP packets (UDP and TCP payloads) are replayed.")
    var pcap: String?

    @Flag(name: .long, help: "Generate synthetic SIP calls, registrations and OPTIONS.")
    var generate = false

    @Option(name: .long, help: "Send over UDP to HOST:PORT.")
    var udp: String?

    @Option(name: .long, help: "Send over TCP to HOST:PORT.")
    var tcp: String?

    @Option(name: .long, help: "Packets per second (default: unlimited).")
    var rate: Double?

    @Option(name: .long, help: "Stop after this many packets (--generate default: 1000).")
    var count: Int?

    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: .customLong("capture-id"), help: "HEP capture agent id (chunk 0x000c).")
    var captureID: UInt32 = 2001

    @Option(name: .customLong("auth-key"), help: "HEP auth key (chunk 0x000e).")
    var authKey: String?

    @Flag(name: .long, help: "Pcap replay: stamp packets with the send time instead of the capture time.")
    var restamp = false

    @Option(name: .long, help: "Pcap replay: how many times to play the file (0 = until --count/--duration).")
    var loops: Int = 1

    @Option(name: .long, help: "--generate: PRNG seed. Runs with different seeds produce different Call-IDs.")
    var seed: UInt64 = 1

    @Option(name: .long, help: ArgumentHelp(
        "--generate: pre-generate this many packets and cycle through them, re-stamping the time (0 = generate each).",
        discussion: "Generating SIP costs the sender about a core at 250k packets/s; a pool lets it outrun a server "
            + "on the same machine. Call-IDs repeat every N packets."))
    var pool: Int = 0

    func validate() throws {
        guard (pcap != nil) != generate else { throw ValidationError("give exactly one of --pcap FILE or --generate") }
        guard (udp != nil) != (tcp != nil) else { throw ValidationError("give exactly one of --udp or --tcp") }
        for (name, value) in [("--udp", udp), ("--tcp", tcp)] {
            if let value, ListenAddress(parsing: value) == nil {
                throw ValidationError("\(name): \"\(value)\" is not a valid HOST:PORT")
            }
        }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if let count, count < 0 { throw ValidationError("--count must not be negative") }
        if pool < 0 { throw ValidationError("--pool must not be negative") }
        if pool > 0 && !generate { throw ValidationError("--pool works with --generate only") }
    }

    func run() throws {
        let target: HEPSenderOptions.Target =
            if let udp { .udp(ListenAddress(parsing: udp)!) } else { .tcp(ListenAddress(parsing: tcp!)!) }
        var options = HEPSenderOptions(target: target, rate: rate, count: count,
                                       duration: duration.map { .milliseconds(Int64($0 * 1000)) })
        var report = HEPSendReport()
        let stamp = HEPStamp(captureID: captureID, authKey: authKey)
        do {
            if let pcap {
                guard let data = FileManager.default.contents(atPath: pcap) else {
                    throw ValidationError("cannot read \(pcap)")
                }
                var source = try PcapSource(bytes: [UInt8](data), stamp: stamp, restamp: restamp, loops: loops)
                try HEPSender(options: options).run(into: &report) { buffer, now in source.next(into: &buffer, now: now) }
            } else {
                if options.count == nil && options.duration == nil { options.count = 1000 }
                var source = GeneratorSource(stamp: stamp, seed: seed, pool: pool)
                try HEPSender(options: options).run(into: &report) { buffer, now in source.next(into: &buffer, now: now) }
            }
        } catch let error as IngestError {
            // The target went away midway: say how much was written in full (a crash test compares it with what the
            // server stored), then fail.
            print("sent \(report.packets) packets (\(report.bytes) bytes) before the error: \(error)")
            FileHandle.standardError.write(Data("homer send: \(error)\n".utf8))
            throw ExitCode.failure
        } catch let error as HEPError {
            throw ValidationError("\(pcap ?? ""): \(error)")
        }
        print("sent \(report.packets) packets (\(report.bytes) bytes) in "
            + String(format: "%.3f s, %.0f packets/s", report.seconds, report.packetsPerSecond))
    }
}
