#if canImport(Glibc)
import Glibc
#endif

/// A blocking client socket for `HEPSender` (UDP with `sendmmsg`, or TCP with large writes).
struct SenderSocket {
    let fd: Int32
    let stream: Bool

    init(address: ListenAddress, stream: Bool) throws(IngestError) {
        self.stream = stream
        var hints = addrinfo()
        hints.ai_socktype = stream ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address.host, String(address.port), &hints, &result) == 0, let ai = result else {
            throw IngestError(.send, "cannot resolve \(address)")
        }
        defer { freeaddrinfo(result) }
        let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, 0)
        guard fd >= 0 else { throw IngestError(.send, "socket(): errno \(errno)") }
        if stream {
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var size: Int32 = 4 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        guard connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            let e = errno
            _ = Glibc.close(fd)
            throw IngestError(.send, "cannot connect to \(address): errno \(e)")
        }
        self.fd = fd
    }

    func close() {
        if stream { _ = shutdown(fd, Int32(SHUT_WR)) }
        _ = Glibc.close(fd)
    }

    /// Writes all bytes (TCP).
    func write(_ bytes: [UInt8]) throws(IngestError) {
        try bytes.withUnsafeBytes { (b) throws(IngestError) in
            var done = 0
            while done < b.count {
                let n = send(fd, b.baseAddress! + done, b.count - done, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw IngestError(.send, "send failed: errno \(errno)")
                }
                done += n
            }
        }
    }

    /// Sends each `bounds[i]..<bounds[i+1]` slice as one datagram (UDP), `sendmmsg` in one call per batch.
    func sendDatagrams(_ bytes: [UInt8], bounds: [Int]) throws(IngestError) {
        let count = bounds.count - 1
        guard count > 0 else { return }
        var iovecs = [iovec](repeating: iovec(), count: count)
        var headers = [mmsghdr](repeating: mmsghdr(), count: count)
        try bytes.withUnsafeBytes { (b) throws(IngestError) in
            let base = UnsafeMutableRawPointer(mutating: b.baseAddress!)
            for i in 0..<count {
                iovecs[i] = iovec(iov_base: base + bounds[i], iov_len: bounds[i + 1] - bounds[i])
            }
            try iovecs.withUnsafeMutableBufferPointer { (io) throws(IngestError) in
                for i in 0..<count {
                    headers[i].msg_hdr.msg_iov = io.baseAddress! + i
                    headers[i].msg_hdr.msg_iovlen = 1
                }
                var sent = 0
                while sent < count {
                    let n = headers.withUnsafeMutableBufferPointer { h in
                        sendmmsg(fd, h.baseAddress! + sent, UInt32(count - sent), 0)
                    }
                    if n < 0 {
                        if errno == EINTR || errno == ENOBUFS || errno == EAGAIN { continue }
                        if errno == ECONNREFUSED { sent += 1; continue }  // no listener yet: the datagram is lost
                        throw IngestError(.send, "sendmmsg failed: errno \(errno)")
                    }
                    sent += Int(n)
                }
            }
        }
    }
}
