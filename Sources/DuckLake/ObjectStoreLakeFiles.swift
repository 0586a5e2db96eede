import Foundation
import Parquet
import Storage

/// Data files in an object store (`data_path` = `s3://bucket/prefix/`): the store's keys are the catalog's paths
/// relative to data_path. New files are staged in a local directory, uploaded (`putFile`, multipart when large) and
/// only then committed, so the catalog never points at a missing object (issue 4 item 3).
public struct ObjectStoreLakeFiles: LakeFiles {
    public let store: any ObjectStore
    /// The catalog's data_path, ending in `/` (full paths in the catalog start with it).
    public let dataPath: String
    /// Local directory for staged files (removed after upload).
    public let stagingDirectory: String

    public init(store: any ObjectStore, dataPath: String, stagingDirectory: String = NSTemporaryDirectory()) {
        self.store = store
        self.dataPath = dataPath.hasSuffix("/") ? dataPath : dataPath + "/"
        self.stagingDirectory = stagingDirectory
    }

    public func stagingPath(for relativePath: String) throws -> String {
        do {
            try FileManager.default.createDirectory(atPath: stagingDirectory, withIntermediateDirectories: true)
        } catch {
            throw DuckLakeError(.io, "cannot create staging directory \(stagingDirectory): \(error)")
        }
        let name = (relativePath as NSString).lastPathComponent
        return (stagingDirectory as NSString).appendingPathComponent(".\(name).tmp")
    }

    public func publish(staged: String, as relativePath: String) async throws {
        defer { unlink(staged) }
        var st = stat()
        guard stat(staged, &st) == 0 else { throw DuckLakeError(.io, "cannot stat staged \(staged)") }
        let info: ObjectInfo?
        do {
            try await store.putFile(relativePath, from: staged)
            // The catalog will record this size as file_size_bytes, which readers trust (research §4): check the
            // stored object really has it before anything commits (issue 6 item 2).
            info = try await store.head(relativePath)
        } catch {
            throw DuckLakeError(.io, "upload of \(relativePath) to \(dataPath) failed: \(error)")
        }
        guard let info, info.size == Int64(st.st_size) else {
            throw DuckLakeError(.io, "upload of \(relativePath) to \(dataPath): stored size \(info.map { String($0.size) } ?? "none") ≠ \(st.st_size)")
        }
    }

    public func list(prefix: String) async throws -> [String] {
        do {
            return try await store.list(prefix: prefix).map(\.key)
        } catch {
            throw DuckLakeError(.io, "listing \(dataPath)\(prefix): \(error)")
        }
    }

    public func delete(_ relativePath: String) async throws {
        do {
            try await store.delete(relativePath)
        } catch {
            throw DuckLakeError(.io, "deleting \(dataPath)\(relativePath): \(error)")
        }
    }

    public func reader(fullPath: String, size: Int64?) async throws -> any RangeReader {
        guard fullPath.hasPrefix(dataPath) else {
            throw DuckLakeError(.invalidArgument, "\(fullPath) is outside data_path \(dataPath)")
        }
        return ObjectRangeReader(store: store, key: String(fullPath.dropFirst(dataPath.count)), knownSize: size)
    }
}

/// Ranged GETs of one object; the size comes from the catalog (exact by construction, research §4) or a HEAD.
struct ObjectRangeReader: RangeReader {
    let store: any ObjectStore
    let key: String
    let knownSize: Int64?

    var size: Int64 {
        get async throws {
            if let knownSize { return knownSize }
            guard let info = try await store.head(key) else { throw DuckLakeError(.io, "object \(key) does not exist") }
            return info.size
        }
    }

    func read(offset: Int64, length: Int) async throws -> [UInt8] {
        guard length > 0 else { return [] }
        return try await store.get(key, range: offset..<(offset + Int64(length)))
    }
}
