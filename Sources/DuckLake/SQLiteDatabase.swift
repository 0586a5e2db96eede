import CSQLite
import Foundation

/// A value bound to or read from a SQLite statement.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The integer, or nil for NULL / other storage classes.
    public var int64: Int64? { if case .integer(let v) = self { return v }; return nil }
    /// The text, or nil for NULL / other storage classes.
    public var string: String? {
        switch self {
        case .text(let s): return s
        case .integer(let v): return String(v)
        default: return nil
        }
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies bound text/blobs before `sqlite3_bind_*` returns.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// A thin wrapper over one SQLite connection.
///
/// Not Sendable and not thread-safe: the owner (`SQLiteCatalog`) serialises every use behind its lock.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    /// Opens (creating when `create`) the database, sets the busy timeout and, for writers, WAL mode
    /// (research §6: in WAL mode DuckDB readers never block our commits).
    init(path: String, readOnly: Bool = false, create: Bool = true, busyTimeoutMillis: Int32 = 5000) throws {
        self.path = path
        var flags = SQLITE_OPEN_NOMUTEX
        flags |= readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0))
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            handle = nil
            throw DuckLakeError(.sqlite, "cannot open catalog \(path): \(message)")
        }
        sqlite3_busy_timeout(db, busyTimeoutMillis)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(err)
            throw Self.error(rc, message, sql)
        }
    }

    /// Runs one statement with bound parameters and returns every row.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement = try prepare(sql)
        try statement.bind(binds)
        var rows: [[SQLiteValue]] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// Prepares a statement for repeated use (bind → step → reset).
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw Self.error(rc, String(cString: sqlite3_errmsg(handle)), sql)
        }
        return SQLiteStatement(stmt, sql: sql, db: handle)
    }

    /// Whether a table exists in this database.
    func tableExists(_ name: String) throws -> Bool {
        try !query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]).isEmpty
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back on error. SQLITE_BUSY on BEGIN or COMMIT
    /// (after the busy timeout) is retried up to `retries` times with a growing pause; a busy COMMIT is rolled back
    /// and the whole body is run again, so the body must be re-runnable (it reads its ids inside the transaction).
    func immediateTransaction<T>(retries: Int = 10, _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                try execute("BEGIN IMMEDIATE")
            } catch let error as DuckLakeError where error.reason == .busy && attempt < retries {
                attempt += 1
                usleep(UInt32(min(50_000 * attempt, 500_000)))
                continue
            }
            do {
                let result = try body()
                try execute("COMMIT")
                return result
            } catch {
                try? execute("ROLLBACK")
                if let lakeError = error as? DuckLakeError, lakeError.reason == .busy, attempt < retries {
                    attempt += 1
                    usleep(UInt32(min(50_000 * attempt, 500_000)))
                    continue
                }
                throw error
            }
        }
    }

    fileprivate static func error(_ rc: Int32, _ message: String, _ sql: String) -> DuckLakeError {
        let primary = rc & 0xff
        let reason: DuckLakeError.Reason = (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) ? .busy : .sqlite
        return DuckLakeError(reason, "\(message) (rc \(rc)) in: \(sql.prefix(200))")
    }
}

/// One prepared statement. Owned by the `SQLiteDatabase` user; finalised on deinit.
final class SQLiteStatement {
    private let stmt: OpaquePointer
    private let db: OpaquePointer?
    let sql: String

    fileprivate init(_ stmt: OpaquePointer, sql: String, db: OpaquePointer?) {
        self.stmt = stmt
        self.sql = sql
        self.db = db
    }

    deinit { sqlite3_finalize(stmt) }

    /// Resets the statement and binds `values` to parameters 1…n.
    func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(stmt, index)
            case .integer(let v): rc = sqlite3_bind_int64(stmt, index, v)
            case .real(let v): rc = sqlite3_bind_double(stmt, index, v)
            case .text(let s): rc = sqlite3_bind_text(stmt, index, s, -1, transient)
            case .blob(let b):
                rc = b.withUnsafeBytes { sqlite3_bind_blob(stmt, index, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32($0.count), transient) }
            }
            guard rc == SQLITE_OK else {
                throw SQLiteDatabase.error(rc, String(cString: sqlite3_errmsg(db)), sql)
            }
        }
    }

    /// Steps once: true when a row is available, false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteDatabase.error(rc, String(cString: sqlite3_errmsg(db)), sql)
    }

    /// Binds and runs a statement that returns no rows.
    func run(_ values: [SQLiteValue]) throws {
        try bind(values)
        while try step() {}
    }

    /// The current row's columns as values.
    func row() -> [SQLiteValue] {
        (0..<sqlite3_column_count(stmt)).map { column($0) }
    }

    /// One column of the current row.
    func column(_ i: Int32) -> SQLiteValue {
        switch sqlite3_column_type(stmt, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(stmt, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(stmt, i))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(stmt, i))
            guard let p = sqlite3_column_text(stmt, i) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(stmt, i))
            guard count > 0, let p = sqlite3_column_blob(stmt, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: count)))
        default: return .null
        }
    }
}
