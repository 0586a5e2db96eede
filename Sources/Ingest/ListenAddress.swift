/// A `host:port` socket address as written in the configuration (`0.0.0.0:9060`, `[::1]:9060`, `localhost:9080`).
public struct ListenAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Host name or address literal, without brackets.
    public var host: String
    /// Port, 0–65535 (0 = let the kernel choose, useful in tests).
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; an IPv6 literal must be bracketed (`[::]:9060`). Returns nil when the text is not a valid
    /// address: empty host, missing or non-numeric port, port outside 0–65535, or characters no host name can contain.
    public init?(parsing text: String) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            guard host.contains(":") else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return nil }  // unbracketed IPv6 is ambiguous
        }
        guard !host.isEmpty, !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              portText.count <= 5, let port = Int(portText), port <= 65535
        else { return nil }
        let allowed = host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._:%".contains($0)) }
        guard allowed else { return nil }
        self.host = String(host)
        self.port = port
    }

    /// `host:port`, bracketing IPv6 literals.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
