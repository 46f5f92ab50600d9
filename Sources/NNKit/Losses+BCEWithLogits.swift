import TensorKit

/// BCE-with-logits as one kernel (DESIGN §6: fused where PyTorch fuses): each element's
/// loss and its derivative in one pass, one gradient rule for the whole loss instead of
/// the dozen recorded ops of the composed formula.
extension Losses {
    /// The fused loss, or nil when the arguments need the general path: a weight, a target
    /// or pos_weight that needs gradients, or a pos_weight that is neither one value nor
    /// one per class of the last dim.
    static func fusedBCEWithLogits(_ input: Tensor, _ y: Tensor, posWeight: Tensor?, reduction: Reduction) throws -> Tensor? {
        guard input.dtype.isFloatingPoint, y.dtype == input.dtype, !y.requiresGrad else { return nil }
        if let pw = posWeight {
            guard !pw.requiresGrad, pw.dtype == input.dtype,
                  pw.count == 1 || (pw.rank == 1 && input.rank >= 1 && pw.count == input.shape[input.rank - 1]) else { return nil }
        }
        let x = try input.contiguous(), t = try y.contiguous(), pw = try posWeight?.contiguous()
        let losses = Tensor(uninitialized: input.shape, dtype: input.dtype)
        let slope = Tensor(uninitialized: input.shape, dtype: input.dtype)
        let total: Double
        if input.dtype == .float32 {
            total = elementwise(Float.self, x, t, pw, losses, slope)
        } else {
            total = elementwise(Double.self, x, t, pw, losses, slope)
        }
        let n = Swift.max(input.count, 1)
        switch reduction {
        case .none:
            return losses.recording("BinaryCrossEntropyWithLogitsBackward", [input]) { g in [try slope.mul(g)] }
        case .sum:
            return Tensor(scalar: total, dtype: input.dtype).recording("BinaryCrossEntropyWithLogitsBackward", [input]) { g in [try slope.mul(g)] }
        case .mean:
            let mean = input.count == 0 ? Double.nan : total / Double(n)
            return Tensor(scalar: mean, dtype: input.dtype).recording("BinaryCrossEntropyWithLogitsBackward", [input]) { g in
                [try slope.mul(g.div(scalar: Double(n)))]
            }
        }
    }

    /// Per element, with L = 1 + (pos_weight - 1) y:
    /// loss = (1 - y) x + L (log(1 + e^-|x|) + max(-x, 0)) and d loss / dx = (1 - y) - L σ(-x).
    /// Returns the sum of the losses (in double precision).
    private static func elementwise<T: FloatElement>(_: T.Type, _ x: Tensor, _ y: Tensor, _ pw: Tensor?, _ losses: Tensor, _ slope: Tensor) -> Double {
        let px = x.pointer(T.self), py = y.pointer(T.self), pl = losses.pointer(T.self), ps = slope.pointer(T.self)
        let n = x.count
        var total = 0.0
        let weights = pw.map { $0.pointer(T.self) }, width = pw?.count ?? 1
        for i in 0..<n {
            let xi = px[i], yi = py[i]
            let scale: T = weights.map { 1 + ($0[i % width] - 1) * yi } ?? 1
            let e = T.exp(-Swift.abs(xi))
            let softplus = T.log1p(e) + Swift.max(-xi, 0)
            let loss = (1 - yi) * xi + scale * softplus
            // σ(-x) without overflow: e^-|x| / (1 + e^-|x|) for x >= 0, 1 / (1 + e^-|x|) below.
            let sigmoidNeg = xi >= 0 ? e / (1 + e) : 1 / (1 + e)
            pl[i] = loss
            ps[i] = (1 - yi) - scale * sigmoidNeg
            total += Double(loss)
        }
        return total
    }
}
