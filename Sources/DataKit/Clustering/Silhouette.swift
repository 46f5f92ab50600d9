import CInterrupt
import TensorKit

/// Silhouette coefficients of a clustering, as scikit-learn's `silhouette_samples` and
/// `silhouette_score` with the Euclidean metric. For row i, a is the mean distance to the
/// other rows of its cluster and b the smallest mean distance to the rows of another
/// cluster; the coefficient is (b - a) / max(a, b), and 0 for a row alone in its cluster
/// (or when a and b are both 0). The exact computation visits every pair of rows, so it
/// is O(n²): about a second for 20,000 rows; `sampleSize` scores a random subset.
public enum Silhouette {
    /// The coefficient of every row. `labels` are any integers, one per row (renumbered
    /// here in sorted order); there must be between 2 and n - 1 distinct ones.
    public static func samples(_ x: PointMatrix, labels: [Int], function: String = "silhouette") throws -> [Double] {
        let n = x.rows, d = x.columns
        guard labels.count == n else {
            throw TensorError("\(function): X has \(n) rows but labels has \(labels.count); they must have the same length")
        }
        let (clusterOf, clusters) = renumbered(labels)
        guard clusters >= 2 && clusters <= n - 1 else {
            throw TensorError("\(function): the number of clusters is \(clusters), but the silhouette needs 2 <= clusters <= n - 1 = \(n - 1) (number of rows minus one)")
        }
        if let bad = x.firstNonFinite() {
            throw TensorError("\(function): X holds \(bad.value) at row \(bad.row + 1), column \(bad.column + 1)")
        }
        var sizes = [Double](repeating: 0, count: clusters)
        for c in clusterOf { sizes[c] += 1 }
        var scores = [Double](repeating: 0, count: n)
        x.values.withUnsafeBufferPointer { xb in
            clusterOf.withUnsafeBufferPointer { lb in
                scores.withUnsafeMutableBufferPointer { sb in
                    guard let xp = xb.baseAddress, let lp = lb.baseAddress, let sp = sb.baseAddress else { return }
                    RowBlocks.run(rows: n, workPerRow: n * d) { _, rows in
                        withUnsafeTemporaryAllocation(of: Double.self, capacity: clusters) { totals in
                            guard let tp = totals.baseAddress else { return }
                            for i in rows {
                                // Ctrl-C: every worker stops at its next row; the caller throws.
                                if i & 31 == 0 && ml_interrupt_pending() != 0 { return }
                                tp.initialize(repeating: 0, count: clusters)
                                let row = xp + i * d
                                for j in 0..<n { tp[lp[j]] += squaredDistance(row, xp + j * d, d).squareRoot() }
                                sp[i] = coefficient(tp, own: lp[i], sizes: sizes)
                            }
                        }
                    }
                }
            }
        }
        try checkInterrupt()
        return scores
    }

    /// The mean coefficient (scikit-learn's silhouette_score). With `sampleSize`, the
    /// score of that many rows drawn without replacement from `generator`, as
    /// scikit-learn does with `sample_size` (the distances then run among those rows only).
    public static func score(_ x: PointMatrix, labels: [Int], sampleSize: Int? = nil, generator: Generator,
                             function: String = "silhouette") throws -> Double {
        var points = x, chosenLabels = labels
        if let size = sampleSize {
            guard size >= 1 && size <= x.rows else {
                throw TensorError("\(function): sample_size = \(size) must be between 1 and the \(x.rows) rows of X")
            }
            guard labels.count == x.rows else {
                throw TensorError("\(function): X has \(x.rows) rows but labels has \(labels.count); they must have the same length")
            }
            let rows = Array(generator.permutation(x.rows).prefix(size))
            var values = [Double]()
            values.reserveCapacity(size * x.columns)
            for r in rows { values += x.values[r * x.columns..<(r + 1) * x.columns] }
            points = try PointMatrix(values: values, rows: size, columns: x.columns)
            chosenLabels = rows.map { labels[$0] }
        }
        let all = try samples(points, labels: chosenLabels, function: function)
        return all.reduce(0, +) / Double(all.count)
    }

    /// (b - a) / max(a, b) from the distance totals of one row to each cluster.
    @inline(__always)
    static func coefficient(_ totals: UnsafeMutablePointer<Double>, own: Int, sizes: [Double]) -> Double {
        guard sizes[own] > 1 else { return 0 }
        let a = totals[own] / (sizes[own] - 1)
        var b = Double.infinity
        for c in 0..<sizes.count where c != own { b = Swift.min(b, totals[c] / sizes[c]) }
        let scale = Swift.max(a, b)
        return scale > 0 ? (b - a) / scale : 0
    }

    /// Labels renumbered 0..<m in sorted order of their values, and m.
    static func renumbered(_ labels: [Int]) -> ([Int], Int) {
        let distinct = Array(Set(labels)).sorted()
        var index: [Int: Int] = [:]
        for (i, v) in distinct.enumerated() { index[v] = i }
        return (labels.map { index[$0] ?? 0 }, distinct.count)
    }
}
