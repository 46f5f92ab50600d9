import CLua
import DataKit
import TensorKit

/// Frame selection (select, drop, rename, filter, sort, dropna, fillna, `df.new = ...`)
/// and Column comparisons, arithmetic and value_counts. Registered from
/// `DataFrames.registerFrame` / `registerColumn`.
enum FrameOps {
    static let sample = DataFrames.sample

    /// The value at `i` as a comparison or arithmetic operand.
    static func operand(_ a: Arguments, _ i: Int32, _ name: String) throws -> ColumnOperand {
        if let c = DataFrames.columnType.get(a.L, i) { return .column(c) }
        switch a.type(i) {
        case LUA_TNUMBER:
            if ml_isinteger(a.L, i) != 0 { return .integer(Int64(lua_tointegerx(a.L, i, nil))) }
            return .number(lua_tonumberx(a.L, i, nil))
        case LUA_TSTRING: return .string(String(cString: ml_tostring(a.L, i)))
        case LUA_TBOOLEAN: return .bool(lua_toboolean(a.L, i) != 0)
        default: throw a.error(i, name, expected: "a Column, a number, a string or a boolean")
        }
    }

    /// The string → string pairs of the table at `i` (e.g. {old = "new"}), sorted by key.
    static func stringPairs(_ a: Arguments, _ i: Int32, _ name: String) throws -> [(String, String)] {
        guard a.type(i) == LUA_TTABLE else { throw a.error(i, name, expected: "a table {old = \"new\", ...}") }
        let index = lua_absindex(a.L, i)
        var out: [(String, String)] = []
        lua_pushnil(a.L)
        while lua_next(a.L, index) != 0 {
            guard lua_type(a.L, -2) == LUA_TSTRING, lua_type(a.L, -1) == LUA_TSTRING else {
                ml_pop(a.L, 2)
                throw LuaScriptError("\(a.function): bad argument #\(i) (\(name)): expected string keys and string values ({old = \"new\"})")
            }
            out.append((String(cString: ml_tostring(a.L, -2)), String(cString: ml_tostring(a.L, -1))))
            ml_pop(a.L, 1)
        }
        return out.sorted { $0.0 < $1.0 }
    }

    static func registerFrameMethods(_ lib: Library) {
        let push: (OpaquePointer, Frame) -> Int32 = { L, f in DataFrames.frameType.push(L, f); return 1 }
        DataSQL.registerFrameMethods(lib)
        lib.function("select", "The named columns, in the order given, as a new Frame: df:select{\"a\", \"b\"}. An unknown name is an error listing the columns.", example: sample + "print(df:select{\"spend\", \"id\"})") { a in
            push(a.L, try DataFrames.frame(a).select(try a.stringList(2, "columns")))
        }
        lib.function("drop", "Every column except the named ones, as a new Frame: df:drop{\"c\"}.", example: sample + "print(df:drop{\"churn\"}.columns[2])") { a in
            push(a.L, try DataFrames.frame(a).drop(try a.stringList(2, "columns")))
        }
        lib.function("rename", "A new Frame with columns renamed: df:rename{old = \"new\"}. Unknown old names are errors; the column order is kept.", example: sample + "print(df:rename{spend = \"revenue\"}.columns[2])") { a in
            let pairs = try stringPairs(a, 2, "mapping")
            return push(a.L, try DataFrames.frame(a).rename(Dictionary(pairs, uniquingKeysWith: { x, _ in x })))
        }
        lib.function("filter", "The rows where mask is true, as a new Frame: df:filter(df.tenure:gt(12)). The mask is a bool Column of the frame's length (comparisons make one), or a function(row) called for each row with a table column → value (nil when missing) that returns a truthy value to keep the row.", example: sample + "print(#df:filter(df.churn:eq(true)), #df:filter(function(r) return r.spend ~= nil end))") { a in
            let df = try DataFrames.frame(a)
            if a.type(2) == LUA_TFUNCTION { return push(a.L, try df.take(try keptRows(a, df))) }
            guard let mask = DataFrames.columnType.get(a.L, 2) else { throw a.error(2, "mask", expected: "a bool Column (e.g. df.tenure:gt(12)) or a function(row)") }
            return push(a.L, try df.filter(mask))
        }
        lib.function("sort", "Rows ordered by a column: df:sort(\"col\" [, {descending = true}]). Stable (equal values keep their order); missing values go last.", example: sample + "print(df:sort(\"id\", {descending = true}).id:tolist()[1])") { a in
            let name = try a.string(2, "column")
            let o = try a.options(3, allowed: ["descending"])
            return push(a.L, try DataFrames.frame(a).sort(by: name, descending: try o.bool("descending") ?? false))
        }
        lib.function("dropna", "The rows with no missing value (in the named columns, or in any column): df:dropna() or df:dropna{\"a\", \"b\"}.", example: sample + "print(#df:dropna())") { a in
            let names = a.isNone(2) || a.type(2) == LUA_TNIL ? nil : try a.stringList(2, "columns")
            return push(a.L, try DataFrames.frame(a).dropna(names))
        }
        lib.function("fillna", "A new Frame with the gaps of the named columns filled: df:fillna{col = value | \"mean\" | \"median\" | \"mode\"}. An integer column filled with a fractional number becomes a number column; text columns take a string (\"mode\" works on any column).", example: sample + "print(df:fillna{spend = \"mean\"}.spend:tolist()[2])") { a in
            let df = try DataFrames.frame(a)
            guard a.type(2) == LUA_TTABLE else { throw a.error(2, "fills", expected: "a table {col = value | \"mean\" | \"median\" | \"mode\"}") }
            var fills: [(String, FillValue)] = []
            lua_pushnil(a.L)
            while lua_next(a.L, 2) != 0 {
                defer { ml_pop(a.L, 1) }
                guard lua_type(a.L, -2) == LUA_TSTRING else {
                    throw LuaScriptError("\(a.function): fills must be given by column name ({col = value})")
                }
                let name = String(cString: ml_tostring(a.L, -2))
                let fill: FillValue
                switch try operand(a, -1, "fill value for '\(name)'") {
                case .string("mean"): fill = .mean
                case .string("median"): fill = .median
                case .string("mode"): fill = .mode
                case .column: throw LuaScriptError("\(a.function): the fill value for '\(name)' must be a number, string, boolean, \"mean\", \"median\" or \"mode\", got a Column")
                case let v: fill = .value(v)
                }
                fills.append((name, fill))
            }
            return push(a.L, try df.fillna(fills.sorted { $0.0 < $1.0 }))
        }
    }

