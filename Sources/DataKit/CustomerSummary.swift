import TensorKit

/// Per-customer purchase histories for the CLV models, computed as the Python package
/// lifetimes does (`summary_data_from_transaction_data` and
/// `calibration_and_holdout_data`): purchases in the same period count once, the first
/// period is not a repeat purchase, and times are whole periods between period starts.
public enum CustomerSummary {
    /// The time unit: days, weeks starting on Monday (pandas' "W", i.e. W-SUN periods) or
    /// calendar months.
    public enum Unit: String, CaseIterable {
        case day = "D", week = "W", month = "M"

        /// The number of the period holding `day` (days since 1970-01-01); differences of
        /// these numbers count whole periods between the periods' starts.
        public func period(_ day: Int32) -> Int {
            switch self {
            case .day: return Int(day)
            case .week:
                // 1970-01-01 was a Thursday, so day -3 starts a week.
                let shifted = Int(day) + 3
                return shifted >= 0 ? shifted / 7 : -((6 - shifted) / 7)
            case .month:
                let (year, month, _) = Dates.civil(day)
                return year * 12 + month - 1
            }
        }
    }

    /// Transactions: one customer key, one date (days since 1970-01-01) and optionally
    /// one amount per row, none missing.
    public struct Transactions {
        public let customers: Column
        public let days: [Int32]
        public let amounts: [Double]?

        public init(customers: Column, days: [Int32], amounts: [Double]?) throws {
            guard customers.count == days.count, amounts.map({ $0.count == days.count }) ?? true else {
                throw TensorError("CustomerSummary: customers, dates and amounts must have one value per transaction")
            }
            self.customers = customers
            self.days = days
            self.amounts = amounts
        }
    }

    /// One row per customer: frequency (repeat purchase periods), recency (periods from
    /// the first to the last purchase), T (periods from the first purchase to the
    /// snapshot's period) and, with amounts, monetary_value (the mean of the repeat
    /// periods' summed amounts; 0 without repeats). Customers are sorted by key.
    public static func summary(_ tx: Transactions, unit: Unit, snapshot: Int32) throws -> Frame {
        let groups = try CustomerGroups(tx, unit: unit)
        let end = unit.period(snapshot)
        var frequency = [Int64?](), recency = [Int64?](), age = [Int64?](), monetary = [Double?]()
        for customer in 0..<groups.count {
            if customer & 4095 == 4095 { try checkInterrupt() }
            let history = groups.history(customer, rows: groups.rows(customer))
            frequency.append(Int64(history.periods - 1))
            recency.append(Int64(history.last - history.first))
            age.append(Int64(end - history.first))
            monetary.append(history.repeatMean)
        }
        var columns = [groups.keys(tx.customers),
                       Column(name: "frequency", values: .integer(frequency)),
                       Column(name: "recency", values: .integer(recency)),
                       Column(name: "T", values: .integer(age))]
        if tx.amounts != nil { columns.append(Column(name: "monetary_value", values: .number(monetary))) }
        return try Frame(columns: columns)
    }

    /// The calibration summary of the purchases up to `calibrationEnd` (columns suffixed
    /// `_cal`, T_cal counted to calibrationEnd's period) beside the holdout after it up to
    /// `snapshot`: frequency_holdout (distinct holdout periods), monetary_value_holdout
    /// (the mean holdout transaction amount, not per period, as lifetimes) and
    /// duration_holdout (periods from calibrationEnd's to the snapshot's). Only customers
    /// who bought in the calibration period appear.
    public static func calibrationAndHoldout(_ tx: Transactions, unit: Unit, calibrationEnd: Int32,
                                             snapshot: Int32) throws -> Frame {
        let groups = try CustomerGroups(tx, unit: unit)
        let calibrationPeriod = unit.period(calibrationEnd)
        var keep = [Int]()
        var frequency = [Int64?](), recency = [Int64?](), age = [Int64?](), monetary = [Double?]()
        var holdoutFrequency = [Int64?](), holdoutMonetary = [Double?]()
        for customer in 0..<groups.count {
            if customer & 4095 == 4095 { try checkInterrupt() }
            let rows = groups.rows(customer)
            let calibration = rows.filter { tx.days[$0] <= calibrationEnd }
            guard !calibration.isEmpty else { continue }
            keep.append(customer)
            let history = groups.history(customer, rows: calibration[...])
            frequency.append(Int64(history.periods - 1))
            recency.append(Int64(history.last - history.first))
            age.append(Int64(calibrationPeriod - history.first))
            monetary.append(history.repeatMean)
            var holdoutPeriods = Set<Int>()
            var total = CompensatedSum(), count = 0
            for row in rows where tx.days[row] > calibrationEnd {
                holdoutPeriods.insert(unit.period(tx.days[row]))
                total.add(tx.amounts?[row] ?? 0)
                count += 1
            }
            holdoutFrequency.append(Int64(holdoutPeriods.count))
            holdoutMonetary.append(count == 0 ? 0 : total.value / Double(count))
        }
        let duration = Int64(unit.period(snapshot) - calibrationPeriod)
        var columns = [groups.keys(tx.customers, only: keep),
                       Column(name: "frequency_cal", values: .integer(frequency)),
                       Column(name: "recency_cal", values: .integer(recency)),
                       Column(name: "T_cal", values: .integer(age))]
        if tx.amounts != nil { columns.append(Column(name: "monetary_value_cal", values: .number(monetary))) }
        columns.append(Column(name: "frequency_holdout", values: .integer(holdoutFrequency)))
        if tx.amounts != nil { columns.append(Column(name: "monetary_value_holdout", values: .number(holdoutMonetary))) }
        columns.append(Column(name: "duration_holdout", values: .integer([Int64?](repeating: duration, count: keep.count))))
        return try Frame(columns: columns)
    }
}

