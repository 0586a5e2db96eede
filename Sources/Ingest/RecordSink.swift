import HEP

/// Where decoded records go (the DuckLake writer; in tests and until storage exists, a counting sink).
///
/// The pipeline calls `consume` from one task, in spool order, never concurrently. Every record handed over is
/// already durable in the spool. While `consume` is suspended no further batch is delivered; the backlog grows, and
/// above `IngestOptions.maxPendingPackets` TCP/TLS listeners stop reading and UDP batches are dropped (counted).
public protocol RecordSink: Sendable {
    /// Takes one batch. `position` is the spool position just after these records: once they are stored for good
    /// downstream, the sink calls `Spool.markCommitted(position)` (the DuckLake writer also stores `position` in the
    /// catalog in the snapshot's transaction, and passes it back on start so replay resumes exactly there).
    /// Throwing makes the pipeline retry the same batch after a pause (counted in `sink_errors`).
    func consume(_ records: [HEPRecord], through position: SpoolPosition) async throws

    /// Called once after the last batch on shutdown: flush what is buffered. Default: nothing.
    func finish() async throws
}

extension RecordSink {
    public func finish() async throws {}
}
