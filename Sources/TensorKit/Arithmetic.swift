/// Broadcasting binary arithmetic and comparisons, each with its derivative beside it.
extension Tensor {
    /// A 0-dim tensor standing for a plain Lua number: it takes part in type promotion as
    /// a number (an integer keeps an int64 tensor's type; a float turns it into float32).
    public static func number(_ value: Double, isInteger: Bool) -> Tensor {
        let t = Tensor(scalar: value, dtype: isInteger ? .int64 : .float64)
        t.isWrappedNumber = true
        return t
    }

    var promotionOperand: PromotionOperand {
        PromotionOperand(dtype, isWrappedNumber ? .number : (shape.isEmpty ? .zeroDim : .tensor))
    }

    /// Applies one of four typed kernels after promoting both operands to their result
    /// type (at least `minimum`); each kernel chooses its own output type.
    @inline(__always)
    func binaryOp<R32: Element, R64: Element, RInt: Element, RBool: Element>(
        _ other: Tensor, _ op: String, minimum: DType = .bool,
        _ f32: (Float, Float) -> R32, _ f64: (Double, Double) -> R64,
        _ i64: (Int64, Int64) -> RInt, _ b8: (Bool, Bool) -> RBool) throws -> Tensor {
        var dtype = PromotionOperand.resultType(promotionOperand, other.promotionOperand)
        if dtype.category < minimum.category { dtype = minimum }
        let shape = try broadcastShapes(self.shape, other.shape, op)
        let a = self.dtype == dtype ? self : try GradMode.with(false) { try self.to(dtype) }
        let b = other.dtype == dtype ? other : try GradMode.with(false) { try other.to(dtype) }
        switch dtype {
        case .float32: return Kernels.binary(a, b, shape, f32)
        case .float64: return Kernels.binary(a, b, shape, f64)
        case .int64: return Kernels.binary(a, b, shape, i64)
        case .bool: return Kernels.binary(a, b, shape, b8)
        }
    }

    /// Gradient for an input of a float result: cast back to the input's own dtype.
    func gradFor(_ input: Tensor, _ g: Tensor) throws -> Tensor {
        input.dtype == g.dtype ? g : try g.to(input.dtype)
    }

    public func add(_ other: Tensor, alpha: Double = 1) throws -> Tensor {
        let out: Tensor
        if alpha == 1 {
            out = try binaryOp(other, "add", { $0 + $1 }, { $0 + $1 }, { $0 &+ $1 }, { $0 || $1 })
        } else {
            let fa = Float(alpha), ia = Int64(alpha)
            out = try binaryOp(other, "add", { $0 + fa * $1 }, { $0 + alpha * $1 }, { $0 &+ ia &* $1 }, { $0 || $1 })
        }
        return out.recording("AddBackward", self, other) { g in
            [try self.gradFor(self, g), try other.gradFor(other, alpha == 1 ? g : g.mul(scalar: alpha))]
        }
    }

    public func sub(_ other: Tensor, alpha: Double = 1) throws -> Tensor {
        if dtype == .bool && other.dtype == .bool {
            throw TensorError("sub: subtracting two bool tensors is not supported; use logical operations or convert with :long()")
        }
        let fa = Float(alpha), ia = Int64(alpha)
        let out = try binaryOp(other, "sub", { $0 - fa * $1 }, { $0 - alpha * $1 }, { $0 &- ia &* $1 }, { $0 != $1 })
        return out.recording("SubBackward", self, other) { g in
            [try self.gradFor(self, g), try other.gradFor(other, g.mul(scalar: -alpha))]
        }
    }

    public func mul(_ other: Tensor) throws -> Tensor {
        let out = try binaryOp(other, "mul", { $0 * $1 }, { $0 * $1 }, { $0 &* $1 }, { $0 && $1 })
        return out.recording("MulBackward", self, other) { g in
            [self.requiresGrad ? try self.gradFor(self, g.mul(other)) : nil,
             other.requiresGrad ? try other.gradFor(other, g.mul(self)) : nil]
        }
    }

    /// True division: integer operands give float32, as in PyTorch.
    public func div(_ other: Tensor) throws -> Tensor {
        let out = try binaryOp(other, "div", minimum: .float32, { $0 / $1 }, { $0 / $1 }, { $0 / $1 }, { $0 && $1 })
        return out.recording("DivBackward", self, other) { g in
            [self.requiresGrad ? try self.gradFor(self, g.div(other)) : nil,
             other.requiresGrad ? try other.gradFor(other, g.mul(out).div(other).neg()) : nil]
        }
    }

    public func pow(_ exponent: Tensor) throws -> Tensor {
        if dtype.category <= DType.int64.category && exponent.dtype.category <= DType.int64.category,
           exponent.dtype == .int64, exponent.toInts().contains(where: { $0 < 0 }) {
            throw TensorError("pow: integers to negative integer powers are not allowed; convert with :float() first (as in PyTorch)")
        }
        let out = try binaryOp(exponent, "pow", minimum: .int64, { Float.pow($0, $1) }, { Double.pow($0, $1) },
                               { integerPower($0, $1) }, { $0 || !$1 })
        return out.recording("PowBackward", self, exponent) { g in
            var grads: [Tensor?] = [nil, nil]
            if self.requiresGrad {
                // d/da a^b = b * a^(b-1); zero where b == 0 (PyTorch's convention).
                let b = try exponent.to(out.dtype)
                let term = try b.mul(self.pow(b.sub(scalar: 1)))
                let safe = try Tensor.whereSelect(b.eq(scalar: 0), Tensor(scalar: 0, dtype: out.dtype), term)
                grads[0] = try self.gradFor(self, g.mul(safe))
            }
            if exponent.requiresGrad {
                // d/db a^b = a^b * log(a); zero where a == 0 and b >= 0.
                let term = try out.mul(self.to(out.dtype).log())
                let mask = try self.eq(scalar: 0).logicalAnd(exponent.ge(scalar: 0))
                let safe = try Tensor.whereSelect(mask, Tensor(scalar: 0, dtype: out.dtype), term)
                grads[1] = try exponent.gradFor(exponent, g.mul(safe))
            }
            return grads
        }
    }

