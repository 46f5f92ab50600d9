import Foundation
import TensorKit

/// Quantiles and binning: `quantile`, `cut` (fixed edges or equal widths) and `qcut`
/// (edges at quantiles), as in pandas. Bins are category columns labelled by interval,
/// "(10.0, 20.0]", unless labels are given; with `codes` they are integer bin numbers
/// counted from 1.
extension Column {
    /// The q-quantile (0 ≤ q ≤ 1) of the non-missing values, interpolated linearly between
    /// the two nearest ranks as pandas does; NaN when every value is missing.
    public func quantile(_ q: Double) throws -> Double {
        guard q >= 0 && q <= 1 else { throw TensorError("Column:quantile: q must be between 0 and 1, got \(q)") }
        return Column.quantile(try present("quantile").sorted(), q)
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Swift.min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    /// How bins are named in the result.
    public enum BinLabels {
        case intervals
        case names([String])
        case codes
    }

    /// Each value's bin among `edges` (strictly increasing): (e[i], e[i+1]] with `right`,
    /// [e[i], e[i+1]) without; `includeLowest` closes the first bin on the left. Values
    /// outside every bin are missing.
    public func cut(edges: [Double], right: Bool = true, includeLowest: Bool = false, labels: BinLabels = .intervals,
                    _ fn: String = "Column:cut") throws -> Column {
        guard let values = numbers else {
            throw TensorError("\(fn): column '\(name)' holds \(contentNoun); bins need numbers")
        }
        guard edges.count >= 2 else { throw TensorError("\(fn): give at least two bin edges, got \(edges.count)") }
        guard edges.allSatisfy({ $0.isFinite }) else { throw TensorError("\(fn): bin edges must be finite numbers") }
        for i in 1..<edges.count where !(edges[i] > edges[i - 1]) {
            throw TensorError("\(fn): bin edges must increase strictly, got \(Column.edgeText(edges[i - 1], edges)) then \(Column.edgeText(edges[i], edges)) (for quantile bins of tied data, use fewer bins)")
        }
        let bins = edges.count - 1
        if case .names(let names) = labels, names.count != bins {
            throw TensorError("\(fn): \(names.count) labels for \(bins) bins; give one label per bin")
        }
        var index = [Int?](repeating: nil, count: values.count)
        for (row, value) in values.enumerated() {
            guard let v = value, !v.isNaN else { continue }
            // The first edge above (or at, for left-closed bins) the value.
            var lo = 0, hi = edges.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if right ? edges[mid] < v : edges[mid] <= v { lo = mid + 1 } else { hi = mid }
            }
            var bin = lo - 1
            if includeLowest {
                if right && v == edges[0] { bin = 0 }
                if !right && v == edges[bins] { bin = bins - 1 }
            }
            if bin >= 0 && bin < bins { index[row] = bin }
        }
        switch labels {
        case .codes:
            return Column(name: name, values: .integer(index.map { $0.map { Int64($0 + 1) } }))
        case .names(let names):
            return Column(name: name, values: .string(index.map { $0.map { names[$0] } }), category: true)
        case .intervals:
            let names = (0..<bins).map { i -> String in
                let open = right && !(includeLowest && i == 0) ? "(" : "["
                let close = right || (includeLowest && i == bins - 1) ? "]" : ")"
                return "\(open)\(Column.edgeText(edges[i], edges)), \(Column.edgeText(edges[i + 1], edges))\(close)"
            }
            return Column(name: name, values: .string(index.map { $0.map { names[$0] } }), category: true)
        }
    }

    /// `count` equal-width bins over the values' range; the range is widened by 0.1 % on the
    /// open side so that the extreme value falls in a bin, as pandas does.
    public func cut(count: Int, right: Bool = true, labels: BinLabels = .intervals) throws -> Column {
        guard count >= 1 else { throw TensorError("Column:cut: the number of bins must be at least 1, got \(count)") }
        guard numbers != nil else { throw TensorError("Column:cut: column '\(name)' holds \(contentNoun); bins need numbers") }
        let values = try present("cut")
        guard let low = values.min(), let high = values.max() else {
            throw TensorError("Column:cut: column '\(name)' has no values to bin")
        }
        var edges: [Double]
        if low == high {
            let pad = low == 0 ? 0.001 : Swift.abs(low) * 0.001
            edges = (0...count).map { low - pad + 2 * pad * Double($0) / Double(count) }
        } else {
            edges = (0...count).map { low + (high - low) * Double($0) / Double(count) }
            let adjust = (high - low) * 0.001
            if right { edges[0] -= adjust } else { edges[count] += adjust }
        }
        return try cut(edges: edges, right: right, labels: labels)
    }

