import DataKit
import Foundation

/// Values for one axis as a script gives them: numbers, names of categories, or dates
/// (whole days since 1970-01-01, as DataKit stores them).
public enum PlotValues {
    case numbers([Double])
    case categories([String])
    case dates([Double])

    public var count: Int {
        switch self {
        case .numbers(let v), .dates(let v): return v.count
        case .categories(let v): return v.count
        }
    }
}

extension Chart {
    /// Lines through (x, y) for each series in `y`. `x` is empty (1, 2, ... n), one
    /// sequence shared by all series, or one per series. Dots mark the points when
    /// `markers` is true, or by default when a series has at most 30 points.
    public static func line(x: [PlotValues], y: [[Double]], style: Style, markers: Bool? = nil) throws -> Chart {
        try xy(.line, x: x, y: y, style: style) { _ in .line }
            .withMarkers { markers ?? ($0.y.count <= 30) }
    }

    /// Points at (x, y) for each series in `y`; `x` as for `line`.
    public static func scatter(x: [PlotValues], y: [[Double]], style: Style) throws -> Chart {
        guard !x.isEmpty else { throw PlotError(argument: "x", "a scatter plot needs x values") }
        let chart = try xy(.scatter, x: x, y: y, style: style) { _ in .points }
        chart.x.padding = 0.03
        chart.y.padding = 0.04
        return chart
    }

    /// Bars for each category, one bar per series side by side; `categories` defaults to
    /// "1", "2", ... The value axis always includes 0. `intervals` gives each series'
    /// lower and upper bounds (confidence intervals), drawn as whiskers on the bars.
    public static func bar(categories: [String]?, values: [[Double]], intervals: (lower: [[Double]], upper: [[Double]])? = nil, style: Style) throws -> Chart {
        try checkSeries(values, argument: "values")
        let count = values[0].count
        if let i = values.firstIndex(where: { $0.count != count }) {
            throw PlotError(argument: "values", "series \(i + 1) has \(values[i].count) values but series 1 has \(count); grouped bars need one value per category in every series")
        }
        let names = categories ?? (1...count).map(String.init)
        guard names.count == count else {
            throw PlotError(argument: "categories", "has \(names.count) names but there are \(count) values")
        }
        let positions = (0..<count).map(Double.init)
        let chart = try Chart(kind: .bar, series: values.enumerated().map { i, v in
            Series(name: values.count > 1 ? "series \(i + 1)" : "", mark: .bars, x: positions, y: v)
        }, style: style, xLabel: "", yLabel: "")
        if let intervals {
            try checkIntervals(intervals, values: values)
            for i in chart.series.indices {
                chart.series[i].lower = intervals.lower[i]
                chart.series[i].upper = intervals.upper[i]
            }
        }
        chart.x.categories = names
        chart.y.includesZero = true
        return chart
    }

    /// Interval bounds shaped as the values, finite, each lower bound at most its upper one.
    static func checkIntervals(_ intervals: (lower: [[Double]], upper: [[Double]]), values: [[Double]]) throws {
        for (argument, bounds) in [("lower", intervals.lower), ("upper", intervals.upper)] {
            guard bounds.count == values.count else {
                throw PlotError(argument: argument, "expected \(values.count) sequence\(values.count == 1 ? "" : "s") of bounds (one per series of values), got \(bounds.count)")
            }
            for (i, b) in bounds.enumerated() {
                guard b.count == values[i].count else {
                    throw PlotError(argument: argument, "\(values.count > 1 ? "series \(i + 1) " : "")has \(b.count) bounds but there are \(values[i].count) values; give one bound per bar")
                }
                if let k = b.firstIndex(where: { !$0.isFinite }) {
                    throw PlotError(argument: argument, "\(values.count > 1 ? "series \(i + 1), " : "")element \(k + 1) is \(b[k].isNaN ? "NaN (missing)" : formatReadable(b[k])); bounds must be finite numbers")
                }
            }
        }
        for i in values.indices {
            if let k = values[i].indices.first(where: { intervals.lower[i][$0] > intervals.upper[i][$0] }) {
                throw PlotError(argument: "lower", "\(values.count > 1 ? "series \(i + 1), " : "")element \(k + 1) is \(formatReadable(intervals.lower[i][k])), above its upper bound \(formatReadable(intervals.upper[i][k]))")
            }
        }
    }

