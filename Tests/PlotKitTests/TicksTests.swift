import XCTest
@testable import PlotKit

final class TicksTests: XCTestCase {
    func testStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        XCTAssertEqual(Ticks(low: 0, high: 1, count: 5).labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(Ticks(low: 0, high: 0.3, count: 3).labels, ["0.0", "0.1", "0.2", "0.3"])
        XCTAssertEqual(Ticks(low: 1, high: 50, count: 5).labels, ["0", "10", "20", "30", "40", "50"])
        XCTAssertEqual(Ticks(low: 0.13, high: 0.71, count: 5).labels, ["0.0", "0.2", "0.4", "0.6", "0.8"])
        XCTAssertEqual(Ticks(low: -3, high: 7, count: 6).labels, ["-4", "-2", "0", "2", "4", "6", "8"])
    }

    func testNoFloatingPointNoiseInValuesOrLabels() {
        let ticks = Ticks(low: 0, high: 0.7, count: 7)
        XCTAssertEqual(ticks.values[3], 0.3)
        XCTAssertEqual(ticks.labels[3], "0.3")
        XCTAssertFalse(ticks.labels.contains { $0.count > 4 })
    }

    func testWidenCoversTheDataWithWholeSteps() {
        let ticks = Ticks(low: 3, high: 97, count: 5)
        XCTAssertEqual(ticks.lower, 0)
        XCTAssertEqual(ticks.upper, 100)
        let fixed = Ticks(low: 3, high: 97, count: 5, widen: false)
        XCTAssertEqual(fixed.lower, 3)
        XCTAssertEqual(fixed.labels, ["20", "40", "60", "80"])
    }

    func testLargeNumbersGetSuffixesAndPercentsAreScaled() {
        XCTAssertEqual(Ticks(low: 0, high: 80_000, count: 4).labels, ["0", "20k", "40k", "60k", "80k"])
        XCTAssertEqual(Ticks(low: 0, high: 3_000_000, count: 6).labels, ["0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M", "3.0M"])
        XCTAssertEqual(Ticks(low: 0, high: 1, count: 5, style: .percent).labels, ["0%", "20%", "40%", "60%", "80%", "100%"])
        XCTAssertEqual(Ticks(low: 0, high: 0.05, count: 5, style: .percent).labels, ["0%", "1%", "2%", "3%", "4%", "5%"])
    }

    func testConstantDataStillGetsARange() {
        let ticks = Ticks(low: 5, high: 5, count: 4)
        XCTAssertLessThan(ticks.lower, 5)
        XCTAssertGreaterThan(ticks.upper, 5)
        XCTAssertFalse(ticks.labels.contains("-0"))
    }
}
