import CLua
import LuaShim
import TensorKit

/// How a Swift class lives in Lua: a box (full userdata) holding a type tag and one
/// retained reference, with a metatable kept in the registry under an integer reference.
/// The tag makes the type check three cheap API calls, with no metatable or string
/// lookup; `__gc` (C, in LuaShim) releases the reference exactly once.
public final class ObjectType<Object: AnyObject> {
    public let name: String
    public let tag: UInt64
    public private(set) var metatableReference: Int32 = LUA_NOREF
    /// The memory an object holds outside Lua's heap, counted when it is pushed so the
    /// collector runs as that memory grows (see Storage.noteForeignBytes); nil counts none.
    let footprint: ((Object) -> Int)?

    public init(name: String, footprint: ((Object) -> Int)? = nil) {
        self.name = name
        self.footprint = footprint
        // FNV-1a of the name, top bit set: never a heap address.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        tag = hash | (1 << 63)
    }

    /// Creates the metatable (with `__gc` and `__name`) and leaves it on the stack.
    public func createMetatable(_ L: OpaquePointer) {
        ml_set_release(releaseObject)
        lua_createtable(L, 0, 8)
        lua_pushstring(L, name)
        lua_setfield(L, -2, "__name")
        ml_pushcfunction(L, ml_box_gc)
        lua_setfield(L, -2, "__gc")
        lua_pushvalue(L, -1)
        metatableReference = luaL_ref(L, ml_registryindex())
    }

    /// Pushes `object` as a new box.
    @inline(__always) public func push(_ L: OpaquePointer, _ object: Object) {
        if let footprint { Storage.noteForeignBytes(footprint(object)) }
        ml_box_push(L, tag, Unmanaged.passRetained(object).toOpaque(), metatableReference)
    }

    /// The object at `index` when it is one of this type, else nil.
    @inline(__always) public func get(_ L: OpaquePointer, _ index: Int32) -> Object? {
        guard let object = ml_box_get(L, index, tag) else { return nil }
        return Unmanaged<Object>.fromOpaque(object).takeUnretainedValue()
    }
}

/// Drops the reference a box held (called from `__gc`; never calls into Lua).
private let releaseObject: @convention(c) (UnsafeMutableRawPointer?) -> Void = { object in
    if let object { Unmanaged<AnyObject>.fromOpaque(object).release() }
}