    public func neg() throws -> Tensor {
        if dtype == .bool {
            throw TensorError("neg: negation of a bool tensor is not supported; use logical_not or convert with :long()")
        }
        let out = try mapSame("neg", { -$0 }, { -$0 }, { 0 &- $0 })
        return out.recording("NegBackward", self) { g in [try g.neg()] }
    }

    // MARK: conveniences with plain numbers

    public func add(scalar: Double) throws -> Tensor { try add(Tensor.number(scalar, isInteger: false)) }
    public func sub(scalar: Double) throws -> Tensor { try sub(Tensor.number(scalar, isInteger: false)) }
    public func mul(scalar: Double) throws -> Tensor { try mul(Tensor.number(scalar, isInteger: false)) }
    public func div(scalar: Double) throws -> Tensor { try div(Tensor.number(scalar, isInteger: false)) }
    public func pow(scalar: Double) throws -> Tensor { try pow(Tensor.number(scalar, isInteger: false)) }

    // MARK: comparisons (bool results, no gradient)

    /// A comparison: computed in the promoted type, a bool result.
    @inline(__always)
    func compare(_ other: Tensor, _ op: String, _ f32: (Float, Float) -> Bool, _ f64: (Double, Double) -> Bool,
                 _ i64: (Int64, Int64) -> Bool, _ b8: (Bool, Bool) -> Bool) throws -> Tensor {
        try binaryOp(other, op, f32, f64, i64, b8)
    }

    public func eq(_ o: Tensor) throws -> Tensor { try compare(o, "eq", { $0 == $1 }, { $0 == $1 }, { $0 == $1 }, { $0 == $1 }) }
    public func ne(_ o: Tensor) throws -> Tensor { try compare(o, "ne", { $0 != $1 }, { $0 != $1 }, { $0 != $1 }, { $0 != $1 }) }
    public func lt(_ o: Tensor) throws -> Tensor { try compare(o, "lt", { $0 < $1 }, { $0 < $1 }, { $0 < $1 }, { !$0 && $1 }) }
    public func le(_ o: Tensor) throws -> Tensor { try compare(o, "le", { $0 <= $1 }, { $0 <= $1 }, { $0 <= $1 }, { !$0 || $1 }) }
    public func gt(_ o: Tensor) throws -> Tensor { try compare(o, "gt", { $0 > $1 }, { $0 > $1 }, { $0 > $1 }, { $0 && !$1 }) }
    public func ge(_ o: Tensor) throws -> Tensor { try compare(o, "ge", { $0 >= $1 }, { $0 >= $1 }, { $0 >= $1 }, { $0 || !$1 }) }
    public func eq(scalar: Double) throws -> Tensor { try eq(Tensor.number(scalar, isInteger: false)) }
    public func ge(scalar: Double) throws -> Tensor { try ge(Tensor.number(scalar, isInteger: false)) }
    public func gt(scalar: Double) throws -> Tensor { try gt(Tensor.number(scalar, isInteger: false)) }

    /// Elementwise AND of two tensors read as bools.
    public func logicalAnd(_ other: Tensor) throws -> Tensor {
        let a = try to(.bool), b = try other.to(.bool)
        return Kernels.binary(a, b, try broadcastShapes(shape, other.shape, "logical_and")) { (x: Bool, y: Bool) in x && y }
    }

    /// Elementwise OR of two tensors read as bools.
    public func logicalOr(_ other: Tensor) throws -> Tensor {
        let a = try to(.bool), b = try other.to(.bool)
        return Kernels.binary(a, b, try broadcastShapes(shape, other.shape, "logical_or")) { (x: Bool, y: Bool) in x || y }
    }

    /// Elementwise exclusive OR of two tensors read as bools.
    public func logicalXor(_ other: Tensor) throws -> Tensor {
        let a = try to(.bool), b = try other.to(.bool)
        return Kernels.binary(a, b, try broadcastShapes(shape, other.shape, "logical_xor")) { (x: Bool, y: Bool) in x != y }
    }

    /// Elementwise NOT of a tensor read as bools.
    public func logicalNot() throws -> Tensor {
        Kernels.unary(try to(.bool)) { (x: Bool) in !x }
    }
}

/// Integer power as PyTorch computes it for int64 (negative exponents give 0 unless the
/// base is ±1).
func integerPower(_ base: Int64, _ exponent: Int64) -> Int64 {
    if exponent < 0 {
        if base == 1 { return 1 }
        if base == -1 { return exponent % 2 == 0 ? 1 : -1 }
        return 0
    }
    var result: Int64 = 1, b = base, e = exponent
    while e > 0 {
        if e & 1 == 1 { result = result &* b }
        b = b &* b
        e >>= 1
    }
    return result
}
