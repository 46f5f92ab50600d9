import Foundation

/// The curves behind the model-evaluation charts, computed the way scikit-learn
/// (roc_curve, precision_recall_curve, calibration_curve) and scikit-uplift (qini_curve)
/// compute them, so a chart shows the numbers an analyst checks it against.
public enum Curves {
    /// Cumulative counts at each distinct score, highest score first (scikit-learn's
    /// `_binary_clf_curve`): `tps[i]`/`fps[i]` positives/negatives scoring at least
    /// `thresholds[i]`.
    struct Thresholded {
        var tps: [Double] = []
        var fps: [Double] = []
        var thresholds: [Double] = []
        var positives: Double { tps.last ?? 0 }
        var negatives: Double { fps.last ?? 0 }
    }

    /// Row order by descending score; ties keep their input order.
    static func descendingOrder(_ scores: [Double]) -> [Int] {
        Array(scores.indices).sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }

    static func thresholded(_ labels: [Bool], _ scores: [Double]) -> Thresholded {
        let order = descendingOrder(scores)
        var out = Thresholded()
        var positives = 0.0
        for (rank, row) in order.enumerated() {
            if labels[row] { positives += 1 }
            let isLastOfTie = rank == order.count - 1 || scores[order[rank + 1]] != scores[row]
            if isLastOfTie {
                out.tps.append(positives)
                out.fps.append(Double(rank + 1) - positives)
                out.thresholds.append(scores[row])
            }
        }
        return out
    }

    /// Checks that `values` are 0/1 (or false/true) labels and returns them as booleans.
    public static func labels(_ values: [Double], argument: String) throws -> [Bool] {
        try values.enumerated().map { i, v in
            guard v == 0 || v == 1 else {
                throw PlotError(argument: argument, "expected 0/1 labels, got \(v.isNaN ? "NaN" : formatReadable(v)) at position \(i + 1)")
            }
            return v == 1
        }
    }

    /// Both classes must be present for a ROC or PR curve.
    static func requireBothClasses(_ curve: Thresholded, chart: String) throws {
        if curve.positives == 0 || curve.negatives == 0 {
            throw PlotError(argument: "y", "holds only \(curve.positives == 0 ? "negatives (0)" : "positives (1)"); a \(chart) needs both classes")
        }
    }

    /// False and true positive rates at each kept threshold, as scikit-learn's
    /// `roc_curve(y, score)` (drop_intermediate=True): points where the curve bends,
    /// starting at (0, 0) with threshold +inf.
    public static func roc(labels: [Bool], scores: [Double]) throws -> (fpr: [Double], tpr: [Double], thresholds: [Double]) {
        var c = thresholded(labels, scores)
        try requireBothClasses(c, chart: "ROC curve")
        if c.tps.count > 2 {
            var keep = [0]
            for i in 1..<(c.tps.count - 1) {
                let bendsFalse = c.fps[i + 1] - 2 * c.fps[i] + c.fps[i - 1] != 0
                let bendsTrue = c.tps[i + 1] - 2 * c.tps[i] + c.tps[i - 1] != 0
                if bendsFalse || bendsTrue { keep.append(i) }
            }
            keep.append(c.tps.count - 1)
            c = Thresholded(tps: keep.map { c.tps[$0] }, fps: keep.map { c.fps[$0] }, thresholds: keep.map { c.thresholds[$0] })
        }
        let (p, n) = (c.positives, c.negatives)
        let fpr: [Double] = [0] + c.fps.map { $0 / n }
        let tpr: [Double] = [0] + c.tps.map { $0 / p }
        return (fpr, tpr, [Double.infinity] + c.thresholds)
    }

