import CLua
import TensorKit

/// Arithmetic, comparison, pointwise math and in-place methods.
enum TensorMath {
    static func register(_ lib: Library) {
        let binary: [(String, String, (Tensor, Tensor, Double) throws -> Tensor)] = [
            ("add", "Elementwise sum with broadcasting: t:add(u [, alpha]) is t + alpha * u; u may be a number.", { try $0.add($1, alpha: $2) }),
            ("sub", "Elementwise difference with broadcasting: t:sub(u [, alpha]) is t - alpha * u.", { try $0.sub($1, alpha: $2) }),
            ("mul", "Elementwise product with broadcasting.", { a, b, _ in try a.mul(b) }),
            ("div", "Elementwise true division with broadcasting (integers give float32).", { a, b, _ in try a.div(b) }),
            ("pow", "Elementwise power: t:pow(2) or t:pow(u).", { a, b, _ in try a.pow(b) }),
            ("remainder", "Elementwise remainder of floor division with broadcasting, with the divisor's sign (PyTorch's remainder, Lua's %): t:remainder(3) or t % 3. Integer division by zero is an error; floats give NaN.", { a, b, _ in try a.remainder(b) }),
            ("floor_divide", "Elementwise division rounded down with broadcasting (PyTorch's floor_divide, Lua's //): integers stay integers. No gradient.", { a, b, _ in try a.floorDivide(b) }),
            ("maximum", "Elementwise larger of two tensors (or a tensor and a number) with broadcasting; NaN wins, and a tie shares the gradient half and half, as PyTorch.", { a, b, _ in try a.maximum(b) }),
            ("minimum", "Elementwise smaller of two tensors (or a tensor and a number) with broadcasting; NaN wins, and a tie shares the gradient half and half, as PyTorch.", { a, b, _ in try a.minimum(b) }),
        ]
        for (name, doc, op) in binary {
            lib.function(name, doc, example: "torch.tensor({1, 2, 3}):\(name)(2)") { a in
                let t = try a.tensor(1, "self"), u = try a.tensorOrNumber(2, "other")
                let alpha = try a.optionalNumber(3, "alpha") ?? 1
                return Tensors.push(a.L, try op(t, u, alpha))
            }
        }
        let comparisons: [(String, String, (Tensor, Tensor) throws -> Tensor)] = [
            ("eq", "equal to", { try $0.eq($1) }), ("ne", "not equal to", { try $0.ne($1) }),
            ("lt", "less than", { try $0.lt($1) }), ("le", "less than or equal to", { try $0.le($1) }),
            ("gt", "greater than", { try $0.gt($1) }), ("ge", "greater than or equal to", { try $0.ge($1) }),
        ]
        for (name, what, op) in comparisons {
            lib.function(name, "Elementwise test \(what) (a tensor or number, broadcast); returns a bool tensor. (Lua's == compares identity, so use t:\(name)(u).)",
                         example: "torch.tensor({1, 5, 3}):\(name)(3)") { a in
                Tensors.push(a.L, try op(try a.tensor(1, "self"), try a.tensorOrNumber(2, "other")))
            }
        }
        let logical: [(String, String, (Tensor, Tensor) throws -> Tensor)] = [
            ("logical_and", "and", { try $0.logicalAnd($1) }), ("logical_or", "or", { try $0.logicalOr($1) }),
            ("logical_xor", "exclusive or", { try $0.logicalXor($1) }),
        ]
        for (name, what, op) in logical {
            lib.function(name, "Elementwise logical \(what) of two tensors read as bools (nonzero is true), broadcast; returns a bool tensor.",
                         example: "torch.tensor({1, 0, 2}):gt(0):\(name)(torch.tensor({true, true, false}))") { a in
                Tensors.push(a.L, try op(try a.tensor(1, "self"), try a.tensorOrNumber(2, "other")))
            }
        }
        lib.function("logical_not", "Elementwise logical not of a tensor read as bools (nonzero is true); returns a bool tensor.",
                     example: "torch.tensor({1, 0, 2}):logical_not()") { a in
            Tensors.push(a.L, try a.tensor(1, "self").logicalNot())
        }
        let unary: [(String, String, (Tensor) throws -> Tensor)] = [
            ("abs", "Absolute value.", { try $0.abs() }), ("neg", "Negation.", { try $0.neg() }),
            ("exp", "e^x.", { try $0.exp() }), ("log", "Natural logarithm.", { try $0.log() }),
            ("log1p", "log(1 + x), accurate near 0.", { try $0.log1p() }), ("expm1", "e^x - 1, accurate near 0.", { try $0.expm1() }),
            ("sqrt", "Square root.", { try $0.sqrt() }), ("rsqrt", "1 / sqrt(x).", { try $0.rsqrt() }),
            ("sigmoid", "The logistic function 1 / (1 + e^-x).", { try $0.sigmoid() }), ("tanh", "Hyperbolic tangent.", { try $0.tanh() }),
            ("relu", "max(x, 0).", { try $0.relu() }), ("floor", "Round down.", { try $0.floor() }),
            ("ceil", "Round up.", { try $0.ceil() }), ("round", "Round half to even, as PyTorch.", { try $0.round() }),
            ("sign", "-1, 0 or 1.", { try $0.sign() }), ("sin", "Sine.", { try $0.sin() }), ("cos", "Cosine.", { try $0.cos() }),
            ("isnan", "True where the value is NaN.", { $0.isnan() }), ("isinf", "True where the value is ±inf.", { $0.isinf() }),
            ("isfinite", "True where the value is neither NaN nor ±inf.", { $0.isfinite() }),
        ]
        for (name, doc, op) in unary {
            lib.function(name, "Elementwise " + doc.prefix(1).lowercased() + doc.dropFirst() + " Returns a new tensor.",
                         example: "torch.tensor({-1.5, 0.25, 2}):\(name)()") { a in
                Tensors.push(a.L, try op(try a.tensor(1, "self")))
            }
        }
        registerSpecial(lib)
        lib.function("clamp", "Limits every element to [min, max]: t:clamp(min, max), t:clamp(nil, max) or t:clamp({min = 0}).",
                     example: "torch.tensor({-2, 0.5, 3}):clamp(0, 1)") { a in
            let (low, high) = try bounds(a)
            return Tensors.push(a.L, try a.tensor(1, "self").clamp(min: low, max: high))
        }
        lib.function("clamp_", "In-place clamp: t:clamp_(min, max).", example: "torch.tensor({-2.0, 3.0}):clamp_(0, 1)") { a in
            let (low, high) = try bounds(a)
            return Tensors.push(a.L, try a.tensor(1, "self").clampInPlace(min: low, max: high))
        }
        let inPlace: [(String, String, (Tensor, Tensor, Double) throws -> Tensor)] = [
            ("add_", "In-place t += alpha * u.", { try $0.addInPlace($1, alpha: $2) }),
            ("sub_", "In-place t -= alpha * u.", { try $0.subInPlace($1, alpha: $2) }),
            ("mul_", "In-place t *= u.", { a, b, _ in try a.mulInPlace(b) }),
            ("div_", "In-place t /= u (a float tensor).", { a, b, _ in try a.divInPlace(b) }),
            ("copy_", "Copies u's values (broadcast, converted) into t.", { a, b, _ in try a.copyInPlace(b) }),
        ]
        for (name, doc, op) in inPlace {
            lib.function(name, doc + " Returns t. Refused on tensors autograd is tracking (use torch.no_grad).",
                         example: "local t = torch.zeros(3); t:\(name)(torch.ones(3)); print(t)") { a in
                let t = try a.tensor(1, "self"), u = try a.tensorOrNumber(2, "other")
                let alpha = try a.optionalNumber(3, "alpha") ?? 1
                return Tensors.push(a.L, try op(t, u, alpha))
            }
        }
        lib.function("fill_", "Sets every element to a value; returns t.", example: "torch.zeros(2, 2):fill_(5)") { a in
            let value = a.type(2) == LUA_TBOOLEAN ? (lua_toboolean(a.L, 2) != 0 ? 1 : 0) : try a.number(2, "value")
            return Tensors.push(a.L, try a.tensor(1, "self").fill(value))
        }
        lib.function("zero_", "Sets every element to zero; returns t.", example: "torch.ones(3):zero_()") { a in
            Tensors.push(a.L, try a.tensor(1, "self").fill(0, op: "zero_"))
        }
        lib.function("uniform_", "Fills with uniform values in [from, to) (default [0, 1)); returns t.", example: "torch.empty(3):uniform_(-1, 1)") { a in
            Tensors.push(a.L, try a.tensor(1, "self").uniformInPlace(try a.optionalNumber(2, "from") ?? 0, try a.optionalNumber(3, "to") ?? 1))
        }
        lib.function("normal_", "Fills with normal values (default mean 0, std 1); returns t.", example: "torch.empty(3):normal_(0, 0.1)") { a in
            Tensors.push(a.L, try a.tensor(1, "self").normalInPlace(try a.optionalNumber(2, "mean") ?? 0, try a.optionalNumber(3, "std") ?? 1))
        }
        lib.function("matmul", "Matrix product with PyTorch's rules: vector·vector, matrix·vector, matrix·matrix and broadcast batches. Runs on OpenBLAS; transposed views are not copied.",
                     example: "torch.ones(2, 3):matmul(torch.ones(3, 4))") { a in
            Tensors.push(a.L, try a.tensor(1, "self").matmul(try a.tensor(2, "other")))
        }
        lib.function("mm", "Product of two 2-D tensors.", example: "torch.eye(2):mm(torch.ones(2, 3))") { a in
            Tensors.push(a.L, try a.tensor(1, "self").mm(try a.tensor(2, "other")))
        }
        lib.function("dot", "Inner product of two 1-D tensors.", example: "torch.tensor({1, 2}):dot(torch.tensor({3, 4}))") { a in
            Tensors.push(a.L, try a.tensor(1, "self").dot(try a.tensor(2, "other")))
        }
        lib.function("masked_fill", "A copy with value written where mask (bool, broadcast) is true.",
                     example: "torch.tensor({1, 2, 3}):masked_fill(torch.tensor({true, false, true}), 0)") { a in
            Tensors.push(a.L, try a.tensor(1, "self").maskedFill(try a.tensor(2, "mask"), try a.tensorOrNumber(3, "value")))
        }
    }

