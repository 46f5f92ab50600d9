import CLua
import DataKit
import TensorKit

/// `data.read_csv`, and Frame and Column as Lua values.
enum DataFrames {
    /// A frame's columns live outside Lua's heap: about 9 bytes a value for numbers, dates
    /// and flags (value and presence), 32 for text (a String and its characters).
    static let frameType = ObjectType<Frame>(name: "Frame") { frame in
        frame.columns.reduce(0) { $0 + $1.count * ($1.isText ? 32 : 9) }
    }
    static let columnType = ObjectType<Column>(name: "Column")

    /// Builds a small frame for the doc examples.
    static let sample = "local p = os.tmpname(); local f = io.open(p, 'w'); f:write('id,spend,churn\\n007,12.5,true\\n008,,false\\n'); f:close(); local df = data.read_csv(p); "

    static let csvOptions = ["sep", "header", "na", "types", "encoding", "skip_bad_lines", "decimal", "thousands", "date_format", "expect"]

    static func register(_ L: OpaquePointer, data: Library) {
        registerConstruction(data)
        DataValidation.register(data)
        data.function("read_csv", "Reads a CSV file into a Frame: RFC 4180 quoting, a header row, types inferred from whole columns (integer, number, bool, date, category or string; ids with leading zeros stay text; ISO dates are dates; text with few distinct values is a category); only the empty field is missing unless {na = {...}} lists markers. Options: sep, header, na, types = {col = \"number\"|\"integer\"|\"string\"|\"category\"|\"date\"|\"bool\"}, decimal (\".\" or \",\"), thousands, date_format (strftime style, e.g. \"%d/%m/%Y\" or \"%Y%m%d\"; day/month dates that fit both orders are an error without it), encoding (\"utf-8\", \"utf-8-sig\", \"latin1\", \"cp1252\"), skip_bad_lines, expect (a schema the file must match, as data.validate: a drifted export is one error listing every problem). A malformed line is an error naming file:line:column. Large files are read on two cores. Returns the frame (and the number of skipped lines).",
                     example: "local p = os.tmpname(); local f = io.open(p, 'w'); f:write('id,spend\\n007,12.5\\n008,3\\n'); f:close(); print(data.read_csv(p))") { a in
            let path = try a.string(1, "path")
            let o = try a.options(2, allowed: csvOptions)
            var options = CSVOptions()
            for (option, field) in [("decimal", \CSVOptions.decimal)] {
                if let mark = try o.string(option) {
                    guard mark == "." || mark == "," else { throw LuaScriptError("\(a.function): option '\(option)' must be \".\" or \",\", got '\(mark)'") }
                    options[keyPath: field] = mark.utf8.first!
                }
            }
            if let mark = try o.string("thousands") {
                guard mark.utf8.count == 1, let byte = mark.utf8.first, byte < 0x80 else {
                    throw LuaScriptError("\(a.function): option 'thousands' must be one character such as \",\" or \".\", got '\(mark)'")
                }
                options.thousands = byte
            }
            if let format = try o.string("date_format") {
                do { options.dateFormat = try DateFormat(format) } catch { throw LuaScriptError("\(a.function): \(error)") }
            }
            if let sep = try o.string("sep") {
                guard sep.utf8.count == 1 else { throw LuaScriptError("\(a.function): option 'sep' must be one character, got '\(sep)'") }
                options.separator = sep.utf8.first!
            }
            options.header = try o.bool("header") ?? true
            options.skipBadLines = try o.bool("skip_bad_lines") ?? false
            if let encoding = try o.string("encoding") {
                guard let e = CSVOptions.Encoding(rawValue: encoding) else {
                    throw LuaScriptError("\(a.function): unknown encoding '\(encoding)'; valid: utf-8, utf-8-sig, latin1, cp1252")
                }
                options.encoding = e
            }
            options.missingMarkers.formUnion(try o.stringList("na") ?? [])
            for (column, kind) in try o.stringMap("types") ?? [:] {
                guard let k = Column.Kind(rawValue: kind) else {
                    throw LuaScriptError("\(a.function): types.\(column) = '\(kind)' is not a column type; valid: \(Column.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                options.types[column] = k
            }
            var expected: [ColumnExpectation]?
            if o.has("expect") {
                lua_getfield(a.L, 2, "expect")
                defer { ml_pop(a.L, 1) }
                expected = try DataValidation.schema(a, -1)
            }
            let (frame, skipped) = try CSVReader.read(path: path, options: options)
            if let expected {
                try DataValidation.check(frame, expected, source: path, extraAllowed: true, minRows: 0, function: a.function)
            }
            frameType.push(a.L, frame)
            lua_pushinteger(a.L, lua_Integer(skipped))
            return 2
        }
        registerGrouped(L)
        DataSplits.register(data)
        DataPreprocessing.register(L, data: data)
        DataSQL.register(data)
        registerFrame(L)
        registerColumn(L)
    }

    static func registerFrame(_ L: OpaquePointer) {
        frameType.createMetatable(L)
        let metatable = lua_gettop(L)
        lua_createtable(L, 0, 8)
        let lib = Library(L, table: -1, prefix: "Frame:")
        lib.function("dtypes", "Column name → type (\"integer\", \"number\", \"bool\", \"string\", \"category\" or \"date\").", example: sample + "print(df:dtypes().spend)") { a in
            let df = try frame(a)
            lua_createtable(a.L, 0, Int32(df.columns.count))
            for c in df.columns { lua_pushstring(a.L, c.kind.rawValue); lua_setfield(a.L, -2, c.name) }
            return 1
        }
        for (name, fromEnd) in [("head", false), ("tail", true)] {
            lib.function(name, "The \(fromEnd ? "last" : "first") n rows (default 5) as a new Frame.", example: sample + "print(df:\(name)(1))") { a in
                let df = try frame(a)
                let n = Swift.min(Swift.max(try a.optionalInteger(2, "n") ?? 5, 0), df.rowCount)
                frameType.push(a.L, try df.rows(fromEnd ? (df.rowCount - n)..<df.rowCount : 0..<n))
                return 1
            }
        }
        lib.function("groupby", "Groups rows by key columns: df:groupby(\"customer\") or df:groupby({\"a\", \"b\"}), then :agg{col = {\"sum\", \"mean\", \"count\", \"nunique\", \"min\", \"max\", \"median\", \"std\", \"first\", \"last\"}} gives one row per group (keys sorted) with columns named col_sum, col_mean, ...",
                     example: sample + "print(df:groupby('churn'):agg{spend = {'count', 'sum'}})") { a in
            let df = try frame(a)
            let keys = a.type(2) == LUA_TSTRING ? [try a.string(2, "keys")] : try a.stringList(2, "keys")
            for key in keys { _ = try df.requireColumn(key, a.function) }
            lua_createtable(a.L, 0, 2)
            frameType.push(a.L, df)
            lua_setfield(a.L, -2, "frame")
            lua_createtable(a.L, Int32(keys.count), 0)
            for (i, k) in keys.enumerated() { lua_pushstring(a.L, k); lua_rawseti(a.L, -2, lua_Integer(i + 1)) }
            lua_setfield(a.L, -2, "keys")
            lua_rawgeti(a.L, ml_registryindex(), lua_Integer(groupedMetatable))
            lua_setmetatable(a.L, -2)
            return 1
        }
        lib.function("join", "Rows of two frames matched on key columns: df:join(other, {on = \"id\" or {\"a\", \"b\"}, how = \"inner\" (default) or \"left\"}). Other columns sharing a name get _x and _y.", example: sample + "print(df:join(df:select({'id', 'churn'}), {on = 'id'}))") { a in
            let df = try frame(a)
            guard let other = frameType.get(a.L, 2) else { throw a.error(2, "other", expected: "a Frame") }
            let o = try a.options(3, allowed: ["on", "how"])
            let keys: [String]
            if let single = try? o.string("on") { keys = [single] } else if let list = try o.stringList("on") { keys = list } else {
                throw LuaScriptError("\(a.function): option 'on' (the key column or columns) is required")
            }
            let howName = try o.string("how") ?? "inner"
            guard let how = Frame.JoinKind(rawValue: howName) else {
                throw LuaScriptError("\(a.function): how must be \"inner\" or \"left\", got '\(howName)'")
            }
            frameType.push(a.L, try df.join(other, on: keys, how: how))
            return 1
        }
        lib.function("sample", "n rows drawn without replacement: df:sample(n [, {seed}]).", example: sample + "print(#df:sample(1, {seed = 1}))") { a in
            let df = try frame(a)
            let o = try a.options(3, allowed: ["seed"])
            frameType.push(a.L, try df.sample(try a.integer(2, "n"), seed: try o.integer("seed").map { UInt64(bitPattern: Int64($0)) }))
            return 1
        }
        lib.function("describe", "count, mean, std, min, quartiles and max of every numeric column, as a Frame (as pandas' describe).", example: sample + "print(df:describe())") { a in
            frameType.push(a.L, try frame(a).describe())
            return 1
        }
        lib.function("info", "One row per column: dtype, missing values and distinct values, as a Frame.", example: sample + "print(df:info())") { a in
            frameType.push(a.L, try frame(a).info())
            return 1
        }
        lib.function("write_csv", "Writes the frame as CSV, atomically (a temporary file, then a rename): df:write_csv(path [, {bom = true, decimal = \",\"}]). A decimal comma also switches the separator to ';' for spreadsheets in European locales.", example: sample + "df:write_csv(os.tmpname())") { a in
            let df = try frame(a)
            let path = try a.string(2, "path")
            let o = try a.options(3, allowed: ["bom", "decimal"])
            var options = Frame.CSVWriteOptions()
            options.bom = try o.bool("bom") ?? false
            if let decimal = try o.string("decimal") {
                guard decimal == "," || decimal == "." else { throw LuaScriptError("\(a.function): option 'decimal' must be \".\" or \",\", got '\(decimal)'") }
                options.decimalComma = decimal == ","
            }
            do { try df.writeCSV(to: path, options: options) } catch let e as TensorError { throw LuaScriptError("\(a.function): \(e.message)") }
            return 0
        }
        lib.function("write_json", "Writes the frame as a JSON array of records (missing values are null), atomically: df:write_json(path).", example: sample + "df:write_json(os.tmpname())") { a in
            let df = try frame(a)
            let path = try a.string(2, "path")
            do { try df.writeJSON(to: path) } catch let e as TensorError { throw LuaScriptError("\(a.function): \(e.message)") }
            return 0
        }
        lib.function("to_tensor", "The named columns (default: every numeric column) as a float tensor [rows, columns]: df:to_tensor({\"a\", \"b\"} [, {dtype}]). Text or missing values are errors naming the column.", example: sample + "print(df:to_tensor({\"churn\"}))") { a in
            let df = try frame(a)
            guard a.isNone(2) || a.type(2) == LUA_TTABLE else { throw a.error(2, "columns", expected: "a list of column names, an options table or nil") }
            let names = a.type(2) == LUA_TTABLE && !a.isOptionsTable(2) ? try a.stringList(2, "columns") : nil
            let o = try a.options(a.isOptionsTable(2) ? 2 : 3, allowed: ["dtype"])
            return Tensors.push(a.L, try df.tensor(names, dtype: try o.dtype() ?? .float32))
        }
        FrameOps.registerFrameMethods(lib)
        pushIndexFunction(L) { L in
            let a = Arguments(L, "Frame")
            let df = try frame(a)
            let key = try a.string(2, "column")
            if key == "columns" {
                lua_createtable(L, Int32(df.columns.count), 0)
                for (i, n) in df.names.enumerated() { lua_pushstring(L, n); lua_rawseti(L, -2, lua_Integer(i + 1)) }
                return 1
            }
            columnType.push(L, try df.requireColumn(key, "Frame"))
            return 1
        }
        lua_setfield(L, metatable, "__index")
        pushFunction(L) { L in lua_pushinteger(L, lua_Integer(try frame(Arguments(L, "#")).rowCount)); return 1 }
        lua_setfield(L, metatable, "__len")
        pushFunction(L) { L in lua_pushstring(L, try frame(Arguments(L, "tostring")).render()); return 1 }
        lua_setfield(L, metatable, "__tostring")
        FrameOps.registerFrameMetamethods(L, metatable: metatable)
        ml_pop(L, 1)
    }

    static func registerColumn(_ L: OpaquePointer) {
        columnType.createMetatable(L)
        let metatable = lua_gettop(L)
        lua_createtable(L, 0, 12)
        let lib = Library(L, table: -1, prefix: "Column:")
        let stats: [(String, (Column) throws -> Double)] = [("sum", { try $0.sum() }), ("mean", { try $0.mean() }),
                                                           ("min", { try $0.min() }), ("max", { try $0.max() }), ("std", { try $0.std() })]
        for (name, op) in stats {
            lib.function(name, "The \(name) of the non-missing values, as a Lua number (an integer for integer and bool columns, except mean and std).", example: sample + "print(df.spend:\(name)())") { a in
                let c = try column(a)
                let value = try op(c)
                let integral = (c.kind == .integer || c.kind == .bool) && name != "mean" && name != "std"
                if integral, value.isFinite, value == value.rounded(), Swift.abs(value) < 9.0e15 {
                    lua_pushinteger(a.L, lua_Integer(value))
                } else {
                    lua_pushnumber(a.L, value)
                }
                return 1
            }
        }
        lib.function("log1p", "log(1 + x) of each value (a number column); spend and counts are often skewed.", example: sample + "print(df.spend:log1p())") { a in
            columnType.push(a.L, try column(a).log1p())
            return 1
        }
        lib.function("clip", "Values limited to [low, high]: col:clip(0, 100), col:clip(nil, 100).", example: sample + "print(df.spend:clip(0, 10))") { a in
            columnType.push(a.L, try column(a).clip(low: try a.optionalNumber(2, "low"), high: try a.optionalNumber(3, "high")))
            return 1
        }
        lib.function("astype", "The column converted to \"number\", \"integer\", \"bool\", \"string\", \"category\" or \"date\" (from YYYY-MM-DD text); a value that does not convert is an error naming its row.", example: sample + "print(df.id:astype('integer'))") { a in
            let name = try a.string(2, "dtype")
            guard let kind = Column.Kind(rawValue: name) else {
                throw LuaScriptError("\(a.function): unknown column type '\(name)'; valid: \(Column.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            columnType.push(a.L, try column(a).astype(kind))
            return 1
        }
        lib.function("map", "A new column of fn(value) for each value (missing values are passed as nil; fn may return nil for missing): col:map(function(v) ... end). The result's type is inferred from what fn returns.", example: sample + "print(df.churn:map(function(v) return v and 1 or 0 end))") { a in
            let c = try column(a)
            guard lua_type(a.L, 2) == LUA_TFUNCTION else { throw a.error(2, "fn", expected: "a function") }
            var integers: [Int64?] = [], numbers: [Double?] = [], strings: [String?] = [], bools: [Bool?] = []
            var sawInteger = false, sawFloat = false, sawString = false, sawBool = false
            for row in 0..<c.count {
                lua_pushvalue(a.L, 2)
                pushCell(a.L, c, row)
                guard ml_pcall(a.L, 1, 1, 0) == LUA_OK else { throw LuaPassthroughError() }
                defer { ml_pop(a.L, 1) }
                switch lua_type(a.L, -1) {
                case LUA_TNIL: integers.append(nil); numbers.append(nil); strings.append(nil); bools.append(nil)
                case LUA_TNUMBER:
                    if ml_isinteger(a.L, -1) != 0 { sawInteger = true } else { sawFloat = true }
                    let v = lua_tonumberx(a.L, -1, nil)
                    integers.append(Int64(lua_tointegerx(a.L, -1, nil))); numbers.append(v); strings.append(nil); bools.append(nil)
                case LUA_TBOOLEAN:
                    sawBool = true
                    bools.append(lua_toboolean(a.L, -1) != 0); integers.append(nil); numbers.append(nil); strings.append(nil)
                case LUA_TSTRING:
                    sawString = true
                    strings.append(String(cString: ml_tostring(a.L, -1))); integers.append(nil); numbers.append(nil); bools.append(nil)
                default:
                    throw LuaScriptError("\(a.function): fn returned a \(String(cString: lua_typename(a.L, lua_type(a.L, -1)))) for row \(row + 1); return a number, string, boolean or nil")
                }
            }
            let kinds = [sawInteger || sawFloat, sawString, sawBool].filter { $0 }.count
            guard kinds <= 1 else { throw LuaScriptError("\(a.function): fn returned values of different kinds (numbers, strings, booleans); return one kind") }
            let values: Column.Values = sawString ? .string(strings) : sawBool ? .bool(bools)
                : sawFloat ? .number(numbers) : sawInteger ? .integer(integers) : .number(numbers)
            columnType.push(a.L, Column(name: c.name, values: values))
            return 1
        }
        lib.function("isna", "A bool column, true where the value is missing (col:isna():sum() counts them).", example: sample + "print(df.spend:isna():sum())") { a in
            columnType.push(a.L, try column(a).isna())
            return 1
        }
        lib.function("tolist", "The values as a Lua list (missing values are nil).", example: sample + "print(df.id:tolist()[1])") { a in
            pushValues(a.L, try column(a), distinct: false)
            return 1
        }
        lib.function("unique", "The distinct non-missing values in order of first appearance, as a Lua list.", example: sample + "print(#df.churn:unique())") { a in
            pushValues(a.L, try column(a), distinct: true)
            return 1
        }
        lib.function("to_tensor", "The values as a float tensor (missing values and text are errors).", example: sample + "print(df.churn:to_tensor())") { a in
            let o = try a.options(2, allowed: ["dtype"])
            return Tensors.push(a.L, try column(a).tensor(dtype: try o.dtype() ?? .float32))
        }
        FrameOps.registerColumnMethods(lib)
        pushIndexFunction(L) { L in
            let a = Arguments(L, "Column")
            let c = try column(a)
            switch try a.string(2, "field") {
            case "dtype": lua_pushstring(L, c.kind.rawValue)
            case "name": lua_pushstring(L, c.name)
            case let key: throw LuaScriptError("Column has no field or method '\(key)'")
            }
            return 1
        }
        lua_setfield(L, metatable, "__index")
        pushFunction(L) { L in lua_pushinteger(L, lua_Integer(try column(Arguments(L, "#")).count)); return 1 }
        lua_setfield(L, metatable, "__len")
        pushFunction(L) { L in
            let c = try column(Arguments(L, "tostring"))
            let shown = (0..<Swift.min(c.count, 8)).map { c.text($0) }.joined(separator: ", ")
            lua_pushstring(L, "Column '\(c.name)' (\(c.kind.rawValue), \(c.count) rows): [\(shown)\(c.count > 8 ? ", ..." : "")]")
            return 1
        }
        lua_setfield(L, metatable, "__tostring")
        FrameOps.registerColumnMetamethods(L, metatable: metatable)
        ml_pop(L, 1)
    }

    /// The metatable of `df:groupby(...)` results (a Lua table {frame, keys} with agg).
    static var groupedMetatable: Int32 = LUA_NOREF

    static func registerGrouped(_ L: OpaquePointer) {
        lua_createtable(L, 0, 2)
        lua_createtable(L, 0, 1)
        let lib = Library(L, table: -1, prefix: "GroupBy:")
        lib.function("agg", "Aggregates each group: grouped:agg{col = {\"sum\", \"mean\"}} (or a single statistic as a string).", example: sample + "print(df:groupby('churn'):agg{spend = 'mean'})") { a in
            guard lua_type(a.L, 1) == LUA_TTABLE else { throw a.error(1, "self", expected: "the result of df:groupby(...)") }
            lua_pushstring(a.L, "frame")
            lua_rawget(a.L, 1)
            let grouped = frameType.get(a.L, -1)
            ml_pop(a.L, 1)
            guard let df = grouped else { throw a.error(1, "self", expected: "the result of df:groupby(...)") }
            lua_pushstring(a.L, "keys")
            lua_rawget(a.L, 1)
            let keyList = lua_type(a.L, -1) == LUA_TTABLE ? try? a.stringList(lua_gettop(a.L), "keys") : nil
            ml_pop(a.L, 1)
            guard let keys = keyList else { throw a.error(1, "self", expected: "the result of df:groupby(...)") }
            guard a.type(2) == LUA_TTABLE else { throw a.error(2, "aggregations", expected: "a table {column = {statistics}}") }
            var requests: [(column: String, statistics: [String])] = []
            lua_pushnil(a.L)
            while lua_next(a.L, 2) != 0 {
                defer { ml_pop(a.L, 1) }
                guard lua_type(a.L, -2) == LUA_TSTRING else { ml_pop(a.L, 1); throw LuaScriptError("\(a.function): aggregations are given by column name") }
                let column = String(cString: ml_tostring(a.L, -2))
                let statistics = lua_type(a.L, -1) == LUA_TSTRING ? [String(cString: ml_tostring(a.L, -1))] : try a.stringList(lua_gettop(a.L), column)
                requests.append((column, statistics))
            }
            requests.sort { $0.column < $1.column }
            frameType.push(a.L, try df.aggregate(by: keys, requests))
            return 1
        }
        lua_setfield(L, -2, "__index")
        groupedMetatable = luaL_ref(L, ml_registryindex())
    }

    static func frame(_ a: Arguments) throws -> Frame {
        guard let df = frameType.get(a.L, 1) else { throw a.error(1, "self", expected: "a Frame") }
        return df
    }

    static func column(_ a: Arguments) throws -> Column {
        guard let c = columnType.get(a.L, 1) else { throw a.error(1, "self", expected: "a Column") }
        return c
    }

    /// Pushes one cell as a Lua value (nil when missing).
    static func pushCell(_ L: OpaquePointer, _ c: Column, _ row: Int) {
        switch c.values {
        case .integer(let v): if let x = v[row] { lua_pushinteger(L, x) } else { lua_pushnil(L) }
        case .number(let v): if let x = v[row] { lua_pushnumber(L, x) } else { lua_pushnil(L) }
        case .bool(let v): if let x = v[row] { lua_pushboolean(L, x ? 1 : 0) } else { lua_pushnil(L) }
        case .string(let v): if let x = v[row] { lua_pushstring(L, x) } else { lua_pushnil(L) }
        case .date(let v): if let x = v[row] { lua_pushstring(L, Dates.iso(x)) } else { lua_pushnil(L) }
        }
    }

    /// Pushes a column's values (or its distinct values) as a Lua list; missing → nil.
    static func pushValues(_ L: OpaquePointer, _ c: Column, distinct: Bool) {
        lua_createtable(L, Int32(c.count), 0)
        var index: lua_Integer = 0
        func put<T: Hashable>(_ values: [T?], _ push: (T) -> Void) {
            var seen = Set<T>()
            for (i, v) in values.enumerated() {
                if distinct {
                    guard let v, seen.insert(v).inserted else { continue }
                    index += 1
                    push(v)
                    lua_rawseti(L, -2, index)
                } else if let v {
                    push(v)
                    lua_rawseti(L, -2, lua_Integer(i + 1))
                }
            }
        }
        switch c.values {
        case .integer(let v): put(v) { lua_pushinteger(L, $0) }
        case .number(let v): put(v) { lua_pushnumber(L, $0) }
        case .bool(let v): put(v) { lua_pushboolean(L, $0 ? 1 : 0) }
        case .string(let v): put(v) { lua_pushstring(L, $0) }
        case .date(let v): put(v) { lua_pushstring(L, Dates.iso($0)) }
        }
    }
}
