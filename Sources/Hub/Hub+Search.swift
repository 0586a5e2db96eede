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
                await registry.answered(node.name, latency: a.latency)
            case .failure(let e):
                await noteFailure(node, e, stage: "query")
            }
        }
        var out: [(node: HubNode, result: Result<NodeAnswer, HubError>)] = []
        for i in nodes.indices { out.append((node: nodes[i], result: results[i])) }
        return out
    }

    /// Routing and fan-out in one pass, for requests that may go to several nodes: nodes whose decision needs no
    /// request (known range, `stats`/`all` routing, down) are queried at once; a node that needs a live
    /// `metadata/check` is queried as soon as its own check says it holds data, so a check never delays another
    /// node's query. A single node to ask is asked from the current task (no child task, no thread hand-off).
    /// Returns the plan (targets = the nodes queried) and their answers in config order.
    func routeAndQuery(_ lo: Int64, _ hi: Int64, method: HTTPMethod, path: String, body: [UInt8]?) async
        -> (plan: RoutePlan, answers: [(node: HubNode, result: Result<NodeAnswer, HubError>)]) {
        let nodes = config.nodes
        var known: [Decision?] = []
        known.reserveCapacity(nodes.count)
        for node in nodes { known.append(await knownDecision(node, lo, hi)) }
        let client = self.client, timeout = options.nodeTimeoutMilliseconds
        @Sendable func ask(_ node: HubNode) async -> Result<NodeAnswer, HubError> {
            do throws(HubError) {
                return .success(try await client.send(node, method: method, path: path, body: body,
                                                      timeoutMilliseconds: timeout))
            } catch {
                return .failure(error)
            }
        }
        enum Outcome: Sendable { case skip, fail(String), answer(Result<NodeAnswer, HubError>) }
        var outcomes = [Outcome](repeating: .fail("routing did not finish"), count: nodes.count)
        // Nodes known to be queried first, then those that need a check: their queries go out first.
        let toAsk = known.indices.filter { known[$0]?.isQuery == true } + known.indices.filter { known[$0] == nil }
        for i in known.indices {
            switch known[i] {
            case .skip?: outcomes[i] = .skip
            case .fail(let reason)?: outcomes[i] = .fail(reason)
            default: break
            }
        }
        if toAsk.count == 1, let i = toAsk.first, known[i]?.isQuery == true {
            outcomes[i] = .answer(await ask(nodes[i]))
        } else if !toAsk.isEmpty {
            await withTaskGroup(of: (Int, Outcome).self) { group in
                for i in toAsk {
                    let node = nodes[i], decided = known[i]
                    group.addTask {
                        switch decided == nil ? await liveCheck(node, lo, hi) : .query {
                        case .skip: return (i, .skip)
                        case .fail(let reason): return (i, .fail(reason))
                        case .query: return (i, .answer(await ask(node)))
                        }
                    }
                }
                for await (i, outcome) in group { outcomes[i] = outcome }
            }
        }
        var plan = RoutePlan()
        var answers: [(node: HubNode, result: Result<NodeAnswer, HubError>)] = []
        for (node, outcome) in zip(nodes, outcomes) {
            switch outcome {
            case .skip: plan.skipped.append(node.name)
            case .fail(let reason): plan.failed.append(NodeFailure(name: node.name, reason: reason))
            case .answer(let result):
                plan.targets.append(node)
                answers.append((node, result))
            }
        }
        await registry.countRouted(plan.targets.map(\.name))
        for (node, result) in answers {
            switch result {
            case .success(let a): await registry.answered(node.name, latency: a.latency)
            case .failure(let e): await noteFailure(node, e, stage: "query")
            }
        }
        return (plan, answers)
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
        let payload = JSONCodec.serialize(.object(forwarded))
        let plan: RoutePlan
        let answers: [(node: HubNode, result: Result<NodeAnswer, HubError>)]
        if request["snapshot_id"] != nil {
            // A snapshot id is one node's: the whole plan must be known before anything is sent.
            plan = await route(lo, hi)
            if plan.targets.count + plan.failed.count > 1 {
                return .error(400, "snapshot_id: snapshot ids are per node and \(plan.targets.count + plan.failed.count) "
                    + "nodes hold this range; use as_of, or narrow the range to one node")
            }
            answers = await fanOut(plan.targets, method: .POST, path: { _ in "/api/v1/search" }, body: payload)
        } else {
            (plan, answers) = await routeAndQuery(lo, hi, method: .POST, path: "/api/v1/search", body: payload)
        }
        await registry.countSkipped(plan.skipped)
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
        let merged = RecordMerge.selectRaw(perNode, order: order, limit: Int(limit))
        await registry.countRequest("search", partial: report.partial)
        // The answer is printed around the spliced record bytes, members in the documented order.
        var body: [UInt8] = []
        body.reserveCapacity(perNode.reduce(512) { $0 + $1.answer.bytes.count + 16 * $1.answer.records.count })
        func member(_ key: String, first: Bool = false) {
            if !first { body.append(UInt8(ascii: ",")) }
            JSONCodec.writeString(key, into: &body)
            body.append(UInt8(ascii: ":"))
        }
        body.append(UInt8(ascii: "{"))
        member("count", first: true)
        JSONCodec.write(.int(Int64(merged.kept.count)), into: &body)
        if report.queried.count == 1, let only = snapshots[report.queried[0]] {
            member("snapshot_id")
            JSONCodec.write(only, into: &body)
        }
        member("snapshot_ids")
        JSONCodec.write(.object(snapshots), into: &body)
        member("records")
        RecordMerge.writeRaw(merged, perNode, tag: "hub_node", into: &body)
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
