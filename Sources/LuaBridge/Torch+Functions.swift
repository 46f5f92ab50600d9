import CLua
import Foundation
import TensorKit

/// torch.* functions that are not factories: joining, selection, seeds, grad mode,
/// persistence and timing.
public enum TorchFunctions {
    static func register(_ lib: Library) {
        lib.function("cat", "Joins a list of tensors along an existing dim (default 1): torch.cat({a, b}, dim).", example: "torch.cat({torch.ones(2), torch.zeros(3)})") { a in
            Tensors.push(a.L, try Tensor.cat(try tensorList(a, 1), dim: try a.optionalDim(2) ?? 0))
        }
        lib.function("stack", "Joins equal-shaped tensors along a new dim (default 1): torch.stack({a, b}, dim).", example: "torch.stack({torch.ones(2), torch.zeros(2)})") { a in
            Tensors.push(a.L, try Tensor.stack(try tensorList(a, 1), dim: try a.optionalDim(2) ?? 0))
        }
        lib.function("where", "Elementwise choice: torch.where(cond, a, b) takes a where cond is true, else b (tensors or numbers, broadcast).", example: "local x = torch.tensor({-1, 2}); torch.where(x:gt(0), x, 0)") { a in
            Tensors.push(a.L, try Tensor.whereSelect(try a.tensor(1, "condition"), try a.tensorOrNumber(2, "input"), try a.tensorOrNumber(3, "other")))
        }
        lib.function("matmul", "Matrix product (see Tensor:matmul).", example: "torch.matmul(torch.ones(2, 3), torch.ones(3))") { a in
            Tensors.push(a.L, try a.tensor(1, "input").matmul(try a.tensor(2, "other")))
        }
        lib.function("is_tensor", "True when the value is a tensor.", example: "torch.is_tensor(torch.ones(1))") { a in
            lua_pushboolean(a.L, Tensors.type.get(a.L, 1) != nil ? 1 : 0); return 1
        }
        lib.function("manual_seed", "Seeds MarketLab's one random generator (MT19937) so every later draw — rand, randn, init, dropout, shuffling, splits — repeats exactly.", example: "torch.manual_seed(42)") { a in
            let seed = try a.integer(1, "seed")
            Generator.shared.reseed(UInt64(bitPattern: Int64(seed)))
            return 0
        }
        lib.function("initial_seed", "The seed the generator was last started from.", example: "torch.initial_seed()") { a in
            lua_pushinteger(a.L, lua_Integer(Int64(bitPattern: Generator.shared.seed))); return 1
        }
        lib.function("set_grad_enabled", "Turns recording for autograd on or off globally.", example: "torch.set_grad_enabled(false)") { a in
            GradMode.isEnabled = try a.boolean(1, "mode"); return 0
        }
        lib.function("is_grad_enabled", "True while operations are recorded for autograd.", example: "torch.is_grad_enabled()") { a in
            lua_pushboolean(a.L, GradMode.isEnabled ? 1 : 0); return 1
        }
        lib.function("no_grad", "Runs a function with autograd recording off and returns its results: torch.no_grad(function() ... end). Recording is restored even when the function fails.",
                     example: "local w = torch.ones(2, {requires_grad = true}); torch.no_grad(function() w:sub_(0.1) end)") { a in
            guard lua_type(a.L, 1) == LUA_TFUNCTION else { throw a.error(1, "fn", expected: "a function") }
            let saved = GradMode.isEnabled
            GradMode.isEnabled = false
            defer { GradMode.isEnabled = saved }
            let count = a.count
            lua_pushvalue(a.L, 1)
            if count >= 2 { for i in 2...count { lua_pushvalue(a.L, i) } }
            guard ml_pcall(a.L, count - 1, LUA_MULTRET, 0) == LUA_OK else { throw LuaPassthroughError() }
            return lua_gettop(a.L) - count
        }
        lib.function("save", "Writes a tensor or a table of named tensors (a state_dict) to a safetensors file, atomically. Files load in PyTorch's safetensors and back.",
                     example: "torch.save({weight = torch.ones(2, 2)}, os.tmpname())") { a in
            let path = try a.string(2, "path")
            var named: [(String, Tensor)] = []
            if let t = Tensors.type.get(a.L, 1) {
                named = [("tensor", t)]
            } else if a.type(1) == LUA_TTABLE {
                lua_pushnil(a.L)
                while lua_next(a.L, 1) != 0 {
                    defer { ml_pop(a.L, 1) }
                    guard lua_type(a.L, -2) == LUA_TSTRING || lua_type(a.L, -2) == LUA_TNUMBER else {
                        ml_pop(a.L, 1)
                        throw LuaScriptError("\(a.function): keys must be names (strings)")
                    }
                    lua_pushvalue(a.L, -2)
                    let key = String(cString: ml_tostring(a.L, -1))
                    ml_pop(a.L, 1)
                    guard let t = Tensors.type.get(a.L, -1) else {
                        throw LuaScriptError("\(a.function): value of '\(key)' must be a tensor, got \(String(cString: lua_typename(a.L, lua_type(a.L, -1))))")
                    }
                    guard key != "__metadata__" else {
                        throw LuaScriptError("\(a.function): '__metadata__' is reserved by the safetensors format; choose another name")
                    }
                    named.append((key, try t.detach().contiguous()))
                }
            } else {
                throw a.error(1, "value", expected: "a tensor or a table of named tensors")
            }
            do {
                try Safetensors.save(named, metadata: ["format": "pt"], to: path)
            } catch let error as TensorError {
                throw LuaScriptError("\(a.function): \(error.message)")
            }
            return 0
        }
        lib.function("load", "Reads a safetensors file: a table of named tensors (a single tensor when the file holds only one named 'tensor', as torch.save writes it).",
                     example: "local p = os.tmpname(); torch.save(torch.ones(2), p); torch.load(p)") { a in
            let (tensors, _) = try Safetensors.load(from: try a.string(1, "path"))
            if tensors.count == 1 && tensors[0].0 == "tensor" { return Tensors.push(a.L, tensors[0].1) }
            lua_createtable(a.L, 0, Int32(tensors.count))
            for (name, t) in tensors {
                _ = Tensors.push(a.L, t)
                lua_setfield(a.L, -2, name)
            }
            return 1
        }
        lib.function("set_num_threads", "Threads for matrix products (OpenBLAS) and MarketLab's own large elementwise kernels, as --threads.", example: "torch.set_num_threads(1)") { a in
            let n = try a.integer(1, "n")
            guard n >= 1 else { throw a.error(1, "n", expected: "a positive integer") }
            setThreads(n)
            return 0
        }
        lib.function("get_num_threads", "Threads OpenBLAS uses.", example: "torch.get_num_threads()") { a in
            lua_pushinteger(a.L, lua_Integer(BLASThreads.current)); return 1
        }
        lib.function("clock", "Seconds on a monotonic clock, for timing (torch.Timer builds on it).", example: "local t0 = torch.clock()") { a in
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            lua_pushnumber(a.L, Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9)
            return 1
        }
    }

    /// Sets the thread count for OpenBLAS and for MarketLab's own kernels.
    public static func setThreads(_ n: Int) {
        BLASThreads.set(n)
        Parallel.threads = n
    }

    /// A Lua list of tensors.
    static func tensorList(_ a: Arguments, _ i: Int32) throws -> [Tensor] {
        guard a.type(i) == LUA_TTABLE else { throw a.error(i, "tensors", expected: "a list of tensors") }
        var out: [Tensor] = []
        let n = lua_rawlen(a.L, i)
        guard n > 0 else { throw a.error(i, "tensors", expected: "a non-empty list of tensors") }
        for k in 1...Int64(n) {
            lua_rawgeti(a.L, i, k)
            defer { ml_pop(a.L, 1) }
            guard let t = Tensors.type.get(a.L, -1) else {
                throw LuaScriptError("\(a.function): element \(k) of the list must be a tensor, got \(String(cString: lua_typename(a.L, lua_type(a.L, -1))))")
            }
            out.append(t)
        }
        return out
    }
}