/// A running sum with Kahan's compensation, the one pandas' group sums and means use,
/// so totals agree with lifetimes to the last bits.
struct CompensatedSum {
    private(set) var value = 0.0
    private var compensation = 0.0

    mutating func add(_ x: Double) {
        let y = x - compensation
        let t = value + y
        compensation = (t - value) - y
        value = t
    }
}

/// Transactions grouped by customer (customers in key order), each customer's rows in
/// period order (ties in row order).
struct CustomerGroups {
    let unit: CustomerSummary.Unit
    let periods: [Int]
    let amounts: [Double]?
    /// Rows of customer i are order[starts[i]..<starts[i + 1]].
    private let order: [Int]
    private let starts: [Int]
    /// The first row of each customer, to copy its key.
    private let representatives: [Int]

    init(_ tx: CustomerSummary.Transactions, unit: CustomerSummary.Unit) throws {
        self.unit = unit
        periods = tx.days.map(unit.period)
        amounts = tx.amounts
        let (rank, representatives) = try CustomerGroups.rank(tx.customers)
        self.representatives = representatives
        // Counting sort by customer keeps row order within a customer...
        var starts = [Int](repeating: 0, count: representatives.count + 1)
        for r in rank { starts[r + 1] += 1 }
        for i in 0..<representatives.count { starts[i + 1] += starts[i] }
        var next = starts
        var order = [Int](repeating: 0, count: rank.count)
        for (row, r) in rank.enumerated() {
            order[next[r]] = row
            next[r] += 1
        }
        // ...then each customer's rows are put in period order, stably.
        let periods = self.periods
        for i in 0..<representatives.count where starts[i + 1] - starts[i] > 1 {
            order[starts[i]..<starts[i + 1]].sort { periods[$0] != periods[$1] ? periods[$0] < periods[$1] : $0 < $1 }
        }
        self.order = order
        self.starts = starts
    }

    var count: Int { representatives.count }

    func rows(_ customer: Int) -> ArraySlice<Int> { order[starts[customer]..<starts[customer + 1]] }

    /// The distinct keys in order (all of them, or the customers listed).
    func keys(_ customers: Column, only: [Int]? = nil) -> Column {
        customers.take((only ?? Array(0..<count)).map { representatives[$0] })
    }

    /// Purchase periods of some of a customer's rows (in period order): how many distinct
    /// periods, the first and last, and the mean summed amount of the repeat periods.
    func history(_ customer: Int, rows: ArraySlice<Int>) -> (periods: Int, first: Int, last: Int, repeatMean: Double) {
        guard let firstRow = rows.first, let lastRow = rows.last else { return (0, 0, 0, 0) }
        var distinct = 0
        var current = Int.min
        var periodTotal = CompensatedSum(), repeatTotal = CompensatedSum()
        for row in rows {
            if periods[row] != current {
                if distinct > 1 { repeatTotal.add(periodTotal.value) }
                distinct += 1
                current = periods[row]
                periodTotal = CompensatedSum()
            }
            periodTotal.add(amounts?[row] ?? 0)
        }
        if distinct > 1 { repeatTotal.add(periodTotal.value) }
        let mean = distinct > 1 ? repeatTotal.value / Double(distinct - 1) : 0
        return (distinct, periods[firstRow], periods[lastRow], mean)
    }

    /// Each row's customer as a rank among the distinct keys in sorted order, and the
    /// first row holding each key.
    static func rank(_ customers: Column) throws -> (rank: [Int], representatives: [Int]) {
        func ranks<T: Hashable & Comparable>(_ values: [T?]) throws -> ([Int], [Int]) {
            var ids: [T: Int] = [:]
            var distinct: [T] = [], firstRows: [Int] = []
            var id = [Int](repeating: 0, count: values.count)
            for (row, value) in values.enumerated() {
                guard let value else { throw TensorError("CustomerSummary: customer key missing in row \(row + 1)") }
                if let known = ids[value] {
                    id[row] = known
                } else {
                    ids[value] = distinct.count
                    id[row] = distinct.count
                    distinct.append(value)
                    firstRows.append(row)
                }
            }
            let sorted = distinct.indices.sorted { distinct[$0] < distinct[$1] }
            var rankOfId = [Int](repeating: 0, count: distinct.count)
            for (rank, i) in sorted.enumerated() { rankOfId[i] = rank }
            return (id.map { rankOfId[$0] }, sorted.map { firstRows[$0] })
        }
        switch customers.values {
        case .integer(let v): return try ranks(v)
        case .number(let v): return try ranks(v)
        case .string(let v): return try ranks(v)
        case .date(let v): return try ranks(v)
        case .bool(let v): return try ranks(v.map { $0.map { $0 ? 1 : 0 } })
        }
    }
}
