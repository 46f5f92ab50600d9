#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The integrals behind the t and chi-square distributions: log Beta and the regularized
/// incomplete beta and gamma functions. Both incomplete functions return the lower and
/// the upper part together, each computed where it keeps its relative accuracy (a p-value
/// of 1e-40 is not 1 - 0.99999...).
public enum IncompleteIntegrals {
    /// log Γ(x) for x > 0, through the reentrant C function (the plain one writes the
    /// global `signgam`).
    static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// Stirling's remainder δ(x) = log Γ(x) - ((x - 1/2) log x - x + log(2π)/2), from its
    /// asymptotic series (Bernoulli numbers); accurate to double precision for x >= 10.
    static func stirlingRemainder(_ x: Double) -> Double {
        let coefficients: [Double] = [1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188,
                                      -691.0 / 360360, 1.0 / 156, -3617.0 / 122400]
        let inverseSquare = 1 / (x * x)
        var sum = 0.0
        for c in coefficients.reversed() { sum = sum * inverseSquare + c }
        return sum / x
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) - log Γ(a + b), for a, b > 0. When one argument
    /// is large, log Γ(a) - log Γ(a + b) comes from Stirling's series with the logarithms
    /// grouped: subtracting two log Γ values near 1e7 (a t distribution with millions of
    /// degrees of freedom) would lose nine digits.
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        let large = Swift.max(a, b), small = Swift.min(a, b)
        if large < 10 { return logGamma(a) + logGamma(b) - logGamma(a + b) }
        let difference = -(large - 0.5) * log1p(small / large) - small * log(large + small) + small
            + stirlingRemainder(large) - stirlingRemainder(large + small)
        return logGamma(small) + difference
    }

    /// Evaluates the continued fraction b0 + a1/(b1 + a2/(b2 + ...)) by the modified Lentz
    /// method; `term(m)` gives (a_m, b_m) for m >= 1. Returns nil when it does not settle.
    static func continuedFraction(start: Double, maxTerms: Int, _ term: (Int) -> (Double, Double)) -> Double? {
        let tiny = 1e-300
        var f = start == 0 ? tiny : start
        var c = f, d = 0.0
        for m in 1...maxTerms {
            let (a, b) = term(m)
            d = b + a * d
            if Swift.abs(d) < tiny { d = tiny }
            c = b + a / c
            if Swift.abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = c * d
            f *= delta
            if Swift.abs(delta - 1) < 1e-16 { return f }
        }
        return nil
    }

    /// The regularized incomplete beta function I_x(a, b) and its complement
    /// 1 - I_x(a, b) = I_y(b, a), for a, b > 0 and x in [0, 1]; y = 1 - x is passed by the
    /// caller when it knows it more precisely than 1 - x (the t distribution does).
    public static func incompleteBeta(a: Double, b: Double, x: Double, y: Double? = nil) -> (lower: Double, upper: Double) {
        let y = y ?? (1 - x)
        guard a > 0, b > 0, x.isFinite, y.isFinite else { return (.nan, .nan) }
        if x <= 0 { return (0, 1) }
        if y <= 0 { return (1, 0) }
        // One large parameter and one small (a t distribution with many degrees of
        // freedom): the continued fraction needs ~sqrt(a) terms there and its rounding
        // errors add up, so the expansion in 1/a is used instead.
        if a >= 30, b <= 1, x >= largeParameterBound, let lower = largeFirstParameter(a: a, b: b, x: x, y: y) {
            return (lower, 1 - lower)
        }
        if b >= 30, a <= 1, y >= largeParameterBound, let upper = largeFirstParameter(a: b, b: a, x: y, y: x) {
            return (1 - upper, upper)
        }
        if x > (a + 1) / (a + b + 2) {
            let swapped = incompleteBeta(a: b, b: a, x: y, y: x)
            return (swapped.upper, swapped.lower)
        }
        // Here I_x(a, b) is the small part: front * fraction / a, the continued fraction of
        // Abramowitz & Stegun 26.5.8. log1p(-y) is exact when y is small, log1p(-x) when x is.
        let logFront = y < x ? a * log1p(-y) + b * log(y) - logBeta(a, b)
                             : a * log(x) + b * log1p(-x) - logBeta(a, b)
        let maxTerms = 1000 + Int(20 * (a + b).squareRoot().rounded(.up))
        let fraction = continuedFraction(start: 1, maxTerms: maxTerms) { k in
            let m = Double(k / 2)
            let numerator = k % 2 == 1 ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                                       : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            return (numerator, 1)
        }
        guard let fraction else { return (.nan, .nan) }
        let lower = exp(logFront) / (a * fraction)
        return (lower, 1 - lower)
    }

    /// The expansion below holds for -log x < 2π; it converges fast up to about 1.
    static let largeParameterBound = exp(-1.0)

    /// I_x(a, b) for large a and b <= 1 (Temme's expansion, as in DiDonato & Morris,
    /// ACM TOMS 18, 1992): with s = e^-τ the integrand of B(a, b) I_x(a, b) is
    /// e^(-ντ) τ^(b-1) g(τ), ν = a + (b-1)/2 and g(τ) = (sinh(τ/2)/(τ/2))^(b-1) = Σ d_n τ^(2n),
    /// so I_x(a, b) = Σ d_n Γ(b + 2n, ν(-log x)) / (ν^(b+2n) B(a, b)), terms falling like 1/ν².
    /// Nil when 40 terms do not reach double precision.
    static func largeFirstParameter(a: Double, b: Double, x: Double, y: Double) -> Double? {
        let nu = a + (b - 1) / 2
        let logX = y < 0.5 ? -log1p(-y) : -log(x)
        let z = nu * logX
        let d = sinhPowerCoefficients(b - 1)
        // Γ(b, z), then Γ(s + 1, z) = s Γ(s, z) + z^s e^-z, all terms positive.
        var gamma = tgamma(b) * incompleteGamma(a: b, x: z).upper
        var s = b
        var total = 0.0, scale = 1.0
        let logZ = log(z)
        for n in 0..<d.count {
            let term = d[n] * gamma * scale
            total += term
            if Swift.abs(term) <= 1e-17 * Swift.abs(total) {
                return exp(-logBeta(a, b) - b * log(nu)) * total
            }
            for _ in 0..<2 {
                gamma = s * gamma + exp(s * logZ - z)
                s += 1
            }
            scale /= nu * nu
        }
        return nil
    }

    /// log(sinh(u)/u) = Σ c_k (2u)^(2k) with c_k = (-1)^(k+1) ζ(2k) / (k (2π)^(2k)), k = 1...40.
    static let logSinhCoefficients: [Double] = (1...40).map { k in
        let zeta: Double
        switch k {
        case 1: zeta = pow(Double.pi, 2) / 6
        case 2: zeta = pow(Double.pi, 4) / 90
        case 3: zeta = pow(Double.pi, 6) / 945
        case 4: zeta = pow(Double.pi, 8) / 9450
        default: zeta = (1...100).reversed().reduce(0.0) { $0 + pow(Double($1), -2 * Double(k)) }
        }
        return (k % 2 == 1 ? 1 : -1) * zeta / (Double(k) * pow(2 * Double.pi, 2 * Double(k)))
    }

    /// The coefficients d_n of (sinh(τ/2)/(τ/2))^power = Σ d_n τ^(2n): the exponential
    /// of power × the log series, by the usual recurrence for exp of a power series.
    static func sinhPowerCoefficients(_ power: Double) -> [Double] {
        let c = logSinhCoefficients
        var d = [1.0]
        for n in 1...c.count {
            var sum = 0.0
            for k in 1...n { sum += Double(k) * c[k - 1] * d[n - k] }
            d.append(power * sum / Double(n))
        }
        return d
    }

    /// The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 - P(a, x), for
    /// a > 0, x >= 0: the power series where x < a + 1 (P is the small part), the
    /// continued fraction for Q (A&S 6.5.31) beyond it.
    public static func incompleteGamma(a: Double, x: Double) -> (lower: Double, upper: Double) {
        guard a > 0, x >= 0, !x.isNaN, a.isFinite else { return (.nan, .nan) }
        if x == 0 { return (0, 1) }
        if x == .infinity { return (1, 0) }
        let logFront = a * log(x) - x - logGamma(a)
        let maxTerms = 1000 + Int(20 * a.squareRoot().rounded(.up))
        if x < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<maxTerms {
                n += 1
                term *= x / n
                sum += term
                if term < sum * 1e-17 { break }
            }
            let lower = sum * exp(logFront)
            return (lower, 1 - lower)
        }
        // Q(a, x) = front / (x + 1 - a - 1(1 - a)/(x + 3 - a - 2(2 - a)/(x + 5 - a - ...))).
        let denominator = continuedFraction(start: x + 1 - a, maxTerms: maxTerms) { k in
            let m = Double(k)
            return (-m * (m - a), x + 2 * m + 1 - a)
        }
        guard let denominator else { return (.nan, .nan) }
        let upper = exp(logFront) / denominator
        return (1 - upper, upper)
    }
}
