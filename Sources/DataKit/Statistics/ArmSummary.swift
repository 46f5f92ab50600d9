import TensorKit

/// Count, sum, mean and standard deviation of the values of one test arm, and whether
/// they are all 0 or 1 (conversions) — what an A/B test needs from raw data, read in two
/// passes over the rows (sums, then squares about the mean) instead of one per statistic.
public struct ArmSummary: Equatable {
    /// Present, finite values.
    public internal(set) var count = 0
    /// Missing values (nil in a column, NaN in a tensor).
    public internal(set) var missing = 0
    /// Infinite values (left out of the statistics).
    public internal(set) var infinite = 0
    public internal(set) var sum = 0.0
    /// True while every present value is 0 or 1.
    public internal(set) var binary = true
    var squares = 0.0

    public var mean: Double { count > 0 ? sum / Double(count) : .nan }
    /// The sample standard deviation (n - 1), as pandas and scipy.
    public var sd: Double { count > 1 ? (squares / Double(count - 1)).squareRoot() : .nan }

    /// The summaries of `values` (read through `number`, nil for a missing value), one per
    /// group: `codes[i]` is the group of row i (0..<groups, or -1 for a row outside every
    /// group); without codes every row is in group 0. Generic so that each column type gets
    /// its own loop: these passes are the whole cost of a test on millions of rows.
    static func summarize<Values: RandomAccessCollection>(_ values: Values, codes: [Int32]?, groups: Int,
                                                          number: (Values.Element) -> Double?) throws -> [ArmSummary]
        where Values.Index == Int {
        var out = [ArmSummary](repeating: ArmSummary(), count: groups)
        let rows = Swift.min(values.count, codes?.count ?? values.count)
        for row in 0..<rows {
            if row & 0xFFFF == 0xFFFF { try checkInterrupt() }
            let g = codes.map { Int($0[row]) } ?? 0
            guard g >= 0 else { continue }
            guard let x = number(values[values.startIndex + row]), !x.isNaN else { out[g].missing += 1; continue }
            guard x.isFinite else { out[g].infinite += 1; continue }
            out[g].count += 1
            out[g].sum += x
            if x != 0 && x != 1 { out[g].binary = false }
        }
        let means = out.map(\.mean)
        for row in 0..<rows {
            if row & 0xFFFF == 0xFFFF { try checkInterrupt() }
            let g = codes.map { Int($0[row]) } ?? 0
            guard g >= 0, let x = number(values[values.startIndex + row]), x.isFinite else { continue }
            let d = x - means[g]
            out[g].squares += d * d
        }
        return out
    }

    /// A column's summaries per group; nil for text and dates.
    static func summarize(_ column: Column, codes: [Int32]?, groups: Int) throws -> [ArmSummary]? {
        switch column.values {
        case .number(let v): return try summarize(v, codes: codes, groups: groups) { $0 }
        case .integer(let v): return try summarize(v, codes: codes, groups: groups) { $0.map { Double($0) } }
        case .bool(let v): return try summarize(v, codes: codes, groups: groups) { $0.map { $0 ? 1 : 0 } }
        case .string, .date: return nil
        }
    }

    /// The summary of a numeric or bool column; nil for text and dates.
    public static func of(_ column: Column) throws -> ArmSummary? {
        try summarize(column, codes: nil, groups: 1)?[0]
    }

    /// The summary of a tensor's elements (NaN counts as missing).
    public static func of(_ tensor: Tensor) throws -> ArmSummary {
        try summarize(MetricInput.doubles(tensor), codes: nil, groups: 1) { $0 }[0]
    }

    /// The summaries of `values` (a numeric or bool column, or nil for text and dates)
    /// per level of `groups`, levels in order of first appearance, with the first row of
    /// each level (to name it) and the number of rows whose group is missing.
    public static func grouped(_ values: Column, by groups: Column) throws
        -> (summaries: [ArmSummary], firstRows: [Int], ungrouped: Int)? {
        let (codes, firstRows) = levelCodes(groups)
        guard let summaries = try summarize(values, codes: codes, groups: firstRows.count) else { return nil }
        return (summaries, firstRows, codes.lazy.filter { $0 < 0 }.count)
    }

    /// Each row's level number (-1 where the group is missing) and each level's first row.
    /// An A/B test has a handful of levels: a short list is searched before the dictionary.
    static func levelCodes(_ groups: Column) -> (codes: [Int32], firstRows: [Int]) {
        func codes<T: Hashable>(_ v: [T?]) -> ([Int32], [Int]) {
            var known: [T] = []
            var index: [T: Int32] = [:]
            var first: [Int] = []
            var out = [Int32](repeating: -1, count: v.count)
            for (row, value) in v.enumerated() {
                guard let value else { continue }
                if let k = known.firstIndex(of: value) { out[row] = Int32(k); continue }
                if let code = index[value] { out[row] = code; continue }
                let code = Int32(first.count)
                if known.count < 8 { known.append(value) } else { index[value] = code }
                first.append(row)
                out[row] = code
            }
            return (out, first)
        }
        switch groups.values {
        case .number(let v): return codes(v.map { $0.flatMap { $0.isNaN ? nil : $0 } })   // NaN: no group
        case .integer(let v): return codes(v)
        case .bool(let v): return codes(v)
        case .string(let v): return codes(v)
        case .date(let v): return codes(v)
        }
    }
}
