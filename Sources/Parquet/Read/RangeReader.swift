#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random access to a file's bytes: a local file now, an S3 ranged GET later.
///
/// The reader asks for few, large ranges (the footer tail, then one range per column chunk or per run of selected
/// pages), so an implementation may map each call to one request.
public protocol RangeReader: Sendable {
    /// Total size of the object in bytes.
    var size: Int64 { get async throws }
    /// Exactly `length` bytes starting at `offset`; throws when the object is shorter.
    func read(offset: Int64, length: Int) async throws -> [UInt8]
}

/// A `RangeReader` over a local file, using `pread` on one descriptor opened at init and closed when the last copy
/// goes away.
public struct LocalFileReader: RangeReader {
    /// The file's path, as given.
    public let path: String
    private let file: Descriptor

    /// Opens `path` for reading; throws `ParquetError(.io)` when it cannot.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ParquetError(.io, "open \(path): errno \(errno)") }
        file = Descriptor(fd)
    }

    public var size: Int64 {
        get async throws {
            var st = stat()
            guard fstat(file.fd, &st) == 0 else { throw ParquetError(.io, "fstat \(path): errno \(errno)") }
            return Int64(st.st_size)
        }
    }

    public func read(offset: Int64, length: Int) async throws -> [UInt8] {
        guard offset >= 0, length >= 0 else { throw ParquetError(.invalidArgument, "bad range \(offset)+\(length)") }
        var out = [UInt8](repeating: 0, count: length)
        var done = 0
        try out.withUnsafeMutableBytes { buffer in
            while done < length {
                let n = pread(file.fd, buffer.baseAddress! + done, length - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ParquetError(.io, "pread \(path): errno \(errno)")
                }
                if n == 0 { throw ParquetError(.truncated, "\(path) ends before \(offset + Int64(length))") }
                done += n
            }
        }
        return out
    }

    /// Owns the descriptor. `@unchecked Sendable`: the descriptor is immutable after init and `pread` is safe to call
    /// from several threads at once on one descriptor.
    private final class Descriptor: @unchecked Sendable {
        let fd: Int32
        init(_ fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }
}

/// A `RangeReader` over bytes in memory (tests, fuzzing, files already fetched whole).
public struct MemoryRangeReader: RangeReader {
    /// The whole object.
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var size: Int64 { get async throws { Int64(bytes.count) } }

    public func read(offset: Int64, length: Int) async throws -> [UInt8] {
        guard offset >= 0, length >= 0, offset <= Int64(bytes.count), Int64(length) <= Int64(bytes.count) - offset else {
            throw ParquetError(.truncated, "range \(offset)+\(length) outside \(bytes.count) bytes")
        }
        return Array(bytes[Int(offset)..<(Int(offset) + length)])
    }
}
