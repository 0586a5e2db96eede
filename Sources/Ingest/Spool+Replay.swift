import Foundation

/// One packet read back from the spool.
public struct SpooledPacket: Sendable {
    public var receivedAt: Int64
    public var transport: HEPTransport
    /// The HEP packet bytes exactly as received.
    public var bytes: [UInt8]
}

/// What a replay found.
public struct SpoolReplayReport: Sendable, Equatable {
    /// Records read back.
    public var records = 0
    /// Segments read (fully or from the committed offset).
    public var segments = 0
    /// Segments whose tail was truncated or damaged: reading stopped at the last complete record.
    public var corruptTails = 0
    /// Bytes after the last complete record of those segments.
    public var skippedBytes = 0
}

extension Spool {
    /// Reads every record written after `position` (after the `committed` marker when nil) in the segments that
    /// existed when this spool was opened, in order, and calls `body` with batches of at most `batchSize` packets and
    /// the position just after each batch. A damaged segment tail stops that segment (counted), never the replay.
    public func replay(after position: SpoolPosition?, batchSize: Int = 4096,
                       _ body: ([SpooledPacket], SpoolPosition) async throws -> Void) async throws -> SpoolReplayReport {
        let from = position ?? committed ?? .start
        let current = written.segment
        var report = SpoolReplayReport()
        for segment in Spool.segments(in: options.directory) where segment >= from.segment && segment < current {
            guard let data = FileManager.default.contents(atPath: Spool.path(options.directory, segment)) else {
                continue
            }
            report.segments += 1
            let header = SpoolRecord.fileHeader.count
            guard data.count >= header, data.prefix(header).elementsEqual(SpoolRecord.fileHeader) else {
                report.corruptTails += 1
                report.skippedBytes += data.count
                continue
            }
            var offset = segment == from.segment ? max(Int(clamping: from.offset), header) : header
            var batch: [SpooledPacket] = []
            batch.reserveCapacity(min(batchSize, 4096))
            while offset < data.count {
                let entry = data.withUnsafeBytes { SpoolRecord.read($0, at: offset) }
                guard let entry else {
                    report.corruptTails += 1
                    report.skippedBytes += data.count - offset
                    break
                }
                batch.append(SpooledPacket(receivedAt: entry.receivedAt, transport: entry.transport,
                                           bytes: [UInt8](data[entry.packet])))
                offset = entry.end
                report.records += 1
                if batch.count >= batchSize {
                    try await body(batch, SpoolPosition(segment: segment, offset: UInt64(offset)))
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty {
                try await body(batch, SpoolPosition(segment: segment, offset: UInt64(offset)))
            }
        }
        return report
    }
}
