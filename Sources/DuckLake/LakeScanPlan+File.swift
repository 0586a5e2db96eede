import Foundation
import Parquet

extension LakeScanPlan {
    /// Reads the matching rows of one data file (research §5.5 steps 3–6). With a cache, the file's footer and bloom
    /// filters come from memory and the file is not even opened when they exclude every row group.
    mutating func scan(_ entry: LakeDataFileEntry, files: any LakeFiles, cache: LakeFileCache?, inlinedDeletes: Set<Int64>,
                       needRowIDs: Bool, stats: inout LakeScanStats) async throws {
        var reader: ParquetReader
        var blooms: ParquetBloomFilters?
        var opened = true
        if let cache, let hit = cache.lookup(entry.dataFileID, path: entry.path) {
            (reader, blooms) = hit
            opened = false
        } else if let cache {
            (reader, blooms) = try await Self.openCached(entry, files: files, cache: cache)
        } else {
            reader = try await Self.open(entry, files: files)
        }
        let prunable = pushdown(reader: reader, mapped: readColumns.map { fileColumn($0, reader, entry) },
                                snapshotColumn: Self.snapshotColumn(reader))
        if let p = prunable, (try? reader.mayMatch(p, bloomFilters: blooms)) == false {
            stats.filesSkippedInMemory += 1
            if opened { stats.filesOpened += 1 }
            return
        }
        if !opened {
            do {
                reader = reader.reading(from: try await files.reader(fullPath: entry.path, size: entry.fileSizeBytes))
            } catch let e as DuckLakeError {
                throw e
            } catch {
                throw DuckLakeError(.parquet, "reading \(entry.path): \(error)")
            }
        }
        stats.filesOpened += 1
        let rowIDColumn = reader.schema.columns.firstIndex { $0.fieldID == LakeReader.internalRowIDField }
            ?? reader.schema.index(of: "_ducklake_internal_row_id")
        let snapshotColumn = Self.snapshotColumn(reader)
        let mapped = readColumns.map { fileColumn($0, reader, entry) }
        var names = Array(Set(mapped.compactMap { $0 }.map { reader.schema.columns[$0].name }))
        if let r = rowIDColumn { names.append(reader.schema.columns[r].name) }
        if let s = snapshotColumn { names.append(reader.schema.columns[s].name) }

        let predicate = pushdown(reader: reader, mapped: mapped, snapshotColumn: snapshotColumn)
        var deleted = inlinedDeletes
        if let deletePath = entry.deleteFilePath {
            deleted.formUnion(try await deletedPositions(deletePath, size: entry.deleteFileSize, files: files, stats: &stats))
        }
        // Row positions are lost when the reader filters rows; they are needed for deletes and for row ids computed
        // from row_id_start. Then a cheap probe with the predicate decides whether the file is read in full.
        let needPositions = !deleted.isEmpty || (needRowIDs && rowIDColumn == nil)
        var usePredicate = predicate
        if needPositions, let p = predicate, let first = names.first {
            let probe = try await scanFile(reader, columns: [first], where: p, blooms: blooms, path: entry.path)
            accumulate(probe.stats, into: &stats)
            if probe.rowCount == 0 { return }
            usePredicate = nil
        }
        // Count mode with a predicate the Parquet reader applies exactly: its row count is the answer.
        if countOnly, usePredicate != nil, pushdownIsExact(reader: reader, mapped: mapped),
           let ts = mapped[timestampIndexInRead].map({ reader.schema.columns[$0].name }) {
            var p = usePredicate!
            if case .and(var parts) = p { parts.append(.isNotNull(ts)); p = .and(parts) }
            let result = try await scanFile(reader, columns: [ts], where: p, blooms: blooms, path: entry.path)
            accumulate(result.stats, into: &stats)
            addCount(Int64(result.rowCount))
            return
        }
        let result = try await scanFile(reader, columns: names, where: usePredicate, blooms: blooms, path: entry.path)
        accumulate(result.stats, into: &stats)
        let columnData: [ColumnData?] = mapped.map { $0.flatMap { result.columns[reader.schema.columns[$0].name] } }
        let units: [ParquetColumnInfo.TimeUnit?] = mapped.map { $0.flatMap { reader.columnInfo[$0].timeUnit } }
        let rowIDs = rowIDColumn.flatMap { result.columns[reader.schema.columns[$0].name] }
        let snapshots = snapshotColumn.flatMap { result.columns[reader.schema.columns[$0].name] }
        for i in 0..<result.rowCount {
            if usePredicate == nil {
                if deleted.contains(Int64(i)) { continue }
                if let snapshots, let s = Self.int(snapshots, i), s > snapshot { continue }
            }
            let rowID: Int64
            if let rowIDs, let id = Self.int(rowIDs, i) {
                rowID = id
            } else if let start = entry.rowIDStart, usePredicate == nil {
                rowID = start + Int64(i)
            } else {
                rowID = -1   // not requested and unknown after row filtering
            }
            var row: [LakeValue] = []
            row.reserveCapacity(readColumns.count)
            for (k, c) in readColumns.enumerated() {
                row.append(columnData[k].map { Self.value($0, i, c.type, units[k]) } ?? .null)
            }
            add(row, rowID: rowID)
        }
    }

