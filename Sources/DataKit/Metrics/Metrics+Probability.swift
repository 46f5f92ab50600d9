import Foundation
import TensorKit

/// Metrics of predicted probabilities: log loss, Brier score and the calibration curve,
/// with scikit-learn's conventions (clipping at the machine epsilon of the input's dtype,
/// the Brier score halved for two classes, numpy's percentiles for quantile bins).
extension Metrics {
    /// Predicted probabilities: one column (of the positive class, against 0/1 labels) or
    /// one column per class (classes 1...k against 1-based labels).
    public struct Probabilities {
        let values: [Double]
        let columns: Int
        /// The machine epsilon of the input's dtype (log loss clips to [eps, 1 - eps]).
        let epsilon: Double
        /// The argument's name, for messages.
        let name: String
    }

    /// Reads probabilities: every value in [0, 1]; with several columns, rows summing to 1
    /// (within sqrt(eps), as sklearn checks).
    public static func probabilities(_ input: MetricInput) throws -> Probabilities {
        var epsilon = Double.ulpOfOne
        if case .tensor(let t) = input.source, t.dtype == .float32 { epsilon = Double(Float.ulpOfOne) }
        let values: [Double], columns: Int
        if input.isMatrix {
            let m = try input.matrix()
            (values, columns) = (m.values, m.columns)
        } else {
            (values, columns) = (try input.numbers(), 1)
        }
        if let i = values.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            let at = columns == 1 ? "row \(i + 1)" : "row \(i / columns + 1), column \(i % columns + 1)"
            throw input.error(expected: "probabilities in [0, 1] (apply F.sigmoid or F.softmax to scores)", got: "\(values[i]) at \(at)")
        }
        if columns > 1 {
            for r in 0..<(values.count / columns) {
                var sum = 0.0
                for c in 0..<columns { sum += values[r * columns + c] }
                if Swift.abs(sum - 1) > epsilon.squareRoot() {
                    throw input.error(expected: "rows of probabilities that sum to 1 (apply F.softmax(scores, 2))", got: "row \(r + 1) summing to \(String(format: "%.6g", sum))")
                }
            }
        }
        return Probabilities(values: values, columns: columns, epsilon: epsilon, name: input.name)
    }

    /// Each row's one-hot target as the column of its class: 0/1 labels against one column
    /// (column "1" is the positive class), 1-based classes against k columns.
    static func targetColumns(_ function: String, _ labels: [Int], _ p: Probabilities) throws -> [Int] {
        if p.columns == 1 {
            if let row = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                throw TensorError("\(function): y_true holds \(labels[row]) at row \(row + 1), but \(p.name) has one column (the probability of label 1); give 0/1 labels, or a [n, classes] tensor of probabilities for 1-based classes")
            }
            return labels
        }
        if let row = labels.firstIndex(where: { $0 < 1 || $0 > p.columns }) {
            let hint = p.columns == 2 && labels[row] == 0 ? "; for 0/1 labels give the probability of label 1 as a 1-D tensor (e.g. \(p.name):select(2, 2))" : ""
            throw TensorError("\(function): y_true holds \(labels[row]) at row \(row + 1), but \(p.name) has \(p.columns) columns for the 1-based classes 1..\(p.columns)\(hint)")
        }
        return labels.map { $0 - 1 }
    }

    /// The (weighted) mean over rows of `loss(row, row's class, probabilities of the row)`,
    /// with one-column probabilities expanded to the two columns [1 - p, p].
    static func meanOverRows(_ function: String, _ labels: [Int], _ p: Probabilities, _ weights: [Double]?,
                             _ loss: (_ target: Int, _ probability: (Int) -> Double, _ columns: Int) -> Double) throws -> Double {
        let targets = try targetColumns(function, labels, p)
        var sum = 0.0, total = 0.0
        for row in targets.indices {
            let w = weights?[row] ?? 1
            let value: Double
            if p.columns == 1 {
                let q = p.values[row]
                value = loss(targets[row], { $0 == 1 ? q : 1 - q }, 2)
            } else {
                let base = row * p.columns
                value = loss(targets[row], { p.values[base + $0] }, p.columns)
            }
            sum += w * value
            total += w
        }
        return sum / total
    }

    /// Cross-entropy of the labels under the probabilities, clipped to [eps, 1 - eps].
    public static func logLoss(_ function: String, labels: [Int], probabilities p: Probabilities, weights: [Double]?) throws -> Double {
        let low = p.epsilon, high = 1 - p.epsilon
        return try meanOverRows(function, labels, p, weights) { target, probability, _ in
            -log(Swift.min(Swift.max(probability(target), low), high))
        }
    }

    /// Mean squared distance between the one-hot labels and the probabilities, summed over
    /// classes; halved when there are two classes (sklearn's `scale_by_half = "auto"`), so
    /// that the binary score is mean((y - p)^2).
    public static func brier(_ function: String, labels: [Int], probabilities p: Probabilities, weights: [Double]?) throws -> Double {
        let columns = Swift.max(p.columns, 2)
        let mean = try meanOverRows(function, labels, p, weights) { target, probability, columns in
            var sum = 0.0
            for c in 0..<columns {
                let d = (c == target ? 1 : 0) - probability(c)
                sum += d * d
            }
            return sum
        }
        return columns < 3 ? mean / 2 : mean
    }

    /// Calibration bin edges.
    public enum CalibrationStrategy: String, CaseIterable {
        /// n equal-width bins on [0, 1].
        case uniform
        /// Edges at numpy's percentiles of the probabilities (equal counts).
        case quantile
    }

    public static let defaultCalibrationBins = 5

    /// For each non-empty bin (lowest first): the fraction of positives, the mean predicted
    /// probability and the row count. A probability equal to an inner edge falls in the
    /// lower bin (numpy's searchsorted, side "left"), as in sklearn's calibration_curve.
    public static func calibrationCurve(_ function: String, labels: [UInt8], probabilities: [Double], bins: Int,
                                        strategy: CalibrationStrategy) throws -> (probTrue: [Double], probPredicted: [Double], counts: [Int]) {
        guard bins >= 1 else { throw TensorError("\(function): n_bins must be at least 1, got \(bins)") }
        if let row = probabilities.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            throw TensorError("\(function): bad argument #2 (y_prob): expected probabilities in [0, 1], got \(probabilities[row]) at row \(row + 1)")
        }
        var edges: [Double]
        switch strategy {
        case .uniform:
            edges = (0...bins).map { linspace($0, bins) }
        case .quantile:
            let ranking = try ScoreRanking(probabilities)
            let n = ranking.count
            edges = (0...bins).map { i in
                // numpy: q = linspace(0, 1) * 100, then percentile divides by 100 again.
                let q = (linspace(i, bins) * 100) / 100
                return numpyLinearQuantile(count: n, q) { ranking.score(at: n - 1 - $0) }
            }
        }
        let inner = edges.dropFirst().dropLast()
        var sums = [Double](repeating: 0, count: bins), positives = sums
        var counts = [Int](repeating: 0, count: bins)
        for (row, p) in probabilities.enumerated() {
            var bin = 0
            for edge in inner where edge < p { bin += 1 }
            sums[bin] += p
            positives[bin] += Double(labels[row])
            counts[bin] += 1
        }
        let kept = counts.indices.filter { counts[$0] > 0 }
        return (kept.map { positives[$0] / Double(counts[$0]) }, kept.map { sums[$0] / Double(counts[$0]) }, kept.map { counts[$0] })
    }

    /// numpy's `linspace(0, 1, bins + 1)[i]`: i * (1 / bins), the last exactly 1.
    static func linspace(_ i: Int, _ bins: Int) -> Double {
        i == bins ? 1 : Double(i) * (1 / Double(bins))
    }

    /// numpy's quantile with method "linear" over `count` sorted values read by `value`:
    /// virtual index (n - 1) * q, then numpy's `_lerp`, which works from the nearer end.
    static func numpyLinearQuantile(count n: Int, _ q: Double, _ value: (Int) -> Double) -> Double {
        let virtual = Double(n - 1) * q
        if virtual >= Double(n - 1) { return value(n - 1) }
        let below = virtual.rounded(.down)
        let gamma = virtual - below
        let a = value(Int(below)), b = value(Int(below) + 1)
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }
}
