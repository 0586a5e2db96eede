import Foundation

/// A DuckLake 1.0 catalog stored in SQLite, as DuckDB 1.5.5 writes it (research §2), in WAL mode (§6).
///
/// `@unchecked Sendable`: the only mutable state is the SQLite connection `db`, and every use of it happens inside
/// `withDatabase`, which holds `lock`; SQLite is opened NOMUTEX, so this lock is what serialises the connection.
public final class SQLiteCatalog: LakeCatalog, @unchecked Sendable {
    /// Path of the catalog database file.
    public let path: String
    /// `data_path` stored in `ducklake_metadata` (ends in `/`).
    public let dataPath: String
    private let db: SQLiteDatabase
    private let lock = NSLock()
    private let retries: Int

    /// Opens the catalog at `path`, creating a DuckLake 1.0 catalog (snapshot 0, schema `main`) when the file is absent
    /// or empty.
    ///
    /// - Parameters:
    ///   - dataPath: where the Parquet files live (`/dir/` or `s3://bucket/prefix/`). Required to create a catalog;
    ///     for an existing one it must equal the stored value (else `.dataPathConflict`) or be nil.
    ///   - readOnly: open without writing anything (no WAL switch, no table creation).
    ///   - busyTimeoutMillis: how long one SQLite call waits on a lock before reporting busy.
    ///   - retries: how many times a busy transaction is retried.
    public init(path: String, dataPath: String?, readOnly: Bool = false, busyTimeoutMillis: Int32 = 5000,
                retries: Int = 10) throws {
        self.path = path
        self.retries = retries
        let exists = FileManager.default.fileExists(atPath: path)
        if readOnly && !exists { throw DuckLakeError(.invalidArgument, "catalog \(path) does not exist") }
        db = try SQLiteDatabase(path: path, readOnly: readOnly, busyTimeoutMillis: busyTimeoutMillis)
        let initialised = try db.tableExists("ducklake_metadata")
        if !initialised {
            if readOnly { throw DuckLakeError(.corruptCatalog, "\(path) is not a DuckLake catalog") }
            guard let dataPath else {
                throw DuckLakeError(.invalidArgument, "creating catalog \(path) needs a data_path")
            }
            let normalised = Self.normalise(dataPath)
            try Self.create(db, dataPath: normalised, retries: retries)
            self.dataPath = normalised
            return
        }
        let version = try db.query("SELECT value FROM ducklake_metadata WHERE key = 'version' AND scope IS NULL")
            .first?.first?.string
        guard version == CatalogDDL.version else {
            throw DuckLakeError(.unsupportedVersion,
                "catalog \(path) has DuckLake version \(version ?? "none"); homer reads and writes DuckLake "
                + "\(CatalogDDL.version) only (the version DuckDB 1.5.x writes). Migrate it with DuckDB 1.5 "
                + "(ATTACH … (AUTOMATIC_MIGRATION)) or point catalog_path at a new file.")
        }
        guard let stored = try db.query("SELECT value FROM ducklake_metadata WHERE key = 'data_path' AND scope IS NULL")
            .first?.first?.string else {
            throw DuckLakeError(.corruptCatalog, "catalog \(path) has no data_path in ducklake_metadata")
        }
        if let dataPath, Self.normalise(dataPath) != Self.normalise(stored) {
            throw DuckLakeError(.dataPathConflict,
                "configured data_path \(dataPath) differs from \(stored) stored in catalog \(path); "
                + "fix the configuration (the catalog's files live under the stored path)")
        }
        self.dataPath = Self.normalise(stored)
        if !readOnly {
            try db.execute("PRAGMA journal_mode=WAL")
            try db.execute(CatalogDDL.spoolState)
        }
    }

    /// Runs `body` with the connection while holding the lock.
    func withDatabase<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(db)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction (retried when busy) while holding the lock.
    func transaction<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try withDatabase { db in try db.immediateTransaction(retries: retries) { try body(db) } }
    }

    /// Adds a trailing `/`; local relative paths become absolute (DuckDB resolves them against its working directory,
    /// which differs between processes).
    static func normalise(_ path: String) -> String {
        var p = path
        if !p.contains("://") && !p.hasPrefix("/") {
            p = FileManager.default.currentDirectoryPath + "/" + p
        }
        if !p.hasSuffix("/") { p += "/" }
        return p
    }

    private static func create(_ db: SQLiteDatabase, dataPath: String, retries: Int) throws {
        // journal_mode cannot change inside a transaction; WAL persists in the file (research §5.0).
        try db.execute("PRAGMA journal_mode=WAL")
        try db.immediateTransaction(retries: retries) {
            guard try !db.tableExists("ducklake_metadata") else { return }   // another process won the race
            for ddl in CatalogDDL.tables { try db.execute(ddl) }
            try db.execute(CatalogDDL.spoolState)
            let meta = try db.prepare("INSERT INTO ducklake_metadata(key, value) VALUES (?, ?)")
            for (k, v) in [("version", CatalogDDL.version), ("created_by", "homer"), ("data_path", dataPath),
                           ("encrypted", "false")] {
                try meta.run([.text(k), .text(v)])
            }
            try db.query("INSERT INTO ducklake_snapshot VALUES (0, ?, 0, 1, 0)", [.text(SnapshotClock.format(SnapshotClock.nowMicros()))])
            try db.query("INSERT INTO ducklake_snapshot_changes VALUES (0, 'created_schema:\"main\"', NULL, NULL, NULL)")
            try db.query("INSERT INTO ducklake_schema VALUES (0, ?, 0, NULL, 'main', 'main/', 1)",
                         [.text(UUID().uuidString.lowercased())])
        }
    }
}

/// Snapshot times: `YYYY-MM-DD HH:MM:SS.ffffff+00` in UTC, never earlier than the previous snapshot (research §5.0:
/// `AT (TIMESTAMP => t)` needs times monotonic with ids).
enum SnapshotClock {
    static func nowMicros() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }

    static func format(_ micros: Int64) -> String {
        let (days, rem) = StatsText.floorDivMod(micros, 86_400_000_000)
        let base = StatsText.timestamp(micros: days * 86_400_000_000 + rem / 1_000_000 * 1_000_000)
        let fraction = String(rem % 1_000_000)
        return base + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "+00"
    }

    /// The time for a snapshot following one at `previous`.
    static func next(after previous: Int64?) -> Int64 {
        let now = nowMicros()
        guard let previous else { return now }
        return max(now, previous)
    }
}
