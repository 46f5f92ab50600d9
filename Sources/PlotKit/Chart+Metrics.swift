import Foundation

/// The model-evaluation charts: each takes the true 0/1 labels and one or more score
/// series (one per model, named by `style.labels`) and computes its curve (see Curves).
extension Chart {
    /// The labels and score series checked against each other.
    static func scored(_ y: [Double], _ scores: [[Double]]) throws -> [Bool] {
        guard !y.isEmpty else { throw PlotError(argument: "y", "is empty; expected at least one label") }
        try checkFinite(y, argument: "y")
        let labels = try Curves.labels(y, argument: "y")
        try checkSeries(scores, argument: "scores")
        for (i, s) in scores.enumerated() where s.count != y.count {
            throw PlotError(argument: "scores", "\(scores.count > 1 ? "series \(i + 1) " : "")has \(s.count) values but y has \(y.count); they must have the same length")
        }
        return labels
    }

    /// "model (AUC 0.842)": the series name with its summary statistic.
    static func modelName(_ style: Style, _ i: Int, count: Int, _ statistic: String) -> String {
        let name = style.labels?[i] ?? (count > 1 ? "model \(i + 1)" : "model")
        return "\(name) (\(statistic))"
    }

    /// Checks the labels option before the builders read it.
    static func named(_ style: Style, count: Int) throws -> Style {
        if let labels = style.labels, labels.count != count {
            throw PlotError(argument: "labels", "expected \(count) label\(count == 1 ? "" : "s") (one per score series), got \(labels.count)")
        }
        var unnamed = style
        unnamed.labels = nil
        return unnamed
    }

    /// Builds a chart whose axes both run over a fixed range.
    static func fixedChart(_ kind: Kind, _ series: [Series], _ style: Style, x: (String, ClosedRange<Double>, NumberStyle), y: (String, ClosedRange<Double>?, NumberStyle), title: String) throws -> Chart {
        var style = style
        if style.title.isEmpty { style.title = title }
        let chart = try Chart(kind: kind, series: series, style: style, xLabel: x.0, yLabel: y.0)
        chart.x.fixed = x.1
        chart.x.style = x.2
        chart.y.fixed = y.1
        chart.y.style = y.2
        return chart
    }

    /// ROC curves (scikit-learn's roc_curve points) with each model's AUC, and the
    /// diagonal of a random ranking.
    public static func roc(y: [Double], scores: [[Double]], style: Style) throws -> Chart {
        let labels = try scored(y, scores)
        let plain = try named(style, count: scores.count)
        let series = try scores.enumerated().map { i, s -> Series in
            let curve = try Curves.roc(labels: labels, scores: s)
            let auc = Curves.area(x: curve.fpr, y: curve.tpr)
            return Series(name: modelName(style, i, count: scores.count, "AUC \(String(format: "%.3f", auc))"), mark: .line, x: curve.fpr, y: curve.tpr)
        }
        let chart = try fixedChart(.roc, series, plain, x: ("false positive rate", 0...1, .plain), y: ("true positive rate", 0...1, .plain), title: "ROC curve")
        chart.references = [Reference(name: "random", x: [0, 1], y: [0, 1])]
        return chart
    }

    /// Precision against recall (scikit-learn's precision_recall_curve, drawn as steps)
    /// with each model's average precision, and the positive rate of a random ranking.
    public static func precisionRecall(y: [Double], scores: [[Double]], style: Style) throws -> Chart {
        let labels = try scored(y, scores)
        let plain = try named(style, count: scores.count)
        let series = try scores.enumerated().map { i, s -> Series in
            let curve = try Curves.precisionRecall(labels: labels, scores: s)
            return Series(name: modelName(style, i, count: scores.count, "AP \(String(format: "%.3f", curve.averagePrecision))"), mark: .step, x: curve.recall.reversed(), y: curve.precision.reversed())
        }
        let chart = try fixedChart(.pr, series, plain, x: ("recall", 0...1, .plain), y: ("precision", 0...1, .plain), title: "Precision-recall curve")
        let rate = Double(labels.filter { $0 }.count) / Double(labels.count)
        chart.references = [Reference(name: "random (\(formatReadable(rate)))", x: [0, 1], y: [rate, rate])]
        return chart
    }

