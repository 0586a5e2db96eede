import Foundation

extension LakeReader {
    /// Scans `candidates` into `plan`, up to `concurrency` files at a time. Each file is read into its own
    /// emptied copy of the plan and the copies are absorbed in candidate order, so the rows (and the order of rows
    /// with equal timestamps) are the same as a one-by-one scan. `skip` is asked, just before a file would start,
    /// with the rows absorbed so far (a limited query skips files beyond its cutoff); with several files in flight it
    /// sees fewer rows than a sequential scan would, which can only mean reading a file more, never fewer rows.
    func scanFiles(_ candidates: [LakeDataFileEntry], plan: inout LakeScanPlan, stats: inout LakeScanStats,
                   inlinedDeletes: [Int64: Set<Int64>], needRowIDs: Bool, concurrency: Int,
                   skip: (LakeDataFileEntry, LakeScanPlan) -> Bool) async throws {
        if concurrency <= 1 || candidates.count <= 1 {
            for entry in candidates where !skip(entry, plan) {
                try await plan.scan(entry, files: files, cache: cache, inlinedDeletes: inlinedDeletes[entry.dataFileID] ?? [],
                                    needRowIDs: needRowIDs, stats: &stats)
            }
            return
        }
        let base = plan.emptied()
        let files = self.files, cache = self.cache, width = concurrency
        try await withThrowingTaskGroup(of: (Int, LakeScanPlan, LakeScanStats).self) { group in
            var next = 0, inFlight = 0, absorbed = 0
            var finished: [Int: (LakeScanPlan, LakeScanStats)] = [:]
            while true {
                while inFlight < width, next < candidates.count {
                    let index = next, entry = candidates[index]
                    next += 1
                    if skip(entry, plan) {
                        finished[index] = (base, LakeScanStats())
                        continue
                    }
                    let deletes = inlinedDeletes[entry.dataFileID] ?? []
                    group.addTask {
                        var sub = base
                        var s = LakeScanStats()
                        try await sub.scan(entry, files: files, cache: cache, inlinedDeletes: deletes,
                                           needRowIDs: needRowIDs, stats: &s)
                        return (index, sub, s)
                    }
                    inFlight += 1
                }
                if inFlight == 0 && absorbed == candidates.count { break }
                if inFlight > 0, let (index, sub, s) = try await group.next() {
                    inFlight -= 1
                    finished[index] = (sub, s)
                }
                while let (sub, s) = finished.removeValue(forKey: absorbed) {
                    plan.absorb(sub)
                    stats.add(s)
                    absorbed += 1
                }
                if inFlight == 0 && next >= candidates.count && absorbed == candidates.count { break }
            }
        }
    }
}

extension LakeScanStats {
    /// Adds the counters of one file's scan (not `filesTotal`, which belongs to the whole query).
    mutating func add(_ s: LakeScanStats) {
        filesPrunedByCatalog += s.filesPrunedByCatalog
        filesOpened += s.filesOpened
        filesCountedFromCatalog += s.filesCountedFromCatalog
        filesSkippedInMemory += s.filesSkippedInMemory
        rowGroupsTotal += s.rowGroupsTotal
        rowGroupsRead += s.rowGroupsRead
        pagesTotal += s.pagesTotal
        pagesRead += s.pagesRead
        bytesRead += s.bytesRead
        inlinedRows += s.inlinedRows
    }
}
