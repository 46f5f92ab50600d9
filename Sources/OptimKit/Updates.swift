import TensorKit

/// The in-place update rules of the optimizers, one fused loop per parameter, with
/// PyTorch's formulas and defaults. Parameters and state tensors are contiguous float
/// tensors of one shape and dtype; nothing here is recorded by autograd.
public enum Updates {
    static func check(_ tensors: [Tensor], _ optimizer: String) throws {
        let first = tensors[0]
        guard first.dtype.isFloatingPoint else {
            throw TensorError("\(optimizer): parameters must be floating-point tensors, got \(first.dtype.rawValue)")
        }
        for t in tensors {
            guard t.shape == first.shape, t.dtype == first.dtype, t.isContiguous else {
                throw TensorError("\(optimizer): state of shape \(describeShape(t.shape)) (\(t.dtype.rawValue)) does not match its parameter \(describeShape(first.shape)) (\(first.dtype.rawValue))")
            }
        }
    }

    /// Runs `body` over the elements of the tensors as Float or Double buffers.
    static func each(_ tensors: [Tensor], _ body32: ([UnsafeMutablePointer<Float>], Int) -> Void,
                     _ body64: ([UnsafeMutablePointer<Double>], Int) -> Void) {
        if tensors[0].dtype == .float32 { body32(tensors.map { $0.pointer(Float.self) }, tensors[0].count) }
        else { body64(tensors.map { $0.pointer(Double.self) }, tensors[0].count) }
    }

    /// SGD: g = grad + wd p; with momentum, buf = m buf + (1 - dampening) g (buf = g at
    /// the first step) and g = g + m buf (nesterov) or buf; p -= lr g.
    public static func sgd(_ p: Tensor, _ grad: Tensor, momentumBuffer: Tensor?, firstStep: Bool, lr: Double,
                           momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool) throws {
        try check([p, grad] + (momentumBuffer.map { [$0] } ?? []), "optim.SGD")
        func run<T: FloatElement>(_ x: [UnsafeMutablePointer<T>], _ n: Int) {
            let lr = T(lr), m = T(momentum), d = T(dampening), wd = T(weightDecay)
            let param = x[0], g = x[1]
            for i in 0..<n {
                var step = g[i] + wd * param[i]
                if x.count > 2 {
                    let buf = x[2]
                    buf[i] = firstStep ? step : m * buf[i] + (1 - d) * step
                    step = nesterov ? step + m * buf[i] : buf[i]
                }
                param[i] -= lr * step
            }
        }
        each([p, grad] + (momentumBuffer.map { [$0] } ?? []), run, run)
    }

    /// Adam and AdamW (decoupled weight decay) with optional AMSGrad, at step `step` (1-based).
    public static func adam(_ p: Tensor, _ grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor?,
                            step: Int, lr: Double, beta1: Double, beta2: Double, eps: Double,
                            weightDecay: Double, decoupled: Bool) throws {
        let tensors = [p, grad, expAvg, expAvgSq] + (maxExpAvgSq.map { [$0] } ?? [])
        try check(tensors, decoupled ? "optim.AdamW" : "optim.Adam")
        let bias1 = 1 - Double.pow(beta1, Double(step)), bias2Root = (1 - Double.pow(beta2, Double(step))).squareRoot()
        func run<T: FloatElement>(_ x: [UnsafeMutablePointer<T>], _ n: Int) {
            let b1 = T(beta1), b2 = T(beta2), e = T(eps)
            let stepSize = T(lr / bias1), root = T(bias2Root)
            // Weight decay as two constants, so the loop has no branches and vectorises:
            // decoupled (AdamW) scales the parameter, coupled (Adam) adds to the gradient.
            let scale = decoupled ? T(1 - lr * weightDecay) : 1, coupled = decoupled ? 0 : T(weightDecay)
            let param = x[0], g = x[1], m = x[2], v = x[3]
            if x.count > 4 {
                let vMax = x[4]
                for i in 0..<n {
                    let gi = g[i] + coupled * param[i]
                    m[i] = b1 * m[i] + (1 - b1) * gi
                    v[i] = b2 * v[i] + (1 - b2) * gi * gi
                    vMax[i] = Swift.max(vMax[i], v[i])
                    param[i] = param[i] * scale - stepSize * m[i] / (vMax[i].squareRoot() / root + e)
                }
            } else {
                // Eight lanes at a time (the scalar loop does not vectorise: four pointers
                // that may alias), then the rest; each lane computes what the scalar would.
                var i = 0
                if T.self == Float.self {
                    typealias V = SIMD8<Float>
                    let rawP = UnsafeMutableRawPointer(param), rawG = UnsafeRawPointer(g)
                    let rawM = UnsafeMutableRawPointer(m), rawV = UnsafeMutableRawPointer(v)
                    let vb1 = V(repeating: Float(beta1)), vb2 = V(repeating: Float(beta2)), vc1 = V(repeating: 1 - Float(beta1)),
                        vc2 = V(repeating: 1 - Float(beta2)), ve = V(repeating: Float(eps)), vs = V(repeating: Float(lr / bias1)),
                        vr = V(repeating: Float(bias2Root)), vscale = V(repeating: decoupled ? Float(1 - lr * weightDecay) : 1),
                        vcoupled = V(repeating: decoupled ? 0 : Float(weightDecay))
                    let width = MemoryLayout<V>.size
                    while i + 8 <= n {
                        let offset = i * 4
                        let pi = rawP.loadUnaligned(fromByteOffset: offset, as: V.self)
                        let gi = rawG.loadUnaligned(fromByteOffset: offset, as: V.self) + vcoupled * pi
                        let mi = vb1 * rawM.loadUnaligned(fromByteOffset: offset, as: V.self) + vc1 * gi
                        let vi = vb2 * rawV.loadUnaligned(fromByteOffset: offset, as: V.self) + vc2 * gi * gi
                        rawM.storeBytes(of: mi, toByteOffset: offset, as: V.self)
                        rawV.storeBytes(of: vi, toByteOffset: offset, as: V.self)
                        rawP.storeBytes(of: pi * vscale - vs * mi / (VectorMath.squareRoot(vi) / vr + ve), toByteOffset: offset, as: V.self)
                        i += width / 4
                    }
                }
                while i < n {
                    let gi = g[i] + coupled * param[i]
                    let mi = b1 * m[i] + (1 - b1) * gi, vi = b2 * v[i] + (1 - b2) * gi * gi
                    m[i] = mi
                    v[i] = vi
                    param[i] = param[i] * scale - stepSize * mi / (vi.squareRoot() / root + e)
                    i += 1
                }
            }
        }
        each(tensors, run, run)
    }