    /// The rows (0-based) for which the function at argument 2 returns a truthy value.
    static func keptRows(_ a: Arguments, _ df: Frame) throws -> [Int] {
        let L = a.L
        var kept: [Int] = []
        for row in 0..<df.rowCount {
            lua_pushvalue(L, 2)
            lua_createtable(L, 0, Int32(df.columns.count))
            for c in df.columns {
                DataFrames.pushCell(L, c, row)
                lua_setfield(L, -2, c.name)
            }
            guard ml_pcall(L, 1, 1, 0) == LUA_OK else { throw LuaPassthroughError() }
            if lua_toboolean(L, -1) != 0 { kept.append(row) }
            ml_pop(L, 1)
        }
        return kept
    }

    /// `df.name = column_or_value` (adds or replaces a column; a scalar is repeated; a
    /// 1-D tensor or a Lua list of the frame's length becomes a column) and
    /// `df.name = nil` (removes it).
    static func registerFrameMetamethods(_ L: OpaquePointer, metatable: Int32) {
        pushFunction(L) { L in
            let a = Arguments(L, "Frame (assignment)")
            let df = try DataFrames.frame(a)
            guard a.type(2) == LUA_TSTRING else { throw a.error(2, "column name", expected: "a string") }
            let name = String(cString: ml_tostring(L, 2))
            guard name != "columns" else { throw LuaScriptError("Frame: 'columns' is the list of column names and cannot be assigned") }
            if a.type(3) == LUA_TNIL {
                try df.removeColumn(name, "Frame (assignment)")
                return 0
            }
            if Tensors.type.get(L, 3) != nil || (a.type(3) == LUA_TTABLE && DataFrames.columnType.get(L, 3) == nil) {
                let column = try DataFrames.columnValue(a, 3, "value", name: name)
                if df.columns.first != nil, column.count != df.rowCount {
                    throw LuaScriptError("Frame: cannot assign \(column.count) values to '\(name)' of a frame with \(df.rowCount) rows")
                }
                try df.setColumn(column)
                return 0
            }
            let value = try operand(a, 3, "value")
            if case .column(let c) = value, df.columns.first != nil, c.count != df.rowCount {
                throw LuaScriptError("Frame: cannot assign column '\(c.name)' with \(c.count) rows to '\(name)' of a frame with \(df.rowCount) rows")
            }
            try df.setColumn(try Column.constant(name: name, value, count: df.rowCount))
            return 0
        }
        lua_setfield(L, metatable, "__newindex")
    }

    static func registerColumnMethods(_ lib: Library) {
        ColumnDerived.register(lib)
        for op in Column.Comparison.allCases {
            let word = ["gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "==", "ne": "~="][op.rawValue]!
            lib.function(op.rawValue, "Elementwise col \(word) x as a bool Column; x is a number, a string (text columns), a boolean or another Column of the same length. As in pandas, a missing value compares false (true for ne).", example: sample + "print(df.spend:\(op.rawValue)(5):tolist()[1])") { a in
                DataFrames.columnType.push(a.L, try DataFrames.column(a).compare(op, try operand(a, 2, "other")))
                return 1
            }
        }
        lib.function("median", "The median of the non-missing values, as a Lua number.", example: sample + "print(df.spend:median())") { a in
            lua_pushnumber(a.L, try DataFrames.column(a).median())
            return 1
        }
        lib.function("value_counts", "A Frame with columns value and count: each distinct non-missing value and how often it occurs, most frequent first (ties in order of first appearance).", example: sample + "print(df.churn:value_counts())") { a in
            DataFrames.frameType.push(a.L, try DataFrames.column(a).valueCounts())
            return 1
        }
    }

    /// `+ - * /` between numeric Columns and numbers (missing propagates).
    static func registerColumnMetamethods(_ L: OpaquePointer, metatable: Int32) {
        for (event, op) in [("__add", Column.Arithmetic.add), ("__sub", .sub), ("__mul", .mul), ("__div", .div)] {
            pushFunction(L) { L in
                let a = Arguments(L, "Column \(op.rawValue)")
                let result = try Column.arithmetic(op, try operand(a, 1, "left operand"), try operand(a, 2, "right operand"))
                DataFrames.columnType.push(L, result)
                return 1
            }
            lua_setfield(L, metatable, event)
        }
        // Lua's < and <= must return a boolean, so they cannot compare a column elementwise.
        for (event, symbol, method) in [("__lt", "<", "lt"), ("__le", "<=", "le")] {
            pushFunction(L) { _ in
                throw LuaScriptError("Column \(symbol): Lua's comparison operators must return a boolean, so they do not work on columns; use col:\(method)(x) for an elementwise test (col:lt, le, gt, ge, eq, ne)")
            }
            lua_setfield(L, metatable, event)
        }
    }
}
