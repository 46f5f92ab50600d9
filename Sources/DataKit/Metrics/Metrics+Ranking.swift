import TensorKit

/// Threshold metrics of a binary score, as scikit-learn computes them: `roc_curve`,
/// `roc_auc_score`, `precision_recall_curve`, `average_precision_score`, plus the
/// Kolmogorov–Smirnov statistic of credit and marketing scoring. One ranking, one walk
/// over the distinct scores from the highest down (sklearn's `_binary_clf_curve`).
extension Metrics {
    /// Labels, scores and optional weights of one binary scoring problem, checked.
    public struct BinaryScores {
        let function: String
        let labels: [UInt8]
        let scores: [Double]
        let weights: [Double]?

        /// Rows with weight 0 are dropped first, as scikit-learn does (they would add
        /// thresholds without moving the curve).
        public init(_ function: String, labels: [UInt8], scores: [Double], weights: [Double]? = nil) {
            self.function = function
            if let weights, weights.contains(0) {
                let kept = weights.indices.filter { weights[$0] != 0 }
                self.labels = kept.map { labels[$0] }
                self.scores = kept.map { scores[$0] }
                self.weights = kept.map { weights[$0] }
            } else {
                self.labels = labels
                self.scores = scores
                self.weights = weights
            }
        }

        /// An error unless the labels hold both classes (`needs` says what for).
        func requireBothClasses(_ needs: String) throws {
            var positives = 0
            for l in labels { positives &+= Int(l) }
            if positives == 0 || positives == labels.count {
                throw TensorError("\(function): y_true holds one class only (every label is \(positives == 0 ? 0 : 1)); \(needs) needs both positives and negatives")
            }
        }

        /// Calls `body(truePositives, falsePositives, threshold)` at each distinct score,
        /// highest first, with the (weighted) counts of positives and negatives scoring at
        /// or above it.
        func walk(_ body: (Double, Double, Double) -> Void) throws {
            let ranking = try ScoreRanking(scores, tags: labels)
            ranking.entries.withUnsafeBufferPointer { entries in
                var position = 0
                if let weights {
                    weights.withUnsafeBufferPointer { w in
                        var tps = 0.0, fps = 0.0
                        ranking.forEachRun { end in
                            while position < end {
                                let entry = entries[position]
                                let weight = w[Int(entry & ScoreRanking.rowMask)]
                                if entry >> ScoreRanking.rowBits != 0 { tps += weight } else { fps += weight }
                                position += 1
                            }
                            body(tps, fps, ranking.score(at: end - 1))
                        }
                    }
                } else {
                    var positives = 0
                    ranking.forEachRun { end in
                        while position < end {
                            positives &+= Int(entries[position] >> ScoreRanking.rowBits)
                            position += 1
                        }
                        body(Double(positives), Double(end - positives), ranking.score(at: end - 1))
                    }
                }
            }
        }

        /// The counts at every distinct score (sklearn's `confusion_matrix_at_thresholds`).
        func thresholdCounts() throws -> (tps: [Double], fps: [Double], thresholds: [Double]) {
            var tps: [Double] = [], fps: [Double] = [], thresholds: [Double] = []
            try walk { tp, fp, threshold in
                tps.append(tp); fps.append(fp); thresholds.append(threshold)
            }
            return (tps, fps, thresholds)
        }
    }

    /// sklearn's defaults: ROC curves drop collinear points, precision-recall curves keep all.
    public static let rocDropsIntermediate = true
    public static let precisionRecallDropsIntermediate = false

    /// Area under the ROC curve: the trapezoids between consecutive thresholds, summed on
    /// the counts (exact for unweighted data up to 2^53) and divided once at the end.
    public static func rocAUC(_ input: BinaryScores) throws -> Double {
        try input.requireBothClasses("ROC AUC")
        var area = 0.0, lastTP = 0.0, lastFP = 0.0
        try input.walk { tp, fp, _ in
            area += (fp - lastFP) * (tp + lastTP)
            lastTP = tp; lastFP = fp
        }
        return area / 2 / (lastTP * lastFP)
    }

    /// The ROC curve: false and true positive rates of "score >= threshold", from a first
    /// point (0, 0) at threshold +inf through every distinct score. `dropIntermediate`
    /// drops points collinear with their neighbours (sklearn's default).
    public static func rocCurve(_ input: BinaryScores, dropIntermediate: Bool = rocDropsIntermediate) throws -> (fpr: [Double], tpr: [Double], thresholds: [Double]) {
        try input.requireBothClasses("a ROC curve")
        var (tps, fps, thresholds) = try input.thresholdCounts()
        if dropIntermediate && fps.count > 2 {
            var kept = [0]
            for i in 1..<(fps.count - 1) where fps[i - 1] - 2 * fps[i] + fps[i + 1] != 0 || tps[i - 1] - 2 * tps[i] + tps[i + 1] != 0 {
                kept.append(i)
            }
            kept.append(fps.count - 1)
            tps = kept.map { tps[$0] }; fps = kept.map { fps[$0] }; thresholds = kept.map { thresholds[$0] }
        }
        let positives = tps.last ?? 0, negatives = fps.last ?? 0
        return ([0] + fps.map { $0 / negatives }, [0] + tps.map { $0 / positives }, [.infinity] + thresholds)
    }

