/// Special functions as tensor ops, each derivative beside its forward: the gamma
/// family chains lgamma → digamma → polygamma(1) → polygamma(2) → ..., so every order
/// of derivative exists. Integer inputs compute in float32, as PyTorch.
extension Tensor {
    /// log|Γ(x)|; d/dx = ψ(x).
    public func lgamma() throws -> Tensor {
        let out = try mapFloat({ SpecialFunctions.logGamma($0) }, { SpecialFunctions.logGamma($0) })
        return out.recording("LgammaBackward", self) { g in [try g.mul(self.digamma())] }
    }

    /// ψ(x) = d/dx log Γ(x); d/dx = ψ⁽¹⁾(x).
    public func digamma() throws -> Tensor {
        let out = try mapFloat({ Float(SpecialFunctions.digamma(Double($0))) }, { SpecialFunctions.digamma($0) })
        return out.recording("DigammaBackward", self) { g in [try g.mul(self.polygamma(1))] }
    }

    /// ψ⁽ⁿ⁾(x), the n-th derivative of ψ (n >= 0); d/dx = ψ⁽ⁿ⁺¹⁾(x).
    public func polygamma(_ n: Int) throws -> Tensor {
        guard n >= 0 else { throw TensorError("polygamma: n must be a non-negative integer, got \(n)") }
        if n == 0 { return try digamma() }
        let out = try mapFloat({ Float(SpecialFunctions.polygamma(n, Double($0))) }, { SpecialFunctions.polygamma(n, $0) })
        return out.recording("PolygammaBackward", self) { g in [try g.mul(self.polygamma(n + 1))] }
    }

    /// log(e^a + e^b) elementwise with broadcasting, without overflow;
    /// d/da = e^(a - out), d/db = e^(b - out).
    public func logaddexp(_ other: Tensor) throws -> Tensor {
        // The result is at least float32, so the integer and bool kernels are never chosen.
        let out = try binaryOp(other, "logaddexp", minimum: .float32,
                               { Float(SpecialFunctions.logAddExp(Double($0), Double($1))) },
                               { SpecialFunctions.logAddExp($0, $1) },
                               { (_: Int64, _: Int64) -> Float in 0 }, { (_: Bool, _: Bool) -> Float in 0 })
        return out.recording("LogaddexpBackward", self, other) { g in
            [self.requiresGrad ? try self.gradFor(self, g.mul(self.to(out.dtype).sub(out).exp())) : nil,
             other.requiresGrad ? try other.gradFor(other, g.mul(other.to(out.dtype).sub(out).exp())) : nil]
        }
    }
}
