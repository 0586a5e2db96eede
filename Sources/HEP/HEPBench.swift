#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Micro-benchmark of the per-packet ingest path: HEP3 decode alone, and decode + `HEPRecord` construction with SIP
/// field extraction, over a realistic mix from `SIPTrafficGenerator` (calls with SDP, registrations with digest
/// auth, OPTIONS). Wired to `homer bench hep-decode`; `bench/hep-decode.sh` runs it standalone. Use a release build.
public enum HEPBench {
    /// Figures of one bench run.
    public struct Result: Sendable, CustomStringConvertible {
        /// Distinct packets in the mix.
        public var packets: Int
        /// Average encoded HEP3 packet size in bytes.
        public var averageBytes: Int
        /// Passes over the mix per timed run.
        public var iterations: Int
        /// Timed runs (the median is reported).
        public var runs: Int
        /// Median thread-CPU ns per packet, decode only (`HEPDecoder.decode`).
        public var decodeNanosPerPacket: Double
        /// Median thread-CPU ns per packet, decode + `HEPRecord(packet:receivedAt:options:)` with SIP extraction,
        /// reading the Call-ID and source address as bytes (`withUTF8`) and the CSeq number.
        public var decodeAndSIPNanosPerPacket: Double
        /// Median thread-CPU ns per packet, as `decodeAndSIPNanosPerPacket` plus reading every text column once as a
        /// `String` (the record keeps byte ranges and builds strings when read: this is the full cost of a consumer
        /// that wants strings).
        public var decodeSIPAndStringsNanosPerPacket: Double = 0
        /// Same, reading every text column (addresses included) as bytes with `HEPRecord.withUTF8(_:_:)` (what a
        /// columnar writer does).
        public var decodeSIPAndBytesNanosPerPacket: Double = 0

        public var description: String {
            func f(_ v: Double) -> String { String(Int((v * 10).rounded())).dropLast() + "." + String(Int((v * 10).rounded()) % 10) }
            return "hep-decode: \(packets) packets (avg \(averageBytes) B), \(runs) runs × \(iterations) passes\n"
                + "  decode only:        \(f(decodeNanosPerPacket)) ns/packet (median, thread CPU time)\n"
                + "  decode + SIP fields: \(f(decodeAndSIPNanosPerPacket)) ns/packet (median, thread CPU time)\n"
                + "  … + every text column read as String: \(f(decodeSIPAndStringsNanosPerPacket)) ns/packet\n"
                + "  … + every text column read as bytes (withUTF8): \(f(decodeSIPAndBytesNanosPerPacket)) ns/packet"
        }
    }

    /// Runs the bench on one core (the calling thread).
    /// - Parameters:
    ///   - packets: size of the generated mix (default 10 000, ~8 MB: larger than L2 like a real receive stream).
    ///   - iterations: passes over the mix per timed run.
    ///   - runs: timed runs; the median is reported.
    public static func run(packets: Int = 10_000, iterations: Int = 20, runs: Int = 7) -> Result {
        var generator = SIPTrafficGenerator(options: { var o = SIPTrafficGenerator.Options(); o.nodeName = "node1"; return o }())
        let mix = generator.packets(count: packets, start: 1_700_000_000_000_000_000, interval: 250_000)
        // One contiguous buffer, like datagrams in a receive ring.
        var buffer: [UInt8] = []
        var offsets: [Int] = [0]
        for p in mix {
            buffer += HEPEncoder.encode(p)
            offsets.append(buffer.count)
        }
        let options = HEPOptions()
        var sink = 0
        // Thread CPU time, not wall time: on a shared 2-core machine the wall clock mostly measures other processes.
        func cpuNanos() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) * 1e9 + Double(ts.tv_nsec)
        }
        func time(_ body: () -> Void) -> Double {
            let start = cpuNanos()
            body()
            return (cpuNanos() - start) / Double(packets * iterations)
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        var decodeTimes: [Double] = [], sipTimes: [Double] = [], stringTimes: [Double] = [], byteTimes: [Double] = []
        buffer.withUnsafeBytes { raw in
            for _ in 0..<runs {
                decodeTimes.append(time {
                    for _ in 0..<iterations {
                        for k in 0..<packets {
                            let slice = UnsafeRawBufferPointer(rebasing: raw[offsets[k]..<offsets[k + 1]])
                            do {
                                let p = try HEPDecoder.decode(slice, options: options)
                                sink &+= p.payload.count &+ Int(p.srcPort)
                            } catch {
                                sink &-= 1
                            }
                        }
                    }
                })
                sipTimes.append(time {
                    for _ in 0..<iterations {
                        for k in 0..<packets {
                            let slice = UnsafeRawBufferPointer(rebasing: raw[offsets[k]..<offsets[k + 1]])
                            do {
                                let p = try HEPDecoder.decode(slice, options: options)
                                let r = HEPRecord(packet: p, receivedAt: 1, options: options)
                                sink &+= r.withUTF8(.sessionID) { $0?.count ?? 0 } &+ Int(r.cseqNumber ?? 0)
                                    &+ r.withUTF8(.srcIP) { $0?.count ?? 0 }
                            } catch {
                                sink &-= 1
                            }
                        }
                    }
                })
                stringTimes.append(time {
                    for _ in 0..<iterations {
                        for k in 0..<packets {
                            let slice = UnsafeRawBufferPointer(rebasing: raw[offsets[k]..<offsets[k + 1]])
                            do {
                                let p = try HEPDecoder.decode(slice, options: options)
                                let r = HEPRecord(packet: p, receivedAt: 1, options: options)
                                sink &+= r.sessionID.utf8.count &+ r.srcIP.utf8.count &+ r.dstIP.utf8.count
                                for s in [r.correlationID, r.method, r.cseqMethod, r.fromUser, r.fromDomain, r.fromTag,
                                          r.toUser, r.toDomain, r.toTag, r.ruriUser, r.ruriDomain, r.userAgent] {
                                    sink &+= s?.utf8.count ?? 1
                                }
                            } catch {
                                sink &-= 1
                            }
                        }
                    }
                })
                byteTimes.append(time {
                    for _ in 0..<iterations {
                        for k in 0..<packets {
                            let slice = UnsafeRawBufferPointer(rebasing: raw[offsets[k]..<offsets[k + 1]])
                            do {
                                let p = try HEPDecoder.decode(slice, options: options)
                                let r = HEPRecord(packet: p, receivedAt: 1, options: options)
                                for field in HEPRecord.TextField.allCases {
                                    sink &+= r.withUTF8(field) { $0?.count ?? 1 }
                                }
                            } catch {
                                sink &-= 1
                            }
                        }
                    }
                })
            }
        }
        precondition(sink != 0) // keeps the optimiser from removing the loops
        return Result(packets: packets, averageBytes: buffer.count / max(packets, 1), iterations: iterations,
                      runs: runs, decodeNanosPerPacket: median(decodeTimes), decodeAndSIPNanosPerPacket: median(sipTimes),
                      decodeSIPAndStringsNanosPerPacket: median(stringTimes),
                      decodeSIPAndBytesNanosPerPacket: median(byteTimes))
    }
}
