import Foundation
import HEP
import Testing
import TestSupport
@testable import Ingest

@Suite struct SpoolTests {
    /// Frames `n` packets into one batch the way listeners do.
    func framed(_ ids: [String], transport: HEPTransport = .udp) -> (bytes: [UInt8], packets: [[UInt8]]) {
        var out: [UInt8] = []
        var packets: [[UInt8]] = []
        for (i, id) in ids.enumerated() {
            let p = Packets.sip(callID: id, padding: i * 13 % 200)
            packets.append(p)
            p.withUnsafeBytes { SpoolRecord.append($0, receivedAt: 1_000 + Int64(i), transport: transport, to: &out) }
        }
        return (out, packets)
    }

    func options() throws -> SpoolOptions {
        SpoolOptions(directory: try Oracle.temporaryDirectory("homer-spool").appendingPathComponent("spool").path,
                     fsyncInterval: .zero)  // waitDurable fsyncs inline: no group-commit loop runs here
    }

    func replayAll(_ spool: Spool, after: SpoolPosition? = nil) async throws
        -> ([SpooledPacket], [SpoolPosition], SpoolReplayReport)
    {
        var packets: [SpooledPacket] = []
        var positions: [SpoolPosition] = []
        let report = try await spool.replay(after: after, batchSize: 7) { batch, end in
            packets += batch
            positions.append(end)
        }
        return (packets, positions, report)
    }

    @Test func appendAndReplayRoundTrip() async throws {
        let opts = try options()
        var written: [[UInt8]] = []
        var ends: [SpoolPosition] = []
        do {
            let spool = try Spool(options: opts)
            for b in 0..<3 {
                let f = framed((0..<10).map { "rt-\(b)-\($0)" }, transport: b == 1 ? .tcp : .udp)
                written += f.packets
                ends.append(try spool.append(f.bytes))
                try await spool.waitDurable(ends.last!)
            }
            spool.close()
        }
        #expect(ends == ends.sorted())
        let reopened = try Spool(options: opts)
        let (packets, positions, report) = try await replayAll(reopened)
        #expect(packets.map(\.bytes) == written)
        #expect(packets.map(\.transport) == (0..<30).map { $0 / 10 == 1 ? .tcp : .udp })
        #expect(packets.prefix(10).map(\.receivedAt) == (0..<10).map { 1_000 + Int64($0) })
        #expect(report == SpoolReplayReport(records: 30, segments: 1, corruptTails: 0, skippedBytes: 0))
        #expect(positions.last == ends.last)
        #expect(reopened.written.segment == ends[0].segment + 1)  // new data never goes into an old segment

        // Replay after a batch boundary yields exactly the rest.
        let (rest, _, _) = try await replayAll(reopened, after: ends[0])
        #expect(rest.map(\.bytes) == Array(written[10...]))
    }

    @Test func truncatedAndCorruptTailsStopAtLastCompleteRecord() async throws {
        let opts = try options()
        var written: [[UInt8]] = []
        do {
            let spool = try Spool(options: opts)
            let f = framed((0..<20).map { "tail-\($0)" })
            written = f.packets
            _ = try spool.append(f.bytes)
            spool.close()
        }
        let segment = Spool.segments(in: opts.directory).first!
        let path = Spool.path(opts.directory, segment)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        // Cut 7 bytes into the last record, as a crash during write would.
        try full.prefix(full.count - 7).write(to: URL(fileURLWithPath: path))
        let (p1, _, r1) = try await replayAll(try Spool(options: opts))
        #expect(p1.map(\.bytes) == Array(written.prefix(19)))
        #expect(r1.corruptTails == 1)
        #expect(r1.skippedBytes == written[19].count + SpoolRecord.headerSize - 7)

        // A zero-filled tail (size extended, data never written).
        try (full + Data(count: 4096)).write(to: URL(fileURLWithPath: path))
        let (p2, _, r2) = try await replayAll(try Spool(options: opts))
        #expect(p2.count == 20)
        #expect(r2.corruptTails == 1)

        // A flipped byte inside record 5's packet: records 0–4 survive.
        var flipped = full
        let offset5 = SpoolRecord.fileHeader.count + written.prefix(5).reduce(0) { $0 + $1.count + SpoolRecord.headerSize }
        flipped[offset5 + SpoolRecord.headerSize + 30] ^= 0x40
        try flipped.write(to: URL(fileURLWithPath: path))
        let (p3, _, r3) = try await replayAll(try Spool(options: opts))
        #expect(p3.map(\.bytes) == Array(written.prefix(5)))
        #expect(r3.corruptTails == 1)
    }

