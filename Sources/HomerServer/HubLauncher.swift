import Foundation
import Hub
import Logging

/// Starts `homer hub`: reads the Hub config file (only HomerServer reads files) and runs the Hub's services.
public enum HubLauncher {
    /// Reads and parses a Hub config file. Errors are `HubError(.config)` naming the file or the key.
    public static func loadConfig(path: String) throws(HubError) -> HubConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw HubError(.config, "cannot read \(path): \(error.localizedDescription)")
        }
        return try HubConfig.parse(Array(data))
    }

    /// Runs the Hub until SIGTERM/SIGINT. Prints `homer hub listening on host:port` to stdout once the port is bound
    /// (scripts and tests wait for that line).
    public static func run(config: HubConfig) async throws {
        HubRunner.keepAnswerBuffersInHeap()
        let logger = Logger(label: "homer.hub")
        let host = config.options.listenHost
        logger.info("starting hub", metadata: ["nodes": "\(config.nodes.map(\.name).joined(separator: ","))",
                                               "routing": "\(config.options.routing.rawValue)"])
        try await HubRunner.run(config: config, logger: logger) { port in
            // Written straight to the stdout file descriptor so it is not held in a buffer when stdout is a pipe.
            FileHandle.standardOutput.write(Data("homer hub listening on \(host):\(port)\n".utf8))
        }
    }
}
