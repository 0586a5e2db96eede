import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `moto_server` (the S3/IAM emulator from the oracle venv) on a loopback port, for tests that need a real S3 API.
///
/// `start()` launches it and waits until it accepts TCP connections; `stop()` kills it. It can be restarted on the
/// same port (outage tests). Its log goes to `logPath`. Use `MotoServer.with { moto in … }` to stop it on every exit.
public final class MotoServer: @unchecked Sendable {
    // @unchecked Sendable: `process` is only touched by start()/stop(), which a test calls from one task at a time;
    // the lock makes a stray concurrent call (deinit racing stop) safe anyway.
    public let port: Int
    /// `INITIAL_NO_AUTH_ACTION_COUNT`: with a value, moto checks signatures after that many unauthenticated calls.
    public let initialNoAuthActionCount: Int?
    public let logPath: String
    private var process: Process?
    private let lock = NSLock()

    public init(port: Int = Ports.free(), initialNoAuthActionCount: Int? = nil) {
        self.port = port
        self.initialNoAuthActionCount = initialNoAuthActionCount
        self.logPath = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(port).log").path
    }

    deinit { stop() }

    /// "127.0.0.1:port", the S3 endpoint to configure.
    public var endpoint: String { "127.0.0.1:\(port)" }
    /// "http://127.0.0.1:port", for boto3.
    public var url: String { "http://\(endpoint)" }

    /// `moto_server` next to the oracle's Python.
    public static var executable: String {
        URL(fileURLWithPath: Oracle.python).deletingLastPathComponent().appendingPathComponent("moto_server").path
    }

    /// Launches moto and waits (up to 30 s) until its port accepts connections.
    public func start() throws {
        lock.lock()
        defer { lock.unlock() }
        guard process == nil else { return }
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw ProcessError(command: Self.executable, status: -1,
                               stderr: "moto_server is missing: run scripts/setup.sh (pip install 'moto[server]').")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.executable)
        p.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        var env = ProcessInfo.processInfo.environment
        if let count = initialNoAuthActionCount { env["INITIAL_NO_AUTH_ACTION_COUNT"] = String(count) }
        p.environment = env
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)
        p.standardOutput = log
        p.standardError = log
        p.standardInput = FileHandle.nullDevice
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(30)
        // Probe with a bare TCP connect, not HTTP: an HTTP probe would use up one of the unauthenticated actions.
        while !Self.accepts(port: port) {
            guard p.isRunning, Date() < deadline else {
                let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                p.terminate()
                process = nil
                throw ProcessError(command: "moto_server -p \(port)", status: p.isRunning ? -1 : p.terminationStatus,
                                   stderr: "did not start listening: \(text.suffix(2000))")
            }
            usleep(50_000)
        }
    }

    /// Kills moto (SIGKILL) and waits for it to exit. Safe to call twice.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard let p = process else { return }
        process = nil
        guard p.isRunning else { return }
        // SIGKILL right away: moto keeps nothing worth flushing, and a child started from the test process can
        // inherit a signal mask that blocks SIGTERM (observed: terminate() left the server running).
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Runs `body` with a started moto and stops it afterwards, whether `body` succeeds or throws.
    public static func with<R>(initialNoAuthActionCount: Int? = nil,
                               _ body: (MotoServer) async throws -> R) async throws -> R {
        let moto = MotoServer(initialNoAuthActionCount: initialNoAuthActionCount)
        try moto.start()
        do {
            let result = try await body(moto)
            moto.stop()
            return result
        } catch {
            moto.stop()
            throw error
        }
    }

    /// True when something accepts TCP connections on 127.0.0.1:port.
    public static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return rc == 0
    }
}
