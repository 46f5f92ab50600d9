import XCTest
@testable import DataKit

/// The normal, t and chi-square functions: values from scipy.stats 1.17 (typed in from
/// scripts/gen_ab_test_fixtures.py's output; the Lua spec checks a wider grid), and the
/// identities that must hold everywhere: cdf + sf = 1, symmetry, quantile(cdf(x)) = x.
final class DistributionsTests: XCTestCase {
    func assertRelative(_ actual: Double, _ expected: Double, _ what: String, tolerance: Double = 1e-13,
                        file: StaticString = #filePath, line: UInt = #line) {
        let error = expected == 0 ? Swift.abs(actual) : Swift.abs(actual - expected) / Swift.abs(expected)
        XCTAssert(error <= tolerance, "\(what): expected \(expected), got \(actual) (relative error \(error))", file: file, line: line)
    }

    func testNormalAgainstScipy() {
        assertRelative(Normal.cdf(-1.96), 0.024997895148220435, "norm.cdf(-1.96)")
        assertRelative(Normal.sf(2.5), 0.006209665325776132, "norm.sf(2.5)")
        assertRelative(Normal.cdf(-20), 2.7536241186061556e-89, "norm.cdf(-20)", tolerance: 1e-12)
        assertRelative(Normal.sf(12), 1.776482112077653e-33, "norm.sf(12)", tolerance: 1e-12)
        assertRelative(Normal.quantile(0.975), 1.959963984540054, "norm.ppf(0.975)")
        assertRelative(Normal.quantile(0.001), -3.090232306167813, "norm.ppf(0.001)")
        assertRelative(Normal.quantile(1e-300), -37.0470962993612, "norm.ppf(1e-300)")
        XCTAssertEqual(Normal.quantile(0), -.infinity)
        XCTAssertEqual(Normal.quantile(1), .infinity)
        XCTAssert(Normal.quantile(1.5).isNaN)
    }

    func testNormalQuantileInvertsTheCdf() {
        // The lower tail, where cdf keeps its digits (above 0, cdf(x) rounds towards 1).
        for k in 0..<100 {
            let x = -37 + 0.37 * Double(k)
            assertRelative(Normal.quantile(Normal.cdf(x)), x, "quantile(cdf(\(x)))", tolerance: 1e-12)
            assertRelative(-Normal.quantile(Normal.sf(-x)), -x, "-quantile(sf(\(-x)))", tolerance: 1e-12)
        }
        XCTAssertEqual(Normal.quantile(0.5), 0)
    }

    func testStudentTAgainstScipy() {
        assertRelative(StudentT.sf(2.1, df: 30), 0.022121235631161765, "t.sf(2.1, 30)")
        assertRelative(StudentT.cdf(-2.1, df: 14.5), 0.02683582674183347, "t.cdf(-2.1, 14.5)", tolerance: 1e-12)
        assertRelative(StudentT.quantile(0.975, df: 48), 2.010634757624232, "t.ppf(0.975, 48)")
        assertRelative(StudentT.quantile(0.025, df: 3), -3.1824463052837086, "t.ppf(0.025, 3)")
        // Many degrees of freedom: close to, but not exactly, the normal.
        assertRelative(StudentT.sf(1.96, df: 1e10), 0.024997895162084886, "t.sf(1.96, 1e10)", tolerance: 1e-12)
        assertRelative(StudentT.sf(1.96, df: 1e6), 0.024998033792634926, "t.sf(1.96, 1e6)", tolerance: 1e-12)
        // Heavy tails: one degree of freedom is the Cauchy distribution.
        assertRelative(StudentT.cdf(-40, df: 1), atan(1 / 40.0) / Double.pi, "t.cdf(-40, 1)", tolerance: 1e-13)
        XCTAssertEqual(StudentT.cdf(0, df: 7), 0.5)
    }

    func testStudentTIdentities() {
        for df in [0.7, 1, 2, 3.5, 12, 61, 250, 1e4, 1e7] {
            for t in [-30.0, -3, -1, -0.01, 0.5, 2, 9] {
                let cdf = StudentT.cdf(t, df: df), sf = StudentT.sf(t, df: df)
                XCTAssertEqual(cdf + sf, 1, accuracy: 1e-14, "cdf + sf at t = \(t), df = \(df)")
                assertRelative(StudentT.sf(-t, df: df), cdf, "symmetry at t = \(t), df = \(df)", tolerance: 1e-14)
                if cdf > 1e-300 && cdf < 1 - 1e-12 {
                    assertRelative(StudentT.quantile(cdf, df: df), t, "quantile(cdf(\(t))), df = \(df)", tolerance: 1e-10)
                }
            }
        }
    }

    func testChiSquareAgainstScipy() {
        assertRelative(ChiSquare.sf(3.84, df: 1), 0.05004352124870519, "chi2.sf(3.84, 1)")
        assertRelative(ChiSquare.cdf(0.4, df: 3), 0.05975750516063929, "chi2.cdf(0.4, 3)", tolerance: 1e-13)
        assertRelative(ChiSquare.sf(900, df: 10), 6.367822044752633e-187, "chi2.sf(900, 10)", tolerance: 1e-12)
        // Two degrees of freedom: the exponential distribution, sf = exp(-x/2).
        for x in [0.01, 1, 7, 80] { assertRelative(ChiSquare.sf(x, df: 2), exp(-x / 2), "chi2.sf(\(x), 2)", tolerance: 1e-14) }
        XCTAssertEqual(ChiSquare.sf(0, df: 4), 1)
        XCTAssert(ChiSquare.cdf(1, df: -1).isNaN)
    }

    func testIncompleteBetaWithOneLargeParameterAgainstScipy() {
        // I_x(a, 1/2) for a from 30 (the expansion in 1/a takes over there) to 40.
        let expected: [Double: [Double]] = [
            30: [1.5108608577183522e-13, 4.077210994660554e-06, 0.08062942690643064, 0.8072373061595369],
            35.5: [9.014751890594777e-16, 5.299816833991212e-07, 0.05721331248035598, 0.7905563787330012],
            40: [1.376887026174253e-17, 1.006464984420587e-07, 0.04344486964208072, 0.777919867635688],
        ]
        for (a, values) in expected {
            for (x, value) in zip([0.4, 0.7, 0.95, 0.999], values) {
                assertRelative(IncompleteIntegrals.incompleteBeta(a: a, b: 0.5, x: x).lower, value, "betainc(\(a), 0.5, \(x))", tolerance: 1e-12)
                assertRelative(IncompleteIntegrals.incompleteBeta(a: 0.5, b: a, x: 1 - x).upper, value, "1 - betainc(0.5, \(a), \(1 - x))", tolerance: 1e-12)
            }
        }
    }
}
