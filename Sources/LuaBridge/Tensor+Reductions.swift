import CLua
import TensorKit

/// Reductions as Tensor methods: `t:sum([dim] [, {keepdim}])` and friends. Dims are
/// 1-based; returned indices are 1-based.
enum TensorReductions {
    /// Reads `[dim or {dims}] [, options]` starting at argument 2.
    static func dims(_ a: Arguments, allowed: [String] = ["keepdim"]) throws -> ([Int]?, Bool, Options) {
        var dims: [Int]? = nil
        var next: Int32 = 2
        if a.type(2) == LUA_TNUMBER {
            dims = [try a.dim(2)]
            next = 3
        } else if a.type(2) == LUA_TTABLE && !a.isOptionsTable(2) {
            dims = try a.integerList(2, "dim").map { d in
                guard d != 0 else { throw LuaScriptError("\(a.function): dimensions are 1-based, got 0") }
                return d > 0 ? d - 1 : d
            }
            next = 3
        } else if a.type(2) == LUA_TNIL && a.count >= 3 {
            next = 3
        }
        let o = try a.options(next, allowed: allowed)
        return (dims, try o.bool("keepdim") ?? false, o)
    }

    static func pushIndices(_ L: OpaquePointer, _ t: Tensor) throws -> Int32 {
        Tensors.push(L, try t.add(Tensor.number(1, isInteger: true)))
    }

