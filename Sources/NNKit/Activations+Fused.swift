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
        if dtype == .float32 { Tensor.softmaxRowsFloat(self, out, width, log) } else { Tensor.softmaxRows(Double.self, self, out, width, log) }
        return out.recording(log ? "LogSoftmaxBackward" : "SoftmaxBackward", [self]) { g in
            let grad = Tensor(uninitialized: out.shape, dtype: out.dtype)
            let gc = try g.to(out.dtype).contiguous()
            if out.dtype == .float32 { Tensor.softmaxGradientRows(Float.self, gc, out, grad, width, log) } else { Tensor.softmaxGradientRows(Double.self, gc, out, grad, width, log) }
            return [grad]
        }
    }

    /// Each row: shifted by its maximum (0 when that is not finite, as the general path),
    /// exponentials summed in double precision, then y = x - m - log s or e^(x - m) / s.
    private static func softmaxRows<T: FloatElement>(_: T.Type, _ x: Tensor, _ out: Tensor, _ width: Int, _ log: Bool) {
        let px = x.pointer(T.self), po = out.pointer(T.self)
        for row in 0..<(x.count / width) {
            let xs = px + row * width, ys = po + row * width
            var peak = -T.infinity
            for j in 0..<width where xs[j] > peak || xs[j].isNaN { peak = xs[j].isNaN ? xs[j] : Swift.max(peak, xs[j]) }
            let shift: T = peak.isFinite ? peak : 0
            var total = 0.0
            for j in 0..<width {
                let e = T.exp(xs[j] - shift)
                if !log { ys[j] = e }
                total += Double(e)
            }
            if log {
                let logTotal = T.log(T(total))
                for j in 0..<width { ys[j] = (xs[j] - shift) - logTotal }
            } else {
                let sum = T(total)
                for j in 0..<width { ys[j] = ys[j] / sum }
            }
        }
    }

    /// float32: the shifted values of every row first, their exponentials eight lanes at a
    /// time over the whole buffer, then each row's sum (double precision) and result.
    private static func softmaxRowsFloat(_ x: Tensor, _ out: Tensor, _ width: Int, _ log: Bool) {
        let px = x.pointer(Float.self), po = out.pointer(Float.self)
        let rows = x.count / width
        let shifts = UnsafeMutablePointer<Float>.allocate(capacity: rows)
        defer { shifts.deallocate() }
        for row in 0..<rows {
            let xs = px + row * width, ys = po + row * width
            // Branch-free: the maximum, and whether a NaN was seen (the shift is then 0).
            var peak = -Float.infinity, nan = false
            for j in 0..<width {
                let v = xs[j]
                peak = v > peak ? v : peak
                nan = nan || v != v
            }
            let shift: Float = peak.isFinite && !nan ? peak : 0
            shifts[row] = shift
            for j in 0..<width { ys[j] = xs[j] - shift }
        }
        VectorMath.expInPlace(po, x.count)
        for row in 0..<rows {
            let xs = px + row * width, ys = po + row * width
            var t0 = 0.0, t1 = 0.0, j = 0
            while j + 2 <= width { t0 += Double(ys[j]); t1 += Double(ys[j + 1]); j += 2 }
            if j < width { t0 += Double(ys[j]) }
            let total = t0 + t1
            if log {
                let logTotal = Float.log(Float(total)), shift = shifts[row]
                for j in 0..<width { ys[j] = (xs[j] - shift) - logTotal }
            } else {
                let sum = Float(total)
                for j in 0..<width { ys[j] = ys[j] / sum }
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