    /// Precision and recall at each distinct score, lowest threshold first, then the point
    /// (precision 1, recall 0) that sklearn adds without a threshold (here +inf: nothing is
    /// predicted positive). `dropIntermediate` keeps only the first and last point of each
    /// recall level.
    public static func precisionRecallCurve(_ input: BinaryScores, dropIntermediate: Bool = precisionRecallDropsIntermediate) throws -> (precision: [Double], recall: [Double], thresholds: [Double]) {
        try input.requireBothClasses("a precision-recall curve")
        var (tps, fps, thresholds) = try input.thresholdCounts()
        if dropIntermediate && fps.count > 2 {
            var kept = [0]
            for i in 1..<(tps.count - 1) where tps[i] != tps[i - 1] || tps[i + 1] != tps[i] { kept.append(i) }
            kept.append(tps.count - 1)
            tps = kept.map { tps[$0] }; fps = kept.map { fps[$0] }; thresholds = kept.map { thresholds[$0] }
        }
        let positives = tps.last ?? 0
        let precision = zip(tps, fps).map { tp, fp in tp + fp != 0 ? tp / (tp + fp) : 0 }
        let recall = tps.map { $0 / positives }
        return (precision.reversed() + [1], recall.reversed() + [0], thresholds.reversed() + [.infinity])
    }

    /// Average precision as sklearn's step sum: Σ (R_k − R_{k−1}) · P_k over the distinct
    /// scores from the highest down (no interpolation).
    public static func averagePrecision(_ input: BinaryScores) throws -> Double {
        try input.requireBothClasses("average precision")
        var sum = 0.0, lastTP = 0.0
        try input.walk { tp, fp, _ in
            sum += (tp - lastTP) * (tp / (tp + fp))
            lastTP = tp
        }
        return Swift.max(0, sum / lastTP)
    }

    /// The Kolmogorov–Smirnov statistic: the largest gap between the score distributions
    /// of positives and negatives, max |TPR − FPR| over the thresholds (scipy's
    /// `ks_2samp(score[y == 1], score[y == 0]).statistic`), and the threshold where it is
    /// reached (predict positive when score >= threshold; the highest such threshold when
    /// several tie).
    public static func ks(_ input: BinaryScores) throws -> (statistic: Double, threshold: Double) {
        try input.requireBothClasses("the KS statistic")
        let (tps, fps, thresholds) = try input.thresholdCounts()
        let positives = tps.last ?? 0, negatives = fps.last ?? 0
        var best = 0.0, threshold = Double.infinity
        for i in tps.indices {
            let gap = Swift.abs(tps[i] / positives - fps[i] / negatives)
            if gap > best { best = gap; threshold = thresholds[i] }
        }
        return (best, threshold)
    }
}

extension Metrics {
    /// One-vs-rest ROC AUC of class probabilities [n, k] against 1-based labels: the AUC of
    /// each class against the others, averaged plainly ("macro") or by class prevalence
    /// ("weighted"), as sklearn's `roc_auc_score(multi_class = "ovr")`.
    public static func rocAUCOneVsRest(_ function: String, labels: [Int], probabilities p: Probabilities, average: Average) throws -> Double {
        guard average == .macro || average == .weighted else {
            throw TensorError("\(function): average must be \"macro\" or \"weighted\" for class probabilities, got \"\(average.rawValue)\"")
        }
        let targets = try targetColumns(function, labels, p)
        let rows = labels.count, k = p.columns
        var sum = 0.0, total = 0.0
        for c in 0..<k {
            let classLabels = targets.map { UInt8($0 == c ? 1 : 0) }
            let prevalence = Double(classLabels.reduce(0) { $0 + Int($1) })
            if prevalence == 0 { throw TensorError("\(function): class \(c + 1) never occurs in y_true, so its one-vs-rest AUC is undefined") }
            let scores = (0..<rows).map { p.values[$0 * k + c] }
            let auc = try rocAUC(BinaryScores(function, labels: classLabels, scores: scores))
            let w = average == .weighted ? prevalence : 1
            sum += w * auc
            total += w
        }
        return sum / total
    }
}
