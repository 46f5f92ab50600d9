import CLua
import DataKit
import PlotKit
import TensorKit

/// Reads chart data from Lua: a list of numbers (booleans count as 0/1) or of names, a
/// tensor (1-D, or 2-D with one row or column), or a DataKit Column. Every message
/// names where the value came from ("bad argument #2 (y)", "option 'y'").
struct PlotInputs {
    let a: Arguments
    /// Argument or option name → how messages name it.
    private(set) var labels: [String: String] = [:]

    init(_ a: Arguments) { self.a = a }

    var L: OpaquePointer { a.L }

    /// Remembers how messages name `name` ("bad argument #2 (y)").
    mutating func argument(_ index: Int32, _ name: String) { labels[name] = "bad argument #\(index) (\(name))" }
    mutating func option(_ name: String) { labels[name] = "option '\(name)'" }

    func label(_ name: String) -> String { labels[name] ?? name }

    func wrong(_ index: Int32, _ name: String, _ expected: String) -> LuaScriptError {
        LuaScriptError("\(a.function): \(label(name)): expected \(expected), got \(a.isNone(index) ? "nothing" : a.describe(index))")
    }

    /// The sequence at `index`.
    func values(_ index: Int32, _ name: String) throws -> PlotValues {
        if let t = Tensors.type.get(L, index) {
            let rows = t.shape.count == 2 && (t.shape[0] == 1 || t.shape[1] == 1)
            guard t.rank <= 1 || rows else {
                throw LuaScriptError("\(a.function): \(label(name)): expected a 1-D tensor (or one row or column), got shape \(describeShape(t.shape)); pick a column with t:select(2, j)")
            }
            return .numbers(t.toDoubles())
        }
        if let column = DataFrames.columnType.get(L, index) { return try values(of: column, name) }
        guard lua_type(L, index) == LUA_TTABLE else { throw wrong(index, name, "a list of numbers, a tensor or a Column") }
        let count = lua_rawlen(L, index)
        var numbers: [Double] = [], names: [String] = []
        numbers.reserveCapacity(Int(count))
        var firstKind: Int32 = LUA_TNONE
        if count > 0 {
            for k in 1...Int64(count) {
                lua_rawgeti(L, index, k)
                defer { ml_pop(L, 1) }
                let kind = lua_type(L, -1)
                if firstKind == LUA_TNONE { firstKind = kind == LUA_TBOOLEAN ? LUA_TNUMBER : kind }
                switch kind {
                case LUA_TNUMBER where firstKind == LUA_TNUMBER: numbers.append(lua_tonumberx(L, -1, nil))
                case LUA_TBOOLEAN where firstKind == LUA_TNUMBER: numbers.append(lua_toboolean(L, -1) != 0 ? 1 : 0)
                case LUA_TSTRING where firstKind == LUA_TSTRING: names.append(String(cString: ml_tostring(L, -1)))
                default:
                    let got = String(cString: lua_typename(L, kind))
                    let expected = firstKind == LUA_TSTRING ? "a string like element 1" : firstKind == LUA_TNUMBER ? "a number like element 1" : "a number or a string"
                    throw LuaScriptError("\(a.function): \(label(name)): element \(k) is \(kind == LUA_TNIL ? "nil" : "a " + got); expected \(expected)")
                }
            }
        }
        return firstKind == LUA_TSTRING ? .categories(names) : .numbers(numbers)
    }

    /// A Column's values: numbers (missing as NaN, which the chart reports), names, or
    /// dates.
    func values(of column: Column, _ name: String) throws -> PlotValues {
        switch column.values {
        case .string(let v):
            if let row = v.firstIndex(where: { $0 == nil }) {
                throw LuaScriptError("\(a.function): \(label(name)): column '\(column.name)' has a missing value at row \(row + 1); drop or fill missing values first")
            }
            return .categories(v.map { $0 ?? "" })
        case .date(let v):
            return .dates(v.map { $0.map(Double.init) ?? .nan })
        default:
            return .numbers((column.numbers ?? []).map { $0 ?? .nan })
        }
    }

    /// The numbers at `index` (names and dates are not numbers).
    func numbers(_ index: Int32, _ name: String) throws -> [Double] {
        try numbers(values(index, name), name)
    }

    func numbers(_ values: PlotValues, _ name: String) throws -> [Double] {
        switch values {
        case .numbers(let v): return v
        case .categories: throw LuaScriptError("\(a.function): \(label(name)): expected numbers, got text")
        case .dates: throw LuaScriptError("\(a.function): \(label(name)): expected numbers, got dates")
        }
    }

    /// True when the table at `index` is a list of sequences ({train, valid}) rather
    /// than one sequence of numbers.
    func isSeriesList(_ index: Int32) -> Bool {
        guard lua_type(L, index) == LUA_TTABLE else { return false }
        lua_rawgeti(L, index, 1)
        defer { ml_pop(L, 1) }
        return lua_type(L, -1) == LUA_TTABLE || lua_type(L, -1) == LUA_TUSERDATA
    }

    /// One sequence, or each sequence of a list of them.
    func seriesList(_ index: Int32, _ name: String) throws -> [PlotValues] {
        guard isSeriesList(index) else { return [try values(index, name)] }
        var out: [PlotValues] = []
        let count = lua_rawlen(L, index)
        for k in 1...Int64(count) {
            lua_rawgeti(L, index, k)
            defer { ml_pop(L, 1) }
            do { out.append(try values(lua_gettop(L), name)) } catch let e as LuaScriptError {
                throw LuaScriptError(e.message.replacingOccurrences(of: "\(label(name)): ", with: "\(label(name)), series \(k): "))
            }
        }
        return out
    }

    /// Numeric series (one or a list).
    func numberSeries(_ index: Int32, _ name: String) throws -> [[Double]] {
        try seriesList(index, name).map { try numbers($0, name) }
    }

    /// Runs a chart or report call, turning its PlotError into a Lua message that names
    /// the argument the way the script wrote it.
    func run<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as PlotError {
            guard let argument = e.argument else { throw LuaScriptError("\(a.function): \(e.message)") }
            throw LuaScriptError("\(a.function): \(label(argument)): \(e.message)")
        }
    }
}
