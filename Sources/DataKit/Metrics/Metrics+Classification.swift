import TensorKit

/// Metrics of predicted labels: accuracy, precision, recall, F1 (binary, or averaged over
/// classes as scikit-learn's `average = "macro" | "micro" | "weighted"`) and the confusion
/// matrix.
extension Metrics {
    /// How precision, recall and F1 combine classes.
    public enum Average: String, CaseIterable {
        /// The positive class (label 1) of 0/1 labels only.
        case binary
        /// The unweighted mean over the classes present in y_true or y_pred.
        case macro
        /// Counts pooled over classes (equals accuracy for single-label data).
        case micro
        /// The mean over classes weighted by each class's count in y_true.
        case weighted
    }

    /// The default decision threshold for probabilities given as predictions.
    public static let defaultThreshold = 0.5

    /// True labels: 0/1 from a text column with `positive` (or numbers with a numeric
    /// `positive`), otherwise the integer labels as given.
    public static func trueLabels(_ input: MetricInput, positive: MetricInput.PositiveLabel?) throws -> [Int] {
        if positive != nil || input.isText { return try input.binaryLabels(positive: positive).map { Int($0) } }
        return try input.classLabels()
    }

    /// Predicted labels from y_pred:
    /// - a 2-D tensor [n, k] of class scores: the 1-based class of the largest (argmax + 1);
    /// - a text column (with `positive`), or numbers with a numeric `positive`: 0/1;
    /// - with `threshold`: 1 where the score is >= threshold, else 0;
    /// - whole numbers or bools: the labels as given;
    /// - probabilities in [0, 1] against 0/1 true labels: 1 where p >= 0.5.
    /// Other numbers are an error that asks for a threshold.
    public static func predictedLabels(_ input: MetricInput, threshold: Double?, positive: MetricInput.PositiveLabel?,
                                       binaryTruth: Bool) throws -> [Int] {
        if input.isMatrix {
            if threshold != nil { throw TensorError("\(input.function): threshold applies to 1-D scores, but \(input.name) is \(input.summary) (its argmax picks the class)") }
            let (values, rows, columns) = try input.matrix()
            return (0..<rows).map { r in
                var best = 0
                for c in 1..<columns where values[r * columns + c] > values[r * columns + best] { best = c }
                return best + 1
            }
        }
        if input.isText { return try input.binaryLabels(positive: positive).map { Int($0) } }
        if case .number? = positive, threshold == nil { return try input.binaryLabels(positive: positive).map { Int($0) } }
        let values = try input.numbers()
        if let threshold { return values.map { $0 >= threshold ? 1 : 0 } }
        if values.allSatisfy({ $0 == $0.rounded() && Swift.abs($0) < 1e15 }) { return values.map { Int($0) } }
        if binaryTruth, values.allSatisfy({ $0 >= 0 && $0 <= 1 }) { return values.map { $0 >= defaultThreshold ? 1 : 0 } }
        let row = values.firstIndex { $0 != $0.rounded() && !(binaryTruth && $0 >= 0 && $0 <= 1) } ?? 0
        throw input.error(expected: binaryTruth ? "labels, or probabilities in [0, 1] (give {threshold = ...} for other scores)"
                                                : "integer class labels or a 2-D tensor of class scores",
                          got: "\(formatLabel(values[row])) at row \(row + 1)")
    }

    /// Fraction (or weighted fraction) of rows where the labels agree; with `normalize`
    /// false, the (weighted) count.
    public static func accuracy(_ function: String, truth: [Int], predicted: [Int], weights: [Double]?, normalize: Bool = true) -> Double {
        var correct = 0.0, total = 0.0
        for i in truth.indices {
            let w = weights?[i] ?? 1
            if truth[i] == predicted[i] { correct += w }
            total += w
        }
        return normalize ? correct / total : correct
    }

    /// Precision, recall and F1 under `average`. A ratio whose denominator is 0 is
    /// `zeroDivision` (0 by default, as sklearn's "warn").
    public static func precisionRecallF1(_ function: String, truth: [Int], predicted: [Int], weights: [Double]?,
                                         average: Average, zeroDivision: Double = 0) throws -> (precision: Double, recall: Double, f1: Double) {
        let present = Set(truth).union(predicted)
        if average == .binary && !present.isSubset(of: [0, 1]) {
            let shown = present.sorted().prefix(6).map(String.init).joined(separator: ", ")
            throw TensorError("\(function): the labels are not 0/1 (classes \(shown)\(present.count > 6 ? ", ..." : "")); give {average = \"macro\"}, \"micro\" or \"weighted\" for several classes, or {positive = ...} to pick one")
        }
        let classes = average == .binary ? [1] : present.sorted()
        var index: [Int: Int] = [:]
        for (i, c) in classes.enumerated() { index[c] = i }
        var truePositives = [Double](repeating: 0, count: classes.count)
        var predictedCounts = truePositives, trueCounts = truePositives
        for i in truth.indices {
            let w = weights?[i] ?? 1
            if let t = index[truth[i]] {
                trueCounts[t] += w
                if truth[i] == predicted[i] { truePositives[t] += w }
            }
            if let p = index[predicted[i]] { predictedCounts[p] += w }
        }
        if average == .micro {
            truePositives = [truePositives.reduce(0, +)]
            predictedCounts = [predictedCounts.reduce(0, +)]
            trueCounts = [trueCounts.reduce(0, +)]
        }
        func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? zeroDivision : a / b }
        let precision = truePositives.indices.map { ratio(truePositives[$0], predictedCounts[$0]) }
        let recall = truePositives.indices.map { ratio(truePositives[$0], trueCounts[$0]) }
        let f1 = truePositives.indices.map { ratio(2 * truePositives[$0], trueCounts[$0] + predictedCounts[$0]) }
        // sklearn's _nanaverage: classes whose value is NaN (zero_division = NaN) are left out.
        func mean(_ values: [Double]) -> Double {
            let weights = average == .weighted ? trueCounts : values.map { _ in 1.0 }
            var sum = 0.0, total = 0.0
            for (v, w) in zip(values, weights) where !v.isNaN { sum += v * w; total += w }
            return total == 0 ? (values.contains { $0.isNaN } ? .nan : 0) : sum / total
        }
        return (mean(precision), mean(recall), mean(f1))
    }

    /// Counts of (true label, predicted label) pairs: row i is the i-th of `labels`
    /// (default: 0 and 1 for 0/1 data, else every label seen, sorted), column j the j-th.
    public static func confusionMatrix(_ function: String, truth: [Int], predicted: [Int], labels given: [Int]?) throws -> (counts: [Int64], labels: [Int]) {
        let present = Set(truth).union(predicted)
        let labels = given ?? (present.isSubset(of: [0, 1]) ? [0, 1] : present.sorted())
        guard !labels.isEmpty else { throw TensorError("\(function): labels is empty") }
        guard Set(labels).count == labels.count else { throw TensorError("\(function): labels lists a class twice") }
        var index: [Int: Int] = [:]
        for (i, c) in labels.enumerated() { index[c] = i }
        let k = labels.count
        var counts = [Int64](repeating: 0, count: k * k)
        for i in truth.indices {
            if let t = index[truth[i]], let p = index[predicted[i]] { counts[t * k + p] += 1 }
        }
        return (counts, labels)
    }
}

extension MetricInput {
    /// True for a text column.
    public var isText: Bool {
        if case .column(let c) = source { return c.isText }
        return false
    }
}