    /// The area under a curve by the trapezoidal rule (x increasing).
    public static func area(x: [Double], y: [Double]) -> Double {
        var total = 0.0
        for i in x.indices.dropFirst() { total += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
        return total
    }

    /// Precision and recall as scikit-learn's `precision_recall_curve(y, score)`: recall
    /// decreasing, ending at (recall 0, precision 1).
    public static func precisionRecall(labels: [Bool], scores: [Double]) throws -> (precision: [Double], recall: [Double]) {
        let c = thresholded(labels, scores)
        try requireBothClasses(c, chart: "precision-recall curve")
        var precision: [Double] = [], recall: [Double] = []
        for i in stride(from: c.tps.count - 1, through: 0, by: -1) {
            let predicted = c.tps[i] + c.fps[i]
            precision.append(predicted == 0 ? 0 : c.tps[i] / predicted)
            recall.append(c.tps[i] / c.positives)
        }
        return (precision + [1], recall + [0])
    }

    /// Average precision as scikit-learn: Σ (R_k − R_{k+1}) P_k over the curve above.
    public static func averagePrecision(precision: [Double], recall: [Double]) -> Double {
        var total = 0.0
        for i in recall.indices.dropLast() { total += (recall[i] - recall[i + 1]) * precision[i] }
        return total
    }

    /// Cumulative gains: the share of all positives among the customers with the highest
    /// scores, at each distinct score (x: share of customers targeted), from (0, 0).
    public static func gains(labels: [Bool], scores: [Double]) throws -> (targeted: [Double], captured: [Double]) {
        let c = thresholded(labels, scores)
        guard c.positives > 0 else { throw PlotError(argument: "y", "holds no positives (1); a gains chart needs some") }
        let total = Double(labels.count)
        return ([0] + zip(c.tps, c.fps).map { ($0 + $1) / total }, [0] + c.tps.map { $0 / c.positives })
    }

    /// Lift at each of `bins` depths (10%, 20%, ... of customers by descending score):
    /// the positive rate among those targeted (cumulative) or within the slice alone,
    /// over the overall positive rate.
    public static func lift(labels: [Bool], scores: [Double], bins: Int, cumulative: Bool) throws -> (depth: [Double], lift: [Double]) {
        guard bins >= 1 && bins <= labels.count else {
            throw PlotError(argument: "bins", "expected between 1 and the number of rows (\(labels.count)), got \(bins)")
        }
        let order = descendingOrder(scores)
        let positives = Double(labels.filter { $0 }.count)
        guard positives > 0 else { throw PlotError(argument: "y", "holds no positives (1); a lift chart needs some") }
        let baseRate = positives / Double(labels.count)
        var depth: [Double] = [], lift: [Double] = []
        var start = 0, hitsBefore = 0.0, hits = 0.0
        for k in 1...bins {
            let end = Int((Double(k * labels.count) / Double(bins)).rounded())
            hitsBefore = hits
            for rank in start..<end where labels[order[rank]] { hits += 1 }
            let (rows, found) = cumulative ? (end, hits) : (end - start, hits - hitsBefore)
            depth.append(Double(end) / Double(labels.count))
            lift.append(rows == 0 ? 0 : found / Double(rows) / baseRate)
            start = end
        }
        return (depth, lift)
    }

    /// Mean predicted probability and observed positive rate per bin, as scikit-learn's
    /// `calibration_curve(y, prob, n_bins, strategy)`; empty bins are left out.
    public static func calibration(labels: [Bool], probabilities: [Double], bins: Int, quantile: Bool) throws -> (predicted: [Double], observed: [Double]) {
        guard bins >= 1 else { throw PlotError(argument: "bins", "expected a positive number of bins, got \(bins)") }
        if let bad = probabilities.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            throw PlotError(argument: "scores", "expected probabilities between 0 and 1, got \(formatReadable(probabilities[bad])) at position \(bad + 1) (apply a sigmoid to logits first)")
        }
        let edges = quantile ? percentiles(probabilities, count: bins) : (0...bins).map { Double($0) / Double(bins) }
        let inner = Array(edges.dropFirst().dropLast())
        var sums = [Double](repeating: 0, count: bins), hits = sums, totals = sums
        for (p, label) in zip(probabilities, labels) {
            var low = 0, high = inner.count   // first inner edge >= p (numpy searchsorted, side left)
            while low < high {
                let mid = (low + high) / 2
                if inner[mid] < p { low = mid + 1 } else { high = mid }
            }
            sums[low] += p
            totals[low] += 1
            if label { hits[low] += 1 }
        }
        let filled = totals.indices.filter { totals[$0] > 0 }
        return (filled.map { sums[$0] / totals[$0] }, filled.map { hits[$0] / totals[$0] })
    }

    /// numpy.percentile (linear) at 0, 100/count, ..., 100.
    static func percentiles(_ values: [Double], count: Int) -> [Double] {
        let sorted = values.sorted()
        return (0...count).map { k in
            let position = Double(k) / Double(count) * Double(sorted.count - 1)
            let below = Int(position.rounded(.down)), above = Swift.min(below + 1, sorted.count - 1)
            return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
        }
    }

    /// The Qini curve as scikit-uplift's `qini_curve(y, uplift, treatment)`: at each
    /// distinct uplift score (highest first), treated responders minus control responders
    /// scaled by the treated/control ratio among those targeted; x counts customers.
    public static func qini(labels: [Bool], scores: [Double], treatment: [Bool]) throws -> (targeted: [Double], qini: [Double]) {
        guard treatment.contains(true) && treatment.contains(false) else {
            throw PlotError(argument: "treatment", "holds only \(treatment.contains(true) ? "treated (1)" : "control (0)") rows; a Qini curve needs both groups")
        }
        let order = descendingOrder(scores)
        var targeted: [Double] = [], qini: [Double] = []
        var treated = 0.0, treatedHits = 0.0, controlHits = 0.0
        for (rank, row) in order.enumerated() {
            if treatment[row] {
                treated += 1
                if labels[row] { treatedHits += 1 }
            } else if labels[row] {
                controlHits += 1
            }
            if rank == order.count - 1 || scores[order[rank + 1]] != scores[row] {
                let all = Double(rank + 1), control = all - treated
                targeted.append(all)
                qini.append(treatedHits - (control == 0 ? 0 : controlHits * treated / control))
            }
        }
        return ([0] + targeted, [0] + qini)
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
