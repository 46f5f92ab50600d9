import CLua
import DataKit
import TensorKit

/// Frames built from Lua values: `data.frame{...}` (pandas' DataFrame(dict)) and the
/// column conversions `df.name = value` shares with it (a tensor of model scores or a Lua
/// list becomes a column, as in pandas).
extension DataFrames {
    static func registerConstruction(_ data: Library) {
        data.function("frame", "A Frame from columns: data.frame{ {\"id\", ids}, {\"score\", scores} } keeps that order; data.frame({id = ids, score = scores} [, {columns = {\"id\", \"score\"}}]) orders the columns as listed (by name without it). Each column is a Lua list (numbers, strings or booleans), a 1-D tensor (or [n, 1]) or a Column; all have the same length. Whole-number lists become integer columns, float tensors number columns, bool tensors bool columns.",
                      example: "print(data.frame{ {\"customer\", {\"a\", \"b\"}}, {\"score\", torch.tensor({0.9, 0.2})} })") { a in
            guard a.type(1) == LUA_TTABLE else { throw a.error(1, "columns", expected: "a table of columns: {{\"name\", values}, ...} or {name = values, ...}") }
            let o = try a.options(2, allowed: ["columns"])
            let order = try o.stringList("columns")
            let table = lua_absindex(a.L, 1)
            var named: [(String, Int32)] = []   // name and the stack index of its values
            let L = a.L
            let listed = lua_rawlen(L, table)
            if listed > 0 {
                for k in 1...Int(listed) {
                    lua_rawgeti(L, table, lua_Integer(k))
                    let pair = lua_gettop(L)
                    lua_rawgeti(L, pair, 1)
                    guard lua_type(L, -1) == LUA_TSTRING else {
                        throw LuaScriptError("data.frame: entry \(k) must be {\"name\", values}, got \(a.typeName(pair))")
                    }
                    let name = String(cString: ml_tostring(L, -1))
                    ml_pop(L, 1)
                    lua_rawgeti(L, pair, 2)
                    named.append((name, lua_gettop(L)))
                }
            } else {
                lua_pushnil(L)
                var keys: [String] = []
                while lua_next(L, table) != 0 {
                    ml_pop(L, 1)
                    guard lua_type(L, -1) == LUA_TSTRING else {
                        throw LuaScriptError("data.frame: column names must be strings, got a \(a.typeName(-1)) key")
                    }
                    keys.append(String(cString: ml_tostring(L, -1)))
                }
                if let order {
                    let missing = keys.filter { !order.contains($0) }
                    guard missing.isEmpty, Set(order).count == order.count, order.allSatisfy(keys.contains) else {
                        throw LuaScriptError("data.frame: option 'columns' must list each column once: given \(order), the table has \(keys.sorted())")
                    }
                    keys = order
                } else {
                    keys.sort()
                }
                for name in keys {
                    lua_getfield(L, table, name)
                    named.append((name, lua_gettop(L)))
                }
            }
            var columns: [Column] = []
            for (name, index) in named {
                let column = try columnValue(a, index, "column '\(name)'", name: name)
                if let first = columns.first, first.count != column.count {
                    throw LuaScriptError("data.frame: column '\(name)' has \(column.count) values, column '\(first.name)' has \(first.count)")
                }
                columns.append(column)
            }
            do { DataFrames.frameType.push(L, try Frame(columns: columns)) } catch { throw LuaScriptError("data.frame: \(error)") }
            return 1
        }
    }

    /// The column made of the value at `i`: a Column (renamed), a 1-D tensor or [n, 1],
    /// or a Lua list of numbers, strings or booleans. nil when the value is none of those.
    static func columnValue(_ a: Arguments, _ i: Int32, _ what: String, name: String) throws -> Column {
        let L = a.L
        if let c = columnType.get(L, i) { return Column(name: name, values: c.values, category: c.isCategory) }
        if let t = Tensors.type.get(L, i) {
            guard t.rank == 1 || (t.rank == 2 && t.shape[1] == 1) else {
                throw LuaScriptError("\(a.function): \(what) must be a 1-D tensor (or [n, 1]) to become a column, got shape \(describeShape(t.shape))")
            }
            switch t.dtype {
            case .int64: return Column(name: name, values: .integer(t.toInts().map { Optional($0) }))
            case .bool: return Column(name: name, values: .bool(t.toDoubles().map { Optional($0 != 0) }))
            case .float32:
                // The shortest decimal that reads back as the same float32, so a score
                // of 0.7 is written to a CSV as 0.7, not 0.699999988079071.
                return Column(name: name, values: .number(t.toDoubles().map { v in
                    let f = Float(v)
                    return f.isFinite ? (Double(f.description) ?? v) : v
                }))
            default: return Column(name: name, values: .number(t.toDoubles().map { Optional($0) }))
            }
        }
        guard lua_type(L, i) == LUA_TTABLE else {
            throw a.error(i, what, expected: "a Lua list, a 1-D tensor or a Column")
        }
        let n = Int(lua_rawlen(L, i))
        var integers: [Int64?] = [], numbers: [Double?] = [], strings: [String?] = [], bools: [Bool?] = []
        var kind: Int32 = LUA_TNIL
        var allIntegers = true
        for k in 0..<n {
            lua_rawgeti(L, i, lua_Integer(k + 1))
            defer { ml_pop(L, 1) }
            let type = lua_type(L, -1)
            if kind == LUA_TNIL { kind = type }
            guard type == kind, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TBOOLEAN else {
                throw LuaScriptError("\(a.function): \(what): value \(k + 1) is a \(a.typeName(-1)) but the list holds \(kind == LUA_TNIL || kind == type ? "numbers, strings or booleans" : String(cString: lua_typename(L, kind)) + "s"); a column has one type")
            }
            switch type {
            case LUA_TNUMBER:
                let v = lua_tonumberx(L, -1, nil)
                numbers.append(v)
                if ml_isinteger(L, -1) != 0 { integers.append(Int64(lua_tointegerx(L, -1, nil))) } else { allIntegers = false }
            case LUA_TSTRING: strings.append(String(cString: ml_tostring(L, -1)))
            default: bools.append(lua_toboolean(L, -1) != 0)
            }
        }
        switch kind {
        case LUA_TSTRING: return Column(name: name, values: .string(strings))
        case LUA_TBOOLEAN: return Column(name: name, values: .bool(bools))
        case LUA_TNUMBER: return Column(name: name, values: allIntegers ? .integer(integers) : .number(numbers))
        default: return Column(name: name, values: .number([]))
        }
    }
}