    @Test func randomDamageNeverCrashes() async throws {
        let opts = try options()
        do {
            let spool = try Spool(options: opts)
            _ = try spool.append(framed((0..<50).map { "fz-\($0)" }).bytes)
            spool.close()
        }
        let path = Spool.path(opts.directory, Spool.segments(in: opts.directory).first!)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        // Offsets just after each record: a cut exactly there leaves a shorter but undamaged segment.
        let ends = original.withUnsafeBytes { raw -> [Int] in
            var out: [Int] = []
            var offset = SpoolRecord.fileHeader.count
            while let e = SpoolRecord.read(raw, at: offset) { out.append(e.end); offset = e.end }
            return out
        }
        #expect(ends.count == 50 && ends.last == original.count)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var d = original
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                d[Int.random(in: 0..<d.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            d = d.prefix(Int.random(in: 0...d.count, using: &rng))
            try d.write(to: URL(fileURLWithPath: path))
            let spool = try Spool(options: opts)
            let (packets, _, report) = try await replayAll(spool)
            // Exactly the records before the first changed byte (or the cut) survive; anything after them is a
            // corrupt tail unless the cut fell on a record boundary of an undamaged prefix.
            let firstBad = zip(d, original).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? d.count
            let survivors = ends.filter { $0 <= firstBad }.count
            let headerIntact = firstBad >= SpoolRecord.fileHeader.count
            let expectedEnd = headerIntact ? (survivors == 0 ? SpoolRecord.fileHeader.count : ends[survivors - 1]) : 0
            #expect(packets.count == (headerIntact ? survivors : 0))
            #expect(report.corruptTails == (d.count > expectedEnd || !headerIntact ? 1 : 0))
            spool.close()
            // Remove the segment the reopened spool created so the next round sees one segment again.
            for s in Spool.segments(in: opts.directory) where Spool.path(opts.directory, s) != path {
                try FileManager.default.removeItem(atPath: Spool.path(opts.directory, s))
            }
        }
    }

    /// The `committed` marker is rewritten at most every 100 ms: after a crash it may lag (more replay), never lead
    /// (no loss); a clean close writes the last position.
    @Test func committedMarkerMayLagAfterACrashButNeverLeads() async throws {
        let opts = try options()
        let spool = try Spool(options: opts)
        var ends: [SpoolPosition] = []
        for b in 0..<50 { ends.append(try spool.append(framed(["m-\(b)"]).bytes)) }
        try await spool.waitDurable(ends.last!)
        for e in ends { try spool.markCommitted(e) }  // far faster than one marker write per 100 ms
        // "Crash": reopen without closing. The marker holds a position that was committed, at or before the last.
        let crashed = try Spool(options: opts)
        let seen = try #require(crashed.committed)
        #expect(ends.contains(seen) && seen <= ends.last!)
        crashed.close()
        spool.close()
        let reopened = try Spool(options: opts)
        #expect(reopened.committed == ends.last!)
        reopened.close()
    }

    @Test func segmentsRollOverAndCommittedOnesAreDeleted() async throws {
        var opts = try options()
        opts.segmentBytes = 8192
        let spool = try Spool(options: opts)
        var ends: [SpoolPosition] = []
        for b in 0..<20 {
            ends.append(try spool.append(framed((0..<5).map { "seg-\(b)-\($0)" }).bytes))
        }
        try await spool.waitDurable(ends.last!)
        let segments = Set(ends.map(\.segment))
        #expect(segments.count > 3)
        #expect(Spool.segments(in: opts.directory) == segments.sorted())

        // Commit up to the end of batch 9: every segment ending at or before it goes away.
        try spool.markCommitted(ends[9])
        let remaining = Spool.segments(in: opts.directory)
        #expect(remaining.allSatisfy { $0 >= ends[9].segment })
        #expect(!remaining.contains(where: { $0 < ends[9].segment }))
        #expect(spool.committed == ends[9])
        spool.close()

        // After a restart, replay starts from the remembered commit and yields batches 10…19 only.
        let reopened = try Spool(options: opts)
        #expect(reopened.committed == ends[9])
        let (packets, _, report) = try await replayAll(reopened)
        #expect(packets.count == 50)
        #expect(report.corruptTails == 0)
        try reopened.markCommitted(reopened.written)
        #expect(Spool.segments(in: opts.directory) == [reopened.written.segment])
    }

    @Test func serviceReplaysUncommittedSpoolOnStart() async throws {
        var options = try Harness.options()
        options.sinkBatchSize = 16
        // A previous run spooled 40 packets; its sink committed the first batch only, then the process died.
        var committed = SpoolPosition.start
        do {
            let spool = try Spool(options: options.spool)
            let first = try spool.append(framed((0..<10).map { "old-\($0)" }).bytes)
            _ = try spool.append(framed((10..<40).map { "old-\($0)" }, transport: .tcp).bytes)
            try spool.markCommitted(first)
            committed = first
            spool.close()
        }
        #expect(committed.offset > 0)
        let sink = CollectingSink()
        var service: IngestService?
        try await Harness.run(options, sink: sink) { svc, _ in
            service = svc
            #expect(await sink.wait(for: 30))
        }
        #expect(firstMismatch(sink.sessionIDs, (10..<40).map { "old-\($0)" }) == nil)
        let stats = try #require(service).stats.snapshot()
        #expect(stats.replayed == 30)
        // Replayed records keep the receive time stored in the spool (used when the agent sent no timestamp).
        #expect(sink.records.withLock { $0.allSatisfy { $0.timestamp == 1_764_000_000_123_456_000 } })
        // Everything is committed now: a second start replays nothing.
        let sink2 = CollectingSink()
        var service2: IngestService?
        try await Harness.run(options, sink: sink2) { svc, _ in service2 = svc }
        #expect(sink2.count == 0)
        #expect(try #require(service2).stats.snapshot().replayed == 0)
    }
}
