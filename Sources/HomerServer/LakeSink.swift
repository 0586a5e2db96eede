import API
import DuckLake
import HEP
import Ingest
import Metrics
import ServiceLifecycle

/// The ingest pipeline's sink in a storing server: batches go to the DuckLake writer with their spool position, and
/// each snapshot commit stores that position in the catalog (same transaction) and lets the spool drop the segments
/// the lake now holds. On start, the ingest service replays the spool after the catalog's position, so every packet
/// accepted before a crash reaches the lake exactly once (issue 4 item 4).
struct LakeSink: RecordSink {
    let writer: LakeWriter

    /// Connects the writer's commits to the spool.
    init(writer: LakeWriter, spool: Spool) async {
        self.writer = writer
        await writer.onCommit { result, position in
            // A failure here only delays segment deletion: the catalog already holds the position, and the spool's
            // own marker is advanced again at the next commit.
            if let position, let p = SpoolPosition(position) { try? spool.markCommitted(p) }
            Counter(label: MetricName.recordsCommitted).increment(by: Int(result.rowCount))
            Counter(label: MetricName.flushes).increment()
            Counter(label: MetricName.bytesWritten).increment(by: Int(result.fileBytes))
            Metrics.Timer(label: MetricName.flushDuration).record(duration: result.flushDuration)
            Gauge(label: MetricName.spoolDepth).record(spool.segmentsOnDisk.count)
        }
    }

    func consume(_ records: [HEPRecord], through position: SpoolPosition) async throws {
        try await writer.append(records, through: LakeSpoolPosition(segment: position.segment, offset: position.offset))
    }

    /// Called by the ingest service after its last batch on shutdown: write and commit what is buffered.
    func finish() async throws {
        try await writer.shutdown()
    }

    /// Where the lake's data ends in the spool: replay starts after it.
    func committedPosition() throws -> SpoolPosition? {
        try writer.committedSpoolPosition().flatMap(SpoolPosition.init)
    }
}

/// Runs the writer's periodic flush (`flush_interval_sec`) as a service. It is stopped after the ingest service,
/// whose shutdown already flushed and closed the writer.
struct LakeFlushService: Service {
    let writer: LakeWriter

    func run() async throws {
        try await cancelWhenGracefulShutdown { try await writer.run() }
        // The loop also ends when ingest closes the writer during shutdown, before this service's turn comes; a
        // service that returns while the group shuts down others counts as a failure, so wait for the turn.
        try? await gracefulShutdown()
    }
}

extension SpoolPosition {
    /// The spool position stored in the catalog; nil when the stored bytes are not a segment/offset pair.
    init?(_ lake: LakeSpoolPosition) {
        guard let p = lake.segmentOffset else { return nil }
        self.init(segment: p.segment, offset: p.offset)
    }
}
