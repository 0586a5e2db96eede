import Foundation
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The durable spool: every accepted HEP packet is appended to a local segment file and fsynced (group commit) before
/// it counts as received, so a crash or `kill -9` loses nothing the server acknowledged by counting it.
///
/// One writer appends batches (`append`); `waitDurable` suspends until a background fsync covers a position, so many
/// batches share one fsync. The sink reports how far the lake has the data with `markCommitted`, which deletes fully
/// committed segments; on start `replay(after:)` yields everything written after the last committed position.
/// New data always goes to a fresh segment, so a damaged tail of an old segment is never appended to.
public final class Spool: Sendable {
    public let options: SpoolOptions

    private struct Waiter {
        var position: SpoolPosition
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var fd: Int32
        var segment: UInt64
        var size: UInt64
        /// File descriptors of segments rolled over but not yet fsynced and closed by `syncNow`.
        var retired: [Int32] = []
        var directoryDirty = true
        var written: SpoolPosition
        var synced: SpoolPosition
        var waiters: [Waiter] = []
        var committed: SpoolPosition?
        /// What the `committed` file says, and when it was last written (monotonic ns).
        var markerPosition: SpoolPosition?
        var markerWrittenAt: UInt64 = 0
        /// Sizes of the closed segments still on disk, by segment number.
        var closedSizes: [UInt64: UInt64] = [:]
        var closed = false
    }

    private let state: Mutex<State>

    /// Opens (creating if needed) the spool directory and starts a new segment after the existing ones.
    public init(options: SpoolOptions) throws(IngestError) {
        self.options = options
        let dir = options.directory
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw IngestError(.spoolIO, "cannot create spool directory \(dir): \(error)")
        }
        let existing = Spool.segments(in: dir)
        var closedSizes: [UInt64: UInt64] = [:]
        for s in existing {
            let attributes = try? FileManager.default.attributesOfItem(atPath: Spool.path(dir, s))
            closedSizes[s] = (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
        }
        let committed = Spool.readMarker(dir)
        let next = max(existing.last ?? 0, committed?.segment ?? 0) + 1
        let fd = try Spool.create(Spool.path(dir, next))
        let pos = SpoolPosition(segment: next, offset: UInt64(SpoolRecord.fileHeader.count))
        state = Mutex(State(fd: fd, segment: next, size: pos.offset, written: pos, synced: .start,
                            committed: committed, markerPosition: committed, closedSizes: closedSizes))
    }

    deinit {
        state.withLock { s in
            if !s.closed { _ = Glibc.close(s.fd) }
            for fd in s.retired { _ = Glibc.close(fd) }
        }
    }

    /// The last position passed to `markCommitted` (also remembered across restarts in the `committed` file).
    public var committed: SpoolPosition? { state.withLock { $0.committed } }

    /// The end of the last append.
    public var written: SpoolPosition { state.withLock { $0.written } }

    /// Appends already-framed records (`SpoolRecord.append`) in one write and returns the position just after them.
    /// The bytes are in the page cache, not yet durable: `waitDurable` for that.
    func append(_ framed: [UInt8]) throws(IngestError) -> SpoolPosition {
        try state.withLock { (s: inout State) throws(IngestError) -> SpoolPosition in
            guard !s.closed else { throw IngestError(.spoolIO, "spool is closed") }
            if s.size > UInt64(SpoolRecord.fileHeader.count), s.size + UInt64(framed.count) > UInt64(options.segmentBytes) {
                let next = s.segment + 1
                let fd = try Spool.create(Spool.path(options.directory, next))
                s.retired.append(s.fd)
                s.closedSizes[s.segment] = s.size
                s.fd = fd
                s.segment = next
                s.size = UInt64(SpoolRecord.fileHeader.count)
                s.directoryDirty = true
            }
            try Spool.writeAll(s.fd, framed)
            s.size += UInt64(framed.count)
            s.written = SpoolPosition(segment: s.segment, offset: s.size)
            return s.written
        }
    }

