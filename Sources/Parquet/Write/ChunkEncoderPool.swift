import Dispatch

/// Encodes the column chunks of a row group, on one thread or on several (`ParquetWriterOptions.encodingThreads`).
/// Columns are independent until they are written, so each thread encodes whole columns with its own
/// `ColumnChunkEncoder` (its own compressor and scratch buffers) and the writer then writes the chunks in column
/// order: the file is byte-identical whatever the thread count.
struct ChunkEncoderPool {
    /// One encoder per thread; encoder `w` is only ever used by thread `w`.
    let encoders: [ColumnChunkEncoder]

    init(options: ParquetWriterOptions) throws(ParquetError) {
        var encoders: [ColumnChunkEncoder] = []
        for _ in 0..<max(options.encodingThreads, 1) {
            encoders.append(ColumnChunkEncoder(options: options, compressor: try PageCompressor(
                options.codec, level: options.compressionLevel, zstd: options.zstdParameters)))
        }
        self.encoders = encoders
    }

    /// Encodes `columns[i]` with its data pages in `data[i]` (cleared first; its capacity is reused).
    func encode(_ columns: [ColumnBuffer], into data: inout [[UInt8]]) throws(ParquetError) -> [EncodedChunk] {
        let n = columns.count
        let threads = min(encoders.count, n)
        if threads <= 1 {
            var chunks: [EncodedChunk] = []
            for i in 0..<n {
                data[i].removeAll(keepingCapacity: true)
                chunks.append(try encoders[0].encode(columns[i], into: &data[i]))
            }
            return chunks
        }
        // Longest-first onto the least-loaded thread, by buffered bytes: deterministic, and no shared counter.
        var load = [Int](repeating: 0, count: threads)
        var assignment = [[Int]](repeating: [], count: threads)
        for i in (0..<n).sorted(by: { columns[$0].estimatedBytes > columns[$1].estimatedBytes }) {
            let w = load.indices.min { load[$0] < load[$1] }!
            assignment[w].append(i)
            load[w] += columns[i].estimatedBytes + 1
        }
        let run = ParallelRun(columns: columns, encoders: encoders, assignment: assignment)
        // Move the buffers in (so each stays uniquely referenced and keeps its capacity) and back out.
        for i in 0..<n {
            (run.data.baseAddress! + i).initialize(to: data[i])
            data[i] = []
        }
        DispatchQueue.concurrentPerform(iterations: threads) { w in run.encode(thread: w) }
        for i in 0..<n { data[i] = (run.data.baseAddress! + i).move() }
        let results = Array(run.results)
        var chunks: [EncodedChunk] = []
        for r in results {
            guard let r else { throw ParquetError(.invalidArgument, "column chunk not encoded") }
            chunks.append(try r.get())
        }
        return chunks
    }
}

/// The shared state of one parallel encode. `@unchecked Sendable` because its buffers are raw memory; the
/// invariant: thread `w` only reads `columns` and `assignment`, uses only `encoders[w]`, and writes only the slots
/// of its own columns (`assignment[w]`) in `results` and `data`; `concurrentPerform` joins every thread before the
/// owner reads the slots back.
private final class ParallelRun: @unchecked Sendable {
    let columns: [ColumnBuffer]
    let encoders: [ColumnChunkEncoder]
    let assignment: [[Int]]
    let results: UnsafeMutableBufferPointer<Result<EncodedChunk, ParquetError>?>
    /// Initialised and moved out by the owner around the parallel section.
    let data: UnsafeMutableBufferPointer<[UInt8]>

    init(columns: [ColumnBuffer], encoders: [ColumnChunkEncoder], assignment: [[Int]]) {
        self.columns = columns
        self.encoders = encoders
        self.assignment = assignment
        results = .allocate(capacity: columns.count)
        results.initialize(repeating: nil)
        data = .allocate(capacity: columns.count)
    }

    deinit {
        results.deinitialize()
        results.deallocate()
        data.deallocate()
    }

    func encode(thread w: Int) {
        for i in assignment[w] {
            data[i].removeAll(keepingCapacity: true)
            do throws(ParquetError) {
                results[i] = .success(try encoders[w].encode(columns[i], into: &data[i]))
            } catch {
                results[i] = .failure(error)
            }
        }
    }
}
