import CLua

/// How a Swift class lives in Lua: full userdata holding one retained reference, with a
/// metatable kept in the registry under an integer reference (no string lookups per call).
/// `__gc` releases the reference exactly once.
public final class ObjectType<Object: AnyObject> {
    public let name: String
    public private(set) var metatableReference: Int32 = LUA_NOREF

    public init(name: String) { self.name = name }

    /// Creates the metatable (with `__gc` and `__name`) and leaves it on the stack.
    public func createMetatable(_ L: OpaquePointer) {
        lua_createtable(L, 0, 8)
        lua_pushstring(L, name)
        lua_setfield(L, -2, "__name")
        pushFunction(L) { L in
            if let slot = lua_touserdata(L, 1)?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self),
               let object = slot.pointee {
                slot.pointee = nil
                Unmanaged<Object>.fromOpaque(object).release()
            }
            return 0
        }
        lua_setfield(L, -2, "__gc")
        lua_pushvalue(L, -1)
        metatableReference = luaL_ref(L, ml_registryindex())
    }

    /// Pushes `object` as a new userdata.
    @inline(__always) public func push(_ L: OpaquePointer, _ object: Object) {
        let slot = ml_newuserdata(L, MemoryLayout<UnsafeMutableRawPointer?>.size)!
        slot.assumingMemoryBound(to: UnsafeMutableRawPointer?.self).pointee = Unmanaged.passRetained(object).toOpaque()
        lua_rawgeti(L, ml_registryindex(), lua_Integer(metatableReference))
        lua_setmetatable(L, -2)
    }

    /// The object at `index` when it is one of this type, else nil.
    @inline(__always) public func get(_ L: OpaquePointer, _ index: Int32) -> Object? {
        guard lua_type(L, index) == LUA_TUSERDATA, let slot = lua_touserdata(L, index),
              lua_getmetatable(L, index) != 0 else { return nil }
        lua_rawgeti(L, ml_registryindex(), lua_Integer(metatableReference))
        let same = lua_rawequal(L, -1, -2) != 0
        ml_pop(L, 2)
        guard same, let object = slot.assumingMemoryBound(to: UnsafeMutableRawPointer?.self).pointee else { return nil }
        return Unmanaged<Object>.fromOpaque(object).takeUnretainedValue()
    }
}
