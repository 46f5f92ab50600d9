import Foundation
import DataKit
import TensorKit

/// The curves behind the model-evaluation charts. ROC, precision-recall, calibration and
/// Qini curves come from the `metrics` core (DataKit's Metrics: scikit-learn's and
/// scikit-uplift's points, one radix-sorted ranking); gains and lift by depth are
/// computed here. Labels arrive checked as 0/1 (`labels(_:argument:)`).
public enum Curves {
    /// Checks that `values` are 0/1 (or false/true) labels and returns them as booleans.
    public static func labels(_ values: [Double], argument: String) throws -> [Bool] {
        try values.enumerated().map { i, v in
            guard v == 0 || v == 1 else {
                throw PlotError(argument: argument, "expected 0/1 labels, got \(v.isNaN ? "NaN" : formatReadable(v)) at position \(i + 1)")
            }
            return v == 1
        }
    }

    static func bytes(_ labels: [Bool]) -> [UInt8] { labels.map { $0 ? 1 : 0 } }

    /// Both classes must be present for a ROC or PR curve.
    static func requireBothClasses(_ labels: [Bool], chart: String) throws {
        let positives = labels.lazy.filter { $0 }.count
        if positives == 0 || positives == labels.count {
            throw PlotError(argument: "y", "holds only \(positives == 0 ? "negatives (0)" : "positives (1)"); a \(chart) needs both classes")
        }
    }

    /// Messages from the metrics core name the chart.
    static func metrics<T>(_ function: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as TensorError {
            throw PlotError(error.message.hasPrefix(function + ": ") ? String(error.message.dropFirst(function.count + 2)) : error.message)
        }
    }

    /// False and true positive rates at each kept threshold, as scikit-learn's
    /// `roc_curve(y, score)` (drop_intermediate=True), from (0, 0) at threshold +inf.
    public static func roc(labels: [Bool], scores: [Double], dropIntermediate: Bool = true) throws -> (fpr: [Double], tpr: [Double], thresholds: [Double]) {
        try requireBothClasses(labels, chart: "ROC curve")
        return try metrics("plot.roc") { try Metrics.rocCurve(.init("plot.roc", labels: bytes(labels), scores: scores), dropIntermediate: dropIntermediate) }
    }

