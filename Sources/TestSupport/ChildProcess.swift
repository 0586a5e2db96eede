import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A long-running child process for end-to-end tests (a server, a SIP proxy, a UAS), stopped with its whole process
/// tree. It starts with an empty signal mask: a test runner may block signals such as SIGTERM, children inherit the
/// mask, and a blocked SIGTERM would never reach them (the reset is done by a one-line `python3` exec wrapper).
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is configured in init and only read afterwards; Process itself is thread-safe for
    // isRunning/terminationStatus/waitUntilExit.
    public let process = Process()
    private let errorPipe = Pipe()

    /// Starts `executable` with `arguments`; stdout is discarded, stderr is kept for `stderrText()`.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c",
                             "import os,signal,sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                             executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = errorPipe
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }

    /// Sends `signal` to the process only.
    public func signal(_ signal: Int32) { _ = kill(pid, signal) }

    /// Waits up to `timeout` for the process to exit by itself; true if it did.
    public func wait(timeout: Duration) -> Bool {
        let end = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < end { usleep(20_000) }
        return !process.isRunning
    }

    /// Stops the process and all its descendants: SIGTERM, then SIGKILL after `grace`.
    public func stop(grace: Duration = .seconds(3)) {
        let tree = [pid] + ChildProcess.descendants(of: pid)
        for p in tree { _ = kill(p, SIGTERM) }
        if !wait(timeout: grace) || tree.dropFirst().contains(where: { kill($0, 0) == 0 }) {
            for p in tree { _ = kill(p, SIGKILL) }
            _ = wait(timeout: .seconds(2))
        }
    }

    /// Everything written to stderr so far and until exit (call after the process ended).
    public func stderrText() -> String {
        String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Descendant pids from /proc (children first found by parent pid, recursively).
    static func descendants(of root: Int32) -> [Int32] {
        var parents: [Int32: Int32] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name),
                  let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let ppid = Int32(fields[1]) { parents[pid] = ppid }
        }
        var out: [Int32] = []
        var frontier = [root]
        while let p = frontier.popLast() {
            let kids = parents.filter { $0.value == p }.map(\.key)
            out += kids
            frontier += kids
        }
        return out
    }
}
