import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// An object store in a local directory: key `a/b/c.parquet` is the file `<root>/a/b/c.parquet`.
///
/// Puts write a temporary file in the target directory, fsync it, rename it over the key and fsync the directory, so
/// a reader (or a crash) sees either the old or the new object, never a torn one. Temporary files are named
/// `.homer-tmp-*` and never listed. Blocking file calls run on `NIOThreadPool.singleton`.
public struct LocalObjectStore: ObjectStore {
    /// The root directory (absolute or relative to the working directory), without a trailing slash.
    public let root: String
    /// fsync files and directories on put and delete (default true). Turning it off trades crash durability for
    /// speed; only tests and benches should do that.
    public let durable: Bool

    static let temporaryPrefix = ".homer-tmp-"
    static let copyChunk = 1 << 20

    /// Opens (and creates if needed) a store rooted at `root`.
    public init(root: String, durable: Bool = true) throws {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard !trimmed.isEmpty else { throw StorageError(.invalidConfiguration, message: "empty local data path") }
        self.root = trimmed
        self.durable = durable
        try POSIXFile.makeDirectories(trimmed, durable: durable)
    }

    public var location: String { root }

    /// The file path of a key (the key is validated first).
    public func path(for key: String) throws -> String {
        try ObjectKey.validate(key)
        return root + "/" + key
    }

    public func put(_ key: String, data: [UInt8]) async throws {
        let path = try path(for: key)
        let durable = self.durable
        try await NIOThreadPool.singleton.runIfActive {
            try Self.atomicWrite(path: path, key: key, durable: durable) { fd, tmp in
                try data.withUnsafeBytes { try POSIXFile.writeAll(fd, $0, path: tmp) }
                return Int64(data.count)
            }
        }
    }

    public func putFile(_ key: String, from localPath: String) async throws {
        let path = try path(for: key)
        let durable = self.durable
        try await NIOThreadPool.singleton.runIfActive {
            let source = try POSIXFile.openRead(localPath)
            defer { close(source) }
            let size = try POSIXFile.fileSize(source, path: localPath)
            try Self.atomicWrite(path: path, key: key, durable: durable) { fd, tmp in
                var offset: Int64 = 0
                while offset < size {
                    let chunk = try POSIXFile.pread(source, offset: offset, count: Self.copyChunk, path: localPath)
                    if chunk.isEmpty { break }
                    try chunk.withUnsafeBytes { try POSIXFile.writeAll(fd, $0, path: tmp) }
                    offset += Int64(chunk.count)
                }
                // The file shrank while we copied it: refuse rather than store a truncated object.
                guard offset == size else {
                    throw StorageError(.sizeMismatch, message: "\(localPath) changed size while copying", key: key)
                }
                return size
            }
        }
    }

