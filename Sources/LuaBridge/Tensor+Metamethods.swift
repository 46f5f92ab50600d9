import CLua
import TensorKit

/// Operators and field access for tensors. `__index` looks the key up in the method table
/// (a raw get with the Lua string itself, so a method call never bridges a string), then
/// in the property table, then treats numbers as `t[i]`.
enum TensorMetamethods {
    /// Registry references of the method table and of the property-code table.
    static var methodsReference: Int32 = LUA_NOREF
    static var propertiesReference: Int32 = LUA_NOREF

    enum Property: Int, CaseIterable {
        case shape = 1, dtype, grad, requiresGrad, isLeaf, gradFn, ndim
        var name: String {
            switch self {
            case .shape: return "shape"
            case .dtype: return "dtype"
            case .grad: return "grad"
            case .requiresGrad: return "requires_grad"
            case .isLeaf: return "is_leaf"
            case .gradFn: return "grad_fn"
            case .ndim: return "ndim"
            }
        }
    }

    /// Fills the metatable at `index` with operators, `__index` and `__newindex`; the
    /// method table is at `methods`.
    static func register(_ L: OpaquePointer, metatable index: Int32, methods: Int32) {
        let mt = lua_absindex(L, index)
        lua_pushvalue(L, methods)
        methodsReference = luaL_ref(L, ml_registryindex())
        lua_createtable(L, 0, Int32(Property.allCases.count))
        for p in Property.allCases {
            lua_pushinteger(L, lua_Integer(p.rawValue))
            lua_setfield(L, -2, p.name)
        }
        propertiesReference = luaL_ref(L, ml_registryindex())

        let binary: [(String, String, (Tensor, Tensor) throws -> Tensor)] = [
            ("__add", "+", { try $0.add($1) }), ("__sub", "-", { try $0.sub($1) }),
            ("__mul", "*", { try $0.mul($1) }), ("__div", "/", { try $0.div($1) }),
            ("__pow", "^", { try $0.pow($1) }), ("__mod", "%", { try $0.remainder($1) }),
            ("__idiv", "//", { try $0.floorDivide($1) }),
        ]
        for (event, symbol, op) in binary {
            let name = "Tensor \(symbol)"
            pushFunction(L) { L in
                let a = Arguments(L, name)
                return Tensors.push(L, try op(try a.tensorOrNumber(1, "left operand"), try a.tensorOrNumber(2, "right operand")))
            }
            lua_setfield(L, mt, event)
        }
        pushFunction(L) { L in Tensors.push(L, try Arguments(L, "Tensor unary -").tensor(1, "operand").neg()) }
        lua_setfield(L, mt, "__unm")
        for (event, symbol, method) in [("__lt", "<", "lt"), ("__le", "<=", "le")] {
            pushFunction(L) { _ in
                throw LuaScriptError("Tensor \(symbol): Lua's comparison operators must return a boolean, so they do not work on tensors; use t:\(method)(u) for an elementwise test (t:lt(u), t:le(u), t:gt(u), t:ge(u), t:eq(u))")
            }
            lua_setfield(L, mt, event)
        }
        pushFunction(L) { L in
            let t = try Arguments(L, "#").tensor(1, "operand")
            lua_pushinteger(L, lua_Integer(t.rank == 0 ? 0 : t.shape[0]))
            return 1
        }
        lua_setfield(L, mt, "__len")
        pushFunction(L) { L in
            lua_pushstring(L, try Arguments(L, "tostring").tensor(1, "tensor").description)
            return 1
        }
        lua_setfield(L, mt, "__tostring")
        lua_pushvalue(L, methods)
        pushIndexFunction(L, TensorMetamethods.index)
        lua_setfield(L, mt, "__index")
        pushFunction(L, TensorMetamethods.newIndex)
        lua_setfield(L, mt, "__newindex")
    }

