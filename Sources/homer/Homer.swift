import ArgumentParser
import HomerServer

/// The `homer` command: every capability of the server as a subcommand.
@main
struct Homer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homer",
        abstract: "HEP capture server storing VoIP signalling in a DuckLake lakehouse.",
        version: "0.1.0",
        subcommands: [ServeCommand.self, SendCommand.self, QueryCommand.self, HubCommand.self, BenchCommand.self,
                      LakeCommand.self]
    )
}
