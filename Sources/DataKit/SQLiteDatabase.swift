import CInterrupt
import CSQLite
import Foundation
import TensorKit

/// One open connection to a SQLite database through the system libsqlite3. It closes
/// when released; every statement holds a reference to it, so it outlives them and
/// `sqlite3_close_v2` never meets an unfinalized statement. Failures become
/// `TensorError`s carrying SQLite's own message; Ctrl-C stops a running statement.
final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String

    /// Opens `path` read-only (it must exist: reading never creates a database) or
    /// read-write, creating the file when it is missing.
    init(path: String, readOnly: Bool) throws {
        if readOnly && path != ":memory:" {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw TensorError("cannot open '\(path)': no such database file")
            }
            guard !isFolder.boolValue else { throw TensorError("cannot open '\(path)': it is a folder, not a database file") }
        }
        var opened: OpaquePointer? = nil
        let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let reason = opened.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(status))
            sqlite3_close_v2(opened)   // a failed open may still hand back a handle to free
            throw TensorError("cannot open '\(path)': \(reason)")
        }
        handle = opened
        self.path = path
        // Wait a little for another process's write to finish instead of failing at once,
        // and let Ctrl-C stop a long statement (checked every 10,000 VM steps).
        sqlite3_busy_timeout(handle, 5_000)
        sqlite3_progress_handler(handle, 10_000, { _ in ml_interrupt_pending() }, nil)
    }

    deinit { sqlite3_close_v2(handle) }

    /// The error for a failed call that returned `status`.
    func failure(_ status: Int32) -> TensorError {
        switch status & 0xff {
        case SQLITE_INTERRUPT:
            ml_interrupt_clear()
            return TensorError.interrupted
        case SQLITE_NOTADB:
            return TensorError("'\(path)' is not a SQLite database file")
        default:
            return TensorError(String(cString: sqlite3_errmsg(handle)))
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        guard let statement = try SQLiteStatement.prepare(sql, in: self) else { throw TensorError("the query is empty") }
        return statement
    }

    /// Runs one statement that returns no rows we need (BEGIN, CREATE, DROP, ...).
    func execute(_ sql: String) throws {
        let statement = try prepare(sql)
        while try statement.step() {}
    }

    /// "table", "view", "index" or "trigger" when `name` (compared as SQLite compares
    /// names: ASCII letters in any case) is taken in the main schema; nil when it is free.
    func objectType(named name: String) throws -> String? {
        let lookup = try prepare("SELECT type FROM sqlite_master WHERE name = ?1 COLLATE NOCASE")
        try lookup.bind(.text(name), at: 1)
        guard try lookup.step(), case .text(let type) = lookup.cell(0) else { return nil }
        return type
    }

    /// `name` as a quoted SQL identifier: in double quotes, inner double quotes doubled.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `name` with ASCII letters lowercased: SQLite tells identifiers apart this way.
    static func folded(_ name: String) -> String {
        String(decoding: name.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

/// A value as SQLite stored it, before MarketLab gives its column a type.
enum SQLiteCell {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob
}

/// One prepared statement, finalized when released.
final class SQLiteStatement {
    let handle: OpaquePointer
    let database: SQLiteDatabase
    /// The SQL after the first complete statement (SQLite prepares one at a time).
    let trailing: String

    private init(handle: OpaquePointer, database: SQLiteDatabase, trailing: String) {
        self.handle = handle
        self.database = database
        self.trailing = trailing
    }

    /// The first statement of `sql`, or nil when `sql` holds only blanks and comments.
    static func prepare(_ sql: String, in database: SQLiteDatabase) throws -> SQLiteStatement? {
        guard !sql.contains("\0") else { throw TensorError("the SQL contains a NUL character") }
        var prepared: OpaquePointer? = nil
        var rest = ""
        let status = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>? = nil
            let status = sqlite3_prepare_v2(database.handle, text, -1, &prepared, &tail)
            if let tail { rest = String(cString: tail) }
            return status
        }
        guard status == SQLITE_OK else {
            sqlite3_finalize(prepared)
            throw database.failure(status)
        }
        return prepared.map { SQLiteStatement(handle: $0, database: database, trailing: rest) }
    }

    deinit { sqlite3_finalize(handle) }

    /// Advances to the next row: true when there is one, false when the statement is done.
    func step() throws -> Bool {
        let status = sqlite3_step(handle)
        if status == SQLITE_ROW { return true }
        if status == SQLITE_DONE { return false }
        throw database.failure(status)
    }

    /// Makes the statement ready to run again (bound values stay until rebound).
    func reset() { sqlite3_reset(handle) }

    func bind(_ value: SQLValue, at index: Int32) throws {
        let status: Int32
        switch value {
        case .null: status = sqlite3_bind_null(handle, index)
        case .integer(let v): status = sqlite3_bind_int64(handle, index, v)
        case .number(let v): status = sqlite3_bind_double(handle, index, v)
        case .bool(let v): status = sqlite3_bind_int64(handle, index, v ? 1 : 0)
        case .text(let text): status = bindText(text, at: index)
        }
        guard status == SQLITE_OK else { throw database.failure(status) }
    }

    /// Binds the UTF-8 bytes of `text` with their length, so embedded NULs survive; SQLite
    /// copies them (SQLITE_TRANSIENT) before returning.
    private func bindText(_ text: String, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes -> Int32 in
            guard bytes.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
            // An empty buffer may have no address, and a null pointer would bind NULL.
            guard let start = bytes.baseAddress else { return "".withCString { ml_sqlite3_bind_text(handle, index, $0, 0) } }
            return start.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                ml_sqlite3_bind_text(handle, index, $0, Int32(bytes.count))
            }
        }
    }

    var parameterCount: Int32 { sqlite3_bind_parameter_count(handle) }

    /// The name of parameter `index` as written (":name", "@name", "$name", "?3"), nil for "?".
    func parameterName(_ index: Int32) -> String? { sqlite3_bind_parameter_name(handle, index).map { String(cString: $0) } }

    var columnCount: Int32 { sqlite3_column_count(handle) }

    func columnName(_ index: Int32) -> String {
        sqlite3_column_name(handle, index).map { String(cString: $0) } ?? "column\(index + 1)"
    }

    /// The declared type of a result column that comes straight from a table column
    /// ("INTEGER", "TEXT", ...); nil for expressions.
    func declaredType(_ index: Int32) -> String? { sqlite3_column_decltype(handle, index).map { String(cString: $0) } }

    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// The value of column `index` in the current row.
    func cell(_ index: Int32) -> SQLiteCell {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            guard let start = sqlite3_column_text(handle, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self))
        case SQLITE_BLOB: return .blob
        default: return .null
        }
    }
}
