import CLua
import TensorKit

/// Tensors as Lua values: the userdata type, and conversion from and to Lua tables.
public enum Tensors {
    public static let type = ObjectType<Tensor>(name: "Tensor")

    @inline(__always) public static func push(_ L: OpaquePointer, _ t: Tensor) -> Int32 {
        type.push(L, t)
        return 1
    }

    /// Pushes a Lua list of tensors.
    public static func pushList(_ L: OpaquePointer, _ list: [Tensor]) -> Int32 {
        lua_createtable(L, Int32(list.count), 0)
        for (i, t) in list.enumerated() {
            type.push(L, t)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
        return 1
    }

    /// A tensor from a number, boolean, tensor or nested table of them (`torch.tensor`),
    /// with PyTorch's dtype inference: int64 when all are integers, float32 when any is a
    /// float, bool when all are booleans.
    static func fromLua(_ args: Arguments, _ index: Int32, dtype requested: DType?) throws -> Tensor {
        let L = args.L
        var shape: [Int] = []
        var values: [Double] = []
        var ints: [Int64] = []
        var sawFloat = false, sawBool = false, sawNumber = false
        var shapeKnown = false

        func visit(_ index: Int32, depth: Int, path: String) throws {
            switch lua_type(L, index) {
            case LUA_TNUMBER:
                if depth < shape.count || (shapeKnown && depth != shape.count) {
                    throw LuaScriptError("\(args.function): ragged nested table at \(path): expected a list of length \(shape[depth]), got a number")
                }
                if !shapeKnown { shapeKnown = true }
                sawNumber = true
                if ml_isinteger(L, index) != 0 {
                    let v = lua_tointegerx(L, index, nil)
                    ints.append(v); values.append(Double(v))
                } else {
                    sawFloat = true
                    let v = lua_tonumberx(L, index, nil)
                    ints.append(0); values.append(v)
                }
            case LUA_TBOOLEAN:
                if !shapeKnown { shapeKnown = true }
                guard depth == shape.count else {
                    throw LuaScriptError("\(args.function): ragged nested table at \(path)")
                }
                sawBool = true
                let v: Int64 = lua_toboolean(L, index) != 0 ? 1 : 0
                ints.append(v); values.append(Double(v))
            case LUA_TTABLE:
                guard depth < 32 else {
                    throw LuaScriptError("\(args.function): data is nested more than 32 levels deep (at \(path.prefix(60))...)")
                }
                guard lua_checkstack(L, 4) != 0 else { throw LuaScriptError("\(args.function): data is nested too deeply") }
                let n = Int(lua_rawlen(L, index))
                if !shapeKnown && depth == shape.count { shape.append(n) } else if depth >= shape.count || shape[depth] != n {
                    throw LuaScriptError("\(args.function): ragged nested table at \(path): expected \(depth < shape.count ? "a list of length \(shape[depth])" : "a number"), got a list of length \(n)")
                }
                if n == 0 { shapeKnown = true }
                for k in 0..<n {
                    lua_rawgeti(L, index, lua_Integer(k + 1))
                    defer { ml_pop(L, 1) }
                    try visit(lua_gettop(L), depth: depth + 1, path: path + "[\(k + 1)]")
                }
            default:
                if Tensors.type.get(L, index) != nil {
                    throw LuaScriptError("\(args.function): element \(path) is a tensor; use torch.stack to combine tensors")
                }
                throw LuaScriptError("\(args.function): element \(path) must be a number or boolean, got \(String(cString: lua_typename(L, lua_type(L, index))))")
            }
        }
        try visit(lua_absindex(L, index), depth: 0, path: "data")
        if sawBool && sawNumber {
            throw LuaScriptError("\(args.function): data mixes booleans and numbers; use one kind")
        }
        let inferred: DType = sawBool ? .bool : (sawFloat || values.isEmpty ? .float32 : .int64)
        let dtype = requested ?? inferred
        if dtype == .int64 && !sawFloat {
            return Tensor(ints, shape: shape)
        }
        let t = Tensor(uninitialized: shape, dtype: dtype)
        for (i, v) in values.enumerated() { t.setStorageValue(i, v) }
        return t
    }

    /// Pushes a tensor's values as nested Lua tables (a plain number for a 0-d tensor).
    static func pushList(_ L: OpaquePointer, values t: Tensor) {
        let offsets = t.elementOffsets()
        var next = 0
        func pushValue() {
            let position = offsets[next]
            next += 1
            switch t.dtype {
            case .int64: lua_pushinteger(L, t.storage.pointer(Int64.self)[position])
            case .bool: lua_pushboolean(L, t.storage.pointer(Bool.self)[position] ? 1 : 0)
            default: lua_pushnumber(L, t.storageValue(position))
            }
        }
        func build(_ dim: Int) {
            if dim == t.rank { pushValue(); return }
            lua_createtable(L, Int32(t.shape[dim]), 0)
            for i in 0..<t.shape[dim] {
                build(dim + 1)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        }
        build(0)
    }

    /// Pushes one element as a Lua value of the tensor's kind.
    static func pushScalar(_ L: OpaquePointer, _ t: Tensor, position: Int) {
        switch t.dtype {
        case .int64: lua_pushinteger(L, t.storage.pointer(Int64.self)[position])
        case .bool: lua_pushboolean(L, t.storage.pointer(Bool.self)[position] ? 1 : 0)
        default: lua_pushnumber(L, t.storageValue(position))
        }
    }
}
