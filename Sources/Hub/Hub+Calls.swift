import NIOHTTP1

extension Hub {
    /// Ids of one call lookup round are capped so a flow linking to many calls cannot fan out without bound.
    static let maxIDsPerRound = 16

    /// What the nodes answered for a call, merged over the link rounds.
    struct CallGathering: Sendable {
        var report = NodesReport()
        var records: [JSONValue] = []
        var hosts: [JSONValue] = []
        var template: JSONObject?
        var recordsKey = "records"
        /// For each node, the call ids it returned messages for (the pcap requests to make).
        var idsByNode: [String: [String]] = [:]
        var allNotFound = false
        /// Union of the nodes' `sessions` lists (the linked legs each node found), in order of discovery.
        var sessions: [JSONValue] = []
        var hadSessions = false
        var truncated = false
        var snapshots = JSONObject()
        var clientError: (Int, String)?
    }

    /// Parses `min_ts`/`max_ts` from a call query string (both optional; absent = any time).
    static func callRange(_ query: [(String, String)]) -> Result<(Int64, Int64), HubError> {
        var lo: Int64 = 0, hi: Int64 = 0
        for (k, v) in query {
            if k == "min_ts" || k == "max_ts" {
                guard let n = Int64(v) else { return .failure(HubError(.badRequest, "\(k): expected an integer (ns)")) }
                if k == "min_ts" { lo = n } else { hi = n }
            }
        }
        if hi == 0 && lo > 0 { hi = Int64.max }
        guard lo <= hi else { return .failure(HubError(.badRequest, "min_ts: greater than max_ts")) }
        return .success((lo, hi))
    }

    /// Percent-encodes a call id for a URL path segment (Call-IDs contain `@`, `/`, `%` …).
    static func pathSegment(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) {
                out.append(c)
            } else {
                let hex = Array("0123456789ABCDEF")
                out.append("%")
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return out
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { "\(pathSegment($0.0))=\(pathSegment($0.1))" }.joined(separator: "&")
    }

    /// Asks the routed nodes for `id`, then for every id the merged messages link to (session_id / correlation_id)
    /// that was not asked yet, up to `call_link_rounds` rounds: a call whose legs were captured on different sites
    /// comes back whole even when only the B-leg's X-CID names the A-leg.
    func gatherCall(_ id: String, query: [(String, String)]) async -> Result<CallGathering, HubError> {
        let lo: Int64, hi: Int64
        switch Self.callRange(query) {
        case .success(let r): (lo, hi) = r
        case .failure(let e): return .failure(e)
        }
        let plan = await route(lo, hi)
        if query.contains(where: { $0.0 == "snapshot_id" }), plan.targets.count + plan.failed.count > 1 {
            return .failure(HubError(.badRequest, "snapshot_id: snapshot ids are per node and "
                + "\(plan.targets.count + plan.failed.count) nodes hold this range; use as_of"))
        }
        await registry.countSkipped(plan.skipped)
        var g = CallGathering()
        g.report.skipped = plan.skipped
        var failed: [String: String] = [:]
        for f in plan.failed { failed[f.name] = f.reason }
        var perNode: [String: [JSONValue]] = [:]
        var hostsPerNode: [[JSONValue]] = []
        var asked: Set<String> = [id]
        var pending = [id]
        var answeredAny = false
        var notFound = 0, answers = 0
        let qs = Self.queryString(query)
        for _ in 0..<options.callLinkRounds where !pending.isEmpty {
            let nodes = plan.targets.filter { failed[$0.name] == nil }
            if nodes.isEmpty { break }
            for callID in pending {
                let path = "/api/v1/calls/\(Self.pathSegment(callID))\(qs)"
                for (node, result) in await fanOut(nodes, method: .GET, path: { _ in path }) {
                    guard failed[node.name] == nil else { continue }
                    do throws(HubError) {
                        let answer = try result.get()
                        answers += 1
                        if answer.status == 404 { notFound += 1; continue }  // this node has no such call
                        if (400..<500).contains(answer.status), answer.status != 401, answer.status != 403,
                           g.clientError == nil {
                            g.clientError = (answer.status, NodeClient.statusError(answer).detail)
                        }
                        guard (200..<300).contains(answer.status) else { throw NodeClient.statusError(answer) }
                        guard let object = try JSONCodec.parse(answer.body).objectValue else {
                            throw HubError(.badNodeResponse, "call answer is not a JSON object")
                        }
                        let key = object["records"] != nil ? "records" : (object["messages"] != nil ? "messages" : "records")
                        guard let records = object[key]?.arrayValue else {
                            throw HubError(.badNodeResponse, "no records list in the call answer")
                        }
                        answeredAny = true
                        if g.template == nil || (callID == id && g.template?[key]?.arrayValue?.isEmpty != false) {
                            g.template = object
                            g.recordsKey = key
                        }
                        perNode[node.name, default: []].append(contentsOf: records)
                        if !records.isEmpty { g.idsByNode[node.name, default: []].append(callID) }
                        if let hosts = object["hosts"]?.arrayValue { hostsPerNode.append(hosts) }
                        if let sessions = object["sessions"]?.arrayValue {
                            g.hadSessions = true
                            for s in sessions where !g.sessions.contains(s) { g.sessions.append(s) }
                        }
                        if object["truncated"]?.boolValue == true { g.truncated = true }
                        if let snap = object["snapshot_id"], snap != .null, g.snapshots[node.name] == nil {
                            g.snapshots[node.name] = snap
                        }
                    } catch {
                        if case .success = result { await registry.countFailed(node.name, kind: "bad_response") }
                        failed[node.name] = error.detail
                    }
                }
            }
            let merged = RecordMerge.mergeRecords(config.nodes.compactMap { n in perNode[n.name].map { (n.name, $0) } },
                                                  order: .asc, limit: nil, tag: nil)
            let discovered = RecordMerge.linkedIDs(merged.records).subtracting(asked).sorted()
            pending = Array(discovered.prefix(Self.maxIDsPerRound))
            asked.formUnion(pending)
        }
        g.allNotFound = answers > 0 && notFound == answers && !answeredAny
        let merged = RecordMerge.mergeRecords(config.nodes.compactMap { n in perNode[n.name].map { (n.name, $0) } },
                                              order: .asc, limit: nil)
        g.records = merged.records
        g.hosts = RecordMerge.mergeHosts(hostsPerNode, records: merged.records)
        for node in config.nodes {
            if let reason = failed[node.name] {
                g.report.failed.append(NodeFailure(name: node.name, reason: reason))
            } else if plan.targets.contains(where: { $0.name == node.name }) {
                g.report.queried.append(node.name)
            }
        }
        return .success(g)
    }

