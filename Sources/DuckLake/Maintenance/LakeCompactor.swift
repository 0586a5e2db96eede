import Foundation
import Parquet

/// Merges the small files of each `date` partition into files near a target size (issue 6 item 4).
///
/// Streaming: each input is read one row group at a time (`ParquetReader.scanRowGroups`) and appended to a
/// `ParquetWriter` that cuts its own row groups, so memory stays near one input row group plus one output row group
/// whatever the partition size. Every row keeps its row id: merged files are DuckLake partial files (research §2.4)
/// with `_ducklake_internal_row_id` (field id 2147483540) and `_ducklake_internal_snapshot_id` (2147483539, the
/// snapshot that first made the row visible), `row_id_start` NULL and `partial_max` set, registered by ONE snapshot
/// that also ends the old files — so every earlier snapshot keeps reading the old files, unchanged.
public struct LakeCompactor: Sendable {
    public let catalog: SQLiteCatalog
    public let files: any LakeFiles
    /// Options of the merged files (codec, row-group size, bloom filters); default: the writer's.
    public var parquet: ParquetWriterOptions = LakeWriterOptions.defaultParquet
    public var author: String = "homer-maintenance"

    static let rowIDColumn = "_ducklake_internal_row_id"
    static let snapshotIDColumn = "_ducklake_internal_snapshot_id"
    static let rowIDField: Int32 = 2_147_483_540
    static let snapshotIDField: Int32 = 2_147_483_539

    public init(catalog: SQLiteCatalog, files: any LakeFiles) {
        self.catalog = catalog
        self.files = files
    }

    /// What one compaction did.
    public struct Result: Sendable, Equatable {
        public var replacedFiles = 0
        public var writtenFiles = 0
        public var snapshotID: Int64?
        /// Bytes of the replaced files (read) and of the merged files (written).
        public var bytesRead: Int64 = 0
        public var bytesWritten: Int64 = 0
    }

    /// Merges files smaller than `smallBytes` per partition into groups of at most `targetBytes` (input size) and
    /// commits them in one snapshot. Nothing to merge → no snapshot.
    public func compact(table: LakeTableInfo, targetBytes: Int64, smallBytes: Int64) async throws -> Result {
        let head = try catalog.currentSnapshot()
        let groups = Self.plan(try catalog.compactionCandidates(tableID: table.tableID, at: head.id),
                               targetBytes: targetBytes, smallBytes: smallBytes)
        var result = Result()
        guard !groups.isEmpty else { return result }
        var merged: [LakeCompactedFile] = []
        do {
            for group in groups {
                merged.append(try await merge(group, table: table))
                result.bytesRead += group.reduce(0) { $0 + $1.fileSizeBytes }
            }
            result.snapshotID = try catalog.commitCompaction(tableID: table.tableID, files: merged, author: author)
        } catch {
            // Nothing references the merged files: remove them (the writer's orphan sweep would otherwise).
            for f in merged { try? await files.delete(table.directory + f.path) }
            throw error
        }
        result.replacedFiles = merged.reduce(0) { $0 + $1.replaces.count }
        result.writtenFiles = merged.count
        result.bytesWritten = merged.reduce(0) { $0 + $1.fileSizeBytes }
        return result
    }

    /// Greedy packing per partition in commit order (adjacent files stay together, like DuckDB's
    /// merge_adjacent_files); only groups of two or more files are worth a rewrite.
    static func plan(_ candidates: [LakeCompactionCandidate], targetBytes: Int64, smallBytes: Int64) -> [[LakeCompactionCandidate]] {
        var groups: [[LakeCompactionCandidate]] = []
        let small = candidates.filter { $0.fileSizeBytes < smallBytes }
        let byPartition = Dictionary(grouping: small, by: { $0.partition ?? "" })
        for key in byPartition.keys.sorted() {
            var current: [LakeCompactionCandidate] = []
            var bytes: Int64 = 0
            for c in byPartition[key, default: []] {
                if !current.isEmpty && bytes + c.fileSizeBytes > targetBytes {
                    if current.count > 1 { groups.append(current) }
                    current = []
                    bytes = 0
                }
                current.append(c)
                bytes += c.fileSizeBytes
            }
            if current.count > 1 { groups.append(current) }
        }
        return groups
    }

