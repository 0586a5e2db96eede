import NIOHTTP1

extension Hub {
    /// The largest search `limit` a node accepts (issue 5).
    static let maxLimit: Int64 = 10_000
    static let defaultLimit: Int64 = 100

    /// One request sent to several nodes at once; answers in the order of `nodes`. Latency, routed and failure counters
    /// are recorded here so every fan-out is measured the same way.
    func fanOut(_ nodes: [HubNode], method: HTTPMethod, path: @escaping @Sendable (HubNode) -> String,
                body: [UInt8]? = nil) async -> [(node: HubNode, result: Result<NodeAnswer, HubError>)] {
        await registry.countRouted(nodes.map(\.name))
        let results = await withTaskGroup(of: (Int, Result<NodeAnswer, HubError>).self) { group in
            for (i, node) in nodes.enumerated() {
                group.addTask {
                    do throws(HubError) {
                        let a = try await client.send(node, method: method, path: path(node), body: body,
                                                      timeoutMilliseconds: options.nodeTimeoutMilliseconds)
                        return (i, .success(a))
                    } catch {
                        return (i, .failure(error))
                    }
                }
            }
            var out = [Result<NodeAnswer, HubError>](repeating: .failure(HubError(.timeout, "not run")), count: nodes.count)
            for await (i, r) in group { out[i] = r }
            return out
        }
        for (node, r) in zip(nodes, results) {
            switch r {
            case .success(let a):
                await registry.markReachable(node.name, latency: a.latency)
                await registry.observeLatency(node.name, a.latency)
            case .failure(let e):
                await noteFailure(node, e, stage: "query")
            }
        }
        var out: [(node: HubNode, result: Result<NodeAnswer, HubError>)] = []
        for i in nodes.indices { out.append((node: nodes[i], result: results[i])) }
        return out
    }

    /// `POST /api/v1/search` through the Hub: validates what routing needs, routes on `[min_ts, max_ts]`, forwards
    /// the body (with explicit `limit` and `order`) to the chosen nodes and merges the records.
    public func search(body: [UInt8]) async -> HubReply {
        let request: JSONObject
        do {
            guard let o = try JSONCodec.parse(body).objectValue else { return .error(400, "the body must be a JSON object") }
            request = o
        } catch {
            return .error(400, "bad JSON: \(error.detail)")
        }
        guard let lo = request["min_ts"]?.intValue else { return .error(400, "min_ts: required integer (ns)") }
        guard let hi = request["max_ts"]?.intValue else { return .error(400, "max_ts: required integer (ns)") }
        guard lo <= hi else { return .error(400, "min_ts: greater than max_ts") }
        var forwarded = request
        let limit: Int64
        if let v = request["limit"] {
            guard let l = v.intValue, l >= 1, l <= Self.maxLimit else {
                return .error(400, "limit: expected an integer between 1 and \(Self.maxLimit)")
            }
            limit = l
        } else {
            limit = Self.defaultLimit
            forwarded["limit"] = .int(limit)
        }
        let order: RecordMerge.Order
        if let v = request["order"] {
            guard let s = v.stringValue, let o = RecordMerge.Order(rawValue: s) else {
                return .error(400, "order: expected \"asc\" or \"desc\"")
            }
            order = o
        } else {
            order = .asc
            forwarded["order"] = .string(order.rawValue)
        }
        let plan = await route(lo, hi)
        if request["snapshot_id"] != nil, plan.targets.count + plan.failed.count > 1 {
            return .error(400, "snapshot_id: snapshot ids are per node and \(plan.targets.count + plan.failed.count) "
                + "nodes hold this range; use as_of, or narrow the range to one node")
        }
        await registry.countSkipped(plan.skipped)
        let payload = JSONCodec.serialize(.object(forwarded))
        let answers = await fanOut(plan.targets, method: .POST, path: { _ in "/api/v1/search" }, body: payload)
        var report = NodesReport(skipped: plan.skipped, failed: plan.failed)
        var perNode: [(node: String, answer: RawSearchAnswer)] = []
        var snapshots = JSONObject()
        var clientErrors: [(Int, String)] = []
        for (node, result) in answers {
            do throws(HubError) {
                let answer = try result.get()
                if (400..<500).contains(answer.status) && answer.status != 401 && answer.status != 403 {
                    clientErrors.append((answer.status, NodeClient.statusError(answer).detail))
                }
                guard (200..<300).contains(answer.status) else { throw NodeClient.statusError(answer) }
                let raw = try RawSearchAnswer(answer.body)
                perNode.append((node.name, raw))
                if let s = raw.snapshotID { snapshots[node.name] = s }
                report.queried.append(node.name)
            } catch {
                if case .success = result { await registry.countFailed(node.name, kind: "bad_response") }
                report.failed.append(NodeFailure(name: node.name, reason: error.detail))
            }
        }
        // Every node refused the request itself: the client asked something invalid, say so rather than "partial".
        if !answers.isEmpty, clientErrors.count == answers.count, let first = clientErrors.first {
            return .error(first.0, "every node refused the request: \(first.1)")
        }
        report.failed.sort { a, b in nodeIndex(a.name) < nodeIndex(b.name) }
        let merged = RecordMerge.mergeRaw(perNode, order: order, limit: Int(limit))
        await registry.countRequest("search", partial: report.partial)
        // The answer is printed around the spliced record bytes, members in the documented order.
        var body: [UInt8] = []
        body.reserveCapacity(merged.array.count + 512)
        func member(_ key: String, first: Bool = false) {
            if !first { body.append(UInt8(ascii: ",")) }
            JSONCodec.writeString(key, into: &body)
            body.append(UInt8(ascii: ":"))
        }
        body.append(UInt8(ascii: "{"))
        member("count", first: true)
        JSONCodec.write(.int(Int64(merged.count)), into: &body)
        if report.queried.count == 1, let only = snapshots[report.queried[0]] {
            member("snapshot_id")
            JSONCodec.write(only, into: &body)
        }
        member("snapshot_ids")
        JSONCodec.write(.object(snapshots), into: &body)
        member("records")
        body.append(contentsOf: merged.array)
        member("duplicates")
        JSONCodec.write(.int(Int64(merged.duplicates)), into: &body)
        member("nodes")
        JSONCodec.write(report.json, into: &body)
        member("partial")
        JSONCodec.write(.bool(report.partial), into: &body)
        body.append(contentsOf: "}\n".utf8)
        return HubReply(status: 200, body: body)
    }

    func nodeIndex(_ name: String) -> Int {
        config.nodes.firstIndex { $0.name == name } ?? Int.max
    }
}
