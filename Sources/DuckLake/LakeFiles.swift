import Foundation
import Parquet

/// Where a lake's data files live: the catalog stores paths relative to `data_path`; a `LakeFiles` maps those to
/// real bytes. `LocalLakeFiles` serves a local directory; `ObjectStoreLakeFiles` (Storage module) an S3 bucket.
public protocol LakeFiles: Sendable {
    /// A local path where a new file is written before `publish` (same directory for local stores, so publishing
    /// is an atomic rename).
    func stagingPath(for relativePath: String) throws -> String
    /// Makes the staged file visible at `relativePath` (rename, or upload then remove the staged copy).
    func publish(staged: String, as relativePath: String) async throws
    /// Relative paths of every file under `prefix` (a directory relative to data_path).
    func list(prefix: String) async throws -> [String]
    /// Removes a file; absent files are not an error.
    func delete(_ relativePath: String) async throws
    /// Removes a file named by its full catalog path outside data_path (moved to another storage volume); false
    /// when this `LakeFiles` cannot reach it. Default: false (only `TieredLakeFiles` knows other volumes).
    func delete(fullPath: String) async throws -> Bool
    /// Random access to a file by its full path as the catalog resolves it (`data_path` + relative path, or absolute).
    func reader(fullPath: String, size: Int64?) async throws -> any RangeReader
}

/// Data files in a local directory (`data_path` is a local path).
public struct LocalLakeFiles: LakeFiles {
    /// The data_path, ending in `/`.
    public let root: String

    public init(root: String) {
        self.root = root.hasSuffix("/") ? root : root + "/"
    }

    public func stagingPath(for relativePath: String) throws -> String {
        let final = root + relativePath
        let dir = (final as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw DuckLakeError(.io, "cannot create \(dir): \(error)")
        }
        return dir + "/." + (final as NSString).lastPathComponent + ".tmp"
    }

    public func publish(staged: String, as relativePath: String) async throws {
        let final = root + relativePath
        guard rename(staged, final) == 0 else {
            throw DuckLakeError(.io, "rename \(staged) → \(final): \(String(cString: strerror(errno)))")
        }
        // The rename is durable only once the directory entry is on disk.
        let dir = open((final as NSString).deletingLastPathComponent, O_RDONLY)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    public func list(prefix: String) async throws -> [String] {
        let base = root + prefix
        guard let e = FileManager.default.enumerator(atPath: base) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + rel, isDirectory: &isDir), !isDir.boolValue {
                out.append(prefix + rel)
            }
        }
        return out
    }

    public func delete(_ relativePath: String) async throws {
        if unlink(root + relativePath) != 0 && errno != ENOENT {
            throw DuckLakeError(.io, "cannot remove \(root + relativePath): \(String(cString: strerror(errno)))")
        }
    }

    public func reader(fullPath: String, size: Int64?) async throws -> any RangeReader {
        do {
            return try LocalFileReader(path: fullPath)
        } catch {
            throw DuckLakeError(.io, "cannot open \(fullPath): \(error)")
        }
    }
}

extension LakeFiles {
    /// Deletes a file named by its full catalog path when it lies outside data_path (a file moved to another
    /// storage volume). Returns false when this `LakeFiles` does not know where that is (only `TieredLakeFiles`
    /// does); absent files are not an error.
    public func delete(fullPath: String) async throws -> Bool { false }
}
