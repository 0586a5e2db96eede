import HEP
import NIOCore

/// TCP and TLS: a byte stream of back-to-back HEP3 packets, each delimited by its own total length
/// (`HEPFraming.frameLength`, homer.md §1.1 transport notes). Segments are accumulated until a whole packet is
/// buffered, so packets split at any byte boundary are reassembled. A stream that cannot be framed (bad magic,
/// length below 6) is closed and counted; a frame that is framed correctly but fails to decode, is too big or has a
/// wrong auth key is dropped and counted while the connection stays open.
///
/// Back-pressure: when the pipeline is over its backlog limit the connection stops reading (`autoRead` off) until
/// the pipeline calls back, so a slow sink slows the sender through TCP flow control and nothing is dropped.
final class StreamIngestHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let pipeline: IngestPipeline
    private let stats: IngestStats
    private let gate: PacketGate
    private let transport: HEPTransport
    private let flushAt: Int
    private var buffer: ByteBuffer?
    private var batch = IngestBatch()
    private var seen = 0
    private var seenBytes = 0
    private var drops: [String: Int] = [:]
    private var failed = false

    init(pipeline: IngestPipeline, transport: HEPTransport) {
        self.pipeline = pipeline
        self.stats = pipeline.stats
        self.gate = pipeline.gate
        self.transport = transport
        self.flushAt = max(1, pipeline.options.sinkBatchSize)
    }

    func channelActive(context: ChannelHandlerContext) {
        stats.connections.add(1, ordering: .relaxed)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        if buffer == nil || buffer!.readableBytes == 0 {
            buffer = incoming
        } else {
            buffer!.writeBuffer(&incoming)
        }
        let now = wallClockNanoseconds()
        while var buf = buffer, buf.readableBytes > 0 {
            let length: Int?
            do {
                length = try buf.withUnsafeReadableBytes { (b) throws(HEPError) in try HEPFraming.frameLength(b) }
            } catch {
                fail(context: context, reason: error.reason.rawValue)
                return
            }
            guard let length, buf.readableBytes >= length else { break }
            seen += 1
            seenBytes += length
            let dropped = buf.withUnsafeReadableBytes { all in
                gate.admit(UnsafeRawBufferPointer(rebasing: all[0..<length]), transport: transport, receivedAt: now,
                           into: &batch)
            }
            if let dropped { drops[dropped, default: 0] += 1 }
            buf.moveReaderIndex(forwardBy: length)
            buffer = buf
            if batch.count >= flushAt { flush(context: context) }
        }
        // Keep the partial packet compact so the buffer does not grow with the stream.
        if buffer?.readableBytes == 0 {
            buffer = nil
        } else if buffer != nil, buffer!.readerIndex > 0 {
            buffer!.discardReadBytes()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush(context: context)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        flush(context: context)
        if let b = buffer, b.readableBytes > 0, !failed {
            // The peer closed in the middle of a packet.
            stats.addDropped(transport, reason: HEPError.Reason.truncated.rawValue)
        }
        buffer = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // Connection reset, TLS handshake failure…: close this connection only.
        flush(context: context)
        context.close(promise: nil)
    }

    private func fail(context: ChannelHandlerContext, reason: String) {
        failed = true
        buffer = nil
        stats.addFramingError(transport, reason: reason)
        flush(context: context)
        context.close(promise: nil)
    }

    private func flush(context: ChannelHandlerContext) {
        if seen > 0 {
            stats.addPackets(transport, count: seen, bytes: seenBytes)
            seen = 0
            seenBytes = 0
        }
        if !drops.isEmpty {
            for (reason, n) in drops { stats.addDropped(transport, reason: reason, n) }
            drops.removeAll(keepingCapacity: true)
        }
        guard !batch.isEmpty else { return }
        let n = batch.count
        stats.addDecoded(transport, n)
        let channel = context.channel
        let pause = pipeline.submit(batch) {
            channel.eventLoop.execute {
                channel.setOption(ChannelOptions.autoRead, value: true).whenSuccess { channel.read() }
            }
        }
        batch = IngestBatch()
        switch pause {
        case .none:
            stats.addDropped(transport, reason: DropReason.shutdown.rawValue, n)
        case .some(true):
            _ = channel.setOption(ChannelOptions.autoRead, value: false)
        case .some(false):
            break
        }
    }
}
