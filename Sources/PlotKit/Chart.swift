import Foundation

/// A chart: series drawn on two axes, with a title, axis labels and a legend. The
/// builders (`Chart.line`, `Chart.roc`, ...) make one from data; `svg()` and `text()`
/// draw it. A chart holds numbers only, never Lua values.
public final class Chart {
    /// What made the chart, for its summary line.
    public enum Kind: String, CaseIterable {
        case line, bar, hist, scatter, roc, pr, gains, lift, calibration, qini
        case lossCurve = "loss_curve"
    }

    /// One named set of values and how it is drawn.
    public struct Series {
        public enum Mark: Equatable {
            case line
            /// A line that holds each value until the next x (precision-recall).
            case step
            case points
            /// Bars over categories: x holds category positions 0, 1, 2, ...
            case bars
            /// Bars between consecutive edges: x holds n + 1 edges, y the n counts.
            case histogram
        }
        public var name: String
        public var mark: Mark
        public var x: [Double]
        public var y: [Double]
        /// Dots on the points of a line (for short lines).
        public var markers = false
        /// Interval bounds per value (confidence intervals on bars), drawn as whiskers.
        public var lower: [Double]?
        public var upper: [Double]?
        public var color: String = ""

        public init(name: String, mark: Mark, x: [Double], y: [Double], markers: Bool = false) {
            self.name = name
            self.mark = mark
            self.x = x
            self.y = y
            self.markers = markers
        }
    }

    /// A grey dashed line for comparison ("random", "perfectly calibrated"), named in the
    /// legend.
    public struct Reference {
        public var name: String
        public var x: [Double]
        public var y: [Double]
    }

    /// How one axis maps and labels values.
    public struct Axis {
        public var label = ""
        public var style = NumberStyle.plain
        /// A range that is not taken from the data (0...1 for rates).
        public var fixed: ClosedRange<Double>?
        /// Keeps 0 inside the range (bar heights and counts).
        public var includesZero = false
        /// Names of the positions 0, 1, 2, ... on a categorical axis.
        public var categories: [String]?
        /// The values are days since 1970-01-01 and are labelled as dates.
        public var isDate = false
        /// Room left on both sides, as a share of the data range (scatter plots: points
        /// do not sit on the axes); the range then keeps to the data.
        public var padding = 0.0

        public init() {}
    }

    /// Where the legend goes; `automatic` takes the corner that hides the fewest points.
    public enum LegendPlacement: String, CaseIterable {
        case automatic = "auto", none, topLeft = "top-left", topRight = "top-right", bottomLeft = "bottom-left", bottomRight = "bottom-right"
    }

    /// Options every builder takes (the Lua options table), with their defaults.
    public struct Style {
        public var title = ""
        public var xLabel: String?
        public var yLabel: String?
        /// Series names, in order.
        public var labels: [String]?
        public var legend = LegendPlacement.automatic
        public var width = 640
        public var height = 400
        /// CSS colours for the series, in order (the palette fills in the rest).
        public var colors: [String] = []

        public init() {}
    }

    /// Colour-blind-friendly series colours (Tableau 10).
    public static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"]

    public let kind: Kind
    public var title: String
    public var x = Axis()
    public var y = Axis()
    public var series: [Series]
    public var references: [Reference] = []
    public var legend: LegendPlacement
    public var width: Int
    public var height: Int

    init(kind: Kind, series: [Series], style: Style, xLabel: String, yLabel: String) throws {
        guard (200...4000).contains(style.width) else { throw PlotError(argument: "width", "expected a width between 200 and 4000 pixels, got \(style.width)") }
        guard (150...4000).contains(style.height) else { throw PlotError(argument: "height", "expected a height between 150 and 4000 pixels, got \(style.height)") }
        if let labels = style.labels, labels.count != series.count {
            throw PlotError(argument: "labels", "expected \(series.count) label\(series.count == 1 ? "" : "s") (one per series), got \(labels.count)")
        }
        for color in style.colors where !Chart.isColor(color) {
            throw PlotError(argument: "colors", "expected CSS colours such as \"#1f77b4\" or \"teal\", got '\(color)'")
        }
        self.kind = kind
        self.title = style.title
        self.series = series
        self.legend = style.legend
        self.width = style.width
        self.height = style.height
        x.label = style.xLabel ?? xLabel
        y.label = style.yLabel ?? yLabel
        for i in self.series.indices {
            if let labels = style.labels { self.series[i].name = labels[i] }
            self.series[i].color = i < style.colors.count ? style.colors[i] : Chart.palette[i % Chart.palette.count]
        }
    }

    /// A hex colour (#rgb, #rrggbb) or a CSS colour name: letters only, so nothing can
    /// escape the attribute it is written into.
    static func isColor(_ text: String) -> Bool {
        if text.hasPrefix("#") {
            let digits = text.dropFirst()
            return [3, 4, 6, 8].contains(digits.count) && digits.allSatisfy(\.isHexDigit)
        }
        return !text.isEmpty && text.count <= 30 && text.allSatisfy { $0.isASCII && $0.isLetter }
    }

    /// Series and references that go in the legend: named series, then references.
    var legendEntries: [(name: String, color: String, dash: String?)] {
        series.filter { !$0.name.isEmpty }.map { ($0.name, $0.color, nil) }
            + references.indices.map { (references[$0].name, Chart.referenceStyle($0).color, Chart.referenceStyle($0).dash) }
    }

    /// Grey dashes for the first reference, darker dots for the second.
    static func referenceStyle(_ index: Int) -> (color: String, dash: String) {
        index % 2 == 0 ? ("#9ca3af", "5 4") : ("#6b7280", "1.5 3")
    }

    /// One line: "Chart(roc, 'Churn model', 2 series, 640x400)".
    public var summary: String {
        let name = title.isEmpty ? "" : ", '\(title)'"
        let points = series.reduce(0) { $0 + $1.y.count }
        return "Chart(\(kind.rawValue)\(name), \(series.count) series, \(points) points, \(width)x\(height))"
    }
}

/// A mistake in the data or options given to a chart or report. `argument` names the
/// argument or option at fault (the Lua binding turns it into "bad argument #2 (y)").
public struct PlotError: Error, CustomStringConvertible {
    public let argument: String?
    public let message: String

    public init(argument: String? = nil, _ message: String) {
        self.argument = argument
        self.message = message
    }

    public var description: String { argument.map { "\($0): \(message)" } ?? message }
}