    static func register(_ lib: Library) {
        let simple: [(String, String, (Tensor, [Int]?, Bool) throws -> Tensor)] = [
            ("sum", "Sum of all elements, or along dim (1-based; a table of dims also works) with {keepdim = true} to keep it as size 1. bool and int64 sum to int64.", { try $0.sum(dims: $1, keepDim: $2) }),
            ("mean", "Mean of all elements or along dim ({keepdim}). Needs a floating-point tensor.", { try $0.mean(dims: $1, keepDim: $2) }),
            ("prod", "Product of all elements or along dim ({keepdim}).", { try $0.prod(dims: $1, keepDim: $2) }),
            ("all", "True when every element is nonzero, overall or along dim ({keepdim}).", { try $0.all(dims: $1, keepDim: $2) }),
            ("any", "True when some element is nonzero, overall or along dim ({keepdim}).", { try $0.any(dims: $1, keepDim: $2) }),
            ("logsumexp", "log(sum(exp(x))) computed stably, overall or along dim ({keepdim}).", { try $0.logsumexp(dims: $1, keepDim: $2) }),
        ]
        for (name, doc, op) in simple {
            lib.function(name, doc, example: "torch.tensor({{1.0, 2.0}, {3.0, 4.0}}):\(name)(1)") { a in
                let t = try a.tensor(1, "self")
                let (d, keep, _) = try dims(a)
                return Tensors.push(a.L, try op(t, d, keep))
            }
        }
        for (name, isStd) in [("std", true), ("var", false)] {
            lib.function(name, "\(isStd ? "Standard deviation" : "Variance") overall or along dim; unbiased (n - 1) by default as in PyTorch, {unbiased = false} for the population form; {keepdim}.",
                         example: "torch.tensor({1.0, 2.0, 4.0}):\(name)()") { a in
                let t = try a.tensor(1, "self")
                let (d, keep, o) = try dims(a, allowed: ["keepdim", "unbiased", "correction"])
                let correction = try o.integer("correction") ?? ((try o.bool("unbiased") ?? true) ? 1 : 0)
                return Tensors.push(a.L, isStd ? try t.std(dims: d, correction: correction, keepDim: keep)
                                                : try t.variance(dims: d, correction: correction, keepDim: keep))
            }
        }
        for (name, isMax) in [("max", true), ("min", false)] {
            lib.function(name, "\(isMax ? "Largest" : "Smallest") element. With dim, returns values and 1-based indices along it ({keepdim}); with another tensor, the elementwise \(isMax ? "maximum" : "minimum").",
                         example: "local values, indices = torch.tensor({{1, 5}, {7, 2}}):\(name)(2)") { a in
                let t = try a.tensor(1, "self")
                if let other = Tensors.type.get(a.L, 2) {
                    guard (try? broadcastShapes(t.shape, other.shape, name)) != nil else {
                        throw LuaScriptError("\(name): shapes \(describeShape(t.shape)) and \(describeShape(other.shape)) do not broadcast")
                    }
                    let pick = isMax ? try t.ge(other) : try t.le(other)
                    return Tensors.push(a.L, try Tensor.whereSelect(pick, t, other))
                }
                let (d, keep, _) = try dims(a)
                guard let dim = d?.first, d?.count == 1 else { return Tensors.push(a.L, try t.extreme(max: isMax)) }
                let (values, indices) = try t.extreme(max: isMax, dim: dim, keepDim: keep)
                _ = Tensors.push(a.L, values)
                return try pushIndices(a.L, indices) + 1
            }
            let argName = isMax ? "argmax" : "argmin"
            lib.function(argName, "1-based position of the \(isMax ? "largest" : "smallest") element: of the flattened tensor, or along dim ({keepdim}).",
                         example: "torch.tensor({3, 9, 4}):\(argName)()") { a in
                let t = try a.tensor(1, "self")
                let (d, keep, _) = try dims(a)
                return try pushIndices(a.L, try t.argExtreme(max: isMax, dim: d?.first, keepDim: keep))
            }
        }
        lib.function("cumsum", "Cumulative sum along dim (1-based).", example: "torch.tensor({1, 2, 3}):cumsum(1)") { a in
            Tensors.push(a.L, try a.tensor(1, "self").cumsum(try a.dim(2)))
        }
        lib.function("norm", "The p-norm (default 2) of all elements or along dim: t:norm([p] [, dim] [, {keepdim}]).",
                     example: "torch.tensor({3.0, 4.0}):norm()") { a in
            let t = try a.tensor(1, "self")
            let p = a.type(2) == LUA_TNUMBER ? try a.number(2, "p") : 2
            var dimsList: [Int]? = nil
            var next: Int32 = a.type(2) == LUA_TNUMBER ? 3 : 2
            if a.type(next) == LUA_TNUMBER { dimsList = [try a.dim(next)]; next += 1 }
            let o = try a.options(next, allowed: ["keepdim"])
            return Tensors.push(a.L, try t.norm(p: p, dims: dimsList, keepDim: try o.bool("keepdim") ?? false))
        }
        lib.function("sort", "Sorted values and their 1-based original positions along dim (default last): t:sort([dim] [, {descending = true}]).",
                     example: "local values, indices = torch.tensor({3, 1, 2}):sort()") { a in
            let t = try a.tensor(1, "self")
            let dim = a.type(2) == LUA_TNUMBER ? try a.dim(2) : -1
            let o = try a.options(a.type(2) == LUA_TNUMBER ? 3 : 2, allowed: ["descending", "dim"])
            let (values, indices) = try t.sort(dim: try o.integer("dim").map { $0 > 0 ? $0 - 1 : $0 } ?? dim, descending: try o.bool("descending") ?? false)
            _ = Tensors.push(a.L, values)
            return try pushIndices(a.L, indices) + 1
        }
        lib.function("topk", "The k largest values along dim (default last) and their 1-based positions: t:topk(k [, dim] [, {largest = false}]).",
                     example: "local values, indices = torch.tensor({5, 1, 9, 3}):topk(2)") { a in
            let t = try a.tensor(1, "self")
            let k = try a.integer(2, "k")
            let dim = a.type(3) == LUA_TNUMBER ? try a.dim(3) : -1
            let o = try a.options(a.type(3) == LUA_TNUMBER ? 4 : 3, allowed: ["largest", "dim"])
            let (values, indices) = try t.topk(k, dim: dim, largest: try o.bool("largest") ?? true)
            _ = Tensors.push(a.L, values)
            return try pushIndices(a.L, indices) + 1
        }
        lib.function("unique", "The sorted distinct values; {return_inverse = true} and {return_counts = true} add each element's 1-based position among them and the counts.",
                     example: "torch.tensor({3, 1, 3, 2}):unique()") { a in
            let t = try a.tensor(1, "self")
            let o = try a.options(2, allowed: ["return_inverse", "return_counts", "sorted"])
            let (values, inverse, counts) = t.unique()
            var n = Tensors.push(a.L, values)
            if try o.bool("return_inverse") == true { n += try pushIndices(a.L, inverse) }
            if try o.bool("return_counts") == true { n += Tensors.push(a.L, counts) }
            return n
        }
    }
}
