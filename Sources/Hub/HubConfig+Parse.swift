extension HubConfig {
    /// Parses a config file's bytes. Errors are `HubError(.config)` whose detail names the offending key
    /// (`hub.node_timeout_ms`, `nodes[1].url` …). Unknown keys are refused so a typo does not silently keep a default.
    public static func parse(_ bytes: [UInt8]) throws(HubError) -> HubConfig {
        let root: JSONValue
        do {
            root = try JSONCodec.parse(bytes)
        } catch {
            throw HubError(.config, "not valid JSON: \(error.detail)")
        }
        guard let top = root.objectValue else { throw HubError(.config, "the config must be a JSON object") }
        try refuseUnknown(top, allowed: ["hub", "nodes"], path: "")
        var options = HubOptions()
        if let hubValue = top["hub"] {
            guard let hub = hubValue.objectValue else { throw HubError(.config, "hub: expected an object") }
            try refuseUnknown(hub, allowed: ["listen", "auth_token", "probe_interval_sec", "node_timeout_ms",
                                             "check_timeout_ms", "routing", "stats_slack_sec",
                                             "probe_backoff_min_ms", "probe_backoff_max_sec", "max_response_bytes",
                                             "call_link_rounds"], path: "hub.")
            if let v = hub["listen"] {
                guard let s = v.stringValue else { throw HubError(.config, "hub.listen: expected \"host:port\", got \(describe(v))") }
                (options.listenHost, options.listenPort) = try parseListen(s, key: "hub.listen")
            }
            if let v = hub["auth_token"] {
                guard let s = v.stringValue else { throw HubError(.config, "hub.auth_token: expected a string") }
                options.authToken = s.isEmpty ? nil : s
            }
            if let v = hub["probe_interval_sec"] {
                options.probeIntervalSeconds = try positive(v, "hub.probe_interval_sec")
            }
            if let v = hub["node_timeout_ms"] { options.nodeTimeoutMilliseconds = try positiveInt(v, "hub.node_timeout_ms") }
            if let v = hub["check_timeout_ms"] {
                options.checkTimeoutMilliseconds = try positiveInt(v, "hub.check_timeout_ms")
            }
            if let v = hub["routing"] {
                guard let s = v.stringValue, let mode = RoutingMode(rawValue: s) else {
                    throw HubError(.config, "hub.routing: expected \"check\", \"stats\" or \"all\", got \(describe(v))")
                }
                options.routing = mode
            }
            if let v = hub["stats_slack_sec"] {
                guard let d = number(v), d >= 0 else {
                    throw HubError(.config, "hub.stats_slack_sec: expected a number >= 0, got \(describe(v))")
                }
                options.statsSlackSeconds = d
            }
            if let v = hub["probe_backoff_min_ms"] {
                options.probeBackoffMinMilliseconds = try positiveInt(v, "hub.probe_backoff_min_ms")
            }
            if let v = hub["probe_backoff_max_sec"] {
                options.probeBackoffMaxSeconds = try positive(v, "hub.probe_backoff_max_sec")
            }
            if let v = hub["max_response_bytes"] { options.maxResponseBytes = try positiveInt(v, "hub.max_response_bytes") }
            if let v = hub["call_link_rounds"] { options.callLinkRounds = try positiveInt(v, "hub.call_link_rounds") }
        }
        guard let nodesValue = top["nodes"] else { throw HubError(.config, "nodes: missing (a list of nodes)") }
        guard let list = nodesValue.arrayValue else { throw HubError(.config, "nodes: expected a list") }
        guard !list.isEmpty else { throw HubError(.config, "nodes: the list is empty") }
        var nodes: [HubNode] = []
        for (n, item) in list.enumerated() {
            let path = "nodes[\(n)]."
            guard let o = item.objectValue else { throw HubError(.config, "nodes[\(n)]: expected an object") }
            try refuseUnknown(o, allowed: ["name", "url", "auth_token"], path: path)
            guard let name = o["name"]?.stringValue, !name.isEmpty else {
                throw HubError(.config, "\(path)name: missing or not a non-empty string")
            }
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw HubError(.config, "\(path)name: use letters, digits, '-', '_', '.' (it is a metric label)")
            }
            guard !nodes.contains(where: { $0.name == name }) else {
                throw HubError(.config, "\(path)name: duplicate node name \"\(name)\"")
            }
            guard let urlValue = o["url"], let rawURL = urlValue.stringValue else {
                throw HubError(.config, "\(path)url: missing or not a string")
            }
            guard let url = normalizeURL(rawURL) else {
                throw HubError(.config, "\(path)url: expected http://host:port, got \"\(rawURL)\"")
            }
            var token: String?
            if let v = o["auth_token"] {
                guard let s = v.stringValue else { throw HubError(.config, "\(path)auth_token: expected a string") }
                token = s.isEmpty ? nil : s
            }
            nodes.append(HubNode(name: name, url: url, authToken: token))
        }
        return HubConfig(options: options, nodes: nodes)
    }

    static func refuseUnknown(_ o: JSONObject, allowed: Set<String>, path: String) throws(HubError) {
        for k in o.keys where !allowed.contains(k) {
            throw HubError(.config, "\(path)\(k): unknown key (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    static func describe(_ v: JSONValue) -> String {
        String(decoding: JSONCodec.serialize(v), as: UTF8.self)
    }

    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    static func positive(_ v: JSONValue, _ key: String) throws(HubError) -> Double {
        guard let d = number(v), d > 0, d.isFinite else {
            throw HubError(.config, "\(key): expected a number > 0, got \(describe(v))")
        }
        return d
    }

    static func positiveInt(_ v: JSONValue, _ key: String) throws(HubError) -> Int {
        guard case .int(let i) = v, i > 0, i <= Int64(Int32.max) else {
            throw HubError(.config, "\(key): expected an integer > 0, got \(describe(v))")
        }
        return Int(i)
    }

    /// Parses a listen address `host:port` or `[v6]:port`; the error names `key`.
    public static func parseListen(_ s: String, key: String) throws(HubError) -> (String, Int) {
        guard let hp = parseHostPort(s) else { throw HubError(.config, "\(key): expected \"host:port\", got \"\(s)\"") }
        return hp
    }

    /// `host:port` or `[v6]:port`.
    static func parseHostPort(_ s: String) -> (String, Int)? {
        guard let colon = s.lastIndex(of: ":") else { return nil }
        var host = String(s[..<colon])
        guard let port = Int(s[s.index(after: colon)...]), (0...65535).contains(port), !host.isEmpty else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    /// Accepts `http(s)://host[:port][/prefix]`; returns it without a trailing slash.
    static func normalizeURL(_ s: String) -> String? {
        var u = s
        while u.hasSuffix("/") { u.removeLast() }
        let lower = u.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") { rest = u.dropFirst(7) } else if lower.hasPrefix("https://") { rest = u.dropFirst(8) } else {
            return nil
        }
        let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard !authority.isEmpty, !authority.contains(" ") else { return nil }
        return u
    }
}
