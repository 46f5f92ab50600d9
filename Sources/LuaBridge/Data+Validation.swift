import CLua
import DataKit
import TensorKit

/// `data.validate(frame, schema)` and read_csv's `expect` option: a scheduled script
/// states the columns it needs, and a drifted export stops the run with one report of
/// every problem (a Lua error, so `marketlab run` exits with status 1).
enum DataValidation {
    static let schemaDoc = "A schema maps each column name to a type (\"integer\", \"number\" (integers too), \"bool\", \"string\" (categories too), \"category\", \"date\") or to a table {type, min, max, values = {...} (the allowed values), missing = false (no empty cells), unique = true, required = false (may be absent)}."

    static func register(_ data: Library) {
        data.function("validate", "Checks that a frame has the columns, types and values a script expects and returns it; otherwise raises one error listing every problem (missing or renamed columns, wrong types with the first offending value, missing values, values out of range or outside the allowed set, repeated ids). data.validate(frame, schema [, {source, extra = true, min_rows}]): source names the input in the report; extra = false also rejects columns the schema does not list. " + schemaDoc,
                      example: "local df = data.frame{ {'id', {'a', 'b'}}, {'spend', {10.5, 3}} }\ndata.validate(df, {id = {type = 'string', unique = true}, spend = {type = 'number', min = 0}})\nprint(pcall(data.validate, df, {spend = {min = 5}, tenure = 'integer'}))") { a in
            guard let frame = DataFrames.frameType.get(a.L, 1) else { throw a.error(1, "frame", expected: "a Frame") }
            let o = try a.options(3, allowed: ["source", "extra", "min_rows"])
            let expected = try schema(a, 2)
            try check(frame, expected, source: try o.string("source"), extraAllowed: try o.bool("extra") ?? true,
                      minRows: try o.integer("min_rows") ?? 0, function: a.function)
            lua_pushvalue(a.L, 1)
            return 1
        }
    }

    /// Raises the validation report when `frame` departs from `expected`.
    static func check(_ frame: Frame, _ expected: [ColumnExpectation], source: String?, extraAllowed: Bool,
                      minRows: Int, function: String) throws {
        let problems = frame.problems(expected, extraAllowed: extraAllowed, minRows: minRows)
        guard !problems.isEmpty else { return }
        let what = source.map { "\($0) does" } ?? "the frame does"
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        var lines = ["\(function): \(what) not match what the script expects (\(count)):"]
        lines += problems.map { "  - " + $0 }
        lines.append("  columns found: " + frame.columns.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", "))
        throw LuaScriptError(lines.joined(separator: "\n"))
    }

    /// The schema table at `i`, in a stable order (by name).
    static func schema(_ a: Arguments, _ i: Int32) throws -> [ColumnExpectation] {
        let L = a.L
        guard a.type(i) == LUA_TTABLE else { throw a.error(i, "schema", expected: "a table {column = \"type\" or {type, min, max, values, missing, unique, required}}") }
        let table = lua_absindex(L, i)
        var out: [ColumnExpectation] = []
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            defer { ml_pop(L, 1) }
            guard lua_type(L, -2) == LUA_TSTRING else {
                throw LuaScriptError("\(a.function): schema keys are column names (strings), got a \(a.typeName(-2)) key")
            }
            var e = ColumnExpectation(name: String(cString: ml_tostring(L, -2)))
            let label = "schema.\(e.name)"
            switch lua_type(L, -1) {
            case LUA_TSTRING:
                e.type = try declared(String(cString: ml_tostring(L, -1)), label, a.function)
            case LUA_TTABLE:
                let spec = Arguments(L, a.function)
                let o = try spec.options(lua_gettop(L), allowed: ["type", "min", "max", "values", "missing", "unique", "required"])
                if let type = try o.string("type") { e.type = try declared(type, "\(label).type", a.function) }
                e.min = try o.number("min")
                e.max = try o.number("max")
                e.missingAllowed = try o.bool("missing") ?? true
                e.unique = try o.bool("unique") ?? false
                e.required = try o.bool("required") ?? true
                if o.has("values") { e.values = try allowedValues(a, label) }
            default:
                throw LuaScriptError("\(a.function): \(label) must be a type name or a table {type, min, max, values, missing, unique, required}, got \(a.typeName(-1))")
            }
            out.append(e)
        }
        return out.sorted { $0.name < $1.name }
    }

    static func declared(_ name: String, _ label: String, _ function: String) throws -> ColumnExpectation.Declared {
        guard let type = ColumnExpectation.Declared(rawValue: name) else {
            let valid = ColumnExpectation.Declared.allCases.map(\.rawValue)
            throw LuaScriptError("\(function): \(label) = '\(name)' is not a column type\(didYouMean(name, valid)); valid: \(valid.joined(separator: ", "))")
        }
        return type
    }

    /// The `values` list of the spec table on top of the stack, as text.
    static func allowedValues(_ a: Arguments, _ label: String) throws -> [String] {
        let L = a.L
        lua_getfield(L, -1, "values")
        defer { ml_pop(L, 1) }
        guard lua_type(L, -1) == LUA_TTABLE else { throw LuaScriptError("\(a.function): \(label).values must be a list, got \(a.typeName(-1))") }
        var out: [String] = []
        let n = lua_rawlen(L, -1)
        guard n > 0 else { return [] }
        for k in 1...Int(n) {
            lua_rawgeti(L, -1, lua_Integer(k))
            defer { ml_pop(L, 1) }
            switch lua_type(L, -1) {
            case LUA_TSTRING: out.append(String(cString: ml_tostring(L, -1)))
            case LUA_TBOOLEAN: out.append(lua_toboolean(L, -1) != 0 ? "true" : "false")
            case LUA_TNUMBER:
                if ml_isinteger(L, -1) != 0 { out.append(String(lua_tointegerx(L, -1, nil))) } else { out.append(Column(name: "", values: .number([lua_tonumberx(L, -1, nil)])).text(0)) }
            default: throw LuaScriptError("\(a.function): \(label).values[\(k)] must be a string, number or boolean, got \(a.typeName(-1))")
            }
        }
        return out
    }
}
