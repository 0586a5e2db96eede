import ArgumentParser
import Foundation
import HomerServer
import Hub
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `homer hub --config hub.json`: the smart router in front of several homer nodes (docs/hub.md).
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Route searches to the homer nodes holding the time range and merge their answers.",
        discussion: "Config: {\"hub\": {\"listen\", \"auth_token\", \"probe_interval_sec\", \"node_timeout_ms\", "
            + "\"routing\": \"check\"|\"stats\"}, \"nodes\": [{\"name\", \"url\", \"auth_token\"}]}. See docs/hub.md. "
            + "Exits 2 on a configuration error."
    )

    @Option(name: .long, help: "Path of the Hub config file (JSON).")
    var config: String = "hub.json"

    @Option(name: .long, help: "Override hub.listen (host:port).")
    var listen: String?

    func run() async throws {
        var hubConfig: HubConfig
        do {
            hubConfig = try HubLauncher.loadConfig(path: config)
            if let listen {
                (hubConfig.options.listenHost, hubConfig.options.listenPort) = try HubConfig.parseListen(listen, key: "--listen")
            }
        } catch {
            FileHandle.standardError.write(Data("homer hub: configuration error: \(error.detail)\n".utf8))
            throw ExitCode(2)
        }
        ProcessSetup.prepareServer()
        try await HubLauncher.run(config: hubConfig)
    }
}
