import Foundation
import HEP
import Ingest
import Synchronization

/// Counts records and keeps the last `keep` of them for `GET /api/v1/debug/ingest`, then hands each batch to the
/// `downstream` sink (the lake). Without a downstream (`storage.enable: false`) it marks each batch committed in the
/// spool at once, since nothing downstream has to hold it.
public final class CountingSink: RecordSink {
    private struct State {
        var total = 0
        var last: [HEPRecord] = []
        var next = 0
    }

    private let state = Mutex(State())
    private let keep: Int
    private let spool: Spool
    private let downstream: (any RecordSink)?

    public init(spool: Spool, keep: Int = 10_000, downstream: (any RecordSink)? = nil) {
        self.spool = spool
        self.keep = max(1, keep)
        self.downstream = downstream
    }

    public func consume(_ records: [HEPRecord], through position: SpoolPosition) async throws {
        if let downstream {
            // The downstream either takes the whole batch or throws (and the pipeline retries it): count only what it
            // took, so a retried batch is not counted twice.
            try await downstream.consume(records, through: position)
        }
        state.withLock { s in
            s.total += records.count
            for r in records {
                if s.last.count < keep {
                    s.last.append(r)
                } else {
                    s.last[s.next] = r
                    s.next = (s.next + 1) % keep
                }
            }
        }
        if downstream == nil { try spool.markCommitted(position) }
    }

    public func finish() async throws {
        try await downstream?.finish()
    }

    /// Records seen, and the last ones oldest first.
    public func recent() -> (total: Int, records: [HEPRecord]) {
        state.withLock { s in (s.total, Array(s.last[s.next...] + s.last[..<s.next])) }
    }
}

/// The JSON of `GET /api/v1/debug/ingest`.
public struct IngestDebugReport: Codable, Sendable {
    /// One record, reduced to what tests compare.
    public struct Record: Codable, Sendable, Equatable {
        public var callID: String
        public var correlationID: String?
        public var captureID: Int64
        public var protoType: Int32
        public var transport: Int32
        public var srcIP: String
        public var dstIP: String
        public var srcPort: Int32
        public var dstPort: Int32
        public var method: String?
        public var responseCode: Int32?
        public var timestamp: Int64

        enum CodingKeys: String, CodingKey {
            case method, transport, timestamp
            case callID = "call_id"
            case correlationID = "correlation_id"
            case captureID = "capture_id"
            case protoType = "proto_type"
            case srcIP = "src_ip"
            case dstIP = "dst_ip"
            case srcPort = "src_port"
            case dstPort = "dst_port"
            case responseCode = "response_code"
        }
    }

    public var stats: IngestStatsSnapshot
    public var recordsTotal: Int
    public var last: [Record]

    enum CodingKeys: String, CodingKey {
        case stats, last
        case recordsTotal = "records_total"
    }

    init(stats: IngestStatsSnapshot, sink: CountingSink?) {
        self.stats = stats
        let (total, records) = sink?.recent() ?? (0, [])
        recordsTotal = total
        last = records.map {
            Record(callID: $0.sessionID, correlationID: $0.correlationID, captureID: $0.captureID,
                   protoType: $0.protoType, transport: $0.transport, srcIP: $0.srcIP, dstIP: $0.dstIP,
                   srcPort: $0.srcPort, dstPort: $0.dstPort, method: $0.method, responseCode: $0.responseCode,
                   timestamp: $0.timestamp)
        }
    }
}
