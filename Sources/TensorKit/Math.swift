/// Pointwise math functions with their derivatives.
extension Tensor {
    /// A dtype-preserving map (int and float tensors; bool where the caller allows it).
    @inline(__always)
    func mapSame(_ op: String, _ f32: (Float) -> Float, _ f64: (Double) -> Double,
                 _ i64: (Int64) -> Int64, bool b8: ((Bool) -> Bool)? = nil) throws -> Tensor {
        switch dtype {
        case .float32: return Kernels.unary(self, f32)
        case .float64: return Kernels.unary(self, f64)
        case .int64: return Kernels.unary(self, i64)
        case .bool:
            guard let b8 else { throw TensorError("\(op): not supported for bool tensors; convert first with :float() or :long()") }
            return Kernels.unary(self, b8)
        }
    }

    /// A floating-point map: integer and bool inputs are computed in float32.
    @inline(__always)
    func mapFloat(_ f32: (Float) -> Float, _ f64: (Double) -> Double) throws -> Tensor {
        switch dtype {
        case .float64: return Kernels.unary(self, f64)
        case .float32: return Kernels.unary(self, f32)
        default: return Kernels.unary(try to(.float32), f32)
        }
    }

    /// A bool-valued test of each element.
    @inline(__always)
    func test(_ f32: (Float) -> Bool, _ f64: (Double) -> Bool, integers: Bool) -> Tensor {
        switch dtype {
        case .float32: return Kernels.unary(self, f32)
        case .float64: return Kernels.unary(self, f64)
        case .int64: return Kernels.unary(self) { (_: Int64) in integers }
        case .bool: return Kernels.unary(self) { (_: Bool) in integers }
        }
    }

    public func abs() throws -> Tensor {
        let out = try mapSame("abs", { Swift.abs($0) }, { Swift.abs($0) }, { $0 == .min ? $0 : Swift.abs($0) }, bool: { $0 })
        return out.recording("AbsBackward", self) { g in [try g.mul(self.sign())] }
    }

    public func exp() throws -> Tensor {
        let out = dtype == .float32 ? try Kernels.lanes(self, VectorMath.exp) : try mapFloat({ Float.exp($0) }, { Double.exp($0) })
        return out.recording("ExpBackward", self) { g in [try g.mul(out)] }
    }

    public func log() throws -> Tensor {
        let out = try mapFloat({ Float.log($0) }, { Double.log($0) })
        return out.recording("LogBackward", self) { g in [try g.div(self)] }
    }

    public func log1p() throws -> Tensor {
        let out = try mapFloat({ Float.log1p($0) }, { Double.log1p($0) })
        return out.recording("Log1pBackward", [self]) { g in [try g.div(self.add(scalar: 1))] }
    }

    public func expm1() throws -> Tensor {
        let out = try mapFloat({ Float.expm1($0) }, { Double.expm1($0) })
        return out.recording("Expm1Backward", [self]) { g in [try g.mul(out.add(scalar: 1))] }
    }

    public func sqrt() throws -> Tensor {
        let out = try mapFloat({ $0.squareRoot() }, { $0.squareRoot() })
        return out.recording("SqrtBackward", self) { g in [try g.div(out.mul(scalar: 2))] }
    }

    public func rsqrt() throws -> Tensor {
        let out = try mapFloat({ 1 / $0.squareRoot() }, { 1 / $0.squareRoot() })
        return out.recording("RsqrtBackward", self) { g in [try g.mul(out.pow(scalar: 3)).mul(scalar: -0.5)] }
    }

    public func sigmoid() throws -> Tensor {
        let out = dtype == .float32 ? try Kernels.lanes(self, VectorMath.sigmoid) : try mapFloat({ 1 / (1 + Float.exp(-$0)) }, { 1 / (1 + Double.exp(-$0)) })
        return out.recording("SigmoidBackward", self) { g in
            [try g.mul(out.mul(Tensor(scalar: 1, dtype: out.dtype).sub(out)))]
        }
    }

    public func tanh() throws -> Tensor {
        let out = dtype == .float32 ? try Kernels.lanes(self, VectorMath.tanh) : try mapFloat({ Float.tanh($0) }, { Double.tanh($0) })
        return out.recording("TanhBackward", self) { g in
            [try g.mul(Tensor(scalar: 1, dtype: out.dtype).sub(out.mul(out)))]
        }
    }

    public func relu() throws -> Tensor {
        // NaN stays NaN and -0 stays -0, as in PyTorch; float32 without branches (signs
        // of activations are a coin toss for the branch predictor).
        let out = dtype == .float32 ? try Kernels.reluFloat(self)
            : try mapSame("relu", { $0 < 0 ? 0 : $0 }, { $0 < 0 ? 0 : $0 }, { $0 < 0 ? 0 : $0 })
        return out.recording("ReluBackward", self) { g in
            // One pass: g where the output is positive (the mask is never materialised).
            guard g.dtype == out.dtype, g.shape == out.shape else { return [try g.mul(out.gt(scalar: 0))] }
            switch g.dtype {
            case .float32: return [try Kernels.reluGradient(g, out)]
            case .float64: return [Kernels.binary(g, out, g.shape) { (d: Double, y: Double) in y > 0 ? d : 0 }]
            default: return [try g.mul(out.gt(scalar: 0))]
            }
        }
    }

