import CInterrupt
import TensorKit

/// Silhouette coefficients of a clustering, as scikit-learn's `silhouette_samples` and
/// `silhouette_score` with the Euclidean metric. For row i, a is the mean distance to the
/// other rows of its cluster and b the smallest mean distance to the rows of another
/// cluster; the coefficient is (b - a) / max(a, b), and 0 for a row alone in its cluster
/// (or when a and b are both 0). The exact computation visits every pair of rows, so it
/// is O(n²): about 3 s for 20,000 rows of 10 features on one core (scikit-learn takes
/// about 20 s); `sampleSize` scores a random subset.
/// Distances come from dgemm tiles, as scikit-learn's do (|x|² + |y|² - 2x·y).
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
        // Rows sorted by cluster, so that each cluster's distances from a row are one
        // contiguous run to add up; the points centred, so that the distances computed as
        // |x|² + |y|² - 2x·y lose no digits to a far-away origin.
        var order = Array(0..<n)
        order.sort { clusterOf[$0] != clusterOf[$1] ? clusterOf[$0] < clusterOf[$1] : $0 < $1 }
        let mean = x.columnMeans()
        var sorted = [Double](repeating: 0, count: n * d)
        for (r, row) in order.enumerated() {
            for t in 0..<d { sorted[r * d + t] = x.values[row * d + t] - mean[t] }
        }
        let points = try PointMatrix(values: sorted, rows: n, columns: d)
        let norms = points.rowSquaredNorms()
        var sizes = [Int](repeating: 0, count: clusters)
        for c in clusterOf { sizes[c] += 1 }
        var starts = [0]
        for size in sizes { starts.append((starts.last ?? 0) + size) }
        let sortedCluster = order.map { clusterOf[$0] }
        var sortedScores = [Double](repeating: 0, count: n)
        sorted.withUnsafeBufferPointer { xb in
            norms.withUnsafeBufferPointer { nb in
                sortedScores.withUnsafeMutableBufferPointer { sb in
                    guard let xp = xb.baseAddress, let np = nb.baseAddress, let sp = sb.baseAddress else { return }
                    RowBlocks.run(rows: n, workPerRow: n * d) { _, rows in
                        rowScores(xp, np, rows: rows, count: n, columns: d, clusterOf: sortedCluster, starts: starts, into: sp)
                    }
                }
            }
        }
        try checkInterrupt()
        var scores = [Double](repeating: 0, count: n)
        for (r, row) in order.enumerated() { scores[row] = sortedScores[r] }
        return scores
    }

    /// Columns of distances computed per dgemm: with 64 rows and 10 features the call
    /// stays below OpenBLAS's threshold for threading, so it runs on the calling worker.
    static let rowChunk = 64, columnTile = 256

    /// The coefficients of the sorted rows `rows`: the distances to every row, a tile at a
    /// time, added up per cluster. Stops early (leaving zeros) when Ctrl-C arrives; the
    /// caller then throws.
    static func rowScores(_ x: UnsafePointer<Double>, _ norms: UnsafePointer<Double>, rows: Range<Int>, count n: Int, columns d: Int,
                          clusterOf: [Int], starts: [Int], into scores: UnsafeMutablePointer<Double>) {
        let clusters = starts.count - 1
        let products = UnsafeMutablePointer<Double>.allocate(capacity: rowChunk * columnTile)
        let totals = UnsafeMutablePointer<Double>.allocate(capacity: rowChunk * clusters)
        defer { products.deallocate(); totals.deallocate() }
        for chunkStart in stride(from: rows.lowerBound, to: rows.upperBound, by: rowChunk) {
            if ml_interrupt_pending() != 0 { return }
            let chunk = chunkStart..<Swift.min(chunkStart + rowChunk, rows.upperBound)
            totals.initialize(repeating: 0, count: chunk.count * clusters)
            for tileStart in stride(from: 0, to: n, by: columnTile) {
                let tile = tileStart..<Swift.min(tileStart + columnTile, n)
                minusTwoDots(x + chunkStart * d, rows: chunk.count, x + tileStart * d, rows: tile.count, columns: d,
                             into: products, accumulate: false)
                for i in chunk {
                    let product = products + (i - chunkStart) * tile.count - tileStart
                    let total = totals + (i - chunkStart) * clusters
                    let own = norms[i]
                    // Each cluster's run of columns inside the tile; the row's distance to
                    // itself is 0 and left out.
                    var c = clusterOf[tile.lowerBound]
                    var j = tile.lowerBound
                    while j < tile.upperBound {
                        let end = Swift.min(starts[c + 1], tile.upperBound)
                        if i >= j && i < end {
                            total[c] += distanceSum(own, norms, product, j..<i) + distanceSum(own, norms, product, i + 1..<end)
                        } else {
                            total[c] += distanceSum(own, norms, product, j..<end)
                        }
                        j = end
                        c += 1
                    }
                }
            }
            for i in chunk {
                scores[i] = coefficient(totals + (i - chunkStart) * clusters, own: clusterOf[i], starts: starts)
            }
        }
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

    /// The sum of the distances sqrt(|x|² + |y|² - 2x·y) from a row (|x|² = `own`) to the
    /// columns `range`, from their norms and the -2x·y products. Four running sums: a
    /// single one waits on every square root in turn (and sqrtsd's merge into its target
    /// register chains them too), which made this loop five times slower.
    @inline(__always)
    static func distanceSum(_ own: Double, _ norms: UnsafePointer<Double>, _ product: UnsafeMutablePointer<Double>, _ range: Range<Int>) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var j = range.lowerBound
        while j + 4 <= range.upperBound {
            s0 += Swift.max(0, own + norms[j] + product[j]).squareRoot()
            s1 += Swift.max(0, own + norms[j + 1] + product[j + 1]).squareRoot()
            s2 += Swift.max(0, own + norms[j + 2] + product[j + 2]).squareRoot()
            s3 += Swift.max(0, own + norms[j + 3] + product[j + 3]).squareRoot()
            j += 4
        }
        while j < range.upperBound {
            s0 += Swift.max(0, own + norms[j] + product[j]).squareRoot()
            j += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// (b - a) / max(a, b) from the distance totals of one row to each cluster.
    @inline(__always)
    static func coefficient(_ totals: UnsafeMutablePointer<Double>, own: Int, starts: [Int]) -> Double {
        let size = { (c: Int) in Double(starts[c + 1] - starts[c]) }
        guard size(own) > 1 else { return 0 }
        let a = totals[own] / (size(own) - 1)
        var b = Double.infinity
        for c in 0..<starts.count - 1 where c != own { b = Swift.min(b, totals[c] / size(c)) }
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
