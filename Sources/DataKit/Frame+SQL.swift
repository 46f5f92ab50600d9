import Foundation
import TensorKit

/// Frames from SQL queries and tables from Frames (`data.read_sql`, `frame:to_sql`).
/// Reading opens the database read-only; writing happens in one transaction, so a
/// failure leaves the database as it was.
extension Frame {
    /// The rows of `query` as a Frame, its parameters bound from `parameters`; column
    /// types come from `SQLColumnTyping`. Only one statement, and only one that reads.
    public static func readSQL(from source: SQLSource, query: String, parameters: SQLParameters = .none) throws -> Frame {
        let database = try SQLiteDatabase(path: try source.sqlitePath(), readOnly: true)
        let context = " (query: \(abbreviated(query)))"
        func inQuery<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as TensorError where e.message != TensorError.interrupted.message {
                throw TensorError(e.message + context)
            }
        }
        let statement = try inQuery { try database.prepare(query) }
        guard !hasMoreStatements(after: statement, in: database) else {
            throw TensorError("read_sql runs one statement; remove what follows the first ';'" + context)
        }
        guard statement.isReadOnly else {
            throw TensorError("read_sql only reads (SELECT, WITH, ...); write tables with frame:to_sql" + context)
        }
        try inQuery { try bind(parameters, to: statement) }

