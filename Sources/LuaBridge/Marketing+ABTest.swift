import CLua
import DataKit

/// marketing: the ab_test part. Swift gives the distribution functions (DataKit's Normal,
/// StudentT and ChiSquare) as `marketing.stats.*`; the Lua chunk "=marketlab.marketing.ab_test"
/// (marketingABTestSource, Marketing+ABTestSource.swift) builds marketing.ab_test,
/// marketing.sample_size and marketing.mde on them.
extension MarketingBindings {
    static func registerABTest(_ lib: Library) {
        let L = lib.L
        lua_createtable(L, 0, 8)
        let stats = Library(L, table: -1, prefix: "marketing.stats.")
        let normal: [(String, String, (Double) -> Double, String)] = [
            ("norm_cdf", "P(Z <= x) for a standard normal Z (scipy.stats.norm.cdf): marketing.stats.norm_cdf(x). The lower tail keeps its relative precision (norm_cdf(-30) is 4.9e-198, not 0).", Normal.cdf, "1.96"),
            ("norm_sf", "P(Z > x), the upper tail of a standard normal Z (scipy.stats.norm.sf): marketing.stats.norm_sf(x), a one-sided p-value of a z statistic; precise far into the tail.", Normal.sf, "2.5"),
        ]
        for (name, doc, function, argument) in normal {
            stats.function(name, doc, example: "print(marketing.stats.\(name)(\(argument)))") { a in
                lua_pushnumber(a.L, function(try value(a, 1, "x")))
                return 1
            }
        }
        stats.function("norm_ppf", "The standard normal quantile (scipy.stats.norm.ppf): marketing.stats.norm_ppf(p) is the x with P(Z <= x) = p, e.g. 1.959964 for p = 0.975 (Wichura's AS 241, about 1e-16 relative); -inf at 0, inf at 1.",
                       example: "print(marketing.stats.norm_ppf(0.975))") { a in
            lua_pushnumber(a.L, Normal.quantile(try probability(a, 1)))
            return 1
        }
        let student: [(String, String, (Double, Double) -> Double, String)] = [
            ("t_cdf", "P(T <= t) for Student's t with df degrees of freedom (scipy.stats.t.cdf): marketing.stats.t_cdf(t, df). df may be fractional (Welch's test) or math.huge (the normal).", StudentT.cdf, "-2.1, 14.5"),
            ("t_sf", "P(T > t) for Student's t with df degrees of freedom (scipy.stats.t.sf): marketing.stats.t_sf(t, df); 2 * t_sf(math.abs(t), df) is a two-sided p-value.", StudentT.sf, "2.1, 14.5"),
        ]
        for (name, doc, function, arguments) in student {
            stats.function(name, doc, example: "print(marketing.stats.\(name)(\(arguments)))") { a in
                lua_pushnumber(a.L, function(try value(a, 1, "t"), try degrees(a, 2)))
                return 1
            }
        }
        stats.function("t_ppf", "The quantile of Student's t with df degrees of freedom (scipy.stats.t.ppf): marketing.stats.t_ppf(p, df) is the t with P(T <= t) = p, e.g. 2.0106 for p = 0.975 and df = 48 (Newton's method on the tail, to double precision).",
                       example: "print(marketing.stats.t_ppf(0.975, 48))") { a in
            lua_pushnumber(a.L, StudentT.quantile(try probability(a, 1), df: try degrees(a, 2)))
            return 1
        }
        let chiSquare: [(String, String, (Double, Double) -> Double)] = [
            ("chi2_cdf", "P(X <= x) for a chi-square X with df degrees of freedom (scipy.stats.chi2.cdf): marketing.stats.chi2_cdf(x, df).", ChiSquare.cdf),
            ("chi2_sf", "P(X > x) for a chi-square X with df degrees of freedom (scipy.stats.chi2.sf): marketing.stats.chi2_sf(x, df), the p-value of a chi-square statistic (precise for tiny p-values).", ChiSquare.sf),
        ]
        for (name, doc, function) in chiSquare {
            stats.function(name, doc, example: "print(marketing.stats.\(name)(3.84, 1))") { a in
                lua_pushnumber(a.L, function(try value(a, 1, "x"), try degrees(a, 2)))
                return 1
            }
        }
        lib.value("stats", "Distribution functions for tests and intervals, named as scipy.stats: norm_cdf, norm_sf, norm_ppf (standard normal), t_cdf, t_sf, t_ppf (Student's t), chi2_cdf, chi2_sf (chi-square). Numbers in, numbers out, accurate to about 1e-13 relative or better, tails included.",
                  example: "print(marketing.stats.norm_ppf(0.975), marketing.stats.t_sf(2.1, 30), marketing.stats.chi2_sf(3.84, 1))")
    }

    /// A number that is not NaN (infinities are fine: the distributions have limits there).
    private static func value(_ a: Arguments, _ i: Int32, _ name: String) throws -> Double {
        let x = try a.number(i, name)
        guard !x.isNaN else { throw LuaScriptError("\(a.function): bad argument #\(i) (\(name)): expected a number, got NaN") }
        return x
    }

    /// A probability in [0, 1].
    private static func probability(_ a: Arguments, _ i: Int32) throws -> Double {
        let p = try a.number(i, "p")
        guard p >= 0, p <= 1 else { throw LuaScriptError("\(a.function): bad argument #\(i) (p): expected a probability in [0, 1], got \(p)") }
        return p
    }

    /// Degrees of freedom: positive (fractional and math.huge allowed).
    private static func degrees(_ a: Arguments, _ i: Int32) throws -> Double {
        let df = try a.number(i, "df")
        guard df > 0 else { throw LuaScriptError("\(a.function): bad argument #\(i) (df): expected positive degrees of freedom, got \(df)") }
        return df
    }
}
