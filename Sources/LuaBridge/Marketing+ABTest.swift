import CLua
import DataKit
import TensorKit

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
        stats.function("describe", "Count, missing values, sum, mean, sd (n - 1) and whether every value is 0 or 1, of a numeric or bool Column or a tensor, in two passes over the rows: marketing.stats.describe(values) returns {n, missing, infinite, sum, mean, sd, binary} (n counts the finite values; NaN in a tensor is missing). marketing.stats.describe(values, by) with a Column by of the same length returns one such table per level of by, in order of first appearance, each with its level, and the number of rows whose level is missing. marketing.ab_test reads raw data with it.",
                       example: "local df = data.read_csv('examples/data/modeldata-wa_churn.csv'); local s = marketing.stats.describe(df.monthly_charges); print(s.n, s.mean, s.sd); for _, g in ipairs(marketing.stats.describe(df.monthly_charges, df.contract)) do print(g.level, g.n, g.mean) end") { a in
            let L = a.L
            if a.isNone(2) || a.type(2) == LUA_TNIL {
                let summary: ArmSummary
                if let t = Tensors.type.get(L, 1) {
                    summary = try ArmSummary.of(t)
                } else if let c = DataFrames.columnType.get(L, 1) {
                    guard let s = try ArmSummary.of(c) else { throw a.error(1, "values", expected: "a numeric or bool Column or a tensor") }
                    summary = s
                } else {
                    throw a.error(1, "values", expected: "a numeric or bool Column or a tensor")
                }
                pushSummary(L, summary)
                return 1
            }
            guard let values = DataFrames.columnType.get(L, 1) else { throw a.error(1, "values", expected: "a Column (with by = a Column of the same frame)") }
            guard let groups = DataFrames.columnType.get(L, 2) else { throw a.error(2, "by", expected: "a Column") }
            guard values.count == groups.count else {
                throw LuaScriptError("\(a.function): values has \(values.count) rows, by has \(groups.count)")
            }
            guard let grouped = try ArmSummary.grouped(values, by: groups) else { throw a.error(1, "values", expected: "a numeric or bool Column") }
            lua_createtable(L, Int32(grouped.summaries.count), 0)
            for (i, summary) in grouped.summaries.enumerated() {
                pushSummary(L, summary)
                DataFrames.pushCell(L, groups, grouped.firstRows[i])
                lua_setfield(L, -2, "level")
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
            lua_pushinteger(L, lua_Integer(grouped.ungrouped))
            return 2
        }
        lib.value("stats", "Distribution functions for tests and intervals, named as scipy.stats: norm_cdf, norm_sf, norm_ppf (standard normal), t_cdf, t_sf, t_ppf (Student's t), chi2_cdf, chi2_sf (chi-square): numbers in, numbers out, accurate to about 1e-13 relative or better, tails included; and describe, the count, mean and sd of raw values (per group) that tests start from.",
                  example: "print(marketing.stats.norm_ppf(0.975), marketing.stats.t_sf(2.1, 30), marketing.stats.chi2_sf(3.84, 1))")
    }

    /// {n, missing, infinite, sum, mean, sd, binary} of one summary.
    private static func pushSummary(_ L: OpaquePointer, _ s: ArmSummary) {
        lua_createtable(L, 0, 8)
        lua_pushinteger(L, lua_Integer(s.count)); lua_setfield(L, -2, "n")
        lua_pushinteger(L, lua_Integer(s.missing)); lua_setfield(L, -2, "missing")
        lua_pushinteger(L, lua_Integer(s.infinite)); lua_setfield(L, -2, "infinite")
        lua_pushnumber(L, s.sum); lua_setfield(L, -2, "sum")
        lua_pushnumber(L, s.mean); lua_setfield(L, -2, "mean")
        lua_pushnumber(L, s.sd); lua_setfield(L, -2, "sd")
        lua_pushboolean(L, s.binary ? 1 : 0); lua_setfield(L, -2, "binary")
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
