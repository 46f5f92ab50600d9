import TensorKit

/// Chooses the MarketLab type of each column a query returns, and the SQL type of each
/// column `to_sql` writes.
///
/// A column that comes straight from a table keeps its declared type: INT… → integer;
/// REAL, FLOAT, DOUBLE, NUMERIC, DECIMAL → number; BOOL… → bool; DATE → date (ISO
/// `YYYY-MM-DD` text); TEXT, CHAR, CLOB → string. An expression (or an untyped, BLOB or
/// DATETIME column) is typed from the values over the whole column: all integers →
/// integer, integers and reals → number, any text → string, nothing but NULL → number.
/// NULL is missing everywhere. A value that breaks its declared type is an error naming
/// the column and row, except a real in an INTEGER column, which makes it a number column.
enum SQLColumnTyping {
    /// The type a declared SQL type promises, nil when the values must decide.
    static func kind(declared: String) -> Column.Kind? {
        let type = declared.uppercased()
        if type.contains("BOOL") { return .bool }
        if type.contains("INT") { return .integer }
        if type == "DATE" { return .date }
        if ["CHAR", "CLOB", "TEXT"].contains(where: type.contains) { return .string }
        if ["REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL"].contains(where: type.contains) { return .number }
        return nil
    }

    /// The type `to_sql` declares for a column of `kind`.
    static func declaredType(_ kind: Column.Kind) -> String {
        switch kind {
        case .integer: return "INTEGER"
        case .number: return "REAL"
        case .bool: return "BOOLEAN"
        case .string, .category: return "TEXT"
        case .date: return "DATE"
        }
    }

    /// True when a frame column of `kind` can be appended to a table column declared
    /// `declared` and read back as the same kind of value.
    static func canAppend(_ kind: Column.Kind, to declared: String?) -> Bool {
        switch declared.flatMap(self.kind(declared:)) {
        case nil, .string?, .category?: return true
        case .integer?, .number?: return [.integer, .number, .bool].contains(kind)
        case .bool?: return kind == .bool
        case .date?: return kind == .date
        }
    }

    static func column(named name: String, declared: String?, cells: [SQLiteCell]) throws -> Column {
        try column(named: name, declared: declared, cells: cells, as: declared.flatMap(kind(declared:)) ?? inferred(cells))
    }

    /// The type the values ask for when no declared type decides.
    static func inferred(_ cells: [SQLiteCell]) -> Column.Kind {
        var sawInteger = false, sawReal = false
        for cell in cells {
            switch cell {
            case .integer: sawInteger = true
            case .real: sawReal = true
            case .text, .blob: return .string
            case .null: break
            }
        }
        return sawReal ? .number : sawInteger ? .integer : .number
    }

    private static func column(named name: String, declared: String?, cells: [SQLiteCell], as kind: Column.Kind) throws -> Column {
        let promise = declared.map { " in a column declared \($0)" } ?? ""
        func wrong(_ row: Int, _ cell: SQLiteCell, _ expected: String, hint: String = "") -> TensorError {
            let given: String
            switch cell {
            case .integer(let v): given = "\(v)"
            case .real(let v): given = "\(v)"
            case .text(let v): given = "'\(v.prefix(40))'"
            case .null: given = "NULL"
            case .blob:
                return TensorError("column '\(name)', row \(row + 1): binary data (a BLOB) cannot go into a frame; leave the column out of the query")
            }
            return TensorError("column '\(name)', row \(row + 1): \(given) is not \(expected)\(promise)\(hint)")
        }
        let asText = "; CAST(\(name) AS TEXT) in the query reads it as text"
        switch kind {
        case .integer:
            var out: [Int64?] = []
            out.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                switch cell {
                case .null: out.append(nil)
                case .integer(let v): out.append(v)
                case .real: return try column(named: name, declared: declared, cells: cells, as: .number)
                default: throw wrong(row, cell, "an integer", hint: asText)
                }
            }
            return Column(name: name, values: .integer(out))
        case .number:
            var out: [Double?] = []
            out.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                switch cell {
                case .null: out.append(nil)
                case .integer(let v): out.append(Double(v))
                case .real(let v): out.append(v)
                default: throw wrong(row, cell, "a number", hint: asText)
                }
            }
            return Column(name: name, values: .number(out))
        case .bool:
            var out: [Bool?] = []
            out.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                switch cell {
                case .null: out.append(nil)
                case .integer(let v) where v == 0 || v == 1: out.append(v == 1)
                case .real(let v) where v == 0 || v == 1: out.append(v == 1)
                default: throw wrong(row, cell, "0 or 1 (false or true)")
                }
            }
            return Column(name: name, values: .bool(out))
        case .date:
            var out: [Int32?] = []
            out.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                switch cell {
                case .null: out.append(nil)
                case .text(let v):
                    guard let day = Dates.parseISO(v) else { throw wrong(row, cell, "a date (YYYY-MM-DD)", hint: asText) }
                    out.append(day)
                default: throw wrong(row, cell, "a date (YYYY-MM-DD)", hint: asText)
                }
            }
            return Column(name: name, values: .date(out))
        case .string, .category:
            var out: [String?] = []
            out.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                switch cell {
                case .null: out.append(nil)
                case .text(let v): out.append(v)
                case .integer(let v): out.append(String(v))
                case .real(let v): out.append(String(v))
                case .blob: throw wrong(row, cell, "text")
                }
            }
            return Column(name: name, values: .string(out), category: Column.looksCategorical(out))
        }
    }
}
