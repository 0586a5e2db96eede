#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The bound UDP, TCP and TLS sockets of the ingest stage and the open stream connections.
final class HEPListeners: Sendable {
    private let servers: [Channel]
    private let registry: ConnectionRegistry
    /// The addresses actually bound (with the real port when 0 was configured), by transport.
    let bound: [HEPTransport: ListenAddress]

    private init(servers: [Channel], registry: ConnectionRegistry, bound: [HEPTransport: ListenAddress]) {
        self.servers = servers
        self.registry = registry
        self.bound = bound
    }

    /// Binds every configured listener; on failure closes what was already bound and throws.
    static func bind(pipeline: IngestPipeline, group: EventLoopGroup, logger: Logger) async throws(IngestError)
        -> HEPListeners
    {
        let options = pipeline.options
        var servers: [Channel] = []
        var bound: [HEPTransport: ListenAddress] = [:]
        let registry = ConnectionRegistry()
        do {
            if let udp = options.udp {
                let ch = try await DatagramBootstrap(group: group)
                    .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                    .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: SocketOptionValue(options.udpReceiveBuffer))
                    // With vector reads NIO cuts one receive buffer into `udpMessagesPerRead` equal slots, so the
                    // buffer holds that many largest datagrams (a shorter slot would truncate big packets silently).
                    .channelOption(ChannelOptions.recvAllocator,
                                   value: FixedSizeRecvByteBufferAllocator(
                                       capacity: (options.maxPacketSize + 1) * max(1, options.udpMessagesPerRead)))
                    .channelOption(ChannelOptions.datagramVectorReadMessageCount,
                                   value: max(1, options.udpMessagesPerRead))
                    .channelOption(ChannelOptions.maxMessagesPerRead, value: 64)
                    .channelInitializer { ch in
                        ch.eventLoop.makeCompletedFuture {
                            try ch.pipeline.syncOperations.addHandler(UDPIngestHandler(pipeline: pipeline))
                        }
                    }
                    .bind(host: udp.host, port: udp.port).get()
                await forceReceiveBuffer(ch, bytes: options.udpReceiveBuffer, logger: logger)
                servers.append(ch)
                bound[.udp] = ListenAddress(host: udp.host, port: ch.localAddress?.port ?? udp.port)
                pipeline.stats.udpPort.store(bound[.udp]!.port, ordering: .relaxed)
            }
            if let tcp = options.tcp {
                let ch = try await streamBootstrap(group: group, pipeline: pipeline, transport: .tcp, tls: nil,
                                                   registry: registry)
                    .bind(host: tcp.host, port: tcp.port).get()
                servers.append(ch)
                bound[.tcp] = ListenAddress(host: tcp.host, port: ch.localAddress?.port ?? tcp.port)
            }
            if let tls = options.tls {
                let context = try makeTLSContext(tls)
                let ch = try await streamBootstrap(group: group, pipeline: pipeline, transport: .tls, tls: context,
                                                   registry: registry)
                    .bind(host: tls.listen.host, port: tls.listen.port).get()
                servers.append(ch)
                bound[.tls] = ListenAddress(host: tls.listen.host, port: ch.localAddress?.port ?? tls.listen.port)
            }
        } catch {
            for ch in servers { try? await ch.close() }
            if let e = error as? IngestError { throw e }
            throw IngestError(.bind, "cannot bind HEP listener: \(error)")
        }
        for (t, a) in bound.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            logger.info("HEP listener ready", metadata: ["transport": "\(t.label)", "address": "\(a)"])
        }
        return HEPListeners(servers: servers, registry: registry, bound: bound)
    }

    private static func streamBootstrap(group: EventLoopGroup, pipeline: IngestPipeline, transport: HEPTransport,
                                        tls: NIOSSLContext?, registry: ConnectionRegistry) -> ServerBootstrap {
        ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.recvAllocator,
                                value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 65536, maximum: 262_144))
            .childChannelInitializer { ch in
                registry.add(ch)
                ch.closeFuture.whenComplete { _ in registry.remove(ch) }
                return ch.eventLoop.makeCompletedFuture {
                    if let tls {
                        try ch.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try ch.pipeline.syncOperations.addHandler(StreamIngestHandler(pipeline: pipeline, transport: transport))
                }
            }
    }

    private static func makeTLSContext(_ tls: TLSListenOptions) throws(IngestError) -> NIOSSLContext {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
            let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw IngestError(.tls, "cannot load TLS certificate \(tls.certificatePath) / key \(tls.privateKeyPath): \(error)")
        }
    }

    /// SO_RCVBUF is capped at `net.core.rmem_max` (socket(7)); SO_RCVBUFFORCE lifts the cap when the process has
    /// CAP_NET_ADMIN (root, or a container granted it), which is how a capture server gets the 32 MiB buffer that
    /// rides out bursts. Without the capability the capped size stays and a warning says how to raise the sysctl.
    private static func forceReceiveBuffer(_ ch: Channel, bytes: Int, logger: Logger) async {
        #if os(Linux)
        // Linux reports twice the requested size (it counts its bookkeeping overhead, socket(7)).
        let current = Int((try? await ch.getOption(ChannelOptions.socketOption(.so_rcvbuf)).get()) ?? 0)
        guard current < 2 * bytes else { return }
        let force = ChannelOptions.Types.SocketOption(level: .socket, name: NIOBSDSocket.Option(rawValue: SO_RCVBUFFORCE))
        do {
            try await ch.setOption(force, value: SocketOptionValue(bytes)).get()
        } catch {
            logger.warning("UDP receive buffer capped by net.core.rmem_max", metadata: [
                "requested": "\(bytes)", "granted": "\(current / 2)",
                "fix": "sysctl -w net.core.rmem_max=\(bytes) (or run with CAP_NET_ADMIN)",
            ])
        }
        #endif
    }

    /// Closes the listening sockets, then every open connection (each flushes its partial batch on the way out).
    func close() async {
        for ch in servers { try? await ch.close() }
        let open = registry.all()
        for ch in open { try? await ch.close() }
        // Let handlers that were already closing finish their flush on their event loop.
        for ch in servers + open { try? await ch.eventLoop.submit {}.get() }
    }
}

/// Tracks open stream connections so shutdown can close them.
private final class ConnectionRegistry: Sendable {
    private let connections = Mutex<[ObjectIdentifier: Channel]>([:])
    func all() -> [Channel] { connections.withLock { Array($0.values) } }
    func add(_ ch: Channel) { connections.withLock { $0[ObjectIdentifier(ch)] = ch } }
    func remove(_ ch: Channel) { _ = connections.withLock { $0.removeValue(forKey: ObjectIdentifier(ch)) } }
}
