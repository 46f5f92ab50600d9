import CLua

/// Tab completion of names: globals, fields of tables, and methods reached through
/// metatables (`__index` tables and chains of them, and the tables a C `__index` keeps
/// as upvalues, as tensors' does). It reads with raw access only, so it never runs Lua
/// code, never raises, and cannot change the session; it may be called from libedit's
/// C callback.
extension Runtime {
    /// The names that complete `partial` after `path` (e.g. ["nn"]) and `separator`
    /// ("." or ":"; "" for a global), sorted. Names starting with `_` are offered only when
    /// `partial` starts with `_`; `:` offers only functions.
    public func completions(path: [String], separator: String, partial: String) -> [String] {
        let before = lua_gettop(L)
        defer { lua_settop(L, before) }
        var names = Set<String>()
        lua_rawgeti(L, ml_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        if path.isEmpty {
            collectFields(of: -1, methodsOnly: false, into: &names)
            names.formUnion(luaKeywords)
        } else {
            for name in path {
                guard lua_type(L, -1) == LUA_TTABLE else { return [] }
                lua_pushstring(L, name)
                lua_rawget(L, -2)
                if lua_type(L, -1) == LUA_TNIL { return [] }
            }
            collectFields(of: -1, methodsOnly: separator == ":", into: &names)
        }
        let showPrivate = partial.hasPrefix("_")
        return names.filter { $0.hasPrefix(partial) && (showPrivate || !$0.hasPrefix("_")) }.sorted()
    }

    /// Adds the names reachable from the value at `index` with `.` (or `:` when
    /// `methodsOnly`): its own keys when it is a table, then what its metatable's
    /// `__index` offers, depth-first and at most 8 levels deep.
    private func collectFields(of index: Int32, methodsOnly: Bool, into names: inout Set<String>) {
        var visited = Set<UnsafeRawPointer>()
        func visit(_ index: Int32, depth: Int) {
            let value = lua_absindex(L, index)
            guard depth < 8 else { return }
            if let pointer = lua_topointer(L, value) {
                guard visited.insert(pointer).inserted else { return }
            }
            if lua_type(L, value) == LUA_TTABLE {
                lua_pushnil(L)
                while lua_next(L, value) != 0 {
                    if lua_type(L, -2) == LUA_TSTRING && (!methodsOnly || lua_type(L, -1) == LUA_TFUNCTION) {
                        let name = String(cString: ml_tostring(L, -2))
                        if isIdentifier(name) { names.insert(name) }
                    }
                    ml_pop(L, 1)
                }
            }
            if !methodsOnly { names.formUnion(objectFields(at: value)) }
            guard lua_getmetatable(L, value) != 0 else { return }
            lua_pushstring(L, "__index")
            lua_rawget(L, -2)
            let lookup = lua_gettop(L)
            if lua_type(L, lookup) == LUA_TTABLE {
                visit(lookup, depth: depth + 1)
            } else if lua_iscfunction(L, lookup) != 0 {
                var upvalue: Int32 = 1
                while lua_getupvalue(L, lookup, upvalue) != nil {
                    if lua_type(L, -1) == LUA_TTABLE { visit(-1, depth: depth + 1) }
                    ml_pop(L, 1)
                    upvalue += 1
                }
            }
            ml_pop(L, 2)   /* __index, metatable */
        }
        visit(index, depth: 0)
    }

    /// Fields Swift answers for its own objects: a tensor's properties, a frame's columns.
    private func objectFields(at index: Int32) -> [String] {
        if Tensors.type.get(L, index) != nil { return TensorMetamethods.Property.allCases.map(\.name) }
        if let frame = DataFrames.frameType.get(L, index) { return frame.names.filter(isIdentifier) }
        return []
    }
}

private func isIdentifier(_ name: String) -> Bool {
    guard let first = name.utf8.first, !(first >= 48 && first <= 57), !luaKeywords.contains(name) else { return false }
    return name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
}
