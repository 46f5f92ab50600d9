import CLua

/// Builds a Lua table of documented functions. Every binding carries a one-paragraph
/// description and a runnable example, which `help()` shows.
public struct Library {
    public let L: OpaquePointer
    /// Absolute stack index of the table being filled.
    public let table: Int32
    /// Prefix for names in messages and docs: "torch." or "Tensor:".
    public let prefix: String

    public init(_ L: OpaquePointer, table: Int32, prefix: String) {
        self.L = L
        self.table = lua_absindex(L, table)
        self.prefix = prefix
    }

    /// Adds `name` = a Swift function; `body` receives the call's arguments.
    public func function(_ name: String, _ doc: String, example: String,
                         _ body: @escaping (Arguments) throws -> Int32) {
        let qualified = prefix + name
        pushFunction(L) { L in try body(Arguments(L, qualified)) }
        Docs.attach(L, -1, name: qualified, doc: doc, example: example)
        lua_setfield(L, table, name)
    }

    /// Adds an existing Lua value (top of stack) under `name` with a doc; pops it.
    public func value(_ name: String, _ doc: String, example: String) {
        Docs.attach(L, -1, name: prefix + name, doc: doc, example: example)
        lua_setfield(L, table, name)
    }
}

/// The doc registry: a registry table mapping each documented value (function or table)
/// to its name, description and example.
public enum Docs {
    static var reference: Int32 = LUA_NOREF

    static func install(_ L: OpaquePointer) {
        lua_createtable(L, 0, 256)
        reference = luaL_ref(L, ml_registryindex())
    }

    /// Records the doc of the value at `index`.
    public static func attach(_ L: OpaquePointer, _ index: Int32, name: String, doc: String, example: String) {
        let value = lua_absindex(L, index)
        lua_rawgeti(L, ml_registryindex(), lua_Integer(reference))
        lua_pushvalue(L, value)
        lua_createtable(L, 0, 3)
        lua_pushstring(L, name); lua_setfield(L, -2, "name")
        lua_pushstring(L, doc); lua_setfield(L, -2, "doc")
        lua_pushstring(L, example); lua_setfield(L, -2, "example")
        lua_rawset(L, -3)
        ml_pop(L, 1)
    }

    /// (name, doc, example) of the value at `index`, when it has one.
    public static func lookup(_ L: OpaquePointer, _ index: Int32) -> (name: String, doc: String, example: String)? {
        let value = lua_absindex(L, index)
        lua_rawgeti(L, ml_registryindex(), lua_Integer(reference))
        lua_pushvalue(L, value)
        lua_rawget(L, -2)
        defer { ml_pop(L, 2) }
        guard lua_type(L, -1) == LUA_TTABLE else { return nil }
        func field(_ key: String) -> String {
            lua_getfield(L, -1, key)
            defer { ml_pop(L, 1) }
            return ml_tostring(L, -1).map { String(cString: $0) } ?? ""
        }
        return (field("name"), field("doc"), field("example"))
    }

    /// Every documented entry: (name, example).
    public static func entries(_ L: OpaquePointer) -> [(name: String, example: String)] {
        lua_rawgeti(L, ml_registryindex(), lua_Integer(reference))
        defer { ml_pop(L, 1) }
        var out: [(String, String)] = []
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            lua_getfield(L, -1, "name")
            lua_getfield(L, -2, "example")
            out.append((String(cString: ml_tostring(L, -2)), String(cString: ml_tostring(L, -1))))
            ml_pop(L, 3)
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Names of functions reachable from `table` (at `index`, walked through nested tables
    /// up to `depth`) that carry no doc. A documented table (a class such as nn.Linear)
    /// covers its own methods.
    public static func undocumented(_ L: OpaquePointer, table index: Int32, prefix: String, depth: Int = 2) -> [String] {
        let table = lua_absindex(L, index)
        var missing: [String] = []
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            defer { ml_pop(L, 1) }
            guard lua_type(L, -2) == LUA_TSTRING else { continue }
            let key = String(cString: ml_tostring(L, -2))
            if lua_type(L, -1) == LUA_TFUNCTION && lookup(L, -1) == nil { missing.append(prefix + key) }
            if lua_type(L, -1) == LUA_TTABLE && depth > 0 && lookup(L, -1) == nil {
                missing += undocumented(L, table: -1, prefix: prefix + key + ".", depth: depth - 1)
            }
        }
        return missing.sorted()
    }
}
