import Foundation

/// The standard normal distribution: cdf, survival function (upper tail) and quantile,
/// accurate to a few units in the last place, so that p-values in the far tails keep
/// their relative precision (as scipy.stats.norm).
public enum Normal {
    /// The density φ(x).
    public static func pdf(_ x: Double) -> Double {
        Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }

    /// P(Z <= x), from erfc so that the lower tail keeps its relative accuracy.
    public static func cdf(_ x: Double) -> Double {
        0.5 * Foundation.erfc(-x / 2.0.squareRoot())
    }

    /// P(Z > x) = cdf(-x).
    public static func sf(_ x: Double) -> Double {
        0.5 * Foundation.erfc(x / 2.0.squareRoot())
    }

    /// The x with P(Z <= x) = p: Wichura's algorithm AS 241 (PPND16, Applied Statistics
    /// 37, 1988), rational approximations accurate to about 1e-16; -inf at 0, inf at 1,
    /// NaN outside [0, 1].
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if Swift.abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q * polynomial(central.numerator, r) / polynomial(central.denominator, r)
        }
        var r = (q < 0 ? p : 1 - p)
        r = (-Foundation.log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value = polynomial(intermediate.numerator, r) / polynomial(intermediate.denominator, r)
        } else {
            r -= 5
            value = polynomial(tail.numerator, r) / polynomial(tail.denominator, r)
        }
        return q < 0 ? -value : value
    }

    /// c0 + c1 x + ... + cn x^n (Horner).
    static func polynomial(_ c: [Double], _ x: Double) -> Double {
        var sum = 0.0
        for coefficient in c.reversed() { sum = sum * x + coefficient }
        return sum
    }

    // AS 241's coefficients, lowest power first, for |p - 0.5| <= 0.425, for
    // sqrt(-log(min(p, 1 - p))) <= 5 and beyond.
    static let central = (numerator: [3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3,
                                      1.3731693765509461125e4, 4.5921953931549871457e4, 6.7265770927008700853e4,
                                      3.3430575583588128105e4, 2.5090809287301226727e3],
                          denominator: [1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
                                        2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4,
                                        5.2264952788528545610e3])
    static let intermediate = (numerator: [1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
                                           3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
                                           2.27238449892691845833e-2, 7.74545014278341407640e-4],
                               denominator: [1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
                                             1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
                                             1.05075007164441684324e-9])
    static let tail = (numerator: [6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
                                   2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
                                   2.71155556874348757815e-5, 2.01033439929228813265e-7],
                       denominator: [1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
                                     7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
                                     2.04426310338993978564e-15])
}

/// Student's t distribution with `df` > 0 degrees of freedom (not necessarily whole:
/// Welch's test gives fractional ones).
public enum StudentT {
    /// The density.
    public static func pdf(_ t: Double, df: Double) -> Double {
        guard df > 0 else { return .nan }
        let logDensity = -IncompleteIntegrals.logBeta(df / 2, 0.5) - 0.5 * Foundation.log(df)
            - (df + 1) / 2 * Foundation.log1p(t * t / df)
        return Foundation.exp(logDensity)
    }

    /// P(T > |t|): half the regularized incomplete beta I_{df/(df+t²)}(df/2, 1/2), with
    /// 1 - x = t²/(df + t²) formed directly so that neither tail loses digits.
    static func tail(_ t: Double, df: Double) -> Double {
        if t.isInfinite { return 0 }
        let square = t * t
        let x: Double, y: Double
        if square < df {
            let ratio = square / df
            x = 1 / (1 + ratio)
            y = ratio / (1 + ratio)
        } else {
            let ratio = df / square
            x = ratio / (1 + ratio)
            y = 1 / (1 + ratio)
        }
        return 0.5 * IncompleteIntegrals.incompleteBeta(a: df / 2, b: 0.5, x: x, y: y).lower
    }

    /// P(T <= t).
    public static func cdf(_ t: Double, df: Double) -> Double {
        guard df > 0, !t.isNaN, !df.isNaN else { return .nan }
        if df == .infinity { return Normal.cdf(t) }
        return t < 0 ? tail(t, df: df) : 1 - tail(t, df: df)
    }

    /// P(T > t).
    public static func sf(_ t: Double, df: Double) -> Double {
        guard df > 0, !t.isNaN, !df.isNaN else { return .nan }
        if df == .infinity { return Normal.sf(t) }
        return t > 0 ? tail(t, df: df) : 1 - tail(t, df: df)
    }

    /// The t with P(T <= t) = p. Closed forms for 1 and 2 degrees of freedom; otherwise
    /// Newton's method on log P(T > t) (nearly linear in the tails), started from the
    /// Cornish-Fisher expansion and kept inside a bracket that halves when a step would
    /// leave it, to full double precision.
    public static func quantile(_ p: Double, df: Double) -> Double {
        guard df > 0, p >= 0, p <= 1, !df.isNaN else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        if df == .infinity { return Normal.quantile(p) }
        // The upper tail probability q of |t|; the sign comes back at the end.
        let q = p < 0.5 ? p : 1 - p
        let sign = p < 0.5 ? -1.0 : 1.0
        if df == 1 { return sign / Foundation.tan(Double.pi * q) }
        if df == 2 { return sign * (1 - 2 * q) / (2 * q * (1 - q)).squareRoot() }
        return sign * upperQuantile(q, df: df)
    }

    /// The t >= 0 with P(T > t) = q, for 0 < q < 1/2.
    static func upperQuantile(_ q: Double, df: Double) -> Double {
        let z = -Normal.quantile(q)
        let z2 = z * z
        var guess = z + z * (z2 + 1) / (4 * df) + z * ((5 * z2 + 16) * z2 + 3) / (96 * df * df)
            + z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / (384 * df * df * df)
        if !(guess > 0) || !guess.isFinite { guess = Swift.max(z, 1) }
        let target = Foundation.log(q)
        func excess(_ t: Double) -> Double { Foundation.log(sf(t, df: df)) - target }
        // A bracket [low, high] with excess(low) >= 0 >= excess(high).
        var low = 0.0, high = guess
        while excess(high) > 0 {
            low = high
            high *= 2
            if !high.isFinite { return .infinity }
        }
        var t = high
        for _ in 0..<200 {
            let value = excess(t)
            if value == 0 { return t }
            if value > 0 { low = t } else { high = t }
            // d/dt log sf(t) = -pdf(t) / sf(t).
            let slope = -pdf(t, df: df) / sf(t, df: df)
            var next = t - value / slope
            if !(next > low && next < high) || !next.isFinite { next = 0.5 * (low + high) }
            if Swift.abs(next - t) <= 4 * Double.ulpOfOne * Swift.abs(t) || high - low <= 4 * Double.ulpOfOne * high { return next }
            t = next
        }
        return t
    }
}

/// The chi-square distribution with `df` > 0 degrees of freedom.
public enum ChiSquare {
    /// P(X <= x) = P(df/2, x/2), the regularized lower incomplete gamma function.
    public static func cdf(_ x: Double, df: Double) -> Double {
        guard df > 0, !x.isNaN else { return .nan }
        if x <= 0 { return 0 }
        return IncompleteIntegrals.incompleteGamma(a: df / 2, x: x / 2).lower
    }

    /// P(X > x) = Q(df/2, x/2); tiny p-values keep their digits.
    public static func sf(_ x: Double, df: Double) -> Double {
        guard df > 0, !x.isNaN else { return .nan }
        if x <= 0 { return 1 }
        return IncompleteIntegrals.incompleteGamma(a: df / 2, x: x / 2).upper
    }
}
