import CLua
import TensorKit

/// Reads a binding's arguments without raising, and words every mistake the same way:
/// `torch.zeros: bad argument #1 (size): expected a non-negative integer, got string`.
public struct Arguments {
    public let L: OpaquePointer
    public let function: String

    public init(_ L: OpaquePointer, _ function: String) {
        self.L = L
        self.function = function
    }

    public var count: Int32 { lua_gettop(L) }

    public func isNone(_ i: Int32) -> Bool { lua_type(L, i) <= 0 }
    public func type(_ i: Int32) -> Int32 { lua_type(L, i) }

    public func typeName(_ i: Int32) -> String {
        if Tensors.type.get(L, i) != nil { return "Tensor" }
        return String(cString: lua_typename(L, lua_type(L, i)))
    }

    public func error(_ i: Int32, _ name: String, expected: String) -> LuaScriptError {
        LuaScriptError("\(function): bad argument #\(i) (\(name)): expected \(expected), got \(isNone(i) ? "nothing" : describe(i))")
    }

    /// A short description of the value at `i` for messages.
    public func describe(_ i: Int32) -> String {
        if let t = Tensors.type.get(L, i) { return "a \(t.dtype.rawValue) tensor of shape \(describeShape(t.shape))" }
        switch lua_type(L, i) {
        case LUA_TNUMBER: return ml_isinteger(L, i) != 0 ? "integer \(lua_tointegerx(L, i, nil))" : "number \(lua_tonumberx(L, i, nil))"
        case LUA_TSTRING: return "string '\(String(cString: ml_tostring(L, i)).prefix(40))'"
        case LUA_TBOOLEAN: return "boolean"
        default: return typeName(i)
        }
    }

    public func tensor(_ i: Int32, _ name: String) throws -> Tensor {
        guard let t = Tensors.type.get(L, i) else { throw error(i, name, expected: "a tensor") }
        return t
    }

    /// A tensor, or a number wrapped for arithmetic (integers stay integers for promotion).
    @inline(__always)
    public func tensorOrNumber(_ i: Int32, _ name: String) throws -> Tensor {
        if let t = Tensors.type.get(L, i) { return t }
        if lua_type(L, i) == LUA_TNUMBER {
            if ml_isinteger(L, i) != 0 { return Tensor.number(Double(lua_tointegerx(L, i, nil)), isInteger: true) }
            return Tensor.number(lua_tonumberx(L, i, nil), isInteger: false)
        }
        if lua_type(L, i) == LUA_TBOOLEAN { return Tensor(scalar: lua_toboolean(L, i) != 0 ? 1 : 0, dtype: .bool) }
        throw error(i, name, expected: "a tensor or a number")
    }

    public func number(_ i: Int32, _ name: String) throws -> Double {
        var ok: Int32 = 0
        let v = lua_tonumberx(L, i, &ok)
        guard ok != 0, lua_type(L, i) == LUA_TNUMBER else { throw error(i, name, expected: "a number") }
        return v
    }

    /// A number, or nil when the argument is absent or nil.
    public func optionalNumber(_ i: Int32, _ name: String) throws -> Double? {
        isNone(i) || lua_type(L, i) == LUA_TNIL ? nil : try number(i, name)
    }

    public func integer(_ i: Int32, _ name: String) throws -> Int {
        guard lua_type(L, i) == LUA_TNUMBER else { throw error(i, name, expected: "an integer") }
        var ok: Int32 = 0
        let v = lua_tointegerx(L, i, &ok)
        guard ok != 0 else { throw error(i, name, expected: "an integer") }
        return Int(v)
    }

    public func optionalInteger(_ i: Int32, _ name: String) throws -> Int? {
        isNone(i) ? nil : try integer(i, name)
    }

    public func string(_ i: Int32, _ name: String) throws -> String {
        guard lua_type(L, i) == LUA_TSTRING, let s = ml_tostring(L, i) else { throw error(i, name, expected: "a string") }
        return String(cString: s)
    }

