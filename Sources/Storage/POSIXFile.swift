import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the POSIX calls the stores need, turning errno into `StorageError`.
/// Plain functions, called from `NIOThreadPool` so blocking disk I/O never stalls the cooperative pool.
enum POSIXFile {
    static func error(_ call: String, _ path: String, key: String? = nil, errno code: Int32 = errno) -> StorageError {
        let text = String(cString: strerror(code))
        let reason: StorageError.Reason = (code == ENOENT || code == ENOTDIR) ? .notFound : .io
        return StorageError(reason, message: "\(call)(\(path)): \(text) (errno \(code))", key: key)
    }

    static func openRead(_ path: String, key: String? = nil) throws(StorageError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error("open", path, key: key) }
        return fd
    }

    /// Creates a new file that must not exist yet (O_EXCL): the temporary file of an atomic put.
    static func createExclusive(_ path: String) throws(StorageError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw error("open", path) }
        return fd
    }

    static func fileSize(_ fd: Int32, path: String) throws(StorageError) -> Int64 {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw error("fstat", path) }
        return Int64(st.st_size)
    }

    /// Reads exactly `count` bytes at `offset` (fewer only at end of file), looping over short reads and EINTR.
    static func pread(_ fd: Int32, offset: Int64, count: Int, path: String) throws(StorageError) -> [UInt8] {
        guard count > 0 else { return [] }
        var failure: StorageError?
        var filled = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while filled < count {
                let n = Glibc.pread(fd, buffer.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = error("pread", path)
                    break
                }
                if n == 0 { break }
                filled += n
            }
            initialized = filled
        }
        if let failure { throw failure }
        return bytes
    }

    /// Writes all of `bytes` at the current position, looping over short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(StorageError) {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw error("write", path)
            }
            done += n
        }
    }

    static func fsyncFile(_ fd: Int32, path: String) throws(StorageError) {
        guard fsync(fd) == 0 else { throw error("fsync", path) }
    }

    /// fsync of a directory makes a rename, create or unlink inside it durable (POSIX leaves it unspecified
    /// otherwise; ext4 and xfs need it for the new directory entry to survive a crash).
    static func fsyncDirectory(_ path: String) throws(StorageError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw error("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw error("fsync", path) }
    }

    /// `mkdir -p`, fsyncing the parent of every directory it creates so the new entries are durable.
    static func makeDirectories(_ path: String, durable: Bool) throws(StorageError) {
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw StorageError(.io, message: "\(path) exists and is not a directory")
            }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectories(parent, durable: durable) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw error("mkdir", path) }
        if durable && !parent.isEmpty { try fsyncDirectory(parent) }
    }

    /// Metadata of a regular file; nil when absent or not a regular file.
    static func statFile(_ path: String) throws(StorageError) -> (size: Int64, modified: Date)? {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw error("stat", path)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let modified = Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
        return (Int64(st.st_size), modified)
    }
}