    /// Opens a data file and parses its footer.
    static func open(_ entry: LakeDataFileEntry, files: any LakeFiles) async throws -> ParquetReader {
        do {
            return try await ParquetReader.open(try await files.reader(fullPath: entry.path, size: entry.fileSizeBytes))
        } catch let e as DuckLakeError {
            throw e
        } catch {
            throw DuckLakeError(.parquet, "reading \(entry.path): \(error)")
        }
    }

    /// Opens a data file, reads the bloom filters of the cache's columns and stores both in the cache.
    static func openCached(_ entry: LakeDataFileEntry, files: any LakeFiles, cache: LakeFileCache) async throws
        -> (ParquetReader, ParquetBloomFilters?) {
        let reader = try await open(entry, files: files)
        let blooms: ParquetBloomFilters
        do {
            blooms = try await reader.loadBloomFilters(columns: cache.bloomColumns)
        } catch {
            throw DuckLakeError(.parquet, "reading the bloom filters of \(entry.path): \(error)")
        }
        cache.store(entry.dataFileID, path: entry.path, reader: reader, blooms: blooms.isEmpty ? nil : blooms)
        return (reader, blooms.isEmpty ? nil : blooms)
    }

    /// The file column of a lake column: by field_id = column_id; files without field ids (or with a name
    /// mapping) by name (research §4).
    func fileColumn(_ c: LakeColumn, _ reader: ParquetReader, _ entry: LakeDataFileEntry) -> Int? {
        let columns = reader.schema.columns
        if entry.mappingID != nil || !columns.contains(where: { $0.fieldID != nil }) {
            return reader.schema.index(of: c.name)
        }
        return columns.firstIndex { $0.fieldID == Int32(c.id) }
    }

    /// `_ducklake_internal_snapshot_id` of merged files.
    static func snapshotColumn(_ reader: ParquetReader) -> Int? {
        reader.schema.columns.firstIndex { $0.fieldID == LakeReader.internalSnapshotField }
            ?? reader.schema.index(of: "_ducklake_internal_snapshot_id")
    }

    private func scanFile(_ reader: ParquetReader, columns: [String], where p: ParquetPredicate?,
                          blooms: ParquetBloomFilters? = nil, path: String) async throws -> ParquetScanResult {
        do {
            return try await reader.scan(columns: columns, where: p, bloomFilters: blooms)
        } catch {
            throw DuckLakeError(.parquet, "scanning \(path): \(error)")
        }
    }

    private func accumulate(_ s: ParquetScanStats, into stats: inout LakeScanStats) {
        stats.rowGroupsTotal += s.rowGroupsTotal
        stats.rowGroupsRead += s.rowGroupsRead
        stats.pagesTotal += s.pagesTotal
        stats.pagesRead += s.pagesRead
        stats.bytesRead += s.bytesRead
    }

    /// The predicate handed to the Parquet reader: time range, equalities, and for merged files the snapshot bound.
    private func pushdown(reader: ParquetReader, mapped: [Int?], snapshotColumn: Int?) -> ParquetPredicate? {
        var parts: [ParquetPredicate] = []
        for (k, c) in readColumns.enumerated() {
            guard let i = mapped[k] else { continue }
            let name = reader.schema.columns[i].name
            let physical = reader.schema.columns[i].type
            if c.name == "timestamp", reader.columnInfo[i].timeUnit == .micros {
                if let lo = lowMicros { parts.append(.greaterOrEqual(name, .int64(lo))) }
                if let hi = highMicros { parts.append(.lessOrEqual(name, .int64(hi))) }
            }
            for f in filters {
                guard case .equals(let fname, let values) = f, fname == c.name else { continue }
                let converted = values.compactMap { Self.parquetValue($0, physical) }
                guard converted.count == values.count, !converted.isEmpty else { continue }
                parts.append(converted.count == 1 ? .equal(name, converted[0]) : .in(name, converted))
            }
        }
        if let s = snapshotColumn {
            parts.append(.lessOrEqual(reader.schema.columns[s].name, .int64(snapshot)))
        }
        return parts.isEmpty ? nil : .and(parts)
    }