    /// Limits every element to [min, max]; either bound may be absent. The gradient passes
    /// where the input lies inside the bounds (inclusive), as in PyTorch.
    public func clamp(min low: Double?, max high: Double?) throws -> Tensor {
        guard low != nil || high != nil else {
            throw TensorError("clamp: at least one of min and max must be given")
        }
        let lo = low ?? -.infinity, hi = high ?? .infinity
        let flo = Float(lo), fhi = Float(hi)
        let ilo = low.map { Int64(fromDouble: $0.rounded(.up)) } ?? .min
        let ihi = high.map { Int64(fromDouble: $0.rounded(.down)) } ?? .max
        let fractional = (low.map { $0 != $0.rounded() } ?? false) || (high.map { $0 != $0.rounded() } ?? false)
        let source = dtype == .int64 && fractional ? try to(.float32) : self
        let out = try source.mapSame("clamp", { Swift.min(Swift.max($0, flo), fhi) }, { Swift.min(Swift.max($0, lo), hi) },
                                     { Swift.min(Swift.max($0, ilo), ihi) })
        return out.recording("ClampBackward", self) { g in
            let inside = try self.ge(scalar: lo).logicalAnd(self.le(Tensor.number(hi, isInteger: false)))
            return [try g.mul(inside)]
        }
    }

    public func floor() throws -> Tensor {
        try mapSame("floor", { $0.rounded(.down) }, { $0.rounded(.down) }, { $0 }).recording("FloorBackward", self) { g in [try g.mul(scalar: 0)] }
    }

    public func ceil() throws -> Tensor {
        try mapSame("ceil", { $0.rounded(.up) }, { $0.rounded(.up) }, { $0 }).recording("CeilBackward", self) { g in [try g.mul(scalar: 0)] }
    }

    /// Rounds half to even, as PyTorch does.
    public func round() throws -> Tensor {
        try mapSame("round", { $0.rounded(.toNearestOrEven) }, { $0.rounded(.toNearestOrEven) }, { $0 })
            .recording("RoundBackward", self) { g in [try g.mul(scalar: 0)] }
    }

    public func sign() throws -> Tensor {
        try mapSame("sign", { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) },
                    { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }, bool: { $0 })
            .recording("SignBackward", self) { g in [try g.mul(scalar: 0)] }
    }

    public func sin() throws -> Tensor {
        let out = try mapFloat({ Float.sin($0) }, { Double.sin($0) })
        return out.recording("SinBackward", self) { g in [try g.mul(self.cos())] }
    }

    public func cos() throws -> Tensor {
        let out = try mapFloat({ Float.cos($0) }, { Double.cos($0) })
        return out.recording("CosBackward", self) { g in [try g.mul(self.sin()).neg()] }
    }

    public func isnan() -> Tensor { test({ $0.isNaN }, { $0.isNaN }, integers: false) }
    public func isinf() -> Tensor { test({ $0.isInfinite }, { $0.isInfinite }, integers: false) }
    public func isfinite() -> Tensor { test({ $0.isFinite }, { $0.isFinite }, integers: true) }

    /// The Gauss error function (used by GELU).
    public func erf() throws -> Tensor {
        let out = try mapFloat({ Float.erf($0) }, { Double.erf($0) })
        return out.recording("ErfBackward", self) { g in
            // d/dx erf(x) = 2/sqrt(pi) * exp(-x^2)
            [try g.mul(self.mul(self).neg().exp().mul(scalar: 1.1283791670955126))]
        }
    }

    /// cond ? a : b elementwise, broadcasting all three (`torch.where`).
    public static func whereSelect(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let mask = try condition.to(.bool)
        let shape = try broadcastShapes(broadcastShapes(mask.shape, a.shape, "where"), b.shape, "where")
        let dtype = PromotionOperand.resultType(a.promotionOperand, b.promotionOperand)
        let av = try GradMode.with(false) { try a.to(dtype) }, bv = try GradMode.with(false) { try b.to(dtype) }
        let m = mask.broadcastView(shape), x = av.broadcastView(shape), y = bv.broadcastView(shape)
        let out = Tensor(uninitialized: shape, dtype: dtype)
        let mo = m.elementOffsets(), xo = x.elementOffsets(), yo = y.elementOffsets()
        let pm = m.storage.pointer(Bool.self)
        func fill<T: Element>(_: T.Type) {
            let px = x.storage.pointer(T.self), py = y.storage.pointer(T.self), po = out.storage.pointer(T.self)
            for i in 0..<mo.count { po[i] = pm[mo[i]] ? px[xo[i]] : py[yo[i]] }
        }
        switch dtype {
        case .float32: fill(Float.self)
        case .float64: fill(Double.self)
        case .int64: fill(Int64.self)
        case .bool: fill(Bool.self)
        }
        return out.recording("WhereBackward", a, b) { g in
            let zero = Tensor(scalar: 0, dtype: g.dtype)
            return [a.requiresGrad ? try whereSelect(mask, g, zero) : nil,
                    b.requiresGrad ? try whereSelect(mask, zero, g) : nil]
        }
    }

    /// A stride-0 view of this tensor stretched to `shape` (no checks: shape broadcasts).
    func broadcastView(_ shape: [Int]) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: broadcastStrides(to: shape), offset: offset)
    }
}
