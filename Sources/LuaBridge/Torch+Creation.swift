import CLua
import TensorKit

/// `torch.tensor`, `torch.zeros` and the other factories.
enum TorchCreation {
    static let factoryOptions = ["dtype", "requires_grad"]

    /// Applies `{requires_grad = true}` from a factory's options.
    static func finish(_ t: Tensor, _ options: Options) throws -> Tensor {
        if try options.bool("requires_grad") == true {
            guard t.dtype.isFloatingPoint else {
                throw LuaScriptError("\(options.function): only floating-point tensors can require gradients, got \(t.dtype.rawValue) (pass {dtype = \"float32\"})")
            }
            try t.setRequiresGrad(true)
        }
        return t
    }

    /// Reads `shape...` then an optional options table, for zeros/ones/rand/...
    static func shapeAndOptions(_ a: Arguments, extra: [String] = []) throws -> ([Int], Options) {
        let shape = try a.shape(from: 1)
        var optionsIndex = Int32(shape.count) + 1
        if a.type(1) == LUA_TTABLE && !a.isOptionsTable(1) { optionsIndex = 2 }
        return (shape, try a.options(optionsIndex, allowed: factoryOptions + extra))
    }

    static func register(_ lib: Library) {
        lib.function("tensor", "Creates a tensor from a number, a boolean or a nested Lua table. The dtype is inferred as PyTorch does (int64 when every element is an integer, float32 when any is a float, bool for booleans) unless {dtype = ...} is given; {requires_grad = true} makes it a leaf that collects gradients.",
                     example: "torch.tensor({{1, 2}, {3, 4.5}})") { a in
            let o = try a.options(2, allowed: factoryOptions)
            if let t = Tensors.type.get(a.L, 1) {
                return Tensors.push(a.L, try finish(try t.detach().contiguousCopy().to(try o.dtype() ?? t.dtype), o))
            }
            guard a.count >= 1, [LUA_TNUMBER, LUA_TTABLE, LUA_TBOOLEAN].contains(a.type(1)) else {
                throw a.error(1, "data", expected: "a number, boolean or (nested) table")
            }
            return Tensors.push(a.L, try finish(try Tensors.fromLua(a, 1, dtype: try o.dtype()), o))
        }
        let fill: [(String, Double, String)] = [("zeros", 0, "filled with zeros"), ("ones", 1, "filled with ones"),
                                                ("empty", 0, "whose contents are unspecified (MarketLab zeroes them)")]
        for (name, value, what) in fill {
            lib.function(name, "Creates a tensor of the given shape (varargs or a table) \(what); options dtype (default float32) and requires_grad.",
                         example: "torch.\(name)(2, 3)") { a in
                let (shape, o) = try shapeAndOptions(a)
                return Tensors.push(a.L, try finish(try Tensor.full(shape, value, dtype: try o.dtype() ?? .float32, op: a.function), o))
            }
        }
        lib.function("full", "Creates a tensor of the given shape filled with a value: torch.full(shape, value [, {dtype}]). The dtype defaults to int64 for an integer value, bool for a boolean, float32 otherwise.",
                     example: "torch.full({2, 2}, 7.5)") { a in
            let shape = try a.integerList(1, "size")
            let isBool = a.type(2) == LUA_TBOOLEAN
            let value = isBool ? (lua_toboolean(a.L, 2) != 0 ? 1 : 0) : try a.number(2, "fill_value")
            let o = try a.options(3, allowed: factoryOptions)
            let inferred: DType = isBool ? .bool : (ml_isinteger(a.L, 2) != 0 ? .int64 : .float32)
            return Tensors.push(a.L, try finish(try Tensor.full(shape, value, dtype: try o.dtype() ?? inferred, op: a.function), o))
        }
        lib.function("arange", "Values from start (inclusive) to stop (exclusive) in steps: torch.arange(stop), torch.arange(start, stop [, step]). Integer arguments give int64, any float gives float32. Values, not indices: arange(0, 5) is 0..4.",
                     example: "torch.arange(0, 1, 0.25)") { a in
            var numbers: [Double] = []
            var allIntegers = true
            var i: Int32 = 1
            while i <= a.count && a.type(i) == LUA_TNUMBER {
                numbers.append(try a.number(i, "bound"))
                if ml_isinteger(a.L, i) == 0 { allIntegers = false }
                i += 1
            }
            guard (1...3).contains(numbers.count) else { throw a.error(1, "end", expected: "1 to 3 numbers (end, or start, end [, step])") }
            let o = try a.options(i, allowed: factoryOptions)
            let (start, end, step) = numbers.count == 1 ? (0, numbers[0], 1) : (numbers[0], numbers[1], numbers.count == 3 ? numbers[2] : 1)
            return Tensors.push(a.L, try finish(try Tensor.arange(start, end, step, dtype: try o.dtype() ?? (allIntegers ? .int64 : .float32)), o))
        }
        lib.function("linspace", "`steps` evenly spaced values from start to end inclusive: torch.linspace(start, end, steps).",
                     example: "torch.linspace(0, 1, 5)") { a in
            let o = try a.options(4, allowed: factoryOptions)
            return Tensors.push(a.L, try finish(try Tensor.linspace(try a.number(1, "start"), try a.number(2, "end"), try a.integer(3, "steps"), dtype: try o.dtype() ?? .float32), o))
        }
        lib.function("eye", "The identity matrix: torch.eye(n [, m]).", example: "torch.eye(3)") { a in
            let n = try a.integer(1, "n")
            let m = a.type(2) == LUA_TNUMBER ? try a.integer(2, "m") : n
            let o = try a.options(a.type(2) == LUA_TNUMBER ? 3 : 2, allowed: factoryOptions)
            guard n >= 0 else { throw a.error(1, "n", expected: "a non-negative size") }
            guard m >= 0 else { throw a.error(2, "m", expected: "a non-negative size") }
            return Tensors.push(a.L, try finish(try Tensor.eye(n, m, dtype: try o.dtype() ?? .float32), o))
        }
        lib.function("rand", "Uniform random values in [0, 1) of the given shape, drawn from the generator torch.manual_seed sets.",
                     example: "torch.manual_seed(42); torch.rand(2, 3)") { a in
            let (shape, o) = try shapeAndOptions(a)
            return Tensors.push(a.L, try finish(try Tensor.rand(shape, dtype: try floatDType(a, o)), o))
        }
        lib.function("randn", "Standard normal random values of the given shape, drawn from the generator torch.manual_seed sets.",
                     example: "torch.randn(4)") { a in
            let (shape, o) = try shapeAndOptions(a)
            return Tensors.push(a.L, try finish(try Tensor.randn(shape, dtype: try floatDType(a, o)), o))
        }
        lib.function("randint", "Random integers in [low, high) of the given shape: torch.randint(low, high, shape) (int64).",
                     example: "torch.randint(0, 10, {5})") { a in
            let low = try a.integer(1, "low"), high = try a.integer(2, "high")
            let shape = a.type(3) == LUA_TTABLE ? try a.integerList(3, "size") : try a.shape(from: 3)
            return Tensors.push(a.L, try Tensor.randint(Int64(low), Int64(high), shape))
        }
        lib.function("randperm", "A random permutation of the integers 1..n (1-based, like every index in MarketLab), as int64; {seed = s} draws from a private generator, leaving the global one untouched.",
                     example: "torch.randperm(5)") { a in
            let o = try a.options(2, allowed: ["seed"])
            let generator = try o.integer("seed").map { Generator(seed: UInt64(bitPattern: Int64($0))) } ?? .shared
            return Tensors.push(a.L, try Tensor.randperm(try a.integer(1, "n"), generator: generator).add(Tensor.number(1, isInteger: true)))
        }
        let likes: [(String, String)] = [("zeros_like", "zeros"), ("ones_like", "ones"), ("rand_like", "uniform random values"), ("randn_like", "normal random values")]
        for (name, what) in likes {
            lib.function(name, "A tensor of \(what) with the same shape (and dtype, unless {dtype} is given) as the argument.",
                         example: "torch.\(name)(torch.ones(2, 2))") { a in
                let t = try a.tensor(1, "input")
                let o = try a.options(2, allowed: factoryOptions)
                let dtype = try o.dtype() ?? t.dtype
                let out: Tensor
                switch name {
                case "zeros_like": out = try Tensor.full(t.shape, 0, dtype: dtype)
                case "ones_like": out = try Tensor.full(t.shape, 1, dtype: dtype)
                case "rand_like": out = try Tensor.rand(t.shape, dtype: dtype)
                default: out = try Tensor.randn(t.shape, dtype: dtype)
                }
                return Tensors.push(a.L, try finish(out, o))
            }
        }
    }

    static func floatDType(_ a: Arguments, _ o: Options) throws -> DType {
        let d = try o.dtype() ?? .float32
        guard d.isFloatingPoint else { throw LuaScriptError("\(a.function): dtype must be float32 or float64 for random floats, got \(d.rawValue)") }
        return d
    }
}
