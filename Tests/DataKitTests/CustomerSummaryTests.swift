import XCTest
@testable import DataKit

/// Periods and per-customer histories on transactions small enough to count by hand
/// (CDNOW against lifetimes is in Tests/lua/marketing_clv.lua).
final class CustomerSummaryTests: XCTestCase {
    func day(_ text: String) -> Int32 { Dates.parseISO(text)! }

    func testWeeksStartOnMondayAndMonthsAreCalendarMonths() {
        let week = CustomerSummary.Unit.week
        XCTAssertEqual(week.period(day("2024-01-01")), week.period(day("2024-01-07")))        // Monday .. Sunday
        XCTAssertEqual(week.period(day("2024-01-08")), week.period(day("2024-01-07")) + 1)
        XCTAssertEqual(week.period(day("1969-12-29")), 0)                                     // before 1970 too
        XCTAssertEqual(week.period(day("1969-12-28")), -1)
        let month = CustomerSummary.Unit.month
        XCTAssertEqual(month.period(day("1998-02-01")) - month.period(day("1998-01-31")), 1)
        XCTAssertEqual(month.period(day("1998-06-30")) - month.period(day("1997-01-01")), 17)
    }

    /// Customer "b" buys twice on 01-01 (one period), then 01-04 and 01-10; "a" once.
    func transactions() throws -> CustomerSummary.Transactions {
        let ids = Column(name: "id", values: .string(["b", "a", "b", "b", "b"]))
        return try CustomerSummary.Transactions(
            customers: ids, days: ["2024-01-01", "2024-01-02", "2024-01-01", "2024-01-04", "2024-01-10"].map(day),
            amounts: [10, 3, 5, 20, 7])
    }

    func integers(_ frame: Frame, _ name: String) -> [Int64?] {
        guard case .integer(let v)? = frame.column(name)?.values else { return [] }
        return v
    }

    func numbers(_ frame: Frame, _ name: String) -> [Double?] { frame.column(name)?.numbers ?? [] }

    func testSummaryInDaysAndWeeks() throws {
        let days = try CustomerSummary.summary(transactions(), unit: .day, snapshot: day("2024-01-11"))
        XCTAssertEqual(days.names, ["id", "frequency", "recency", "T", "monetary_value"])
        guard case .string(let ids)? = days.column("id")?.values else { return XCTFail("no id column") }
        XCTAssertEqual(ids, ["a", "b"])
        XCTAssertEqual(integers(days, "frequency"), [0, 2])
        XCTAssertEqual(integers(days, "recency"), [0, 9])
        XCTAssertEqual(integers(days, "T"), [9, 10])
        XCTAssertEqual(numbers(days, "monetary_value"), [0, 13.5])    // mean of 20 and 7
        // In weeks (Monday 01-01 to Sunday 01-07, then from 01-08): 01-01 and 01-04 share a week.
        let weeks = try CustomerSummary.summary(transactions(), unit: .week, snapshot: day("2024-01-11"))
        XCTAssertEqual(integers(weeks, "frequency"), [0, 1])
        XCTAssertEqual(integers(weeks, "recency"), [0, 1])
        XCTAssertEqual(integers(weeks, "T"), [1, 1])
        XCTAssertEqual(numbers(weeks, "monetary_value"), [0, 7])
    }

    func testCalibrationAndHoldout() throws {
        let frame = try CustomerSummary.calibrationAndHoldout(transactions(), unit: .day, calibrationEnd: day("2024-01-03"),
                                                              snapshot: day("2024-01-11"))
        XCTAssertEqual(frame.names, ["id", "frequency_cal", "recency_cal", "T_cal", "monetary_value_cal",
                                     "frequency_holdout", "monetary_value_holdout", "duration_holdout"])
        XCTAssertEqual(integers(frame, "frequency_cal"), [0, 0])
        XCTAssertEqual(integers(frame, "T_cal"), [1, 2])
        XCTAssertEqual(integers(frame, "frequency_holdout"), [0, 2])
        XCTAssertEqual(numbers(frame, "monetary_value_holdout"), [0, 13.5])
        XCTAssertEqual(integers(frame, "duration_holdout"), [8, 8])
    }
}