    /// Bins for a histogram: a number of equal-width bins over the data's range, or the
    /// bin edges (increasing; values outside them are not counted, as numpy).
    public enum Bins {
        case count(Int)
        case edges([Double])
    }

    /// Counts of values per bin, one outlined bar set per series over the same bins.
    public static func histogram(values: [[Double]], bins: Bins, style: Style) throws -> Chart {
        try checkSeries(values, argument: "values")
        let edges: [Double]
        switch bins {
        case .count(let n):
            guard n >= 1 && n <= 1000 else { throw PlotError(argument: "bins", "expected between 1 and 1000 bins, got \(n)") }
            let all = values.joined()
            var low = all.min() ?? 0, high = all.max() ?? 1
            if low == high { (low, high) = (low - 0.5, high + 0.5) }
            edges = (0...n).map { low + (high - low) * Double($0) / Double(n) }
        case .edges(let given):
            guard given.count >= 2, zip(given, given.dropFirst()).allSatisfy({ $0 < $1 }), given.allSatisfy({ $0.magnitude <= largestValue }) else {
                throw PlotError(argument: "bins", "expected at least two increasing bin edges within ±1e100, got \(given.map(formatReadable).joined(separator: ", "))")
            }
            edges = given
        }
        let series = values.enumerated().map { i, v in
            Series(name: values.count > 1 ? "series \(i + 1)" : "", mark: .histogram, x: edges, y: histogramCounts(v, edges: edges))
        }
        let chart = try Chart(kind: .hist, series: series, style: style, xLabel: "", yLabel: "count")
        chart.y.includesZero = true
        return chart
    }

