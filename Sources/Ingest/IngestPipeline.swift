import HEP
import Logging
import Synchronization

/// The batcher between the listeners and the sink. Listeners hand over whole batches (`offer` for UDP, `submit` for
/// TCP/TLS) from their event loops without suspending; one writer task appends them to the spool, a second task waits
/// for the group-commit fsync, counts the packets as received and feeds the sink. The two stages overlap, so the
/// fsync interval adds latency, not a throughput limit.
///
/// Back-pressure: `pending` counts packets accepted and not yet consumed by the sink. Above
/// `maxPendingPackets` `offer` refuses (UDP counts an `overload` drop) and `submit` asks its connection to stop
/// reading; paused connections resume when the backlog falls under half the limit.
public final class IngestPipeline: Sendable {
    let options: IngestOptions
    let stats: IngestStats
    let spool: Spool
    let sink: any RecordSink
    let gate: PacketGate
    let logger: Logger

    private struct State {
        var queue: [IngestBatch] = []
        var consumer: CheckedContinuation<Void, Never>?
        var paused: [@Sendable () -> Void] = []
        var pending = 0
        var finished = false
    }

    private let state = Mutex(State())

    public init(options: IngestOptions, spool: Spool, sink: any RecordSink, stats: IngestStats, logger: Logger) {
        self.options = options
        self.stats = stats
        self.spool = spool
        self.sink = sink
        self.gate = PacketGate(options)
        self.logger = logger
    }

    // MARK: - producers (event loops)

    /// UDP: enqueue unless the backlog is over the limit or the pipeline has finished; returns why it refused
    /// (`overload` or `shutdown`, the caller counts the drop), nil when accepted.
    func offer(_ batch: IngestBatch) -> DropReason? {
        let n = batch.count
        let (refused, consumer) = state.withLock { s -> (DropReason?, CheckedContinuation<Void, Never>?) in
            if s.finished { return (.shutdown, nil) }
            guard s.pending + n <= options.maxPendingPackets else { return (.overload, nil) }
            s.pending += n
            s.queue.append(batch)
            let c = s.consumer
            s.consumer = nil
            return (nil, c)
        }
        if refused == nil { stats.pending.add(n, ordering: .relaxed) }
        consumer?.resume()
        return refused
    }

    /// TCP/TLS: always enqueues (nothing is dropped on a stream). Returns true when the backlog is over the limit: the
    /// caller must stop reading, and `resume` will be called (from any thread) once it has fallen under half of it.
    /// Returns nil when the pipeline has already finished (the caller counts a `shutdown` drop).
    func submit(_ batch: IngestBatch, resume: @escaping @Sendable () -> Void) -> Bool? {
        let n = batch.count
        let (result, consumer) = state.withLock { s -> (Bool?, CheckedContinuation<Void, Never>?) in
            guard !s.finished else { return (nil, nil) }
            s.pending += n
            s.queue.append(batch)
            var pause = false
            if s.pending > options.maxPendingPackets {
                s.paused.append(resume)
                pause = true
            }
            let c = s.consumer
            s.consumer = nil
            return (pause, c)
        }
        if result != nil { stats.pending.add(n, ordering: .relaxed) }
        consumer?.resume()
        return result
    }

