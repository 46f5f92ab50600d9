/// In-place operations (trailing `_` in Lua). They write through views into shared
/// storage, keep this tensor's dtype, and refuse to run on tensors autograd is tracking.
extension Tensor {
    /// Writes `value` (broadcast to this shape) into this tensor, converting to its dtype.
    private func assign(_ value: Tensor, _ op: String) throws -> Tensor {
        try checkInPlace(op)
        guard try broadcastShapes(shape, value.shape, op) == shape else {
            throw TensorError("\(op): the result of shape \(describeShape(value.shape)) cannot be written into a tensor of shape \(describeShape(shape))")
        }
        try GradMode.with(false) {
            let source = value.storage === storage ? try value.contiguousCopy() : value
            try copyValues(from: source)
        }
        return self
    }

    private func checkKeepsType(_ result: DType, _ op: String) throws {
        guard DType.promote(result, dtype) == dtype else {
            throw TensorError("\(op): result type \(result.rawValue) cannot be stored in a \(dtype.rawValue) tensor; use the out-of-place form")
        }
    }

    /// The direct path for a float tensor updated by an operand of its own dtype (or a
    /// number) that broadcasts to it: one pass, no temporary. Nil when it does not apply.
    @inline(__always)
    private func updateInPlace(_ other: Tensor, _ op: String, _ f32: (Float, Float) -> Float,
                               _ f64: (Double, Double) -> Double) throws -> Tensor? {
        guard dtype.isFloatingPoint, other.dtype == dtype || (other.isWrappedNumber && other.dtype != .bool),
              other.storage !== storage, (try? broadcastShapes(shape, other.shape, op)) == shape else { return nil }
        try checkInPlace(op)
        let operand = other.dtype == dtype ? other : try GradMode.with(false) { try other.to(dtype) }
        if dtype == .float32 { Kernels.inPlace(self, operand, f32) } else { Kernels.inPlace(self, operand, f64) }
        return self
    }

    public func addInPlace(_ other: Tensor, alpha: Double = 1) throws -> Tensor {
        let fa = Float(alpha)
        if let done = try updateInPlace(other, "add_", { $0 + fa * $1 }, { $0 + alpha * $1 }) { return done }
        let r = try GradMode.with(false) { try add(other, alpha: alpha) }
        try checkKeepsType(r.dtype, "add_")
        return try assign(r, "add_")
    }

    public func subInPlace(_ other: Tensor, alpha: Double = 1) throws -> Tensor {
        let fa = Float(alpha)
        if let done = try updateInPlace(other, "sub_", { $0 - fa * $1 }, { $0 - alpha * $1 }) { return done }
        let r = try GradMode.with(false) { try sub(other, alpha: alpha) }
        try checkKeepsType(r.dtype, "sub_")
        return try assign(r, "sub_")
    }

    public func mulInPlace(_ other: Tensor) throws -> Tensor {
        if let done = try updateInPlace(other, "mul_", { $0 * $1 }, { $0 * $1 }) { return done }
        let r = try GradMode.with(false) { try mul(other) }
        try checkKeepsType(r.dtype, "mul_")
        return try assign(r, "mul_")
    }

    public func divInPlace(_ other: Tensor) throws -> Tensor {
        if let done = try updateInPlace(other, "div_", { $0 / $1 }, { $0 / $1 }) { return done }
        let r = try GradMode.with(false) { try div(other) }
        try checkKeepsType(r.dtype, "div_")
        return try assign(r, "div_")
    }

    public func clampInPlace(min low: Double?, max high: Double?) throws -> Tensor {
        let r = try GradMode.with(false) { try clamp(min: low, max: high) }
        return try assign(r, "clamp_")
    }

    public func fill(_ value: Double, op: String = "fill_") throws -> Tensor {
        try assign(Tensor(scalar: value, dtype: dtype), op)
    }

    public func copyInPlace(_ source: Tensor) throws -> Tensor { try assign(source, "copy_") }

    public func uniformInPlace(_ low: Double, _ high: Double) throws -> Tensor {
        try checkInPlace("uniform_")
        try fillUniform(low, high)
        return self
    }

    public func normalInPlace(_ mean: Double, _ std: Double) throws -> Tensor {
        try checkInPlace("normal_")
        try fillNormal(mean, std)
        return self
    }

    /// A copy sharing nothing (`clone`), recorded for autograd.
    public func clone() throws -> Tensor { try contiguousCopy() }
}