    public func boolean(_ i: Int32, _ name: String) throws -> Bool {
        guard lua_type(L, i) == LUA_TBOOLEAN else { throw error(i, name, expected: "a boolean") }
        return lua_toboolean(L, i) != 0
    }

    /// A 1-based Lua dimension (negative counts from the end) as a 0-based core dimension.
    public func dim(_ i: Int32, _ name: String = "dim") throws -> Int {
        let d = try integer(i, name)
        guard d != 0 else { throw LuaScriptError("\(function): bad argument #\(i) (\(name)): dimensions are 1-based, got 0 (use 1 for the first dimension, -1 for the last)") }
        return d > 0 ? d - 1 : d
    }

    public func optionalDim(_ i: Int32, _ name: String = "dim") throws -> Int? {
        isNone(i) || lua_type(L, i) == LUA_TTABLE ? nil : try dim(i, name)
    }

    /// A shape given as varargs (`2, 3`) or one table (`{2, 3}`) starting at argument `i`,
    /// up to (not including) a trailing options table.
    public func shape(from i: Int32, _ name: String = "size") throws -> [Int] {
        if lua_type(L, i) == LUA_TTABLE && !isOptionsTable(i) {
            return try integerList(i, name)
        }
        var shape: [Int] = []
        var k = i
        while k <= count && lua_type(L, k) == LUA_TNUMBER {
            shape.append(try integer(k, name))
            k += 1
        }
        if k <= count && lua_type(L, k) != LUA_TTABLE {
            throw error(k, name, expected: "integer sizes or a table of sizes")
        }
        return shape
    }

    /// True when the table at `i` is an options table (named keys) rather than a list
    /// (a shape such as {2, 3}); an empty table counts as an empty shape.
    public func isOptionsTable(_ i: Int32) -> Bool {
        guard lua_type(L, i) == LUA_TTABLE else { return false }
        lua_rawgeti(L, i, 1)
        let isList = lua_type(L, -1) != LUA_TNIL
        ml_pop(L, 1)
        if isList { return false }
        lua_pushnil(L)
        if lua_next(L, i) == 0 { return false }   // empty table: treat as a shape {}
        ml_pop(L, 2)
        return true
    }

    /// The elements of the Lua list at `i`, each read by `read` from the top of the
    /// stack (nil: the element has the wrong type).
    private func list<T>(_ i: Int32, _ name: String, _ kind: String, _ read: () -> T?) throws -> [T] {
        guard lua_type(L, i) == LUA_TTABLE else { throw error(i, name, expected: "a table of \(kind)s") }
        var out: [T] = []
        let n = lua_rawlen(L, i)
        if n > 0 {
            for k in 1...Int64(n) {
                lua_rawgeti(L, i, k)
                defer { ml_pop(L, 1) }
                guard let v = read() else {
                    throw LuaScriptError("\(function): bad argument #\(i) (\(name)): element \(k) must be \(kind == "integer" ? "an" : "a") \(kind), got \(String(cString: lua_typename(L, lua_type(L, -1))))")
                }
                out.append(v)
            }
        }
        return out
    }

    /// A Lua list of strings.
    public func stringList(_ i: Int32, _ name: String) throws -> [String] {
        try list(i, name, "string") { lua_type(L, -1) == LUA_TSTRING ? String(cString: ml_tostring(L, -1)) : nil }
    }

    /// A Lua list of integers.
    public func integerList(_ i: Int32, _ name: String) throws -> [Int] {
        try list(i, name, "integer") {
            var ok: Int32 = 0
            let v = lua_tointegerx(L, -1, &ok)
            return ok != 0 ? Int(v) : nil
        }
    }

    /// A Lua list of numbers.
    public func numberList(_ i: Int32, _ name: String) throws -> [Double] {
        try list(i, name, "number") { lua_type(L, -1) == LUA_TNUMBER ? lua_tonumberx(L, -1, nil) : nil }
    }

