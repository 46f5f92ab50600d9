import Foundation
import XCTest
import DataKit
@testable import PlotKit

/// The metric charts' curves against scikit-learn and scikit-uplift
/// (Tests/fixtures/plot_curves.json from scripts/gen_plot_fixtures.py): the points a
/// chart draws, whether computed here or by the metrics core.
final class CurvesTests: XCTestCase {
    struct Fixture {
        let root: [String: Any]
        func numbers(_ path: String...) -> [Double] {
            var node: Any? = root
            for key in path { node = (node as? [String: Any])?[key] }
            return (node as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue ?? .infinity }
        }
        func number(_ path: String...) -> Double {
            var node: Any? = root
            for key in path { node = (node as? [String: Any])?[key] }
            return (node as? NSNumber)?.doubleValue ?? .nan
        }
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/plot_curves.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return Fixture(root: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }()

    func assertClose(_ actual: [Double], _ expected: [Double], _ what: String, tolerance: Double = 1e-12, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, "\(what): number of points", file: file, line: line)
        for (i, (a, e)) in zip(actual, expected).enumerated() where !(a == e || Swift.abs(a - e) <= tolerance) {
            XCTFail("\(what) point \(i): expected \(e), got \(a)", file: file, line: line)
            return
        }
    }

    var f: Fixture { CurvesTests.fixture }
    var labels: [Bool] { f.numbers("y").map { $0 == 1 } }

    func testROCMatchesScikitLearnPointForPoint() throws {
        XCTAssertFalse(f.numbers("y").isEmpty, "fixture missing")
        let roc = try Curves.roc(labels: labels, scores: f.numbers("score"))
        assertClose(roc.fpr, f.numbers("roc", "fpr"), "fpr")
        assertClose(roc.tpr, f.numbers("roc", "tpr"), "tpr")
        assertClose(roc.thresholds, f.numbers("roc", "thresholds"), "thresholds")
        XCTAssertEqual(Curves.area(x: roc.fpr, y: roc.tpr), f.number("roc", "auc"), accuracy: 1e-12)
    }

    func testPrecisionRecallAndAveragePrecision() throws {
        let pr = try Curves.precisionRecall(labels: labels, scores: f.numbers("score"))
        assertClose(pr.precision, f.numbers("pr", "precision"), "precision")
        assertClose(pr.recall, f.numbers("pr", "recall"), "recall")
        XCTAssertEqual(pr.averagePrecision, f.number("pr", "average_precision"), accuracy: 1e-12)
    }

    func testCalibrationBothStrategies() throws {
        for strategy in ["uniform", "quantile"] {
            let curve = try Curves.calibration(labels: labels, probabilities: f.numbers("prob"), bins: 10, quantile: strategy == "quantile")
            assertClose(curve.observed, f.numbers("calibration", strategy, "prob_true"), "\(strategy) prob_true")
            assertClose(curve.predicted, f.numbers("calibration", strategy, "prob_pred"), "\(strategy) prob_pred")
        }
    }

    func testQiniMatchesScikitUplift() throws {
        let curve = try Curves.qini(labels: f.numbers("y_uplift").map { $0 == 1 }, scores: f.numbers("score"), treatment: f.numbers("treatment").map { $0 == 1 })
        assertClose(curve.targeted, f.numbers("qini", "x"), "customers targeted")
        assertClose(curve.qini, f.numbers("qini", "y"), "qini", tolerance: 1e-9)
    }

    func testGainsAndLiftOnAWorkedExample() throws {
        // Scores 0.9 ... 0.0; responders at ranks 1, 2, 4 and 7 of 10.
        let labels = [true, true, false, true, false, false, true, false, false, false]
        let scores = (0..<10).map { 0.9 - Double($0) / 10 }
        let gains = try Curves.gains(labels: labels, scores: scores)
        XCTAssertEqual(gains.targeted.count, 11)
        XCTAssertEqual(gains.captured[2], 0.5)
        XCTAssertEqual(gains.captured[4], 0.75)
        XCTAssertEqual(gains.captured[10], 1)
        let lift = try Curves.lift(labels: labels, scores: scores, bins: 5, cumulative: true)
        XCTAssertEqual(lift.depth, [0.2, 0.4, 0.6, 0.8, 1.0])
        // Top 20%: 2 of 2 respond against a 40% base rate.
        XCTAssertEqual(lift.lift[0], 2.5, accuracy: 1e-12)
        XCTAssertEqual(lift.lift[4], 1, accuracy: 1e-12)
        let slices = try Curves.lift(labels: labels, scores: scores, bins: 5, cumulative: false)
        XCTAssertEqual(slices.lift[1], 1.25, accuracy: 1e-12)
        XCTAssertEqual(slices.lift[4], 0, accuracy: 1e-12)
        // Bins that do not divide the rows are cut as metrics.gains_table cuts them.
        let uneven = try Curves.lift(labels: labels, scores: scores, bins: 3, cumulative: false)
        let table = try Metrics.gainsTable(Metrics.BinaryScores("test", labels: labels.map { $0 ? 1 : 0 }, scores: scores), bins: 3)
        XCTAssertEqual(uneven.lift, table.column("lift")!.numbers!.map { $0! })
        XCTAssertEqual(uneven.depth, [0.4, 0.7, 1.0])
    }

    func testTiesAreOneThreshold() throws {
        let roc = try Curves.roc(labels: [true, false, true, false], scores: [0.5, 0.5, 0.5, 0.5])
        XCTAssertEqual(roc.fpr, [0, 1])
        XCTAssertEqual(roc.tpr, [0, 1])
    }

    func testBadLabelsAreNamed() {
        XCTAssertThrowsError(try Curves.labels([0, 1, 0.5], argument: "y")) { error in
            XCTAssertEqual("\(error)", "y: expected 0/1 labels, got 0.5 at position 3")
        }
        XCTAssertThrowsError(try Curves.roc(labels: [false, false], scores: [0.1, 0.2])) { error in
            XCTAssertEqual("\(error)", "y: holds only negatives (0); a ROC curve needs both classes")
        }
    }
}