    /// Writes through `body` into a temporary file next to `path`, checks the written size, fsyncs, renames.
    private static func atomicWrite(path: String, key: String, durable: Bool,
                                    _ body: (Int32, String) throws -> Int64) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let tmp = directory + "/" + temporaryPrefix + UUID().uuidString
        // A concurrent delete may remove the (then empty) directory between mkdir and open: retry a few times.
        let fd = try openTemporary(tmp, directory: directory, durable: durable)
        var renamed = false
        defer {
            close(fd)
            if !renamed { unlink(tmp) }
        }
        let expected = try body(fd, tmp)
        let written = try POSIXFile.fileSize(fd, path: tmp)
        guard written == expected else {
            throw StorageError(.sizeMismatch, message: "wrote \(written) bytes, expected \(expected)", key: key)
        }
        if durable { try POSIXFile.fsyncFile(fd, path: tmp) }
        guard rename(tmp, path) == 0 else { throw POSIXFile.error("rename", path, key: key) }
        renamed = true
        if durable { try POSIXFile.fsyncDirectory(directory) }
    }

    private static func openTemporary(_ tmp: String, directory: String, durable: Bool) throws -> Int32 {
        var attempt = 0
        while true {
            try POSIXFile.makeDirectories(directory, durable: durable)
            let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return fd }
            if errno != ENOENT || attempt >= 3 { throw POSIXFile.error("open", tmp) }
            attempt += 1
        }
    }

    public func get(_ key: String, range: Range<Int64>?) async throws -> [UInt8] {
        let path = try path(for: key)
        return try await NIOThreadPool.singleton.runIfActive {
            let fd = try POSIXFile.openRead(path, key: key)
            defer { close(fd) }
            let size = try POSIXFile.fileSize(fd, path: path)
            var lower: Int64 = 0
            var upper = size
            if let range {
                if range.isEmpty { return [] }
                // S3 answers 416 when the first byte is past the end and clamps the last byte otherwise.
                guard range.lowerBound >= 0, range.lowerBound < size else {
                    throw StorageError(.invalidRange, message: "range \(range) outside object of \(size) bytes",
                                       key: key)
                }
                lower = range.lowerBound
                upper = min(range.upperBound, size)
            }
            let count = upper - lower
            guard count <= Int64(Int.max) else { throw StorageError(.invalidRange, message: "range too large", key: key) }
            return try POSIXFile.pread(fd, offset: lower, count: Int(count), path: path)
        }
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        let path = try path(for: key)
        return try await NIOThreadPool.singleton.runIfActive {
            guard let st = try POSIXFile.statFile(path) else { return nil }
            return ObjectInfo(key: key, size: st.size, lastModified: st.modified)
        }
    }

    public func list(prefix: String) async throws -> [ObjectInfo] {
        let root = self.root
        return try await NIOThreadPool.singleton.runIfActive {
            // Only the directory named by the prefix up to its last '/' can hold matching keys.
            var start = ""
            if let slash = prefix.lastIndex(of: "/") { start = String(prefix[..<slash]) }
            var found: [ObjectInfo] = []
            try Self.walk(root: root, relative: start, prefix: prefix, into: &found)
            found.sort { ObjectKey.utf8Less($0.key, $1.key) }
            return found
        }
    }

    private static func walk(root: String, relative: String, prefix: String, into found: inout [ObjectInfo]) throws {
        let directory = relative.isEmpty ? root : root + "/" + relative
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            var st = stat()
            if stat(directory, &st) != 0 { return }  // the prefix names no directory: nothing listed
            throw StorageError(.io, message: "cannot list \(directory): \(error)")
        }
        for name in names where !name.hasPrefix(temporaryPrefix) {
            let key = relative.isEmpty ? name : relative + "/" + name
            let path = directory + "/" + name
            var st = stat()
            guard stat(path, &st) == 0 else { continue }  // removed while we listed
            if (st.st_mode & S_IFMT) == S_IFDIR {
                // Descend only where keys under this directory can still match the prefix.
                let asDirectory = key + "/"
                if asDirectory.hasPrefix(prefix) || prefix.hasPrefix(asDirectory) {
                    try walk(root: root, relative: key, prefix: prefix, into: &found)
                }
            } else if (st.st_mode & S_IFMT) == S_IFREG && key.hasPrefix(prefix) {
                let modified = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
                found.append(ObjectInfo(key: key, size: Int64(st.st_size), lastModified: modified))
            }
        }
    }

    public func delete(_ key: String) async throws {
        let path = try path(for: key)
        let root = self.root
        let durable = self.durable
        try await NIOThreadPool.singleton.runIfActive {
            if unlink(path) != 0 {
                if errno == ENOENT || errno == ENOTDIR { return }
                throw POSIXFile.error("unlink", path, key: key)
            }
            var directory = (path as NSString).deletingLastPathComponent
            if durable { try POSIXFile.fsyncDirectory(directory) }
            // S3 has no directories: drop the ones this delete emptied (rmdir fails harmlessly when not empty).
            while directory.count > root.count && directory.hasPrefix(root + "/") {
                if rmdir(directory) != 0 { break }
                directory = (directory as NSString).deletingLastPathComponent
            }
        }
    }
}
