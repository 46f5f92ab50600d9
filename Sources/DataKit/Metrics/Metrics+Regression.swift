import TensorKit

/// Regression metrics: mean squared error, mean absolute error and R², with optional
/// sample weights, as scikit-learn computes them.
extension Metrics {
    /// The (weighted) mean of `term(truth, predicted)` over rows.
    static func weightedMean(_ truth: [Double], _ predicted: [Double], _ weights: [Double]?, _ term: (Double, Double) -> Double) -> Double {
        var sum = 0.0, total = 0.0
        for i in truth.indices {
            let w = weights?[i] ?? 1
            sum += w * term(truth[i], predicted[i])
            total += w
        }
        return sum / total
    }

    public static func meanSquaredError(truth: [Double], predicted: [Double], weights: [Double]?) -> Double {
        weightedMean(truth, predicted, weights) { ($0 - $1) * ($0 - $1) }
    }

    public static func meanAbsoluteError(truth: [Double], predicted: [Double], weights: [Double]?) -> Double {
        weightedMean(truth, predicted, weights) { Swift.abs($0 - $1) }
    }

    /// 1 - SS_res / SS_tot. Like sklearn (force_finite): 1 for a perfect fit, 0 when the
    /// truth is constant but the fit is not, NaN with fewer than two rows.
    public static func r2(truth: [Double], predicted: [Double], weights: [Double]?) -> Double {
        guard truth.count >= 2 else { return .nan }
        let mean = weightedMean(truth, truth, weights) { t, _ in t }
        var residual = 0.0, spread = 0.0
        for i in truth.indices {
            let w = weights?[i] ?? 1
            residual += w * (truth[i] - predicted[i]) * (truth[i] - predicted[i])
            spread += w * (truth[i] - mean) * (truth[i] - mean)
        }
        if residual == 0 { return 1 }
        if spread == 0 { return 0 }
        return 1 - residual / spread
    }
}
