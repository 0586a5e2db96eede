import ArgumentParser
import DuckLake
import Foundation
import HomerServer
import Logging

/// `homer lake`: upkeep and inspection of a lake (issue 6).
struct LakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lake",
        abstract: "Maintain or inspect the DuckLake lake.",
        subcommands: [LakeMaintainCommand.self, LakeInspectCommand.self])
}

/// Loads the server configuration the same way `homer serve` does (exit code 2 on errors).
private func loadConfig(_ path: String?) throws -> HomerConfig {
    do {
        return try ConfigLoader.load(file: path, environment: ProcessInfo.processInfo.environment)
    } catch {
        FileHandle.standardError.write(Data("homer: configuration error: \(error)\n".utf8))
        throw ExitCode(2)
    }
}

/// `homer lake maintain`: one maintenance pass with the `maintenance.*` settings (flags override them).
struct LakeMaintainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintain",
        abstract: "One pass of compaction, tiering moves, retention, snapshot expiry and file cleanup.",
        discussion: """
            Safe while homer serve writes to the same lake: each step is one catalog snapshot, and files are deleted
            only once no kept snapshot references them (unknown files only after an hour).
            """)

    @Option(name: .long, help: "JSON configuration file (the one homer serve uses).") var config: String?
    @Option(name: .customLong("retention-days"), help: "Override maintenance.retention_days (0 = keep).") var retentionDays: Int?
    @Option(name: .customLong("expire-hours"), help: "Override maintenance.expire_snapshots_older_than_hours (0 = never).")
    var expireHours: Int?
    @Option(name: .customLong("target-file-size-mb"), help: "Override maintenance.target_file_size_mb (0 = no compaction).")
    var targetFileSizeMB: Int?

    func run() async throws {
        var settings = try loadConfig(config)
        if let retentionDays { settings.maintenance.retentionDays = retentionDays }
        if let expireHours { settings.maintenance.expireSnapshotsOlderThanHours = expireHours }
        if let targetFileSizeMB { settings.maintenance.targetFileSizeMB = targetFileSizeMB }
        let lake = try LakeStorage.open(settings.storage.ducklake, dataDirectory: settings.dataDirectory,
                                        environment: ProcessInfo.processInfo.environment)
        var options = settings.maintenance.options
        // storage_policy: moves and drops between volumes are a step of the pass.
        options.tiering = (lake.files as? TieredLakeFiles)?.policy
        let report = try await LakeMaintenance(catalog: lake.catalog, files: lake.files, options: options).run()
        print(report.description)
    }
}

/// `homer lake inspect`: snapshots, partitions, files, sizes and rows, from the catalog alone.
struct LakeInspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Snapshots, partitions, files per volume, sizes and rows of a lake.")

    @Option(name: .long, help: "JSON configuration file (its storage.ducklake.catalog_path).") var config: String?
    @Option(name: .long, help: "SQLite DuckLake catalog to read directly.") var catalog: String?

    func run() async throws {
        let settings = try config.map(loadConfig)
        let path = try catalog ?? settings?.storage.ducklake.catalogPath ?? loadConfig(nil).storage.ducklake.catalogPath
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("no catalog at \(path)") }
        let c = try SQLiteCatalog(path: path, dataPath: nil, readOnly: true)
        // With a config, files are counted per storage_policy volume.
        let volumes = settings.map { LakeStorage.volumeRoots($0.storage.ducklake, catalogDataPath: c.dataPath) }
        print(try c.inspect(volumes: volumes).text, terminator: "")
    }
}
