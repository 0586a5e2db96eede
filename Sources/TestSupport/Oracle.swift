import Foundation

/// Helpers shared by the test targets: where the repository is, the Python oracle (DuckDB 1.5.5 + ducklake, pyarrow,
/// moto) created by `scripts/setup.sh`, and running subprocesses.
///
/// Interop tests never skip: when the oracle is missing they fail with a message saying how to install it.
public enum Oracle {
    /// The repository root, found by walking up from this source file to the directory holding `Package.swift`.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The Python interpreter of the oracle venv: `$HOMER_PYTHON`, else `<repo>/.venv/bin/python`.
    public static var python: String {
        if let p = ProcessInfo.processInfo.environment["HOMER_PYTHON"], !p.isEmpty { return p }
        return repositoryRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// The directory of the Python helper scripts used by the tests (`<repo>/scripts/oracle`).
    public static var scripts: URL { repositoryRoot.appendingPathComponent("scripts/oracle") }

    /// Runs a Python script from `scripts/oracle` with arguments; returns its standard output.
    /// Throws with stderr when it exits non-zero.
    @discardableResult
    public static func runPython(_ script: String, _ arguments: [String], stdin: Data? = nil) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ProcessError(command: python, status: -1,
                               stderr: "The Python oracle venv is missing: run scripts/setup.sh (or scripts/test.sh).")
        }
        return try run(python, [scripts.appendingPathComponent(script).path] + arguments, stdin: stdin)
    }

    /// Runs a program and returns its standard output; throws with its stderr when it exits non-zero.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil,
                           environment: [String: String]? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        p.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let environment {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child cannot fill one and deadlock.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        let stdout = String(decoding: outData, as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw ProcessError(command: ([executable] + arguments).joined(separator: " "),
                               status: p.terminationStatus, stderr: String(decoding: errData, as: UTF8.self) + stdout)
        }
        return stdout
    }

    /// A fresh temporary directory, unique per call.
    public static func temporaryDirectory(_ label: String = "homer-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The built `homer` executable for end-to-end tests: `$HOMER_BIN`, else `.build/debug/homer`.
    public static var homerBinary: String {
        if let p = ProcessInfo.processInfo.environment["HOMER_BIN"], !p.isEmpty { return p }
        return repositoryRoot.appendingPathComponent(".build/debug/homer").path
    }
}

/// A subprocess that failed.
public struct ProcessError: Error, CustomStringConvertible {
    public let command: String
    public let status: Int32
    public let stderr: String
    public var description: String { "`\(command)` exited \(status): \(stderr)" }
}