    /// Bins at quantiles: `count` bins of about equal size, or bins between the given
    /// quantile levels (0 ≤ q ≤ 1, increasing). The lowest value is included.
    public func qcut(count: Int? = nil, levels: [Double]? = nil, labels: BinLabels = .intervals) throws -> Column {
        guard numbers != nil else { throw TensorError("Column:qcut: column '\(name)' holds \(contentNoun); bins need numbers") }
        let sorted = try present("qcut").sorted()
        guard !sorted.isEmpty else { throw TensorError("Column:qcut: column '\(name)' has no values to bin") }
        let qs: [Double]
        if let levels {
            guard levels.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { throw TensorError("Column:qcut: quantile levels must be between 0 and 1") }
            qs = levels
        } else {
            guard let count, count >= 1 else { throw TensorError("Column:qcut: the number of bins must be at least 1") }
            qs = (0...count).map { Double($0) / Double(count) }
        }
        return try cut(edges: qs.map { Column.quantile(sorted, $0) }, includeLowest: true, labels: labels, "Column:qcut")
    }

    /// An edge as a label: integers without decimals when every edge is whole, otherwise
    /// up to three decimals (as pandas' default precision), keeping at least one.
    static func edgeText(_ value: Double, _ edges: [Double]) -> String {
        if edges.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 1e15 }) { return String(Int64(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") && !text.hasSuffix(".0") { text.removeLast() }
        return text == "-0.0" ? "0.0" : text
    }
}

/// Date parts: year, month, day, weekday (Monday = 0, as pandas), quarter, day of the
/// year, and the days between two dates.
extension Column {
    public enum DatePart: String, CaseIterable { case year, month, day, weekday, quarter, dayofyear }

    func days(_ fn: String) throws -> [Int32?] {
        guard case .date(let v) = values else {
            throw TensorError("\(fn): column '\(name)' holds \(kind.rawValue) values; date parts need a date column (read it with {date_format = ...} or convert it with astype(\"date\"))")
        }
        return v
    }

    public func datePart(_ part: DatePart) throws -> Column {
        let days = try self.days("Column:\(part.rawValue)")
        let out: [Int64?] = days.map { d in
            guard let d else { return nil }
            switch part {
            case .year: return Int64(Dates.civil(d).year)
            case .month: return Int64(Dates.civil(d).month)
            case .day: return Int64(Dates.civil(d).day)
            case .weekday: return Int64(Dates.weekday(d))
            case .quarter: return Int64((Dates.civil(d).month - 1) / 3 + 1)
            case .dayofyear: return Int64(Dates.dayOfYear(d))
            }
        }
        return Column(name: name, values: .integer(out))
    }

    /// Days from each date to `other` (a date column of the same length or one date):
    /// positive when `other` is later.
    public func daysBetween(_ other: ColumnOperand) throws -> Column {
        let fn = "Column:days_between"
        let days = try self.days(fn)
        let targets: [Int32?]
        switch other {
        case .string(let s):
            guard let d = Dates.parseISO(s) else {
                throw TensorError("\(fn): expected a date written YYYY-MM-DD or a date column, got string '\(s.prefix(40))'")
            }
            targets = Array(repeating: d, count: days.count)
        case .column(let c):
            guard c.count == days.count else { throw lengthError(fn, c) }
            targets = try c.days(fn)
        default:
            throw TensorError("\(fn): expected a date written YYYY-MM-DD or a date column, got \(other.describe)")
        }
        return Column(name: name, values: .integer(zip(days, targets).map { a, b in
            guard let a, let b else { return nil }
            return Int64(b) - Int64(a)
        }))
    }
}