    /// The special functions, as methods and as torch.* functions (PyTorch has both).
    static func registerSpecial(_ lib: Library) {
        ml_getglobal(lib.L, "torch")
        let torch = Library(lib.L, table: -1, prefix: "torch.")
        defer { ml_pop(lib.L, 1) }
        let unary: [(String, String, String, (Tensor) throws -> Tensor)] = [
            ("lgamma", "log|Γ(x)|, the log of the gamma function's absolute value (+inf at 0, -1, -2, ...); its gradient is digamma. Likelihoods of counts (negative binomial, BG/NBD) are written with it.",
             "torch.tensor({0.5, 1, 10})", { try $0.lgamma() }),
            ("digamma", "ψ(x), the derivative of lgamma (-inf at +0, NaN at the negative integers, as PyTorch); its gradient is polygamma(1, x).",
             "torch.tensor({0.5, 1, 10})", { try $0.digamma() }),
        ]
        for (name, doc, input, op) in unary {
            lib.function(name, "Elementwise " + doc + " Returns a new tensor (integers give float32).",
                         example: "print(\(input):\(name)())") { a in
                Tensors.push(a.L, try op(try a.tensor(1, "self")))
            }
            torch.function(name, "torch.\(name)(x) is x:\(name)(): elementwise " + doc,
                           example: "print(torch.\(name)(\(input)))") { a in
                Tensors.push(a.L, try op(try a.tensor(1, "input")))
            }
        }
        let polygamma = "ψ⁽ⁿ⁾(x), the n-th derivative of digamma (n = 0 is digamma, 1 trigamma); its gradient is polygamma(n + 1, x)."
        lib.function("polygamma", "Elementwise " + polygamma + " t:polygamma(n) as PyTorch's Tensor.polygamma.",
                     example: "print(torch.tensor({0.5, 1, 10}):polygamma(1))") { a in
            Tensors.push(a.L, try a.tensor(1, "self").polygamma(try order(a, 2)))
        }
        torch.function("polygamma", "torch.polygamma(n, x): elementwise " + polygamma,
                       example: "print(torch.polygamma(1, torch.tensor({0.5, 1, 10})))") { a in
            let n = try order(a, 1)
            return Tensors.push(a.L, try a.tensor(2, "input").polygamma(n))
        }
        let logaddexp = "log(e^a + e^b) elementwise with broadcasting, computed without overflow (a number works as either operand); the gradient is e^(a - out) and e^(b - out)."
        lib.function("logaddexp", logaddexp + " t:logaddexp(u).",
                     example: "print(torch.tensor({-1000.0, 0, 1000}):logaddexp(torch.tensor({-1000.0, 0, 1})))") { a in
            Tensors.push(a.L, try a.tensor(1, "self").logaddexp(try a.tensorOrNumber(2, "other")))
        }
        torch.function("logaddexp", "torch.logaddexp(a, b): " + logaddexp,
                       example: "print(torch.logaddexp(torch.tensor({-1000.0, 0}), torch.tensor({-1000.0, 0})))") { a in
            let first = try a.tensorOrNumber(1, "input"), second = try a.tensorOrNumber(2, "other")
            guard !(first.isWrappedNumber && second.isWrappedNumber) else {
                throw a.error(1, "input", expected: "a tensor (one of the two operands must be a tensor)")
            }
            return Tensors.push(a.L, try first.logaddexp(second))
        }
    }

    /// The derivative order n of polygamma: a non-negative integer.
    static func order(_ a: Arguments, _ i: Int32) throws -> Int {
        guard let n = try? a.integer(i, "n"), n >= 0 else {
            throw a.error(i, "n", expected: "a non-negative integer (the order of the derivative)")
        }
        return n
    }

    static func bounds(_ a: Arguments) throws -> (Double?, Double?) {
        if a.type(2) == LUA_TTABLE {
            let o = try a.options(2, allowed: ["min", "max"])
            return (try o.number("min"), try o.number("max"))
        }
        let low = a.type(2) == LUA_TNIL || a.isNone(2) ? nil : try a.number(2, "min")
        let high = a.type(3) == LUA_TNIL || a.isNone(3) ? nil : try a.number(3, "max")
        return (low, high)
    }
}
