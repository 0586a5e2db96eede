import Foundation
import Parquet

extension LakeScanPlan {
    /// Reads the matching rows of one data file (research §5.5 steps 3–6).
    mutating func scan(_ entry: LakeDataFileEntry, files: any LakeFiles, inlinedDeletes: Set<Int64>, needRowIDs: Bool,
                       stats: inout LakeScanStats) async throws {
        let reader: ParquetReader
        do {
            reader = try await ParquetReader.open(try await files.reader(fullPath: entry.path, size: entry.fileSizeBytes))
        } catch let e as DuckLakeError {
            throw e
        } catch {
            throw DuckLakeError(.parquet, "reading \(entry.path): \(error)")
        }
        stats.filesOpened += 1
        // Columns map by field_id = column_id; files without field ids map by name (research §4).
        var byField: [Int32: Int] = [:]
        for (i, c) in reader.schema.columns.enumerated() { if let f = c.fieldID { byField[f] = i } }
        func fileColumn(_ c: LakeColumn) -> Int? {
            byField.isEmpty || entry.mappingID != nil ? reader.schema.index(of: c.name) : byField[Int32(c.id)]
        }
        let rowIDColumn = byField[LakeReader.internalRowIDField] ?? reader.schema.index(of: "_ducklake_internal_row_id")
        let snapshotColumn = byField[LakeReader.internalSnapshotField]
            ?? reader.schema.index(of: "_ducklake_internal_snapshot_id")
        let mapped = readColumns.map(fileColumn)
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
            let probe = try await scanFile(reader, columns: [first], where: p, path: entry.path)
            accumulate(probe.stats, into: &stats)
            if probe.rowCount == 0 { return }
            usePredicate = nil
        }
        let result = try await scanFile(reader, columns: names, where: usePredicate, path: entry.path)
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

    private func scanFile(_ reader: ParquetReader, columns: [String], where p: ParquetPredicate?, path: String)
        async throws -> ParquetScanResult {
        do {
            return try await reader.scan(columns: columns, where: p)
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
