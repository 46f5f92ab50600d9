import CLua
import TensorKit

/// Autograd methods and `torch.autograd`.
enum TensorAutograd {
    static func registerMethods(_ lib: Library) {
        lib.function("backward", "Computes gradients of this tensor with respect to every leaf that requires grad, adding them into each leaf's .grad. A non-scalar needs a gradient argument; {retain_graph = true} keeps the graph for another backward.",
                     example: "local w = torch.ones(3, {requires_grad = true}); (w * w):sum():backward(); print(w.grad)") { a in
            let t = try a.tensor(1, "self")
            let gradient = Tensors.type.get(a.L, 2)
            // backward([gradient] [, options]): a nil gradient may stand before the options.
            let o = try a.options(gradient == nil && a.type(2) != LUA_TNIL ? 2 : 3, allowed: ["retain_graph"])
            try Autograd.backward(t, gradOutput: gradient, retainGraph: try o.bool("retain_graph") ?? false)
            return 0
        }
        lib.function("detach", "A tensor sharing storage but cut out of the autograd graph.", example: "torch.ones(2, {requires_grad = true}):detach()") { a in
            Tensors.push(a.L, try a.tensor(1, "self").detach())
        }
        lib.function("requires_grad_", "Marks a leaf as collecting gradients (true by default); returns it.", example: "torch.zeros(3):requires_grad_()") { a in
            let t = try a.tensor(1, "self")
            try t.setRequiresGrad(a.isNone(2) ? true : try a.boolean(2, "requires_grad"))
            return Tensors.push(a.L, t)
        }
    }

    static func registerNamespace(_ lib: Library) {
        lib.function("grad", "Gradients of outputs with respect to inputs, returned as a list instead of accumulated into .grad: torch.autograd.grad(output, {inputs...} [, grad_output] [, {retain_graph, allow_unused}]).",
                     example: "local x = torch.tensor({2.0}, {requires_grad = true}); torch.autograd.grad((x * x):sum(), {x})") { a in
            let output = try a.tensor(1, "outputs")
            let inputs = try Tensors.type.get(a.L, 2).map { [$0] } ?? TorchFunctions.tensorList(a, 2)
            let gradient = Tensors.type.get(a.L, 3)
            let o = try a.options(gradient == nil && a.type(3) != LUA_TNIL ? 3 : 4, allowed: ["retain_graph", "allow_unused", "create_graph"])
            for (k, t) in inputs.enumerated() where !t.requiresGrad {
                throw LuaScriptError("\(a.function): input \(k + 1) does not require grad")
            }
            let grads = try Autograd.backward(output, gradOutput: gradient, retainGraph: try o.bool("retain_graph") ?? false, inputs: inputs)
            let allowUnused = try o.bool("allow_unused") ?? false
            lua_createtable(a.L, Int32(grads.count), 0)
            for (k, g) in grads.enumerated() {
                if let g { _ = Tensors.push(a.L, g) } else {
                    guard allowUnused else {
                        ml_pop(a.L, 1)
                        throw LuaScriptError("\(a.function): input \(k + 1) was not used to compute the output; pass {allow_unused = true} to get nil for it")
                    }
                    lua_pushboolean(a.L, 0)
                }
                lua_rawseti(a.L, -2, lua_Integer(k + 1))
            }
            return 1
        }
    }
}