    /// Cumulative gains: the share of responders reached when targeting the top-scored
    /// share of customers, against random targeting and a perfect model.
    public static func gains(y: [Double], scores: [[Double]], style: Style) throws -> Chart {
        let labels = try scored(y, scores)
        let plain = try named(style, count: scores.count)
        let series = try scores.enumerated().map { i, s -> Series in
            let curve = try Curves.gains(labels: labels, scores: s)
            return Series(name: style.labels?[i] ?? (scores.count > 1 ? "model \(i + 1)" : "model"), mark: .line, x: curve.targeted, y: curve.captured)
        }
        let chart = try fixedChart(.gains, series, plain, x: ("customers targeted", 0...1, .percent), y: ("responders captured", 0...1, .percent), title: "Cumulative gains")
        let rate = Double(labels.filter { $0 }.count) / Double(labels.count)
        chart.references = [Reference(name: "perfect", x: [0, rate, 1], y: [0, 1, 1]), Reference(name: "random", x: [0, 1], y: [0, 1])]
        return chart
    }

    /// Lift by depth: the responder rate among the top-scored 10%, 20%, ... (with
    /// `bins` = 10) over the overall rate; 1 is random targeting.
    public static func lift(y: [Double], scores: [[Double]], bins: Int, cumulative: Bool, style: Style) throws -> Chart {
        let labels = try scored(y, scores)
        let plain = try named(style, count: scores.count)
        let series = try scores.enumerated().map { i, s -> Series in
            let curve = try Curves.lift(labels: labels, scores: s, bins: bins, cumulative: cumulative)
            return Series(name: style.labels?[i] ?? (scores.count > 1 ? "model \(i + 1)" : "model"), mark: .line, x: curve.depth, y: curve.lift, markers: true)
        }
        let chart = try fixedChart(.lift, series, plain, x: ("customers targeted", 0...1, .percent), y: (cumulative ? "cumulative lift" : "lift", nil, .plain), title: cumulative ? "Cumulative lift" : "Lift by \(bins == 10 ? "decile" : "bin")")
        chart.y.includesZero = true
        chart.references = [Reference(name: "random", x: [0, 1], y: [1, 1])]
        return chart
    }

    /// Reliability diagram: observed positive rate against mean predicted probability per
    /// bin (scikit-learn's calibration_curve), with the diagonal of perfect calibration.
    public static func calibration(y: [Double], scores: [[Double]], bins: Int, quantile: Bool, style: Style) throws -> Chart {
        let labels = try scored(y, scores)
        let plain = try named(style, count: scores.count)
        let series = try scores.enumerated().map { i, s -> Series in
            let curve = try Curves.calibration(labels: labels, probabilities: s, bins: bins, quantile: quantile)
            return Series(name: style.labels?[i] ?? (scores.count > 1 ? "model \(i + 1)" : "model"), mark: .line, x: curve.predicted, y: curve.observed, markers: true)
        }
        let chart = try fixedChart(.calibration, series, plain, x: ("mean predicted probability", 0...1, .plain), y: ("fraction of positives", 0...1, .plain), title: "Calibration")
        chart.references = [Reference(name: "perfectly calibrated", x: [0, 1], y: [0, 1])]
        return chart
    }

    /// Qini curves (scikit-uplift's qini_curve): incremental responders as more customers
    /// are targeted by descending uplift score, against random targeting.
    public static func qini(y: [Double], scores: [[Double]], treatment: [Double], style: Style) throws -> Chart {
        let labels = try scored(y, scores)
        guard treatment.count == y.count else {
            throw PlotError(argument: "treatment", "has \(treatment.count) values but y has \(y.count); they must have the same length")
        }
        try checkFinite(treatment, argument: "treatment")
        let treated = try Curves.labels(treatment, argument: "treatment")
        let plain = try named(style, count: scores.count)
        var end = 0.0
        let series = try scores.enumerated().map { i, s -> Series in
            let curve = try Curves.qini(labels: labels, scores: s, treatment: treated)
            end = curve.qini.last ?? 0
            return Series(name: style.labels?[i] ?? (scores.count > 1 ? "model \(i + 1)" : "model"), mark: .line, x: curve.targeted, y: curve.qini)
        }
        var style = plain
        if style.title.isEmpty { style.title = "Qini curve" }
        let chart = try Chart(kind: .qini, series: series, style: style, xLabel: "customers targeted", yLabel: "incremental responders")
        chart.references = [Reference(name: "random", x: [0, Double(y.count)], y: [0, end])]
        chart.x.fixed = 0...Double(y.count)
        return chart
    }
}
