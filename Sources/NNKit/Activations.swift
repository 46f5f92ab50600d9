import TensorKit

/// Activation functions built from TensorKit primitives (their gradients follow).
extension Tensor {
    /// max(0, x) + slope * min(0, x).
    public func leakyRelu(slope: Double) throws -> Tensor {
        try Tensor.whereSelect(gt(scalar: 0), self, mul(scalar: slope))
    }

    /// The exact GELU, x * Φ(x) = 0.5 x (1 + erf(x / √2)), PyTorch's default.
    public func gelu() throws -> Tensor {
        try mul(scalar: 0.5).mul(mul(scalar: 0.7071067811865476).erf().add(scalar: 1))
    }

    /// exp(x) / sum(exp(x)) along `dim`, shifted by the (constant) maximum for stability.
    public func softmax(dim: Int) throws -> Tensor {
        if let fused = try fusedSoftmax(dim: dim, log: false) { return fused }
        let shifted = try sub(stabilityShift(dim))
        let e = try shifted.exp()
        return try e.div(e.sum(dims: [dim], keepDim: true))
    }

    /// log(softmax(x)) along `dim`, computed as x - logsumexp(x).
    public func logSoftmax(dim: Int) throws -> Tensor {
        if let fused = try fusedSoftmax(dim: dim, log: true) { return fused }
        let shifted = try sub(stabilityShift(dim))
        return try shifted.sub(shifted.exp().sum(dims: [dim], keepDim: true).log())
    }

    /// The maximum along `dim` (kept), outside the graph: a constant shift.
    private func stabilityShift(_ dim: Int) throws -> Tensor {
        try GradMode.with(false) {
            let peak = try extreme(max: true, dim: dim, keepDim: true).0
            return try Tensor.whereSelect(peak.isfinite(), peak, Tensor(scalar: 0, dtype: peak.dtype))
        }
    }

    /// Inverted dropout: zeroes each element with probability p and scales the rest by
    /// 1 / (1 - p), in training only.
    public func dropout(p: Double, training: Bool) throws -> Tensor {
        guard p >= 0 && p <= 1 else { throw TensorError("dropout: probability must be between 0 and 1, got \(p)") }
        guard training && p > 0 else { return self }
        if p == 1 { return try mul(scalar: 0) }
        let keep = try Tensor.rand(shape, dtype: dtype.isFloatingPoint ? dtype : .float32).ge(scalar: p)
        return try mul(keep).mul(scalar: 1 / (1 - p))
    }
}
