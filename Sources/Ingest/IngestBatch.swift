import HEP

/// Accepted packets on their way from a listener to the spool and the sink: the decoded records plus the same
/// packets already framed as spool records, so the spool writes the whole batch with one `write`.
struct IngestBatch: Sendable {
    var records: [HEPRecord] = []
    /// `SpoolRecord`-framed raw packets, in the order of `records`.
    var spoolBytes: [UInt8] = []
    /// Accepted packets per transport (index = raw value − 1), for the `received` counters.
    var perTransport: [Int] = [0, 0, 0]

    var count: Int { records.count }
    var isEmpty: Bool { records.isEmpty }

    init() {}

    init(reserving n: Int) {
        records.reserveCapacity(n)
        spoolBytes.reserveCapacity(n * 600)
    }

    mutating func append(_ record: HEPRecord, raw: UnsafeRawBufferPointer, receivedAt: Int64, transport: HEPTransport) {
        records.append(record)
        SpoolRecord.append(raw, receivedAt: receivedAt, transport: transport, to: &spoolBytes)
        perTransport[Int(transport.rawValue) - 1] += 1
    }

    mutating func merge(_ other: IngestBatch) {
        records.append(contentsOf: other.records)
        spoolBytes.append(contentsOf: other.spoolBytes)
        for i in 0..<3 { perTransport[i] += other.perTransport[i] }
    }
}
