import TensorKit

/// Softmax and log-softmax over the last dim of a contiguous float tensor as one pass per
/// row and one gradient rule (DESIGN §6: fused where PyTorch fuses), instead of the
/// max, subtract, exp, sum, log and divide ops the general path records.
extension Tensor {
    /// nil when the general path applies (another dim, a view, integers).
    func fusedSoftmax(dim: Int, log: Bool) throws -> Tensor? {
        guard rank >= 1, dtype.isFloatingPoint, isContiguous, try normalizedDim(dim, log ? "log_softmax" : "softmax") == rank - 1,
              let width = shape.last, width > 0 else { return nil }
        let out = Tensor(uninitialized: shape, dtype: dtype)
        if dtype == .float32 {
            Tensor.softmaxRows(Float.self, self, out, width, log, exponentiate: VectorMath.expInPlace)
        } else {
            Tensor.softmaxRows(Double.self, self, out, width, log) { p, n in for i in 0..<n { p[i] = Double.exp(p[i]) } }
        }
        return out.recording(log ? "LogSoftmaxBackward" : "SoftmaxBackward", [self]) { g in
            let grad = Tensor(uninitialized: out.shape, dtype: out.dtype)
            let gc = try g.to(out.dtype).contiguous()
            if out.dtype == .float32 { Tensor.softmaxGradientRows(Float.self, gc, out, grad, width, log) } else { Tensor.softmaxGradientRows(Double.self, gc, out, grad, width, log) }
            return [grad]
        }
    }

    /// The shifted values of every row first (each row's maximum, or 0 when that is not
    /// finite or the row holds NaN, as the general path), their exponentials over the whole
    /// buffer (float32: eight lanes at a time), then each row's sum in double precision and
    /// y = x - m - log s or e^(x - m) / s.
    private static func softmaxRows<T: FloatElement>(_: T.Type, _ x: Tensor, _ out: Tensor, _ width: Int, _ log: Bool,
                                                     exponentiate: (UnsafeMutablePointer<T>, Int) -> Void) {
        let px = x.pointer(T.self), po = out.pointer(T.self)
        let rows = x.count / width
        let shifts = UnsafeMutablePointer<T>.allocate(capacity: rows)
        defer { shifts.deallocate() }
        for row in 0..<rows {
            let xs = px + row * width, ys = po + row * width
            // Branch-free: the maximum, and whether a NaN was seen.
            var peak = -T.infinity, nan = false
            for j in 0..<width {
                let v = xs[j]
                peak = v > peak ? v : peak
                nan = nan || v != v
            }
            let shift: T = peak.isFinite && !nan ? peak : 0
            shifts[row] = shift
            for j in 0..<width { ys[j] = xs[j] - shift }
        }
        exponentiate(po, x.count)
        for row in 0..<rows {
            let xs = px + row * width, ys = po + row * width
            var t0 = 0.0, t1 = 0.0, j = 0
            while j + 2 <= width { t0 += Double(ys[j]); t1 += Double(ys[j + 1]); j += 2 }
            if j < width { t0 += Double(ys[j]) }
            let total = T(t0 + t1)
            if log {
                let logTotal = T.log(total), shift = shifts[row]
                for j in 0..<width { ys[j] = (xs[j] - shift) - logTotal }
            } else {
                for j in 0..<width { ys[j] = ys[j] / total }
            }
        }
    }

    /// log-softmax: dx = g - e^y Σg; softmax: dx = y (g - Σ g y), per row.
    private static func softmaxGradientRows<T: FloatElement>(_: T.Type, _ g: Tensor, _ y: Tensor, _ dx: Tensor, _ width: Int, _ log: Bool) {
        let pg = g.pointer(T.self), py = y.pointer(T.self), pd = dx.pointer(T.self)
        for row in 0..<(y.count / width) {
            let gs = pg + row * width, ys = py + row * width, ds = pd + row * width
            var total = 0.0
            if log {
                for j in 0..<width { total += Double(gs[j]) }
                let sum = T(total)
                for j in 0..<width { ds[j] = gs[j] - T.exp(ys[j]) * sum }
            } else {
                for j in 0..<width { total += Double(gs[j] * ys[j]) }
                let sum = T(total)
                for j in 0..<width { ds[j] = ys[j] * (gs[j] - sum) }
            }
        }
    }
}