    /// numpy.histogram's counts: bins closed on the left, the last also on the right.
    static func histogramCounts(_ values: [Double], edges: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: edges.count - 1)
        for v in values where v >= edges[0] && v <= edges[edges.count - 1] {
            var low = 0, high = edges.count - 1   // last edge <= v
            while high - low > 1 {
                let mid = (low + high) / 2
                if edges[mid] <= v { low = mid } else { high = mid }
            }
            counts[Swift.min(low, counts.count - 1)] += 1
        }
        return counts
    }

    /// Loss per epoch for each named history ("train", "valid", ...), epochs from 1.
    public static func lossCurve(histories: [(name: String, losses: [Double])], style: Style) throws -> Chart {
        guard !histories.isEmpty else { throw PlotError(argument: "history", "expected a list of losses or {train = {...}, valid = {...}}, got an empty table") }
        try checkSeries(histories.map(\.losses), argument: "history", names: histories.map(\.name))
        let series = histories.map { name, losses in
            Series(name: histories.count > 1 ? name : "", mark: .line, x: (1...losses.count).map(Double.init), y: losses, markers: losses.count <= 30)
        }
        var style = style
        if style.title.isEmpty { style.title = "Loss" }
        return try Chart(kind: .lossCurve, series: series, style: style, xLabel: "epoch", yLabel: "loss")
    }

    /// Builds an x-y chart: resolves x (default 1...n, shared or per series, numbers,
    /// categories or dates) and checks every value.
    static func xy(_ kind: Kind, x: [PlotValues], y: [[Double]], style: Style, mark: (Int) -> Series.Mark) throws -> Chart {
        try checkSeries(y, argument: "y")
        guard x.count <= 1 || x.count == y.count else {
            throw PlotError(argument: "x", "expected one x sequence for all series or one per series (\(y.count)), got \(x.count)")
        }
        // Text that is all ISO dates ("2024-03-05") is a date axis.
        let x = x.map { values -> PlotValues in
            guard case .categories(let names) = values else { return values }
            let days = names.map(Dates.parseISO)
            return days.allSatisfy({ $0 != nil }) ? .dates(days.map { Double($0 ?? 0) }) : values
        }
        var categories: [String] = []
        var categoryIndex: [String: Int] = [:]
        var isDate: Bool?
        var isCategorical: Bool?
        var series: [Series] = []
        for (i, values) in y.enumerated() {
            let given = x.isEmpty ? nil : x[Swift.min(i, x.count - 1)]
            let positions: [Double]
            switch given {
            case nil:
                positions = (1...values.count).map(Double.init)
            case .numbers(let v), .dates(let v):
                try checkFinite(v, argument: "x", series: x.count > 1 ? i : nil)
                positions = v
            case .categories(let names):
                positions = names.map { name in
                    if let k = categoryIndex[name] { return Double(k) }
                    categoryIndex[name] = categories.count
                    categories.append(name)
                    return Double(categories.count - 1)
                }
            }
            if let given {
                let date: Bool, categorical: Bool
                switch given {
                case .dates: (date, categorical) = (true, false)
                case .categories: (date, categorical) = (false, true)
                case .numbers: (date, categorical) = (false, false)
                }
                if (isDate.map { $0 != date } ?? false) || (isCategorical.map { $0 != categorical } ?? false) {
                    throw PlotError(argument: "x", "series mix numbers, dates and names on the x axis; give every series the same kind of x")
                }
                (isDate, isCategorical) = (date, categorical)
                guard given.count == values.count else {
                    throw PlotError(argument: "y", "\(y.count > 1 ? "series \(i + 1) " : "")has \(values.count) values but x has \(given.count); x and y must have the same length")
                }
            }
            series.append(Series(name: y.count > 1 ? "series \(i + 1)" : "", mark: mark(i), x: positions, y: values))
        }
        let chart = try Chart(kind: kind, series: series, style: style, xLabel: "", yLabel: "")
        if isCategorical == true { chart.x.categories = categories }
        chart.x.isDate = isDate == true
        return chart
    }

    /// Every series non-empty and every value finite.
    static func checkSeries(_ series: [[Double]], argument: String, names: [String]? = nil) throws {
        guard !series.isEmpty else { throw PlotError(argument: argument, "expected at least one series, got none") }
        for (i, values) in series.enumerated() {
            let which = names.map { "'\($0[i])' " } ?? (series.count > 1 ? "series \(i + 1) " : "")
            guard !values.isEmpty else { throw PlotError(argument: argument, "\(which.isEmpty ? "" : which.dropLast() + ": ")expected at least one value, got none") }
            try checkFinite(values, argument: argument, series: names == nil && series.count > 1 ? i : nil, name: names?[i])
        }
    }

    /// Values a chart can place: finite, and within ±1e100 so that no range overflows.
    static let largestValue = 1e100

    static func checkFinite(_ values: [Double], argument: String, series: Int? = nil, name: String? = nil) throws {
        guard let bad = values.firstIndex(where: { !($0.magnitude <= largestValue) }) else { return }
        let which = name.map { "'\($0)' " } ?? series.map { "series \($0 + 1), " } ?? ""
        let value = values[bad]
        if value.isFinite {
            throw PlotError(argument: argument, "\(which)value \(bad + 1) is \(formatReadable(value)), too large to draw; rescale the data")
        }
        let what = value.isNaN ? "NaN or missing" : "infinite"
        throw PlotError(argument: argument, "\(which)value \(bad + 1) is \(what); drop or fill missing values first")
    }

    /// Sets `markers` on each line series from `rule`.
    func withMarkers(_ rule: (Series) -> Bool) -> Chart {
        for i in series.indices where series[i].mark == .line { series[i].markers = rule(series[i]) }
        return self
    }
}
