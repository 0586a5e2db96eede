import NIOCore

/// UDP: one HEP packet per datagram. Datagrams of one read burst are checked and decoded on the event loop into one
/// batch, handed to the pipeline at `channelReadComplete` (or every `sinkBatchSize` packets). When the pipeline is
/// over its backlog limit the batch is dropped and counted as `overload`: UDP has no way to slow the sender.
final class UDPIngestHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let pipeline: IngestPipeline
    private let stats: IngestStats
    private let gate: PacketGate
    private let flushAt: Int
    private var batch: IngestBatch
    private var seen = 0
    private var seenBytes = 0
    private var drops: [String: Int] = [:]

    init(pipeline: IngestPipeline) {
        self.pipeline = pipeline
        self.stats = pipeline.stats
        self.gate = pipeline.gate
        self.flushAt = max(1, pipeline.options.sinkBatchSize)
        self.batch = IngestBatch(reserving: 256)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let now = wallClockNanoseconds()
        seen += 1
        seenBytes += envelope.data.readableBytes
        let dropped = envelope.data.withUnsafeReadableBytes { bytes in
            gate.admit(bytes, transport: .udp, receivedAt: now, into: &batch)
        }
        if let dropped { drops[dropped, default: 0] += 1 }
        if batch.count >= flushAt { flush() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        flush()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A datagram socket error (e.g. ICMP-induced) must not close the listener.
    }

    private func flush() {
        if seen > 0 {
            stats.addPackets(.udp, count: seen, bytes: seenBytes)
            seen = 0
            seenBytes = 0
        }
        if !drops.isEmpty {
            for (reason, n) in drops { stats.addDropped(.udp, reason: reason, n) }
            drops.removeAll(keepingCapacity: true)
        }
        guard !batch.isEmpty else { return }
        let n = batch.count
        stats.addDecoded(.udp, n)
        if let refused = pipeline.offer(batch) {
            stats.addDropped(.udp, reason: refused.rawValue, n)
        }
        batch = IngestBatch(reserving: 256)
    }
}
