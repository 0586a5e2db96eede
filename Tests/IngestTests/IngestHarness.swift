import Foundation
import HEP
import Logging
import ServiceLifecycle
import Synchronization
import TestSupport
@testable import Ingest

#if canImport(Glibc)
import Glibc
#endif

/// A sink that keeps every record, optionally slow, optionally failing a number of times.
final class CollectingSink: RecordSink {
    let records = Mutex<[HEPRecord]>([])
    let positions = Mutex<[SpoolPosition]>([])
    let delay: Duration?
    let failures = Atomic<Int>(0)
    let spool: Mutex<Spool?> = Mutex(nil)
    let finished = Atomic<Bool>(false)

    init(delay: Duration? = nil, failFirst: Int = 0) {
        self.delay = delay
        failures.store(failFirst, ordering: .relaxed)
    }

    func consume(_ batch: [HEPRecord], through position: SpoolPosition) async throws {
        if failures.load(ordering: .relaxed) > 0 {
            failures.subtract(1, ordering: .relaxed)
            throw IngestError(.send, "injected sink failure")
        }
        if let delay { try? await Task.sleep(for: delay) }
        records.withLock { $0.append(contentsOf: batch) }
        positions.withLock { $0.append(position) }
        if let s = spool.withLock({ $0 }) { try s.markCommitted(position) }
    }

    func finish() async throws { finished.store(true, ordering: .relaxed) }

    var count: Int { records.withLock { $0.count } }
    var sessionIDs: [String] { records.withLock { $0.map(\.sessionID) } }

    /// Polls until at least `n` records arrived or `timeout` passed.
    func wait(for n: Int, timeout: Duration = .seconds(10)) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if count >= n { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return count >= n
    }
}

enum Harness {
    static let logger = Logger(label: "test.ingest")

    /// Options on free loopback ports with a fresh spool directory.
    static func options(udp: Bool = true, tcp: Bool = true) throws -> IngestOptions {
        let dir = try Oracle.temporaryDirectory("homer-ingest")
        var o = IngestOptions(spoolDirectory: dir.appendingPathComponent("spool").path)
        o.udp = udp ? ListenAddress(host: "127.0.0.1", port: 0) : nil
        o.tcp = tcp ? ListenAddress(host: "127.0.0.1", port: 0) : nil
        o.spool.fsyncInterval = .milliseconds(5)
        return o
    }

    /// Runs an IngestService in a ServiceGroup around `body`, then shuts it down gracefully (flush) and returns.
    static func run(_ options: IngestOptions, sink: CollectingSink, commitToSpool: Bool = true,
                    _ body: (IngestService, [HEPTransport: ListenAddress]) async throws -> Void) async throws {
        let spool = try Spool(options: options.spool)
        if commitToSpool { sink.spool.withLock { $0 = spool } }
        let service = IngestService(options: options, spool: spool, sink: sink, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        let task = Task { try await group.run() }
        let bound = await service.listening()
        do {
            try await body(service, bound)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// HEP test packets built with the HEP module's encoder.
enum Packets {
    static func sip(callID: String, captureID: UInt32 = 2001, srcPort: UInt16 = 5060, authKey: String? = nil,
                    padding: Int = 0) -> [UInt8] {
        var p = HEPPacket()
        p.ipFamily = 2
        p.ipProtocol = 17
        p.srcAddress = .v4(0x7F00_0001)
        p.dstAddress = .v4(0x7F00_0002)
        p.srcPort = srcPort
        p.dstPort = 5060
        p.timeSeconds = 1_764_000_000
        p.timeMicroseconds = 123_456
        p.protoType = 1
        p.captureID = captureID
        p.authKey = authKey
        let filler = padding > 0 ? "X-Pad: " + String(repeating: "x", count: padding) + "\r\n" : ""
        p.payload = Array(("OPTIONS sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:\(srcPort);branch=z9hG4bK-\(callID)\r\n"
            + "From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n"
            + "Call-ID: \(callID)\r\nCSeq: 1 OPTIONS\r\n\(filler)Content-Length: 0\r\n\r\n").utf8)
        return HEPEncoder.encode(p)
    }
}

/// Plain client sockets for tests (the sender under test is `HEPSender`; these write exactly the bytes given).
struct TestSocket {
    let fd: Int32

    init(tcp address: ListenAddress) throws {
        fd = try TestSocket.open(address, type: Int32(SOCK_STREAM.rawValue))
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    init(udp address: ListenAddress) throws {
        fd = try TestSocket.open(address, type: Int32(SOCK_DGRAM.rawValue))
    }

    private static func open(_ a: ListenAddress, type: Int32) throws -> Int32 {
        let fd = socket(AF_INET, type, 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(a.port).bigEndian)
        addr.sin_addr.s_addr = inet_addr(a.host)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw IngestError(.send, "connect \(a) failed: errno \(errno)") }
        return fd
    }

    /// One `send` call (a datagram for UDP); returns false when the peer is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { b in
            var done = 0
            while done < b.count {
                let n = Glibc.send(fd, b.baseAddress! + done, b.count - done, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                done += n
            }
            return true
        }
    }

    /// True once the peer has closed the connection (read returns 0 or an error) within `timeout`.
    func peerClosed(timeout: Duration = .seconds(5)) -> Bool {
        var tv = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    func close() { _ = Glibc.close(fd) }
}

/// nil when equal; else a short description of the first difference (keeps failure output readable).
func firstMismatch(_ got: [String], _ expected: [String]) -> String? {
    for i in 0..<min(got.count, expected.count) where got[i] != expected[i] {
        return "at \(i): got \"\(got[i])\", expected \"\(expected[i])\" (counts \(got.count)/\(expected.count))"
    }
    return got.count == expected.count ? nil : "counts differ: got \(got.count), expected \(expected.count)"
}
