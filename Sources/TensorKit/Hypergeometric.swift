#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for real arguments and z <= 1, as
/// SciPy's `hyp2f1` on that range. The BG/NBD model's conditional expectations need it.
public enum Hypergeometric {
    /// Terms summed at most; past this the series is declared not converged.
    public static let maximumTerms = 500_000

    public enum Outcome: Equatable {
        case value(Double)
        /// The series still moved after `maximumTerms` terms (z too close to 1).
        case notConverged
    }

    /// ₂F₁(a, b; c; z). z < 0 is mapped into [0, 1) by Pfaff's transformation; on [0, 1)
    /// the series is summed directly or after Euler's transformation
    /// ₂F₁(a, b; c; z) = (1-z)^(c-a-b) ₂F₁(c-a, c-b; c; z), whichever has terms that fall
    /// off faster (a smaller power of n in front of zⁿ). z = 1 uses Gauss's theorem.
    public static func hyp2f1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Outcome {
        if a.isNaN || b.isNaN || c.isNaN || z.isNaN || z > 1 { return .value(.nan) }
        if a == 0 || b == 0 || z == 0 { return .value(1) }
        if isNonPositiveInteger(c) && !(terminates(a, before: c) || terminates(b, before: c)) {
            return .value(.infinity)
        }
        if z == 1 {
            let excess = c - a - b
            guard excess > 0 else { return .value(.infinity) }
            return .value(tgamma(c) * tgamma(excess) / (tgamma(c - a) * tgamma(c - b)))
        }
        if z < 0 {
            // Pfaff: (1-z)^-a ₂F₁(a, c-b; c; z/(z-1)); z/(z-1) lies in (0, 1).
            let w = z / (z - 1)
            switch onUnitInterval(a, c - b, c, w) {
            case .value(let v): return .value(pow(1 - z, -a) * v)
            case .notConverged: return .notConverged
            }
        }
        return onUnitInterval(a, b, c, z)
    }

    /// 0 <= z < 1: the direct series or Euler's transform of it.
    static func onUnitInterval(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Outcome {
        let polynomial = isNonPositiveInteger(a) || isNonPositiveInteger(b)
        let eulerPolynomial = isNonPositiveInteger(c - a) || isNonPositiveInteger(c - b)
        let useEuler = !polynomial && (eulerPolynomial || c - a - b < a + b - c)
        guard useEuler else { return series(a, b, c, z) }
        switch series(c - a, c - b, c, z) {
        case .value(let v): return .value(pow(1 - z, c - a - b) * v)
        case .notConverged: return .notConverged
        }
    }

    /// Σ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ for |z| < 1. Stops when the remaining tail, bounded by a
    /// geometric series with the larger of the last term ratio and |z|, is below double
    /// precision of the sum; a term of exactly 0 ends a terminating (polynomial) series.
    static func series(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Outcome {
        var term = 1.0, sum = 1.0
        // Past this index every Pochhammer factor is positive and the ratio settles.
        let settled = Swift.max(0, -a, -b, -c) + 2
        for n in 0..<maximumTerms {
            let k = Double(n)
            let ratio = (a + k) * (b + k) / ((c + k) * (k + 1)) * z
            term *= ratio
            if term == 0 { return .value(sum) }
            sum += term
            if !sum.isFinite { return .value(sum) }
            guard k >= settled else { continue }
            let q = Swift.max(Swift.abs(ratio), Swift.abs(z))
            if q < 1 && Swift.abs(term) * q / (1 - q) <= 1e-17 * Swift.abs(sum) { return .value(sum) }
        }
        return .notConverged
    }

    @inline(__always) static func isNonPositiveInteger(_ x: Double) -> Bool {
        x <= 0 && x == x.rounded(.towardZero)
    }

    /// True when `a` is a non-positive integer whose series stops before c's pole.
    @inline(__always) static func terminates(_ a: Double, before c: Double) -> Bool {
        isNonPositiveInteger(a) && a > c
    }
}

extension Tensor {
    /// ₂F₁(a, b; c; z) elementwise over the broadcast of the four inputs, as float64 (no
    /// gradient). A series that does not converge (z within about 1e-5 of 1) is an error
    /// naming the arguments.
    public static func hyp2f1(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ z: Tensor) throws -> Tensor {
        var shape = try broadcastShapes(a.shape, b.shape, "hyp2f1")
        shape = try broadcastShapes(shape, c.shape, "hyp2f1")
        shape = try broadcastShapes(shape, z.shape, "hyp2f1")
        let inputs = try GradMode.with(false) { try [a, b, c, z].map { try $0.to(.float64).broadcastView(shape) } }
        let offsets = inputs.map { $0.elementOffsets() }
        let pointers = inputs.map { $0.storage.pointer(Double.self) }
        let out = Tensor(uninitialized: shape, dtype: .float64)
        let po = out.storage.pointer(Double.self)
        for i in 0..<out.count {
            if i & 1023 == 1023 { try checkInterrupt() }
            let x = (pointers[0][offsets[0][i]], pointers[1][offsets[1][i]], pointers[2][offsets[2][i]], pointers[3][offsets[3][i]])
            switch Hypergeometric.hyp2f1(x.0, x.1, x.2, x.3) {
            case .value(let v): po[i] = v
            case .notConverged:
                throw TensorError("hyp2f1: the series for a = \(x.0), b = \(x.1), c = \(x.2), z = \(x.3) did not converge in \(Hypergeometric.maximumTerms) terms (z is too close to 1)")
            }
        }
        return out
    }
}
