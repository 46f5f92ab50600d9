import Foundation

/// Remainder and floor division, rounding towards minus infinity as PyTorch's
/// `remainder` and `floor_divide` (and Python's `%` and `//`): the remainder takes the
/// divisor's sign.
extension Tensor {
    /// a - floor(a / b) * b. Floats divided by 0 give NaN; integers divided by 0 are an
    /// error (PyTorch raises too).
    public func remainder(_ other: Tensor) throws -> Tensor {
        try checkIntegerDivisor(other, "remainder")
        let out = try binaryOp(other, "remainder", minimum: .int64, { Tensor.floorRemainder($0, $1) }, { Tensor.floorRemainder($0, $1) }, { a, b in
            let r = a.remainderReportingOverflow(dividingBy: b).partialValue
            return r != 0 && (r < 0) != (b < 0) ? r &+ b : r
        }, { _, _ in Int64(0) })
        return out.recording("RemainderBackward", self, other) { g in
            // d/da = 1, d/db = -floor(a / b).
            [try self.gradFor(self, g),
             other.requiresGrad ? try other.gradFor(other, g.mul(GradMode.with(false) { try self.floorDivide(other) }).neg()) : nil]
        }
    }

    /// floor(a / b): integers stay integers, floats stay floats. Not differentiable (its
    /// gradient is zero almost everywhere), so the result does not track gradients.
    public func floorDivide(_ other: Tensor) throws -> Tensor {
        try checkIntegerDivisor(other, "floor_divide")
        return try binaryOp(other, "floor_divide", minimum: .int64, { ($0 / $1).rounded(.down) }, { ($0 / $1).rounded(.down) }, { a, b in
            let (q, overflow) = a.dividedReportingOverflow(by: b)
            if overflow { return q }   // Int64.min / -1 wraps around, as in PyTorch
            let r = a.remainderReportingOverflow(dividingBy: b).partialValue
            return r != 0 && (r < 0) != (b < 0) ? q - 1 : q
        }, { _, _ in Int64(0) })
    }

    public func remainder(scalar: Double) throws -> Tensor { try remainder(Tensor.number(scalar, isInteger: false)) }

    static func floorRemainder<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        let r = a.truncatingRemainder(dividingBy: b)
        return r != 0 && (r < 0) != (b < 0) ? r + b : r
    }

    /// Integer division by zero has no answer: an error naming the operation.
    private func checkIntegerDivisor(_ other: Tensor, _ op: String) throws {
        if dtype == .bool && other.dtype == .bool {
            throw TensorError("\(op): not defined for two bool tensors; convert with :long() first")
        }
        let result = PromotionOperand.resultType(promotionOperand, other.promotionOperand)
        guard result.category <= DType.int64.category, other.toInts().contains(0) else { return }
        throw TensorError("\(op): integer division by zero; convert to float (t:double()) to get NaN instead")
    }
}

/// Elementwise maximum and minimum of two tensors, as PyTorch's `maximum` and `minimum`:
/// NaN wins, and on ties the gradient is shared half and half.
extension Tensor {
    public func maximum(_ other: Tensor) throws -> Tensor {
        try extremum(other, "maximum", larger: true)
    }

    public func minimum(_ other: Tensor) throws -> Tensor {
        try extremum(other, "minimum", larger: false)
    }

    private func extremum(_ other: Tensor, _ op: String, larger: Bool) throws -> Tensor {
        let out = try binaryOp(other, op, { a, b in Tensor.pick(a, b, larger) }, { a, b in Tensor.pick(a, b, larger) },
                               { a, b in larger ? Swift.max(a, b) : Swift.min(a, b) }, { a, b in larger ? a || b : a && b })
        return out.recording(larger ? "MaximumBackward" : "MinimumBackward", self, other) { g in
            // PyTorch's rule: the full gradient unless the other side wins, half on a tie.
            let dtype = g.dtype
            let ties = try self.eq(other).to(dtype).mul(scalar: 0.5)
            let selfLoses = try (larger ? self.lt(other) : self.gt(other)).to(dtype)
            let otherLoses = try (larger ? self.gt(other) : self.lt(other)).to(dtype)
            let one = Tensor(scalar: 1, dtype: dtype)
            return [self.requiresGrad ? try self.gradFor(self, g.mul(one.sub(selfLoses).sub(ties))) : nil,
                    other.requiresGrad ? try other.gradFor(other, g.mul(one.sub(otherLoses).sub(ties))) : nil]
        }
    }

    @inline(__always)
    static func pick<F: BinaryFloatingPoint>(_ a: F, _ b: F, _ larger: Bool) -> F {
        if a.isNaN { return a }
        if b.isNaN { return b }
        return larger ? (a >= b ? a : b) : (a <= b ? a : b)
    }
}