    /// Writes one merged file (staged, then published) from `group`, row group by row group.
    func merge(_ group: [LakeCompactionCandidate], table: LakeTableInfo) async throws -> LakeCompactedFile {
        let relative = (group[0].partition.map { "date=\($0)/" } ?? "") + "homer-\(UUID().uuidString.lowercased()).parquet"
        let staged = try files.stagingPath(for: table.directory + relative)
        let names = HEPTable.columns.map(\.name)
        let schema = ParquetSchema(columns: HEPColumnBuilder.schema.columns + [
            ParquetColumn(name: Self.rowIDColumn, type: .int64, optional: true, fieldID: Self.rowIDField),
            ParquetColumn(name: Self.snapshotIDColumn, type: .int64, optional: true, fieldID: Self.snapshotIDField),
        ])
        var partialMax: Int64 = 0
        var rows: Int64 = 0
        let summary: ParquetFileSummary
        do {
            let writer = try ParquetWriter(path: staged, schema: schema, options: parquet)
            for input in group {
                let source = try await files.reader(fullPath: input.fullPath, size: input.fileSizeBytes)
                let reader = try await ParquetReader.open(source)
                let present = Set(reader.schema.columns.map(\.name))
                guard names.allSatisfy(present.contains) else {
                    throw DuckLakeError(.invalidArgument, "\(input.fullPath) lacks columns of \(HEPTable.tableName)")
                }
                var wanted = names
                if input.rowIDStart == nil { wanted.append(Self.rowIDColumn) }
                if input.partialMax != nil { wanted.append(Self.snapshotIDColumn) }
                var position: Int64 = 0
                for try await batch in reader.scanRowGroups(columns: wanted) {
                    let n = batch.rowCount
                    var columns: [ColumnData] = []
                    for name in wanted.prefix(names.count) {
                        guard let c = batch.columns[name] else { throw DuckLakeError(.parquet, "\(input.fullPath): no column \(name)") }
                        columns.append(c)
                    }
                    if let start = input.rowIDStart {
                        let base = start + position
                        columns.append(ColumnData(values: .int64((0..<Int64(n)).map { base + $0 })))
                    } else {
                        guard let c = batch.columns[Self.rowIDColumn] else {
                            throw DuckLakeError(.parquet, "\(input.fullPath): partial file without \(Self.rowIDColumn)")
                        }
                        columns.append(c)
                    }
                    if input.partialMax != nil {
                        guard let c = batch.columns[Self.snapshotIDColumn], case .int64(let ids) = c.values else {
                            throw DuckLakeError(.parquet, "\(input.fullPath): partial file without \(Self.snapshotIDColumn)")
                        }
                        partialMax = max(partialMax, ids.max() ?? 0)
                        columns.append(c)
                    } else {
                        partialMax = max(partialMax, input.beginSnapshot)
                        columns.append(ColumnData(values: .int64([Int64](repeating: input.beginSnapshot, count: n))))
                    }
                    try writer.write(columns)
                    position += Int64(n)
                }
                guard position == input.recordCount else {
                    throw DuckLakeError(.corruptCatalog, "\(input.fullPath) has \(position) rows, catalog says \(input.recordCount)")
                }
                rows += position
            }
            summary = try writer.close()
        } catch {
            unlink(staged)
            throw error
        }
        try await files.publish(staged: staged, as: table.directory + relative)
        var sizes: [Int64: Int64] = [:]
        for c in summary.columns {
            if let column = HEPTable.column(named: c.name) { sizes[column.id] = c.compressedSize }
        }
        return LakeCompactedFile(replaces: group.map(\.dataFileID), path: relative, recordCount: rows,
                                 fileSizeBytes: summary.fileSize, footerSize: summary.footerSize,
                                 partialMax: partialMax, columnSizes: sizes)
    }
}