    /// True when `pushdown` expresses the whole row filter (time bounds on a µs timestamp column, every filter an
    /// equality whose values convert to the file's type), so the Parquet reader's residual filter is exact.
    func pushdownIsExact(reader: ParquetReader, mapped: [Int?]) -> Bool {
        if lowMicros != nil || highMicros != nil {
            guard let t = mapped[timestampIndexInRead], reader.columnInfo[t].timeUnit == .micros else { return false }
        }
        for f in filters {
            guard case .equals(let name, let values) = f, !values.isEmpty,
                  let k = readColumns.firstIndex(where: { $0.name == name }), let i = mapped[k] else { return false }
            let physical = reader.schema.columns[i].type
            guard values.allSatisfy({ Self.parquetValue($0, physical) != nil }) else { return false }
        }
        return true
    }

    static func parquetValue(_ v: LakeValue, _ type: ParquetType) -> ParquetValue? {
        switch (v, type) {
        case (.text(let s), .string), (.text(let s), .binary): return .bytes(Array(s.utf8))
        case (.bytes(let b), .binary), (.bytes(let b), .string): return .bytes(b)
        case (.int(let i), .int32): return Int32(exactly: i).map { .int32($0) }
        case (.int(let i), .int64): return .int64(i)
        case (.timestamp(let t), .timestampMicros), (.timestamp(let t), .int64): return .int64(t)
        case (.date(let d), .date), (.date(let d), .int32): return Int32(exactly: d).map { .int32($0) }
        default: return nil
        }
    }

    /// Positions listed in a DuckDB delete file (`pos`, field_id 2147483645), only those deleted at or before the
    /// snapshot when the file carries `_ducklake_internal_snapshot_id` (partial delete files).
    private func deletedPositions(_ path: String, size: Int64?, files: any LakeFiles, stats: inout LakeScanStats)
        async throws -> Set<Int64> {
        let reader: ParquetReader
        do {
            reader = try await ParquetReader.open(try await files.reader(fullPath: path, size: size))
        } catch {
            throw DuckLakeError(.parquet, "reading delete file \(path): \(error)")
        }
        let cols = reader.schema.columns
        guard let pos = cols.firstIndex(where: { $0.fieldID == 2_147_483_645 }) ?? reader.schema.index(of: "pos") else {
            throw DuckLakeError(.parquet, "delete file \(path) has no pos column")
        }
        let snap = cols.firstIndex { $0.fieldID == LakeReader.internalSnapshotField }
            ?? reader.schema.index(of: "_ducklake_internal_snapshot_id")
        var names = [cols[pos].name]
        if let snap { names.append(cols[snap].name) }
        let result = try await scanFile(reader, columns: names, where: nil, path: path)
        accumulate(result.stats, into: &stats)
        guard let p = result.columns[cols[pos].name] else { return [] }
        let s = snap.flatMap { result.columns[cols[$0].name] }
        var out = Set<Int64>()
        for i in 0..<result.rowCount {
            if let s, let v = Self.int(s, i), v > snapshot { continue }
            if let v = Self.int(p, i) { out.insert(v) }
        }
        return out
    }

    static func int(_ c: ColumnData, _ i: Int) -> Int64? {
        guard c.isValid(i) else { return nil }
        switch c.values {
        case .int64(let v): return v[i]
        case .int32(let v): return Int64(v[i])
        default: return nil
        }
    }

    /// One decoded cell as a lake value.
    static func value(_ c: ColumnData, _ i: Int, _ type: LakeColumnType, _ unit: ParquetColumnInfo.TimeUnit?) -> LakeValue {
        guard c.isValid(i) else { return .null }
        switch (type, c.values) {
        case (.timestamp, .int64(let v)):
            switch unit {
            case .millis: return .timestamp(v[i] &* 1000)
            case .nanos: return .timestamp(StatsText.floorDivMod(v[i], 1000).0)
            default: return .timestamp(v[i])
            }
        case (.date, .int32(let v)): return .date(Int64(v[i]))
        case (.int32, .int32(let v)), (.int64, .int32(let v)): return .int(Int64(v[i]))
        case (.int32, .int64(let v)), (.int64, .int64(let v)): return .int(v[i])
        case (.varchar, .bytes(let b)):
            let lo = Int(b.offsets[i]), hi = Int(b.offsets[i + 1])
            return .text(String(decoding: b.data[lo..<hi], as: UTF8.self))
        case (.blob, .bytes(let b)):
            let lo = Int(b.offsets[i]), hi = Int(b.offsets[i + 1])
            return .bytes(Array(b.data[lo..<hi]))
        default: return .null
        }
    }
}