    /// The trailing options table at `i` (or none), checked against the names allowed.
    public func options(_ i: Int32, allowed: [String]) throws -> Options {
        guard !isNone(i) && lua_type(L, i) != LUA_TNIL else { return Options(L: L, index: 0, function: function) }
        guard lua_type(L, i) == LUA_TTABLE else { throw error(i, "options", expected: "an options table") }
        let index = lua_absindex(L, i)
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            defer { ml_pop(L, 1) }
            guard lua_type(L, -2) == LUA_TSTRING else {
                ml_pop(L, 1)
                throw LuaScriptError("\(function): options must be given by name ({\(allowed.map { "\($0) = ..." }.joined(separator: ", "))})")
            }
            let key = String(cString: ml_tostring(L, -2))
            if !allowed.contains(key) {
                ml_pop(L, 2)
                throw LuaScriptError("\(function): unknown option '\(key)'\(didYouMean(key, allowed)); valid options: \(allowed.joined(separator: ", "))")
            }
        }
        return Options(L: L, index: index, function: function)
    }

}

/// Named options read from a validated options table.
public struct Options {
    let L: OpaquePointer
    let index: Int32
    let function: String

    private func with<R>(_ key: String, _ body: () throws -> R?) rethrows -> R? {
        guard index != 0 else { return nil }
        lua_pushstring(L, key)
        lua_rawget(L, index)
        defer { ml_pop(L, 1) }
        if lua_type(L, -1) == LUA_TNIL { return nil }
        return try body()
    }

    private func wrong(_ key: String, _ expected: String) -> LuaScriptError {
        LuaScriptError("\(function): option '\(key)' must be \(expected), got \(String(cString: lua_typename(L, lua_type(L, -1))))")
    }

    public func bool(_ key: String) throws -> Bool? {
        try with(key) {
            guard lua_type(L, -1) == LUA_TBOOLEAN else { throw wrong(key, "a boolean") }
            return lua_toboolean(L, -1) != 0
        }
    }

    public func number(_ key: String) throws -> Double? {
        try with(key) {
            guard lua_type(L, -1) == LUA_TNUMBER else { throw wrong(key, "a number") }
            return lua_tonumberx(L, -1, nil)
        }
    }

    public func integer(_ key: String) throws -> Int? {
        try with(key) {
            var ok: Int32 = 0
            let v = lua_tointegerx(L, -1, &ok)
            guard ok != 0, lua_type(L, -1) == LUA_TNUMBER else { throw wrong(key, "an integer") }
            return Int(v)
        }
    }

    public func string(_ key: String) throws -> String? {
        try with(key) {
            guard lua_type(L, -1) == LUA_TSTRING else { throw wrong(key, "a string") }
            return String(cString: ml_tostring(L, -1))
        }
    }

    /// True when the option is present (any value).
    public func has(_ key: String) -> Bool { with(key) { true } ?? false }

    /// A list of strings.
    public func stringList(_ key: String) throws -> [String]? {
        try with(key) {
            guard lua_type(L, -1) == LUA_TTABLE else { throw wrong(key, "a list of strings") }
            return try Arguments(L, function).stringList(lua_gettop(L), key)
        }
    }

    /// A table of string keys to string values.
    public func stringMap(_ key: String) throws -> [String: String]? {
        try with(key) {
            guard lua_type(L, -1) == LUA_TTABLE else { throw wrong(key, "a table of names to strings") }
            var out: [String: String] = [:]
            let t = lua_gettop(L)
            lua_pushnil(L)
            while lua_next(L, t) != 0 {
                defer { ml_pop(L, 1) }
                guard lua_type(L, -2) == LUA_TSTRING, lua_type(L, -1) == LUA_TSTRING else {
                    ml_pop(L, 1)
                    throw LuaScriptError("\(function): option '\(key)' must map names to strings")
                }
                out[String(cString: ml_tostring(L, -2))] = String(cString: ml_tostring(L, -1))
            }
            return out
        }
    }

    public func dtype(_ key: String = "dtype") throws -> DType? {
        guard let name = try string(key) else { return nil }
        guard let d = DType.named(name) else {
            throw LuaScriptError("\(function): unknown dtype '\(name)'\(didYouMean(name, DType.allCases.map(\.rawValue))); valid: float32, float64, int64, bool")
        }
        return d
    }
}
