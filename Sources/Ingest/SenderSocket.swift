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

    /// Writes all bytes (TCP). `written` is the number of bytes the kernel took, also when it throws (a peer that
    /// dies mid-buffer): the sender counts the packets that were written in full.
    func write(_ bytes: [UInt8], written done: inout Int) throws(IngestError) {
        done = 0
        let failure: Int32 = bytes.withUnsafeBytes { b in
            while done < b.count {
                let n = send(fd, b.baseAddress! + done, b.count - done, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return 0
        }
        if failure != 0 { throw IngestError(.send, "send failed: errno \(failure)") }
    }

    /// Sends each `bounds[i]..<bounds[i+1]` slice as one datagram (UDP, connected socket). A refused datagram (no
    /// listener yet, ICMP port unreachable) is lost like any UDP datagram and not retried.
    /// `sent` is the number of datagrams handed to the kernel, also when it throws.
    func sendDatagrams(_ bytes: [UInt8], bounds: [Int], sent i: inout Int) throws(IngestError) {
        i = 0
        let failure: Int32 = bytes.withUnsafeBytes { b in
            while i < bounds.count - 1 {
                let n = send(fd, b.baseAddress! + bounds[i], bounds[i + 1] - bounds[i], Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR || errno == ENOBUFS || errno == EAGAIN { continue }
                    if errno != ECONNREFUSED { return errno }
                }
                i += 1
            }
            return 0
        }
        if failure != 0 { throw IngestError(.send, "send failed: errno \(failure)") }
    }
}