    /// `GET /api/v1/calls/{id}` through the Hub: the merged flow of every node holding part of the call.
    public func call(_ id: String, query: [(String, String)]) async -> HubReply {
        let g: CallGathering
        switch await gatherCall(id, query: query) {
        case .success(let v): g = v
        case .failure(let e): return .error(400, e.detail)
        }
        await registry.countRequest("call", partial: g.report.partial)
        if g.records.isEmpty, g.report.queried.count > 0, g.report.failed.isEmpty, let (status, message) = g.clientError {
            return .error(status, message)
        }
        var out = g.template ?? JSONObject()
        if out["session_id"] == nil { out["session_id"] = .string(id) }
        out["count"] = .int(Int64(g.records.count))
        out["snapshot_id"] = nil
        if g.report.queried.count == 1, let only = g.snapshots[g.report.queried[0]] { out["snapshot_id"] = only }
        out["snapshot_ids"] = .object(g.snapshots)
        if g.hadSessions {
            // Only sessions whose messages made it into the merged flow (plus the asked id), as a node lists them.
            let present = Set(g.records.compactMap { $0["session_id"]?.stringValue })
            out["sessions"] = .array(g.sessions.filter { $0.stringValue == id || present.contains($0.stringValue ?? "") })
        }
        if out["truncated"] != nil || g.truncated { out["truncated"] = .bool(g.truncated) }
        out[g.recordsKey] = .array(g.records)
        out["hosts"] = .array(g.hosts)
        out["nodes"] = g.report.json
        out["partial"] = .bool(g.report.partial)
        // Nobody has it and nobody failed: the same 404 a node gives.
        let status = g.allNotFound && g.report.failed.isEmpty ? 404 : 200
        if status == 404 { out["error"] = .string("call \(id) not found") }
        return .json(status, .object(out))
    }

    /// `GET /api/v1/calls/{id}/pcap` through the Hub: each node's pcap of the call ids it holds, merged by time with
    /// duplicates removed. The `nodes` block travels in `X-Homer-*` headers (the body is the pcap file).
    public func pcap(_ id: String, query: [(String, String)]) async -> HubReply {
        var g: CallGathering
        switch await gatherCall(id, query: query) {
        case .success(let v): g = v
        case .failure(let e): return .error(400, e.detail)
        }
        let qs = Self.queryString(query)
        var files: [[UInt8]] = []
        var failedNow: Set<String> = []
        for node in config.nodes {
            guard let ids = g.idsByNode[node.name], g.report.queried.contains(node.name) else { continue }
            for callID in ids {
                let path = "/api/v1/calls/\(Self.pathSegment(callID))/pcap\(qs)"
                let result = await fanOut([node], method: .GET, path: { _ in path })[0].result
                do throws(HubError) {
                    let answer = try result.get()
                    guard (200..<300).contains(answer.status) else { throw NodeClient.statusError(answer) }
                    _ = try PcapMerge.parse(answer.body)
                    files.append(answer.body)
                } catch {
                    if case .success = result { await registry.countFailed(node.name, kind: "bad_response") }
                    failedNow.insert(node.name)
                    g.report.failed.append(NodeFailure(name: node.name, reason: "pcap: \(error.detail)"))
                    break
                }
            }
        }
        g.report.queried.removeAll { failedNow.contains($0) }
        g.report.failed.sort { nodeIndex($0.name) < nodeIndex($1.name) }
        await registry.countRequest("pcap", partial: g.report.partial)
        let headers = [
            ("X-Homer-Partial", g.report.partial ? "true" : "false"),
            ("X-Homer-Nodes-Queried", g.report.queried.joined(separator: ",")),
            ("X-Homer-Nodes-Skipped", g.report.skipped.joined(separator: ",")),
            ("X-Homer-Nodes-Failed", g.report.failed.map { "\($0.name) (\($0.reason))" }.joined(separator: "; ")),
        ]
        if g.allNotFound && g.report.failed.isEmpty {
            var r = HubReply.error(404, "call \(id) not found")
            r.headers = headers
            return r
        }
        do {
            let merged = try PcapMerge.merge(files)
            return HubReply(status: 200, contentType: "application/vnd.tcpdump.pcap", body: merged,
                            headers: headers + [("Content-Disposition", "attachment; filename=\"call.pcap\"")])
        } catch {
            var r = HubReply.error(502, "cannot merge node pcaps: \(error.detail)")
            r.headers = headers
            return r
        }
    }
}
