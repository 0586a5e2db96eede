import API
import ArgumentParser
import DuckLake
import Foundation

/// `homer query`: the API's search (or a call with its legs) against a running node or directly against a lake.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Search stored SIP messages on a node (--url) or in a lake (--catalog); print a table, JSON or a pcap.",
        discussion: """
            Filters are key=value (session_id, correlation_id, from_user, to_user, ruri_user, src_ip, dst_ip, src_port,
            dst_port, method, response_code, proto_type, node_name, capture_id, user_agent, payload_contains); a key
            given twice matches either value; `*` is a wildcard in strings. Times are ns since the epoch or RFC 3339.
            Examples:
              homer query --url http://127.0.0.1:9080 --filter method=INVITE --from 2025-01-23T09:00:00Z --last 1h
              homer query --catalog /data/homer_catalog.sqlite --call abc123@host --format pcap --output call.pcap
            """)

    @Option(help: "Base URL of a running node, e.g. http://127.0.0.1:9080.") var url: String?
    @Option(help: "Bearer token for --url (http.auth_token); default $HOMER_TOKEN.") var token: String?
    @Option(help: "SQLite DuckLake catalog to read directly (read-only).") var catalog: String?
    @Option(name: .customLong("data-path"), help: "Data path of --catalog when it differs from the stored one.")
    var dataPath: String?
    @Option(help: "Start of the time range (inclusive).") var from: String?
    @Option(help: "End of the time range (inclusive).") var to: String?
    @Option(help: "Only the last N seconds/minutes/hours/days before --to or now, e.g. 15m, 1h, 2d.") var last: String?
    @Option(name: .customLong("filter"), help: "key=value filter (repeatable).") var filters: [String] = []
    @Option(help: "Most records (1...10000).") var limit: Int = 100
    @Option(help: "asc or desc (by timestamp).") var order: String = "asc"
    @Option(help: "Read this snapshot id (time travel).") var snapshot: Int64?
    @Option(name: .customLong("as-of"), help: "Read the latest snapshot at or before this time.") var asOf: String?
    @Option(help: "Show this Call-ID with its linked legs (A-leg header / correlation id) instead of a search.")
    var call: String?
    @Option(help: "table, json or pcap.") var format: String = "table"
    @Option(help: "Write to this file instead of standard output (needed for pcap on a terminal).") var output: String?

    func validate() throws {
        guard (url == nil) != (catalog == nil) else { throw ValidationError("give exactly one of --url and --catalog") }
        guard ["table", "json", "pcap"].contains(format) else { throw ValidationError("--format must be table, json or pcap") }
        guard ["asc", "desc"].contains(order) else { throw ValidationError("--order must be asc or desc") }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        guard snapshot == nil || asOf == nil else { throw ValidationError("give either --snapshot or --as-of") }
    }

    func run() async throws {
        var query = SearchQuery(minTimestamp: 0, maxTimestamp: .max, filters: try QueryOutput.filters(filters),
                                limit: limit, order: order == "desc" ? .descending : .ascending)
        if let from { query.minTimestamp = try QueryOutput.time(from) }
        if let to { query.maxTimestamp = try QueryOutput.time(to) }
        if let last {
            let end = to == nil ? Int64(Date().timeIntervalSince1970 * 1e9) : query.maxTimestamp
            query.maxTimestamp = end
            query.minTimestamp = end - (try Self.duration(last))
        }
        if let snapshot { query.snapshot = .id(snapshot) }
        if let asOf { query.snapshot = .asOf(try QueryOutput.time(asOf)) }

        let backend: any NodeBackend
        if let url {
            let token = token ?? ProcessInfo.processInfo.environment["HOMER_TOKEN"]
            backend = RemoteBackend(client: APIClient(baseURL: url, token: token))
        } else if let catalog {
            if let dataPath {
                let c = try SQLiteCatalog(path: catalog, dataPath: dataPath, readOnly: true)
                backend = DuckLakeBackend(reader: LakeReader(catalog: c, files: LocalLakeFiles(root: c.dataPath)))
            } else {
                backend = try DuckLakeBackend(catalogPath: catalog)
            }
        } else {
            throw ValidationError("give --url or --catalog")
        }

        let result: SearchResult
        if let call {
            let flow = try await CallFlow.gather(sessionID: call, minTimestamp: query.minTimestamp,
                                                 maxTimestamp: query.maxTimestamp, backend: backend,
                                                 snapshot: query.snapshot)
            result = SearchResult(snapshotID: flow.snapshotID, records: flow.records, stats: flow.stats)
        } else {
            result = try await backend.search(query)
        }
        let bytes: [UInt8] = switch format {
        case "json": QueryOutput.json(result)
        case "pcap": CallPcap.encode(result.records)
        default: Array(QueryOutput.table(result.records).utf8)
        }
        if let output {
            try Data(bytes).write(to: URL(fileURLWithPath: output))
            FileHandle.standardError.write(Data("\(result.records.count) records written to \(output)\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }

    /// `90s`, `15m`, `1h`, `2d` (or plain seconds) in ns.
    static func duration(_ text: String) throws -> Int64 {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let unit = text.last, let factor = units[unit], let n = Int64(text.dropLast()) {
            return n * factor * 1_000_000_000
        }
        guard let n = Int64(text) else { throw ValidationError("--last: expected e.g. 15m, 1h, 2d") }
        return n * 1_000_000_000
    }
}
