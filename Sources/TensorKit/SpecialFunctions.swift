#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Scalar special functions behind `lgamma`, `digamma`, `polygamma` and the
/// hypergeometric function the CLV models need. Each is written for Double; float32
/// tensors round the Double result (lgamma uses the C library's float version, as PyTorch).
public enum SpecialFunctions {
    /// log|Γ(x)|. The reentrant C function: the plain one writes the global `signgam`,
    /// which the parallel kernels would race on.
    @inline(__always) public static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    @inline(__always) public static func logGamma(_ x: Float) -> Float {
        var sign: Int32 = 0
        return lgammaf_r(x, &sign)
    }

    /// ψ(x) = d/dx log Γ(x). Poles at 0, -1, -2, ...: ∓inf at ±0 and NaN at the negative
    /// integers, as PyTorch and SciPy. Negative x is reflected (ψ(1-x) - π cot(πx), with
    /// the cotangent of the fractional part for accuracy); small x is raised to 10 by the
    /// recurrence ψ(x) = ψ(x+1) - 1/x, then the asymptotic series is used.
    public static func digamma(_ x: Double) -> Double {
        if x == 0 { return x.sign == .minus ? .infinity : -.infinity }
        if x.isNaN || x == .infinity { return x }
        if x < 0 {
            let whole = x.rounded(.towardZero)
            if x == whole { return .nan }
            return digamma(1 - x) - Double.pi / tan(Double.pi * (x - whole))
        }
        var shift = 0.0
        var y = x
        while y < 10 {
            shift -= 1 / y
            y += 1
        }
        // ψ(y) ~ log y - 1/(2y) - Σ B_2k / (2k y^2k), Bernoulli numbers B_2k.
        let w = 1 / (y * y)
        let tail = w * (1.0 / 12 - w * (1.0 / 120 - w * (1.0 / 252 - w * (1.0 / 240 - w * (1.0 / 132
                  - w * (691.0 / 32760 - w * (1.0 / 12)))))))
        return shift + log(y) - 0.5 / y - tail
    }

    /// ψ⁽¹⁾(x), the trigamma function: +inf at the poles (0, -1, ...). Below 1/2 it is
    /// reflected (ψ⁽¹⁾(x) + ψ⁽¹⁾(1-x) = π² / sin²(πx)); then x is raised past 10 by the
    /// recurrence ψ⁽¹⁾(x) = ψ⁽¹⁾(x+1) + 1/x² and the asymptotic series finishes.
    public static func trigamma(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x == .infinity { return 0 }
        if x < 0.5 {
            if x == x.rounded(.towardZero) && x <= 0 { return .infinity }
            let s = sin(Double.pi * x)
            return Double.pi * Double.pi / (s * s) - trigamma(1 - x)
        }
        var sum = 0.0
        var y = x
        while y < 10 {
            sum += 1 / (y * y)
            y += 1
        }
        // ψ⁽¹⁾(y) ~ 1/y + 1/(2y²) + Σ B_2k / y^(2k+1).
        let w = 1 / (y * y)
        let series = 1 + 0.5 / y + w * (1.0 / 6 - w * (1.0 / 30 - w * (1.0 / 42 - w * (1.0 / 30 - w * (5.0 / 66
                     - w * (691.0 / 2730 - w * (7.0 / 6)))))))
        return sum + series / y
    }

    /// ψ⁽ⁿ⁾(x) for n >= 0: digamma for 0, trigamma for 1, and (-1)^(n+1) n! ζ(n+1, x)
    /// above (inf at the poles, NaN for n < 0).
    public static func polygamma(_ n: Int, _ x: Double) -> Double {
        switch n {
        case ..<0: return .nan
        case 0: return digamma(x)
        case 1: return trigamma(x)
        default:
            let factorial = exp(logGamma(Double(n) + 1))
            return (n % 2 == 1 ? factorial : -factorial) * hurwitzZeta(Double(n) + 1, x)
        }
    }

    /// Bernoulli numbers B_2, B_4, ..., B_24 divided by (2k)!, for Euler-Maclaurin.
    private static let bernoulliOverFactorial: [Double] = [
        1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1209600, 1.0 / 47900160, -691.0 / 1307674368000,
        1.0 / 74724249600, -3617.0 / 10670622842880000, 43867.0 / 5109094217170944000,
        -174611.0 / 802857662698291200000, 77683.0 / 1.410110003939180544e22,
        -236364091.0 / 1.6938241367317436694528e27,
    ]

    /// The Hurwitz zeta function ζ(s, q) = Σ_{k>=0} (q + k)^-s for s > 1: the first terms
    /// summed directly until q + k >= max(10, s), the rest by Euler-Maclaurin summation.
    /// q may be negative (not a non-positive integer, where ζ is infinite) when s is an
    /// integer, the only case polygamma needs.
    public static func hurwitzZeta(_ s: Double, _ q: Double) -> Double {
        if s.isNaN || q.isNaN || s < 1 { return .nan }
        if s == 1 { return .infinity }
        if q <= 0 {
            if q == q.rounded(.towardZero) { return .infinity }
            if s != s.rounded(.towardZero) { return .nan }
        }
        if q == .infinity { return 0 }
        // Far left of the poles the direct sum below would need millions of steps.
        if q < -1e6 { return .nan }
        var sum = 0.0
        var w = q
        let start = Swift.max(10, s)
        while w < start {
            sum += pow(w, -s)
            w += 1
        }
        // Σ_{k>=0} f(w + k) with f(t) = t^-s:
        // ∫ f + f(w)/2 - Σ_j B_2j/(2j)! f^(2j-1)(w).
        let power = pow(w, -s)
        sum += power * w / (s - 1) + power / 2
        var derivativeFactor = s / w * power   // -f'(w) = s w^(-s-1)
        for (j, coefficient) in bernoulliOverFactorial.enumerated() {
            let term = coefficient * derivativeFactor
            sum += term
            if Swift.abs(term) <= Swift.abs(sum) * 1e-17 { break }
            // -f^(2j+1)(w) from -f^(2j-1)(w): times (s + 2j - 1)(s + 2j) / w².
            let k = Double(2 * j + 1)
            derivativeFactor *= (s + k) * (s + k + 1) / (w * w)
        }
        return sum
    }

    /// log(e^a + e^b) without overflow; equal infinities give themselves (as PyTorch).
    @inline(__always) public static func logAddExp(_ a: Double, _ b: Double) -> Double {
        if a == b && a.isInfinite { return a }
        let high = Swift.max(a, b), low = Swift.min(a, b)
        if high.isNaN || low.isNaN { return .nan }
        return high + log1p(exp(low - high))
    }
}
