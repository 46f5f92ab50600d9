import XCTest
@testable import DataKit
import TensorKit

/// ArmSummary (what marketing.ab_test reads from raw data) against statistics computed
/// here value by value: counts, missing and infinite values, mean, sample sd, 0/1 detection,
/// and the split by the levels of a group column in order of first appearance.
final class ArmSummaryTests: XCTestCase {
    func testColumnSummary() throws {
        let values: [Double?] = [3, nil, 5.5, 1, .infinity, 2]
        let s = try XCTUnwrap(try ArmSummary.of(Column(name: "spend", values: .number(values))))
        let present = [3, 5.5, 1, 2.0]
        let mean = present.reduce(0, +) / 4
        let sd = (present.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.missing, 1)
        XCTAssertEqual(s.infinite, 1)
        XCTAssertEqual(s.mean, mean, accuracy: 1e-15)
        XCTAssertEqual(s.sd, sd, accuracy: 1e-15)
        XCTAssertFalse(s.binary)
        XCTAssertNil(try ArmSummary.of(Column(name: "name", values: .string(["a"]))))
    }

    func testBoolsAndTensorsAreConversions() throws {
        let flags = try XCTUnwrap(try ArmSummary.of(Column(name: "converted", values: .bool([true, false, true, nil]))))
        XCTAssertEqual([flags.count, flags.missing], [3, 1])
        XCTAssertEqual(flags.sum, 2)
        XCTAssertTrue(flags.binary)
        let t = try ArmSummary.of(Tensor([1, 0, .nan, 1], shape: [4]))
        XCTAssertEqual([t.count, t.missing], [3, 1])
        XCTAssertTrue(t.binary)
        XCTAssertTrue(try ArmSummary.of(Tensor([Double](), shape: [0])).mean.isNaN)
    }

    func testGroupedByLevelsInOrderOfAppearance() throws {
        let variant = Column(name: "variant", values: .string(["B", "A", "B", nil, "A", "C"]))
        let metric = Column(name: "converted", values: .integer([1, 0, 0, 1, 1, 7]))
        let grouped = try XCTUnwrap(try ArmSummary.grouped(metric, by: variant))
        XCTAssertEqual(grouped.firstRows, [0, 1, 5])
        XCTAssertEqual(grouped.ungrouped, 1)
        XCTAssertEqual(grouped.summaries.map(\.count), [2, 2, 1])
        XCTAssertEqual(grouped.summaries.map(\.sum), [1, 1, 7])
        XCTAssertEqual(grouped.summaries.map(\.binary), [true, true, false])
        XCTAssertEqual(grouped.summaries[0].sd, 0.5.squareRoot(), accuracy: 1e-15)
        XCTAssertTrue(grouped.summaries[2].sd.isNaN)
    }
}
