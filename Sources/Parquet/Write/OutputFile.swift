#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a writer's bytes go: a file written through a 1 MiB buffer, or memory.
final class OutputFile {
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let bufferSize = 1 << 20
    private let directWriteSize = 64 << 10
    private let inMemory: Bool
    /// Bytes written so far (the offset of the next byte).
    private(set) var offset: Int64 = 0

    /// Creates (truncating) the file at `path`.
    init(path: String) throws(ParquetError) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ParquetError(.io, "open \(path): \(String(cString: strerror(errno)))") }
        inMemory = false
        buffer.reserveCapacity(bufferSize)
    }

    /// Collects everything in memory (`contents`).
    init() {
        fd = -1
        inMemory = true
    }

    deinit {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Everything written, for an in-memory output (empty for a file: its buffer is only a write-behind cache).
    var contents: [UInt8] { inMemory ? buffer : [] }

    func write(_ bytes: [UInt8]) throws(ParquetError) {
        offset += Int64(bytes.count)
        if inMemory {
            buffer.append(contentsOf: bytes)
            return
        }
        if buffer.count + bytes.count > bufferSize { try flush() }
        // Whole pages (usually tens of KiB and more) go straight to the kernel instead of through the buffer: one
        // copy less, and the page is written in one syscall anyway.
        if bytes.count >= directWriteSize {
            try flush()
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    func flush() throws(ParquetError) {
        guard !inMemory, !buffer.isEmpty else { return }
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws(ParquetError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ParquetError(.io, "write: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    /// Flushes, optionally fsyncs, and closes.
    func close(sync: Bool) throws(ParquetError) {
        guard !inMemory else { return }
        try flush()
        if sync && fsync(fd) != 0 { throw ParquetError(.io, "fsync: \(String(cString: strerror(errno)))") }
        let r = Glibc.close(fd)
        fd = -1
        if r != 0 { throw ParquetError(.io, "close: \(String(cString: strerror(errno)))") }
    }
}
