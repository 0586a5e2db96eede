import ArgumentParser
import Foundation
import HomerServer
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `homer serve`: run the capture server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive HEP over UDP/TCP/TLS, spool it durably and serve the HTTP API.",
        discussion: """
            Without --config every key has its default (HEP on 0.0.0.0:9060 UDP+TCP, HTTP on 127.0.0.1:9080).
            HOMER_<SECTION>_<KEY> environment variables override single keys (e.g. HOMER_HEP_UDP=127.0.0.1:9061).
            See docs/configuration.md. Configuration errors exit with code 2. SIGTERM/SIGINT stop it cleanly.
            """)

    @Option(name: .long, help: "JSON configuration file.")
    var config: String?

    func run() async throws {
        let settings: HomerConfig
        do {
            settings = try ConfigLoader.load(file: config, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write(Data("homer: configuration error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        ProcessSetup.prepareServer()
        try await HomerServer.run(config: settings, logger: Logger(label: "homer"))
    }
}