    /// RMSprop: square_avg = α sq + (1 - α) g²; centered subtracts the squared mean
    /// gradient; with momentum, buf = m buf + g / avg and p -= lr buf.
    public static func rmsprop(_ p: Tensor, _ grad: Tensor, squareAvg: Tensor, gradAvg: Tensor?, momentumBuffer: Tensor?,
                               lr: Double, alpha: Double, eps: Double, weightDecay: Double, momentum: Double) throws {
        let tensors = [p, grad, squareAvg] + (gradAvg.map { [$0] } ?? []) + (momentumBuffer.map { [$0] } ?? [])
        try check(tensors, "optim.RMSprop")
        let centered = gradAvg != nil, hasMomentum = momentumBuffer != nil
        func run<T: FloatElement>(_ x: [UnsafeMutablePointer<T>], _ n: Int) {
            let a = T(alpha), e = T(eps), wd = T(weightDecay), lr = T(lr), m = T(momentum)
            let param = x[0], g = x[1], sq = x[2]
            let ga: UnsafeMutablePointer<T>? = centered ? x[3] : nil
            let buf: UnsafeMutablePointer<T>? = hasMomentum ? x[centered ? 4 : 3] : nil
            for i in 0..<n {
                let gi = g[i] + wd * param[i]
                sq[i] = a * sq[i] + (1 - a) * gi * gi
                var avg: T
                if let ga {
                    ga[i] = a * ga[i] + (1 - a) * gi
                    avg = (sq[i] - ga[i] * ga[i]).squareRoot() + e
                } else {
                    avg = sq[i].squareRoot() + e
                }
                if let buf {
                    buf[i] = m * buf[i] + gi / avg
                    param[i] -= lr * buf[i]
                } else {
                    param[i] -= lr * gi / avg
                }
            }
        }
        each(tensors, run, run)
    }

    /// Adagrad: sum += g²; p -= lr / (1 + (step - 1) lr_decay) · g / (√sum + eps).
    public static func adagrad(_ p: Tensor, _ grad: Tensor, sum: Tensor, step: Int, lr: Double, lrDecay: Double,
                               eps: Double, weightDecay: Double) throws {
        try check([p, grad, sum], "optim.Adagrad")
        let clr = lr / (1 + Double(step - 1) * lrDecay)
        func run<T: FloatElement>(_ x: [UnsafeMutablePointer<T>], _ n: Int) {
            let c = T(clr), e = T(eps), wd = T(weightDecay)
            let param = x[0], g = x[1], s = x[2]
            for i in 0..<n {
                let gi = g[i] + wd * param[i]
                s[i] += gi * gi
                param[i] -= c * gi / (s[i].squareRoot() + e)
            }
        }
        each([p, grad, sum], run, run)
    }
}