    /// The area under a curve by the trapezoidal rule (x increasing).
    public static func area(x: [Double], y: [Double]) -> Double {
        var total = 0.0
        for i in x.indices.dropFirst() { total += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
        return total
    }

    /// Precision and recall as scikit-learn's `precision_recall_curve(y, score)`, recall
    /// decreasing to (recall 0, precision 1), and the average precision.
    public static func precisionRecall(labels: [Bool], scores: [Double]) throws -> (precision: [Double], recall: [Double], averagePrecision: Double) {
        try requireBothClasses(labels, chart: "precision-recall curve")
        let input = Metrics.BinaryScores("plot.pr", labels: bytes(labels), scores: scores)
        let curve = try metrics("plot.pr") { try Metrics.precisionRecallCurve(input) }
        return (curve.precision, curve.recall, try metrics("plot.pr") { try Metrics.averagePrecision(input) })
    }

    /// Cumulative gains: the share of all positives among the customers with the highest
    /// scores, at each distinct score (x: share of customers targeted), from (0, 0).
    public static func gains(labels: [Bool], scores: [Double]) throws -> (targeted: [Double], captured: [Double]) {
        let positives = Double(labels.lazy.filter { $0 }.count), negatives = Double(labels.count) - positives
        guard positives > 0 else { throw PlotError(argument: "y", "holds no positives (1); a gains chart needs some") }
        guard negatives > 0 else { return ([0, 1], [0, 1]) }
        let roc = try roc(labels: labels, scores: scores, dropIntermediate: false)
        let total = Double(labels.count)
        return (zip(roc.fpr, roc.tpr).map { ($0 * negatives + $1 * positives) / total }, roc.tpr)
    }

    /// Lift per bin (or cumulative) of rows ranked by score, from the same decile table
    /// as `metrics.gains_table` (bins cut as numpy's array_split); x is the share of rows
    /// targeted down to each bin.
    public static func lift(labels: [Bool], scores: [Double], bins: Int, cumulative: Bool) throws -> (depth: [Double], lift: [Double]) {
        guard bins >= 1 && bins <= labels.count else {
            throw PlotError(argument: "bins", "expected between 1 and the number of rows (\(labels.count)), got \(bins)")
        }
        guard labels.contains(true) else { throw PlotError(argument: "y", "holds no positives (1); a lift chart needs some") }
        let table = try metrics("plot.lift") { try Metrics.gainsTable(Metrics.BinaryScores("plot.lift", labels: bytes(labels), scores: scores), bins: bins) }
        guard let rows = table.column("cum_n")?.numbers, let lift = table.column(cumulative ? "cum_lift" : "lift")?.numbers else {
            throw PlotError("internal error: the gains table lacks its lift columns")
        }
        return (rows.map { ($0 ?? 0) / Double(labels.count) }, lift.map { $0 ?? 0 })
    }

    /// Mean predicted probability and observed positive rate per bin, as scikit-learn's
    /// `calibration_curve(y, prob, n_bins, strategy)`; empty bins are left out.
    public static func calibration(labels: [Bool], probabilities: [Double], bins: Int, quantile: Bool) throws -> (predicted: [Double], observed: [Double]) {
        guard (1...1000).contains(bins) else { throw PlotError(argument: "bins", "expected between 1 and 1000 bins, got \(bins)") }
        if let bad = probabilities.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            throw PlotError(argument: "scores", "expected probabilities between 0 and 1, got \(formatReadable(probabilities[bad])) at position \(bad + 1) (apply a sigmoid to logits first)")
        }
        let curve = try metrics("plot.calibration") {
            try Metrics.calibrationCurve("plot.calibration", labels: bytes(labels), probabilities: probabilities, bins: bins, strategy: quantile ? .quantile : .uniform)
        }
        return (curve.probPredicted, curve.probTrue)
    }

    /// The Qini curve as scikit-uplift's `qini_curve(y, uplift, treatment)`: at each
    /// distinct uplift score (highest first), treated responders minus control responders
    /// scaled by the treated/control ratio among those targeted; x counts customers.
    public static func qini(labels: [Bool], scores: [Double], treatment: [Bool]) throws -> (targeted: [Double], qini: [Double]) {
        guard treatment.contains(true) && treatment.contains(false) else {
            throw PlotError(argument: "treatment", "holds only \(treatment.contains(true) ? "treated (1)" : "control (0)") rows; a Qini curve needs both groups")
        }
        guard labels.contains(true) && labels.contains(false) else {
            throw PlotError(argument: "y", "holds only \(labels.contains(true) ? "responders (1)" : "non-responders (0)"); a Qini curve needs both outcomes")
        }
        let curve = try metrics("plot.qini") {
            try Metrics.qiniCurve(try Metrics.UpliftInput("plot.qini", outcomes: bytes(labels), uplift: scores, treatment: bytes(treatment)))
        }
        return (curve.n, curve.values)
    }
}

/// A value for people to read: whole numbers with thousands separators ("120,500"),
/// others with four significant digits ("0.8423", "12.35", "1,235").
public func formatReadable(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    let magnitude = Swift.abs(value)
    if value == value.rounded() || magnitude >= 1000 {
        guard magnitude < 1e15 else { return String(format: "%.4g", value) }
        let digits = String(Int64(magnitude.rounded()))
        var grouped = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return (value < 0 && grouped != "0" ? "-" : "") + grouped
    }
    if magnitude < 1e-4 { return String(format: "%.3g", value) }
    let decimals = Swift.max(0, 3 - Int(log10(magnitude).rounded(.down)))
    var text = String(format: "%.\(decimals)f", value)
    while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
    return text
}
