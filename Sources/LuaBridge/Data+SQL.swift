import CLua
import DataKit
import TensorKit

/// `data.read_sql` and `Frame:to_sql`: SQL tables as Frames and back. Registered from
/// `DataFrames.register` and `FrameOps.registerFrameMethods`.
enum DataSQL {
    /// The doc examples' frame written to a fresh SQLite file `db`.
    static let sample = DataFrames.sample + "local db = 'sqlite:' .. os.tmpname(); df:to_sql(db, 'customers', {if_exists = 'replace'}); "
    static let cleanup = "; os.remove(db:sub(8))"

    static func register(_ data: Library) {
        data.function("read_sql", "Runs one SQL query that reads and returns its rows as a Frame: data.read_sql(source, query [, params]). source is \"sqlite:path/to.db\" (opened read-only; a missing file is an error) or \"sqlite::memory:\"; PostgreSQL URLs are planned. params binds values (integer, number, string, boolean, nil) to placeholders, never pasting them into the SQL: a list {v1, v2} for ?, a table {name = v} for :name. Columns read from a table keep its declared type (INT… → integer, REAL/FLOAT/DOUBLE/NUMERIC → number, BOOL… → bool, DATE → date, TEXT/CHAR → string); expressions are typed from their values (all integers → integer, with reals → number, any text → string); NULL is missing.",
                      example: sample + "print(data.read_sql(db, 'SELECT id, spend FROM customers WHERE churn = :churn', {churn = true}))" + cleanup) { a in
            let source = try source(a, 1)
            let query = try a.string(2, "query")
            let parameters = try parameters(a, 3)
            DataFrames.frameType.push(a.L, try reporting(a) { try Frame.readSQL(from: source, query: query, parameters: parameters) })
            return 1
        }
    }

    static func registerFrameMethods(_ lib: Library) {
        lib.function("to_sql", "Writes the frame as a table and returns the number of rows written: df:to_sql(source, table [, {if_exists = \"fail\" | \"replace\" | \"append\"}]). source is \"sqlite:path/to.db\" (created when missing). Columns are declared INTEGER, REAL, BOOLEAN (stored 0/1), TEXT (string and category) and DATE (ISO text); NaN is stored as NULL. All rows go in one transaction: if anything fails nothing is written. if_exists: \"fail\" (default) stops when the table exists, \"replace\" drops it first, \"append\" adds rows to a table with the same columns.",
                     example: DataFrames.sample + "local db = 'sqlite:' .. os.tmpname(); print(df:to_sql(db, 'customers'), df:to_sql(db, 'customers', {if_exists = 'append'}))" + cleanup) { a in
            let df = try DataFrames.frame(a)
            let source = try source(a, 2)
            let table = try a.string(3, "table")
            let o = try a.options(4, allowed: ["if_exists"])
            let mode = try o.string("if_exists") ?? SQLIfExists.fail.rawValue
            guard let ifExists = SQLIfExists(rawValue: mode) else {
                let valid = SQLIfExists.allCases.map(\.rawValue)
                throw LuaScriptError("\(a.function): option 'if_exists' must be \"fail\", \"replace\" or \"append\", got '\(mode)'\(didYouMean(mode, valid))")
            }
            let written = try reporting(a) { try df.writeSQL(to: source, table: table, ifExists: ifExists) }
            lua_pushinteger(a.L, lua_Integer(written))
            return 1
        }
    }

    /// Runs `body`, giving a DataKit error the binding's name.
    static func reporting<T>(_ a: Arguments, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as TensorError { throw LuaScriptError("\(a.function): \(e.message)") }
    }

    /// The source string at argument `i`, parsed.
    static func source(_ a: Arguments, _ i: Int32) throws -> SQLSource {
        guard a.type(i) == LUA_TSTRING else { throw a.error(i, "source", expected: "a string such as \"sqlite:customers.db\"") }
        do { return try SQLSource(parsing: try a.string(i, "source")) } catch let e as TensorError {
            throw LuaScriptError("\(a.function): bad argument #\(i) (source): \(e.message)")
        }
    }

    /// The params table at argument `i`: a list (integer keys, holes and a table.pack
    /// `n` allowed, so nil can be passed) for `?`, or string keys for `:name`.
    static func parameters(_ a: Arguments, _ i: Int32) throws -> SQLParameters {
        if a.isNone(i) || a.type(i) == LUA_TNIL { return .none }
        let expected = "a list {...} for ? placeholders or a table {name = value} for :name placeholders"
        guard a.type(i) == LUA_TTABLE else { throw a.error(i, "params", expected: expected) }
        let L = a.L
        var byPosition: [Int: SQLValue] = [:], byName: [String: SQLValue] = [:]
        lua_pushnil(L)
        while lua_next(L, i) != 0 {
            defer { ml_pop(L, 1) }
            // Read the key without converting it: lua_next needs it unchanged.
            if lua_type(L, -2) == LUA_TSTRING {
                let name = String(cString: ml_tostring(L, -2))
                byName[name] = try value(a, "params.\(name)")
            } else if lua_type(L, -2) == LUA_TNUMBER, ml_isinteger(L, -2) != 0, lua_tointegerx(L, -2, nil) >= 1,
                      lua_tointegerx(L, -2, nil) <= 32_766 {
                let position = Int(lua_tointegerx(L, -2, nil))
                byPosition[position] = try value(a, "params[\(position)]")
            } else {
                ml_pop(L, 1)
                throw LuaScriptError("\(a.function): bad argument #\(i) (params): keys must be positions 1, 2, ... or names, got \(a.describe(-1))")
            }
        }
        if byPosition.isEmpty { return byName.isEmpty ? .none : .named(byName) }
        var count = byPosition.keys.max() ?? 0
        if case .integer(let n)? = byName["n"], n >= count, n <= 32_766 {   // table.pack's count
            count = Int(n)
            byName["n"] = nil
        }
        guard byName.isEmpty else {
            throw LuaScriptError("\(a.function): bad argument #\(i) (params): mixes positions and names (\(byName.keys.sorted().joined(separator: ", "))); give \(expected)")
        }
        return .positional((1...count).map { byPosition[$0] ?? .null })
    }

    /// The Lua value on top of the stack as a bound value.
    static func value(_ a: Arguments, _ label: String) throws -> SQLValue {
        let L = a.L
        switch lua_type(L, -1) {
        case LUA_TNIL: return .null
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, -1) != 0)
        case LUA_TNUMBER:
            return ml_isinteger(L, -1) != 0 ? .integer(Int64(lua_tointegerx(L, -1, nil))) : .number(lua_tonumberx(L, -1, nil))
        case LUA_TSTRING:
            var length = 0
            guard let start = lua_tolstring(L, -1, &length) else { return .null }
            return .text(String(decoding: UnsafeRawBufferPointer(start: start, count: length), as: UTF8.self))
        default:
            throw LuaScriptError("\(a.function): bad argument #3 (params): \(label) must be an integer, number, string, boolean or nil, got \(a.typeName(-1))")
        }
    }
}
