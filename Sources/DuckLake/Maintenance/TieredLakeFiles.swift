import Foundation
import Parquet
import Storage

/// The data files of a tiered lake: new files go through `primary` (the first volume = data_path, relative catalog
/// paths); files of any volume are read and deleted by their full path, the volume picked by path prefix. The
/// writer, the reader, the API and maintenance all take it as their `LakeFiles`.
public struct TieredLakeFiles: LakeFiles {
    public let primary: any LakeFiles
    public let policy: LakeTieringPolicy

    public init(primary: any LakeFiles, policy: LakeTieringPolicy) {
        self.primary = primary
        self.policy = policy
    }

    public func stagingPath(for relativePath: String) throws -> String {
        try primary.stagingPath(for: relativePath)
    }

    public func publish(staged: String, as relativePath: String) async throws {
        try await primary.publish(staged: staged, as: relativePath)
    }

    public func list(prefix: String) async throws -> [String] {
        try await primary.list(prefix: prefix)
    }

    public func delete(_ relativePath: String) async throws {
        try await primary.delete(relativePath)
    }

    public func reader(fullPath: String, size: Int64?) async throws -> any RangeReader {
        // The first volume is data_path: its files (relative in the catalog) keep the primary's reader.
        guard let i = policy.volumeIndex(of: fullPath), i > 0 else {
            return try await primary.reader(fullPath: fullPath, size: size)
        }
        let volume = policy.volumes[i]
        if volume.isLocal {
            do {
                return try LocalFileReader(path: fullPath)
            } catch {
                throw DuckLakeError(.io, "cannot open \(fullPath): \(error)")
            }
        }
        return ObjectRangeReader(store: volume.store, key: String(fullPath.dropFirst(volume.root.count)), knownSize: size)
    }

    public func delete(fullPath: String) async throws -> Bool {
        guard let i = policy.volumeIndex(of: fullPath) else { return false }
        let volume = policy.volumes[i]
        do {
            try await volume.store.delete(String(fullPath.dropFirst(volume.root.count)))
        } catch {
            throw DuckLakeError(.io, "deleting \(fullPath) on volume \(volume.name): \(error)")
        }
        return true
    }
}