        let count = statement.columnCount
        let names = (0..<count).map(statement.columnName)
        if let repeated = names.enumerated().first(where: { i, name in names[..<i].contains(name) })?.element {
            throw TensorError("the query returns two columns named '\(repeated)'; give one another name with AS" + context)
        }
        var cells = [[SQLiteCell]](repeating: [], count: Int(count))
        while try inQuery({ try statement.step() }) {
            for column in 0..<count { cells[Int(column)].append(statement.cell(column)) }
        }
        let columns = try inQuery {
            try (0..<count).map { i in
                try SQLColumnTyping.column(named: names[Int(i)], declared: statement.declaredType(i), cells: cells[Int(i)])
            }
        }
        return try Frame(columns: columns)
    }

    /// True when SQL other than blanks and comments follows the first statement (SQLite
    /// prepares one at a time; the rest would be silently ignored).
    private static func hasMoreStatements(after statement: SQLiteStatement, in database: SQLiteDatabase) -> Bool {
        guard statement.trailing.contains(where: { !$0.isWhitespace }) else { return false }
        do { return try SQLiteStatement.prepare(statement.trailing, in: database) != nil } catch { return true }
    }

    /// Binds `parameters` to the statement's placeholders, checking that every one gets
    /// exactly one value.
    private static func bind(_ parameters: SQLParameters, to statement: SQLiteStatement) throws {
        let count = statement.parameterCount
        let names = (0..<count).map { statement.parameterName($0 + 1) }
        // "?" has no name and "?3" names a position; ":a", "@a" and "$a" name a value.
        let named = names.compactMap { $0 }.filter { !$0.hasPrefix("?") }
        guard named.isEmpty || named.count == Int(count) else {
            throw TensorError("params: the query mixes ? placeholders and named ones (\(named.joined(separator: ", "))); use one kind")
        }
        switch parameters {
        case .positional(let values):
            if !named.isEmpty {
                let keys = named.map { String($0.dropFirst()) }
                throw TensorError("params: the query uses named parameters (\(named.joined(separator: ", "))); give params as a table {\(keys.map { "\($0) = ..." }.joined(separator: ", "))}"
                                  + (values.isEmpty ? "" : ", not a list"))
            }
            guard values.count == Int(count) else {
                throw TensorError("params: the query has \(count) placeholder\(count == 1 ? "" : "s") (?), got \(values.count) value\(values.count == 1 ? "" : "s")")
            }
            for (i, value) in values.enumerated() { try statement.bind(value, at: Int32(i + 1)) }
        case .named(let values):
            guard named.count == Int(count) else {
                throw TensorError("params: the query uses ? placeholders; give params as a list {...}, or name them in the query (:name)")
            }
            var used = Set<String>()
            for (i, placeholder) in named.enumerated() {
                let key = String(placeholder.dropFirst())
                guard let value = values[key] else {
                    throw TensorError("params: no value for \(placeholder)\(didYouMean(key, Array(values.keys))); a nil value cannot be kept in a Lua table, so pass NULL with ? placeholders and table.pack")
                }
                used.insert(key)
                try statement.bind(value, at: Int32(i + 1))
            }
            if let unused = values.keys.sorted().first(where: { !used.contains($0) }) {
                let known = named.map { String($0.dropFirst()) }
                throw TensorError("params: '\(unused)' is not a parameter of the query\(didYouMean(unused, known)); "
                                  + (named.isEmpty ? "the query has none" : "it has \(named.joined(separator: ", "))"))
            }
        }
    }

    /// The query on one line, shortened for messages.
    static func abbreviated(_ query: String) -> String {
        let line = query.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return line.count <= 100 ? line : String(line.prefix(100)) + " ..."
    }

    /// Writes the frame as the table `table` and returns the number of rows written:
    /// INTEGER, REAL, BOOLEAN (0/1), TEXT and DATE (ISO text) columns, every row through
    /// one prepared statement, all in one transaction. A number that is NaN is stored
    /// as NULL, as SQLite does. When anything fails nothing is written, and a database
    /// file the call created is removed again.
    @discardableResult
    public func writeSQL(to source: SQLSource, table: String, ifExists: SQLIfExists = .fail) throws -> Int {
        let path = try source.sqlitePath()
        guard !table.isEmpty, !table.contains("\0") else { throw TensorError("the table name must be a non-empty string without NUL characters") }
        guard !columns.isEmpty else { throw TensorError("a frame with no columns cannot be written as a table") }
        var seen: [String: String] = [:]
        for name in names {
            guard !name.contains("\0") else { throw TensorError("column name '\(name)' contains a NUL character") }
            if let other = seen.updateValue(name, forKey: SQLiteDatabase.folded(name)) {
                throw TensorError("columns '\(other)' and '\(name)' differ only in case, which SQLite does not tell apart; rename one")
            }
        }
        let existed = path == ":memory:" || FileManager.default.fileExists(atPath: path)
        do {
            return try writeTransaction(path: path, table: table, ifExists: ifExists)
        } catch {
            if !existed {
                try? FileManager.default.removeItem(atPath: path)
                try? FileManager.default.removeItem(atPath: path + "-journal")
            }
            throw error
        }
    }

    /// The whole write in one transaction; the connection is closed when this returns.
    private func writeTransaction(path: String, table: String, ifExists: SQLIfExists) throws -> Int {
        let database = try SQLiteDatabase(path: path, readOnly: false)
        try database.execute("BEGIN IMMEDIATE")
        var committed = false
        defer { if !committed { try? database.execute("ROLLBACK") } }
        let quotedTable = SQLiteDatabase.quoted(table)
        let create = "CREATE TABLE \(quotedTable) ("
            + columns.map { SQLiteDatabase.quoted($0.name) + " " + SQLColumnTyping.declaredType($0.kind) }.joined(separator: ", ") + ")"
        switch (try database.objectType(named: table), ifExists) {
        case (nil, _):
            try database.execute(create)
        case (let type?, _) where type != "table":
            throw TensorError("'\(table)' is already the name of \(type == "index" ? "an" : "a") \(type) in '\(path)', not a table")
        case (_, .fail):
            throw TensorError("table '\(table)' already exists in '\(path)'; pass {if_exists = \"replace\"} to overwrite it or {if_exists = \"append\"} to add the rows")
        case (_, .replace):
            try database.execute("DROP TABLE \(quotedTable)")
            try database.execute(create)
        case (_, .append):
            try checkAppendable(to: table, in: database)
        }
        try insertRows(into: quotedTable, database)
        try database.execute("COMMIT")
        committed = true
        return rowCount
    }

    /// Errors unless the table has the frame's columns (by SQLite's case-blind names),
    /// each declared with a type that can hold the frame column's values.
    private func checkAppendable(to table: String, in database: SQLiteDatabase) throws {
        let probe = try database.prepare("SELECT * FROM \(SQLiteDatabase.quoted(table))")
        let tableColumns = (0..<probe.columnCount).map { (name: probe.columnName($0), declared: probe.declaredType($0)) }
        let tableNames = Set(tableColumns.map { SQLiteDatabase.folded($0.name) })
        let frameNames = Set(names.map(SQLiteDatabase.folded))
        let onlyFrame = names.filter { !tableNames.contains(SQLiteDatabase.folded($0)) }
        let onlyTable = tableColumns.map(\.name).filter { !frameNames.contains(SQLiteDatabase.folded($0)) }
        guard onlyFrame.isEmpty && onlyTable.isEmpty else {
            let parts = [onlyFrame.isEmpty ? nil : "only in the frame: \(onlyFrame.joined(separator: ", "))",
                         onlyTable.isEmpty ? nil : "only in the table: \(onlyTable.joined(separator: ", "))"].compactMap { $0 }
            throw TensorError("cannot append to table '\(table)': the columns differ (\(parts.joined(separator: "; ")))")
        }
        for (name, declared) in tableColumns {
            guard let c = columns.first(where: { SQLiteDatabase.folded($0.name) == SQLiteDatabase.folded(name) }) else { continue }
            guard SQLColumnTyping.canAppend(c.kind, to: declared) else {
                throw TensorError("cannot append to table '\(table)': column '\(name)' is declared \(declared ?? "") but the frame's column '\(c.name)' holds \(c.kind.rawValue) values")
            }
        }
    }

    /// Inserts every row with one prepared statement; a failure names the row.
    private func insertRows(into quotedTable: String, _ database: SQLiteDatabase) throws {
        let insert = try database.prepare("INSERT INTO \(quotedTable) (\(names.map(SQLiteDatabase.quoted).joined(separator: ", "))) VALUES ("
                                          + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")")
        for row in 0..<rowCount {
            if row % 4096 == 4095 { try checkInterrupt() }
            do {
                for (i, column) in columns.enumerated() { try insert.bind(column.sqlValue(row), at: Int32(i + 1)) }
                _ = try insert.step()
            } catch let e as TensorError where e.message != TensorError.interrupted.message {
                insert.reset()
                throw TensorError("\(e.message) (row \(row + 1) of \(rowCount); nothing was written)")
            }
            insert.reset()
        }
    }
}

extension Column {
    /// The value at `row` as SQL stores it: dates as ISO text, missing as NULL.
    func sqlValue(_ row: Int) -> SQLValue {
        switch values {
        case .integer(let v): return v[row].map(SQLValue.integer) ?? .null
        case .number(let v): return v[row].map(SQLValue.number) ?? .null
        case .bool(let v): return v[row].map(SQLValue.bool) ?? .null
        case .string(let v): return v[row].map(SQLValue.text) ?? .null
        case .date(let v): return v[row].map { .text(Dates.iso($0)) } ?? .null
        }
    }
}