    /// `t.key` and `t[i]` (methods were answered in C before this is called).
    static func index(_ L: OpaquePointer) throws -> Int32 {
        if lua_type(L, 2) == LUA_TSTRING {
            lua_rawgeti(L, ml_registryindex(), lua_Integer(propertiesReference))
            lua_pushvalue(L, 2)
            lua_rawget(L, -2)
            let code = Int(lua_tointegerx(L, -1, nil))
            lua_settop(L, 2)
            let a = Arguments(L, "Tensor")
            let t = try a.tensor(1, "self")
            guard let property = Property(rawValue: code) else {
                let key = String(cString: ml_tostring(L, 2))
                throw LuaScriptError("Tensor has no field or method '\(key)'\(didYouMean(key, fieldNames(L)))")
            }
            switch property {
            case .shape: TensorShape.pushShape(L, t.shape)
            case .dtype: lua_pushstring(L, t.dtype.rawValue)
            case .grad: if let g = t.grad { _ = Tensors.push(L, g) } else { lua_pushnil(L) }
            case .requiresGrad: lua_pushboolean(L, t.requiresGrad ? 1 : 0)
            case .isLeaf: lua_pushboolean(L, t.isLeaf ? 1 : 0)
            case .gradFn: if let fn = t.gradFn { lua_pushstring(L, fn.name) } else { lua_pushnil(L) }
            case .ndim: lua_pushinteger(L, lua_Integer(t.rank))
            }
            return 1
        }
        let a = Arguments(L, "t[i]")
        let t = try a.tensor(1, "self")
        guard lua_type(L, 2) == LUA_TNUMBER else { throw a.error(2, "index", expected: "an integer index or a field name") }
        let item = try select(a, t)
        if item.rank == 0 {
            Tensors.pushScalar(L, item, position: item.offset)
            return 1
        }
        return Tensors.push(L, item)
    }

    /// The view `t[i]` along dim 1, with errors worded for indexing.
    static func select(_ a: Arguments, _ t: Tensor) throws -> Tensor {
        let i = try TensorShape.index(a, 2)
        guard t.rank > 0 else { throw LuaScriptError("\(a.function): cannot index a 0-dimensional tensor; use t:item()") }
        let size = t.shape[0]
        guard (i >= 0 && i < size) || (i < 0 && i >= -size) else {
            throw LuaScriptError("\(a.function): index \(i >= 0 ? i + 1 : i) is out of range for dimension 1 of size \(size) (valid: 1..\(size) or -\(size)..-1)")
        }
        return try t.select(0, i)
    }

    /// `t[i] = v`, `t.grad = g`, `t.requires_grad = b`.
    static func newIndex(_ L: OpaquePointer) throws -> Int32 {
        if lua_type(L, 2) == LUA_TNUMBER {
            let a = Arguments(L, "t[i] = v")
            let t = try a.tensor(1, "self")
            let slot = try GradMode.with(false) { try select(a, t) }
            do { try t.checkInPlace("t[i] = v") } catch let e as TensorError { throw LuaScriptError(e.message) }
            let value = lua_type(L, 3) == LUA_TBOOLEAN ? Tensor(scalar: lua_toboolean(L, 3) != 0 ? 1 : 0, dtype: .bool)
                                                       : try a.tensorOrNumber(3, "value")
            guard (try? broadcastShapes(slot.shape, value.shape, "t[i] = v")) == slot.shape else {
                throw LuaScriptError("t[i] = v: a value of shape \(describeShape(value.shape)) does not fit the slice's shape \(describeShape(slot.shape))")
            }
            try slot.copyValues(from: value)
            return 0
        }
        let a = Arguments(L, "Tensor")
        let t = try a.tensor(1, "self")
        let key = try a.string(2, "key")
        switch key {
        case "grad":
            if lua_type(L, 3) == LUA_TNIL { t.grad = nil; return 0 }
            let g = try a.tensor(3, "grad")
            guard g.shape == t.shape else {
                throw LuaScriptError("Tensor: grad must have the tensor's shape \(describeShape(t.shape)), got \(describeShape(g.shape))")
            }
            guard g.dtype == t.dtype else {
                throw LuaScriptError("Tensor: grad must have the tensor's dtype \(t.dtype.rawValue), got \(g.dtype.rawValue)")
            }
            t.grad = g
        case "requires_grad":
            try t.setRequiresGrad(try a.boolean(3, "requires_grad"))
        default:
            throw LuaScriptError("Tensor: cannot set field '\(key)'; settable fields are grad and requires_grad (use t[i] = v for values)")
        }
        return 0
    }

    /// Method and property names, for "did you mean" (only on the error path).
    static func fieldNames(_ L: OpaquePointer) -> [String] {
        var names = Property.allCases.map(\.name)
        lua_rawgeti(L, ml_registryindex(), lua_Integer(methodsReference))
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            if lua_type(L, -2) == LUA_TSTRING { names.append(String(cString: ml_tostring(L, -2))) }
            ml_pop(L, 1)
        }
        ml_pop(L, 1)
        return names.sorted()
    }
}
