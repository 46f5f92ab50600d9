import DataKit
import Foundation

/// An axis laid out for drawing: its range and the ticks that fit its length without
/// labels running into each other. The SVG and the text renderer use the same rules,
/// each measuring labels in its own unit (pixels or characters).
struct AxisScale {
    var lower: Double
    var upper: Double
    var ticks: [(value: Double, label: String)]

    /// `value`'s position between `start` (at `lower`) and `end` (at `upper`).
    func position(_ value: Double, _ start: Double, _ end: Double) -> Double {
        upper == lower ? (start + end) / 2 : start + (value - lower) / (upper - lower) * (end - start)
    }

    /// Lays out `axis` over the data range `low...high` on `length` units. `spacing` is
    /// the least distance wanted between ticks; `measure` gives a label's extent along
    /// the axis (its width on x, its height on y), and labels keep `gap` between them.
    /// With `widen` the range grows to whole tick steps (SVG); without, it stays the
    /// data's (text, where every row counts).
    /// `integers`: the data are whole numbers, so ticks fall on whole numbers too.
    init(axis: Chart.Axis, low: Double, high: Double, integers: Bool = false, length: Double, spacing: Double, gap: Double, widen: Bool = true, measure: (String) -> Double) {
        if let names = axis.categories {
            lower = -0.5
            upper = Double(Swift.max(names.count, 1)) - 0.5
            ticks = names.enumerated().map { (Double($0.offset), $0.element) }
            return
        }
        var (low, high) = (low, high)
        if let fixed = axis.fixed { (low, high) = (fixed.lowerBound, fixed.upperBound) }
        if axis.includesZero { (low, high) = (Swift.min(low, 0), Swift.max(high, 0)) }
        var widen = widen
        if axis.padding > 0 && axis.fixed == nil {
            let room = Swift.max(high - low, Swift.abs(high) * 0.1, 1e-9) * axis.padding
            (low, high, widen) = (low - room, high + room, false)
        }
        if axis.isDate {
            self = AxisScale.dates(low: low, high: high, length: length, spacing: spacing, gap: gap, measure: measure)
            return
        }
        var count = Swift.max(3, Swift.min(10, Int(length / spacing)))
        var ticks = Ticks(low: low, high: high, count: count, style: axis.style, widen: widen && axis.fixed == nil, integers: integers && axis.style == .plain)
        // Fewer ticks until the labels fit side by side.
        while count > 2 {
            let room = length / Double(Swift.max(ticks.values.count - 1, 1))
            let widest = ticks.labels.map(measure).max() ?? 0
            if widest + gap <= room { break }
            count -= 1
            ticks = Ticks(low: low, high: high, count: count, style: axis.style, widen: widen && axis.fixed == nil, integers: integers && axis.style == .plain)
        }
        lower = ticks.lower
        upper = ticks.upper
        self.ticks = Array(zip(ticks.values, ticks.labels))
    }

    /// Date ticks at whole days, weeks, months or years, labelled "2024-03-05",
    /// "2024-03" or "2024"; the range stays the data's.
    static func dates(low: Double, high: Double, length: Double, spacing: Double, gap: Double, measure: (String) -> Double) -> AxisScale {
        let (low, high) = high > low ? (low, high) : (low - 1, high + 1)
        // (step, unit): days, months or years between ticks.
        let steps: [(Int, Calendar.Component)] = [(1, .day), (2, .day), (7, .day), (14, .day), (1, .month), (2, .month), (3, .month), (6, .month),
                                                  (1, .year), (2, .year), (5, .year), (10, .year), (20, .year), (50, .year), (100, .year)]
        var best: [(Double, String)] = []
        for (step, unit) in steps {
            let ticks = dateTicks(low: low, high: high, step: step, unit: unit)
            best = ticks
            guard ticks.count <= Swift.max(3, Swift.min(12, Int(length / spacing))) else { continue }
            let room = length / Double(Swift.max(ticks.count - 1, 1))
            let widest = ticks.map { measure($0.1) }.max() ?? 0
            if widest + gap <= room || ticks.count <= 2 { break }
        }
        return AxisScale(lower: low, upper: high, ticks: best.map { (value: $0.0, label: $0.1) })
    }

    private init(lower: Double, upper: Double, ticks: [(value: Double, label: String)]) {
        self.lower = lower
        self.upper = upper
        self.ticks = ticks
    }

    /// Ticks every `step` units inside low...high: days counted from 1970-01-01 (weeks
    /// start on Monday), months on the 1st, years on 1 January.
    static func dateTicks(low: Double, high: Double, step: Int, unit: Calendar.Component) -> [(Double, String)] {
        let first = Int32(low.rounded(.up)), last = Int32(high.rounded(.down))
        guard first <= last else { return [] }
        var out: [(Double, String)] = []
        switch unit {
        case .day:
            // Weekly ticks on Mondays (1970-01-05 was one).
            let anchor: Int32 = step % 7 == 0 ? 4 : 0
            var day = first + ((anchor - first) % Int32(step) + Int32(step)) % Int32(step)
            while day <= last && out.count <= 400 {
                out.append((Double(day), Dates.iso(day)))
                day += Int32(step)
            }
        default:
            let start = Dates.civil(first)
            var (year, month) = unit == .year ? ((start.year + step - 1) / step * step, 1) : (start.year, start.month)
            if unit == .month { month = ((month - 1 + step - 1) / step) * step + 1 }
            while out.count <= 400 {
                if month > 12 { year += (month - 1) / 12; month = (month - 1) % 12 + 1 }
                guard let day = Dates.days(year: year, month: month, day: 1), day <= last else { break }
                if day >= first {
                    let label = unit == .year ? String(year) : String(format: "%04d-%02d", year, month)
                    out.append((Double(day), label))
                }
                if unit == .year { year += step } else { month += step }
            }
        }
        return out
    }
}

extension Chart {
    /// The range of the values on the x (or y) axis over all series and references, and
    /// whether the series' values are all whole numbers.
    func dataRange(x onX: Bool) -> (low: Double, high: Double, integers: Bool) {
        var low = Double.infinity, high = -Double.infinity
        var integers = true
        for s in series {
            for v in onX ? s.x : s.y + (s.lower ?? []) + (s.upper ?? []) {
                low = Swift.min(low, v)
                high = Swift.max(high, v)
                if integers && v != v.rounded() { integers = false }
            }
        }
        if !onX || series.allSatisfy({ $0.mark != .bars }) {
            for r in references {
                for v in onX ? r.x : r.y {
                    low = Swift.min(low, v)
                    high = Swift.max(high, v)
                }
            }
        }
        return low <= high ? (low, high, integers) : (0, 1, false)
    }
}