    /// No more input will be accepted; `run` drains what is queued and returns.
    public func finish() {
        let c = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.finished = true
            let c = s.consumer
            s.consumer = nil
            return c
        }
        c?.resume()
    }

    private func release(_ n: Int) {
        stats.pending.subtract(n, ordering: .relaxed)
        let resumers = state.withLock { s -> [@Sendable () -> Void] in
            s.pending -= n
            guard s.pending <= options.maxPendingPackets / 2, !s.paused.isEmpty else { return [] }
            let r = s.paused
            s.paused = []
            return r
        }
        for r in resumers { r() }
    }

    /// Waits for queued batches; nil once finished and drained.
    private func take() async -> [IngestBatch]? {
        while true {
            let got = state.withLock { s -> [IngestBatch]?? in
                if !s.queue.isEmpty {
                    let q = s.queue
                    s.queue = []
                    return .some(q)
                }
                return s.finished ? .some(nil) : .none
            }
            if let got { return got }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s -> Bool in
                    if !s.queue.isEmpty || s.finished { return true }
                    s.consumer = c
                    return false
                }
                if ready { c.resume() }
            }
        }
    }

    // MARK: - consumer

    private struct Durable: Sendable {
        var batch: IngestBatch
        var position: SpoolPosition
    }

    /// Runs the spool writer, the group-commit fsync loop and the sink feeder until `finish()` and the queue is
    /// drained; then fsyncs, closes the spool and calls `sink.finish()`.
    public func run() async {
        let (stream, continuation) = AsyncStream<Durable>.makeStream()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.spool.run() }
            group.addTask {
                // Stage 1: append to the spool (page cache), in batches of up to sinkBatchSize records.
                while let batches = await self.take() {
                    var i = 0
                    while i < batches.count {
                        var merged = batches[i]
                        i += 1
                        while i < batches.count, merged.count + batches[i].count <= self.options.sinkBatchSize {
                            merged.merge(batches[i])
                            i += 1
                        }
                        do {
                            let position = try self.spool.append(merged.spoolBytes)
                            merged.spoolBytes = []
                            continuation.yield(Durable(batch: merged, position: position))
                        } catch {
                            self.logger.error("spool append failed, batch dropped", metadata: ["error": "\(error)"])
                            for t in HEPTransport.allCases {
                                self.stats.addDropped(t, reason: DropReason.spoolError.rawValue,
                                                      merged.perTransport[Int(t.rawValue) - 1])
                            }
                            self.release(merged.count)
                        }
                    }
                }
                continuation.finish()
            }
            // Stage 2: wait for durability, count, feed the sink.
            for await item in stream {
                do {
                    try await spool.waitDurable(item.position)
                } catch {
                    logger.error("spool fsync failed", metadata: ["error": "\(error)"])
                }
                for t in HEPTransport.allCases {
                    stats.addReceived(t, item.batch.perTransport[Int(t.rawValue) - 1])
                }
                await deliver(item.batch.records, through: item.position)
                release(item.batch.count)
            }
            group.cancelAll()
        }
        spool.close()
        do {
            try await sink.finish()
        } catch {
            logger.error("sink finish failed", metadata: ["error": "\(error)"])
        }
    }

    /// Hands a batch to the sink, retrying with a growing pause while it throws. When shutting down it gives up
    /// after a few attempts: the records stay in the spool and are replayed on the next start.
    func deliver(_ records: [HEPRecord], through position: SpoolPosition) async {
        var attempt = 0
        while true {
            do {
                try await sink.consume(records, through: position)
                stats.sinkBatches.add(1, ordering: .relaxed)
                return
            } catch {
                attempt += 1
                stats.sinkErrors.add(1, ordering: .relaxed)
                logger.error("sink failed, retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                let finishing = state.withLock { $0.finished }
                if finishing && attempt >= 3 { return }
                try? await Task.sleep(for: .milliseconds(min(100 << min(attempt, 6), 5000)))
            }
        }
    }

    /// Start-up recovery: decodes every spooled packet after `position` (the sink's last committed position; the
    /// spool's own `committed` marker when nil) and hands them to the sink in order. Call before listeners start.
    public func replay(after position: SpoolPosition?) async throws -> SpoolReplayReport {
        let report = try await spool.replay(after: position, batchSize: options.sinkBatchSize) { packets, end in
            var records: [HEPRecord] = []
            records.reserveCapacity(packets.count)
            for p in packets {
                do {
                    records.append(try gate.redecode(p))
                } catch {
                    stats.replayDecodeErrors.add(1, ordering: .relaxed)
                }
            }
            stats.replayed.add(records.count, ordering: .relaxed)
            await deliver(records, through: end)
        }
        stats.spoolCorruptTails.add(report.corruptTails, ordering: .relaxed)
        if report.records > 0 || report.corruptTails > 0 {
            logger.info("spool replayed", metadata: [
                "records": "\(report.records)", "segments": "\(report.segments)",
                "corrupt_tails": "\(report.corruptTails)", "skipped_bytes": "\(report.skippedBytes)",
            ])
        }
        return report
    }
}
