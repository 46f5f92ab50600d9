import XCTest
@testable import TensorKit

/// The scalar special functions against closed forms and identities (the tensor ops are
/// checked against PyTorch in Tests/lua/torch_reference.lua, hyp2f1 against SciPy in
/// Tests/lua/marketing_clv.lua).
final class SpecialFunctionsTests: XCTestCase {
    let eulerGamma = 0.5772156649015329

    func close(_ actual: Double, _ expected: Double, _ rtol: Double = 1e-13, _ what: String = "",
               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(actual - expected), rtol * max(abs(expected), 1e-300),
                                 "\(what): \(actual) vs \(expected)", file: file, line: line)
    }

    func testDigammaClosedFormsAndRecurrence() {
        close(SpecialFunctions.digamma(1), -eulerGamma)
        close(SpecialFunctions.digamma(0.5), -eulerGamma - 2 * log(2.0))
        for x in [-3.7, -0.4, 0.3, 1.5, 7.25, 42.0] {
            close(SpecialFunctions.digamma(x + 1), SpecialFunctions.digamma(x) + 1 / x, 1e-12, "ψ(x+1) at \(x)")
        }
        XCTAssertEqual(SpecialFunctions.digamma(0), -.infinity)
        XCTAssertEqual(SpecialFunctions.digamma(-0.0), .infinity)
        XCTAssertTrue(SpecialFunctions.digamma(-2).isNaN)
    }

    func testPolygammaClosedForms() {
        close(SpecialFunctions.polygamma(1, 1), Double.pi * Double.pi / 6)
        close(SpecialFunctions.polygamma(1, 0.5), Double.pi * Double.pi / 2)
        close(SpecialFunctions.polygamma(2, 1), -2 * 1.2020569031595942)   // -2 ζ(3)
        close(SpecialFunctions.polygamma(3, 1), pow(Double.pi, 4) / 15)    // 6 ζ(4)
        for x in [-2.5, -0.3, 0.7, 3.0, 25.5] {
            close(SpecialFunctions.polygamma(1, x + 1), SpecialFunctions.polygamma(1, x) - 1 / (x * x), 1e-11, "ψ1(x+1) at \(x)")
            close(SpecialFunctions.polygamma(2, x + 1), SpecialFunctions.polygamma(2, x) + 2 / (x * x * x), 1e-11, "ψ2(x+1) at \(x)")
        }
        XCTAssertEqual(SpecialFunctions.polygamma(1, -1), .infinity)
        XCTAssertEqual(SpecialFunctions.polygamma(1, .infinity), 0)
        XCTAssertTrue(SpecialFunctions.polygamma(-1, 1).isNaN)
        close(SpecialFunctions.hurwitzZeta(2, 1), Double.pi * Double.pi / 6)
    }

    func testLogAddExp() {
        close(SpecialFunctions.logAddExp(1000, 1000), 1000 + log(2.0))
        close(SpecialFunctions.logAddExp(-1000, 0), 0)
        XCTAssertEqual(SpecialFunctions.logAddExp(-.infinity, -.infinity), -.infinity)
        XCTAssertEqual(SpecialFunctions.logAddExp(.infinity, 3), .infinity)
    }

    func hyp2f1(_ a: Double, _ b: Double, _ c: Double, _ z: Double) -> Double {
        guard case .value(let v) = Hypergeometric.hyp2f1(a, b, c, z) else { return .nan }
        return v
    }

    func testHypergeometricClosedForms() {
        for z in [-5.0, -0.9, -0.2, 0.1, 0.5, 0.9, 0.999] {
            close(hyp2f1(1, 1, 2, z), -log(1 - z) / z, 1e-13, "log form at \(z)")
            close(hyp2f1(2.5, 1.3, 1.3, z), pow(1 - z, -2.5), 1e-12, "binomial at \(z)")
            // A terminating series: 2F1(-2, b; c; z) is a quadratic.
            let b = 1.7, c = 3.2
            close(hyp2f1(-2, b, c, z), 1 - 2 * b * z / c + b * (b + 1) * z * z / (c * (c + 1)), 1e-13, "polynomial at \(z)")
        }
        close(hyp2f1(1, 1, 3, 1), 2)                        // Gauss: Γ(3)Γ(1) / (Γ(2)Γ(2))
        XCTAssertEqual(hyp2f1(2, 3, 5, 1), .infinity)        // c - a - b = 0
        XCTAssertEqual(hyp2f1(1, 1, 2, 0), 1)
        XCTAssertEqual(Hypergeometric.hyp2f1(1, 1, 2, 1 - 1e-12), .notConverged)
    }

    func testHypergeometricTensorBroadcasts() throws {
        let z = Tensor([0.5, -1.0], shape: [2])
        let out = try Tensor.hyp2f1(Tensor(scalar: 1, dtype: .float64), Tensor(scalar: 1, dtype: .float32),
                                    Tensor([2.0], shape: [1]), z)
        XCTAssertEqual(out.dtype, .float64)
        close(out.toDoubles()[0], 2 * log(2.0))
        close(out.toDoubles()[1], log(2.0))
        XCTAssertThrowsError(try Tensor.hyp2f1(Tensor(scalar: 1, dtype: .float64), Tensor(scalar: 1, dtype: .float64),
                                               Tensor(scalar: 2, dtype: .float64), Tensor(scalar: 1 - 1e-12, dtype: .float64))) { error in
            XCTAssertTrue("\(error)".contains("did not converge"), "\(error)")
        }
    }
}