    /// Suspends until everything up to `position` is fsynced. With a zero fsync interval it syncs right away.
    func waitDurable(_ position: SpoolPosition) async throws(IngestError) {
        if options.fsyncInterval == .zero || Task.isCancelled {
            // No group-commit loop (or it is stopping): make the data durable here.
            try syncNow()
            return
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if s.synced >= position || s.closed { return true }
                s.waiters.append(Waiter(position: position, continuation: c))
                return false
            }
            if ready { c.resume() }
        }
    }

    /// Fsyncs everything written so far (retired segments, the current one, the directory) and wakes the waiters it
    /// covers. Blocking: call it off the cooperative pool (`run` uses the NIO thread pool).
    public func syncNow() throws(IngestError) {
        let (fd, retired, target, dirty, closed) = state.withLock { s in
            let r = s.retired
            s.retired = []
            let d = s.directoryDirty
            s.directoryDirty = false
            return (s.fd, r, s.written, d, s.closed)
        }
        var failure: IngestError?
        for old in retired {
            if fsync(old) != 0 { failure = IngestError(.spoolIO, "fsync of a spool segment: errno \(errno)") }
            _ = Glibc.close(old)
        }
        if !closed, fsync(fd) != 0 { failure = IngestError(.spoolIO, "fsync of a spool segment: errno \(errno)") }
        if dirty { Spool.syncDirectory(options.directory) }
        if let failure { throw failure }
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            if target > s.synced { s.synced = target }
            var ready: [CheckedContinuation<Void, Never>] = []
            s.waiters.removeAll { w in
                guard w.position <= s.synced else { return false }
                ready.append(w.continuation)
                return true
            }
            return ready
        }
        for c in ready { c.resume() }
    }

    /// The group-commit loop: every `fsyncInterval`, fsync if anything was written since the last one. Runs until the
    /// task is cancelled; a final sync happens in `close()`.
    public func run() async {
        guard options.fsyncInterval > .zero else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: options.fsyncInterval)
            let needed = state.withLock { $0.written > $0.synced && !$0.closed }
            guard needed else { continue }
            do {
                try await NIOThreadPool.singleton.runIfActive { try self.syncNow() }
            } catch {
                // The waiters stay suspended and the next tick retries: nothing is acknowledged that is not durable.
            }
        }
        // Cancelled: wake whoever is waiting now (later callers sync inline, see waitDurable).
        try? syncNow()
    }

    /// Final fsync and close; wakes every waiter. Appends fail afterwards.
    public func close() {
        try? syncNow()
        let pending = state.withLock { s -> SpoolPosition? in
            guard let c = s.committed, s.markerPosition != c else { return nil }
            s.markerPosition = c
            return c
        }
        if let pending { Spool.writeMarker(options.directory, pending) }
        let waiters = state.withLock { s -> [Waiter] in
            if !s.closed { _ = Glibc.close(s.fd) }
            s.closed = true
            let w = s.waiters
            s.waiters = []
            return w
        }
        for w in waiters { w.continuation.resume() }
    }

    /// Records that everything before `position` is stored downstream: remembers it in the `committed` file and
    /// deletes the segments that hold nothing after it. Positions older than the current one are ignored.
    ///
    /// The marker is only a hint for the next start (a stale one replays a little more; the lake deduplicates by its
    /// own catalog position), so it is rewritten at most every 100 ms, always before segments are deleted, and on
    /// `close()`. Writing it per batch cost a file write and an fsync per batch when nothing downstream batches.
    public func markCommitted(_ position: SpoolPosition) throws(IngestError) {
        let now = DispatchTime.now().uptimeNanoseconds
        let (doomed, writeMarker) = state.withLock { s -> ([UInt64], Bool) in
            if let c = s.committed, c >= position { return ([], false) }
            s.committed = position
            let doomed = s.closedSizes.filter { seg, size in
                seg < position.segment || (seg == position.segment && position.offset >= size)
            }.map(\.key)
            for seg in doomed { s.closedSizes[seg] = nil }
            let write = !doomed.isEmpty || now &- s.markerWrittenAt >= 100_000_000
            if write {
                s.markerPosition = position
                s.markerWrittenAt = now
            }
            return (doomed.sorted(), write)
        }
        // The marker names a position at or after the deleted segments before they go, so a crash in between
        // never leaves a marker pointing into a segment that no longer exists.
        if writeMarker { Spool.writeMarker(options.directory, position) }
        for seg in doomed { _ = unlink(Spool.path(options.directory, seg)) }
    }

    /// The segment numbers still on disk (closed ones and the current one).
    public var segmentsOnDisk: [UInt64] { Spool.segments(in: options.directory) }

    // MARK: - files

    static func path(_ dir: String, _ segment: UInt64) -> String {
        let digits = String(segment)
        return dir + "/" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".hspl"
    }

    /// Segment numbers in `dir`, ascending. Other files are ignored.
    static func segments(in dir: String) -> [UInt64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.compactMap { name -> UInt64? in
            guard name.count == 25, name.hasSuffix(".hspl") else { return nil }
            let digits = name.prefix(20)
            guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return UInt64(digits)
        }.sorted()
    }

    private static func create(_ path: String) throws(IngestError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IngestError(.spoolIO, "cannot create \(path): errno \(errno)") }
        do {
            try writeAll(fd, SpoolRecord.fileHeader)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        return fd
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(IngestError) {
        let failure: Int32 = bytes.withUnsafeBytes { b in
            var done = 0
            while done < b.count {
                let n = write(fd, b.baseAddress! + done, b.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return 0
        }
        if failure != 0 { throw IngestError(.spoolIO, "spool write failed: errno \(failure)") }
    }

    private static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = Glibc.close(fd)
    }

    private static func readMarker(_ dir: String) -> SpoolPosition? {
        guard let text = try? String(contentsOfFile: dir + "/committed", encoding: .utf8) else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count == 2, let s = UInt64(parts[0]), let o = UInt64(parts[1]) else { return nil }
        return SpoolPosition(segment: s, offset: o)
    }

    /// Replaces the `committed` file (write + rename, no fsync: after a power loss an older marker only means more
    /// replay, never less).
    private static func writeMarker(_ dir: String, _ p: SpoolPosition) {
        let tmp = dir + "/committed.tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let text = Array("\(p.segment) \(p.offset)\n".utf8)
        let ok = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == text.count
        _ = Glibc.close(fd)
        if ok { _ = rename(tmp, dir + "/committed") }
    }
}
