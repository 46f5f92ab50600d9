import CLua
import TensorKit

/// Operators and field access for tensors. `__index`/`__newindex` are small Lua functions
/// (in the prelude) that look methods up in a table and call the Swift accessors below,
/// so a method call never bridges a string.
enum TensorMetamethods {
    /// Fills the metatable at `index` with the arithmetic metamethods.
    static func registerOperators(_ L: OpaquePointer, metatable index: Int32) {
        let mt = lua_absindex(L, index)
        let binary: [(String, String, (Tensor, Tensor) throws -> Tensor)] = [
            ("__add", "+", { try $0.add($1) }), ("__sub", "-", { try $0.sub($1) }),
            ("__mul", "*", { try $0.mul($1) }), ("__div", "/", { try $0.div($1) }),
            ("__pow", "^", { try $0.pow($1) }),
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
    }

    /// The accessors the prelude's `__index`/`__newindex` call.
    static func registerAccessors(_ lib: Library) {
        lib.function("get", "Reads t[i] (a number for a 1-D tensor, a view otherwise) or a property (shape, dtype, grad, requires_grad, is_leaf, grad_fn, ndim).",
                     example: "print(torch.tensor({5, 6})[2])") { a in
            let t = try a.tensor(1, "self")
            if a.type(2) == LUA_TNUMBER {
                let i = try TensorShape.index(a, 2)
                let item = try t.select(0, i)
                if item.rank == 0 {
                    Tensors.pushScalar(a.L, item, position: item.offset)
                    return 1
                }
                return Tensors.push(a.L, item)
            }
            switch try a.string(2, "key") {
            case "shape": TensorShape.pushShape(a.L, t.shape)
            case "dtype": lua_pushstring(a.L, t.dtype.rawValue)
            case "grad": if let g = t.grad { _ = Tensors.push(a.L, g) } else { lua_pushnil(a.L) }
            case "requires_grad": lua_pushboolean(a.L, t.requiresGrad ? 1 : 0)
            case "is_leaf": lua_pushboolean(a.L, t.isLeaf ? 1 : 0)
            case "grad_fn": if let fn = t.gradFn { lua_pushstring(a.L, fn.name) } else { lua_pushnil(a.L) }
            case "ndim": lua_pushinteger(a.L, lua_Integer(t.rank))
            default: lua_pushnil(a.L)
            }
            return 1
        }
        lib.function("set", "Writes t[i] = value (a number or tensor broadcast into the slice) or a property (grad, requires_grad).",
                     example: "local t = torch.zeros(3); t[2] = 7; print(t)") { a in
            let t = try a.tensor(1, "self")
            if a.type(2) == LUA_TNUMBER {
                let i = try TensorShape.index(a, 2)
                let slot = try GradMode.with(false) { try t.select(0, i) }
                try t.checkInPlace("t[i] = v")
                let value = a.type(3) == LUA_TBOOLEAN ? Tensor(scalar: lua_toboolean(a.L, 3) != 0 ? 1 : 0, dtype: .bool) : try a.tensorOrNumber(3, "value")
                try slot.copyValues(from: value)
                return 0
            }
            let key = try a.string(2, "key")
            switch key {
            case "grad":
                if a.type(3) == LUA_TNIL { t.grad = nil; return 0 }
                let g = try a.tensor(3, "grad")
                guard g.shape == t.shape else {
                    throw LuaScriptError("\(a.function): grad must have the tensor's shape \(describeShape(t.shape)), got \(describeShape(g.shape))")
                }
                t.grad = g
            case "requires_grad":
                try t.setRequiresGrad(try a.boolean(3, "requires_grad"))
            default:
                throw LuaScriptError("Tensor: cannot set field '\(key)'; settable fields are grad and requires_grad (use t[i] = v for values)")
            }
            return 0
        }
    }
}
