import TensorKit

/// k-means clustering as scikit-learn's `KMeans(algorithm="lloyd")` does it: points centred
/// on their mean, greedy k-means++ seeding (or random rows, or given centres), Lloyd
/// iterations until the labels stop changing or the centres move less than a tolerance
/// scaled by the data's variance, empty clusters re-seeded from the farthest points, and
/// the best of several runs by inertia. Labels here are 0-based; the Lua binding adds 1.
public enum KMeans {
    /// How a run picks its starting centres.
    public enum Initialization {
        /// Greedy k-means++: each new centre is the best of 2 + floor(ln k) candidates
        /// drawn with probability proportional to the squared distance to the nearest centre.
        case plusPlus
        /// k distinct rows drawn uniformly.
        case random
        /// The given centres, k rows of `columns` values, row-major.
        case centers([Double])
    }

    /// scikit-learn's defaults, which `Options(clusters:)` starts from (the Lua doc reads them too).
    public static let defaultRuns = 10, defaultMaxIterations = 300, defaultTolerance = 1e-4

    /// What a fit is asked to do.
    public struct Options {
        public var clusters: Int
        public var runs = KMeans.defaultRuns
        public var maxIterations = KMeans.defaultMaxIterations
        public var tolerance = KMeans.defaultTolerance
        public var initialization = Initialization.plusPlus

        public init(clusters: Int) { self.clusters = clusters }
    }

    /// The outcome of the best run.
    public struct Result {
        /// The cluster of each row, 0..<k.
        public var labels: [Int]
        /// k × columns, row-major, in the points' own coordinates.
        public var centers: [Double]
        /// Sum of squared distances from each row to its centre.
        public var inertia: Double
        /// Lloyd iterations of the best run.
        public var iterations: Int
    }

    /// Fits k-means to `points`. Random draws come from `generator` (seeding only). Errors
    /// name `function`; the binding checks arguments first, these guard the core itself.
    public static func fit(_ points: PointMatrix, _ options: Options, generator: Generator,
                           function: String = "kmeans") throws -> Result {
        let n = points.rows, d = points.columns, k = options.clusters
        guard n > 0, d > 0 else { throw TensorError("\(function): X is empty (\(n) rows, \(d) columns)") }
        guard k >= 1, k <= n else { throw TensorError("\(function): k = \(k) must be between 1 and the \(n) rows of X") }
        guard options.runs >= 1, options.maxIterations >= 1, options.tolerance >= 0 else {
            throw TensorError("\(function): n_init and max_iter must be at least 1 and tol at least 0")
        }
        if case .centers(let given) = options.initialization, given.count != k * d {
            throw TensorError("\(function): init holds \(given.count) values, expected k × columns = \(k * d)")
        }
        if let bad = points.firstNonFinite() {
            throw TensorError("\(function): X holds \(bad.value) at row \(bad.row + 1), column \(bad.column + 1)")
        }
        let mean = points.columnMeans()
        let x = points.shifted(by: mean)
        let tolerance = options.tolerance * points.columnVariances().reduce(0, +) / Double(d)
        // Given centres are one fixed start: running them again would repeat the same run.
        var runs = options.runs
        if case .centers = options.initialization { runs = 1 }

        var best: Result? = nil
        for _ in 0..<runs {
            try checkInterrupt()
            let start: [Double]
            switch options.initialization {
            case .plusPlus: start = try plusPlusCenters(x, k, generator)
            case .random: start = randomCenters(x, k, generator)
            case .centers(let given): start = (0..<k * d).map { given[$0] - mean[$0 % d] }
            }
            let run = try lloyd(x, start, maxIterations: options.maxIterations, tolerance: tolerance)
            // As scikit-learn: a later run wins only with a lower inertia and a different
            // partition (the same partition renumbered can differ by rounding alone).
            if let current = best, !(run.inertia < current.inertia && !samePartition(run.labels, current.labels, k)) { continue }
            best = run
        }
        guard var result = best else { throw TensorError("\(function): no run finished") }
        for i in 0..<result.centers.count { result.centers[i] += mean[i % d] }
        return result
    }

    /// The nearest of `centers` (k × columns, row-major) for every row of `points`.
    public static func predict(_ points: PointMatrix, centers: [Double]) -> [Int] {
        let d = points.columns, k = d > 0 ? centers.count / d : 0
        var labels = [Int](repeating: 0, count: points.rows)
        guard k > 0 else { return labels }
        let assignment = Assignment(centers: centers, clusters: k, columns: d)
        points.values.withUnsafeBufferPointer { x in
            labels.withUnsafeMutableBufferPointer { out in
                guard let xp = x.baseAddress, let op = out.baseAddress else { return }
                RowBlocks.run(rows: points.rows, workPerRow: k * d) { _, rows in
                    assignment.nearest(xp, rows: rows) { i, label in op[i] = label }
                }
            }
        }
        return labels
    }

    /// True when two labelings are the same partition up to renumbering.
    static func samePartition(_ a: [Int], _ b: [Int], _ k: Int) -> Bool {
        var mapping = [Int](repeating: -1, count: k)
        for (x, y) in zip(a, b) {
            if mapping[x] == -1 { mapping[x] = y } else if mapping[x] != y { return false }
        }
        return true
    }
}

/// The assignment step: for each row the nearest of k centres. The distance to centre j
/// is computed as |c_j|² - 2x·c_j, which orders the centres as |x - c_j|² does (|x|² is the
/// same for all of them), with the products for a block of rows in one dgemm, as
/// scikit-learn's `_update_chunk_dense`.
struct Assignment {
    let clusters: Int
    let columns: Int
    let centers: [Double]
    let norms: [Double]

    init(centers: [Double], clusters: Int, columns: Int) {
        self.clusters = clusters
        self.columns = columns
        self.centers = centers
        norms = (0..<clusters).map { j in
            centers.withUnsafeBufferPointer { c in c.baseAddress.map { squaredNorm($0 + j * columns, columns) } ?? 0 }
        }
    }

    /// Calls `found(row, label)` for each row in `rows` (at most a block) of the
    /// row-major points `x`, with the nearest centre (the first one on a tie).
    @inline(__always)
    func nearest(_ x: UnsafePointer<Double>, rows: Range<Int>, _ found: (Int, Int) -> Void) {
        let k = clusters, d = columns, m = rows.count
        guard m > 0, k > 0 else { return }
        let distance = UnsafeMutablePointer<Double>.allocate(capacity: m * k)
        defer { distance.deallocate() }
        centers.withUnsafeBufferPointer { cb in
            norms.withUnsafeBufferPointer { nb in
                guard let cp = cb.baseAddress, let np = nb.baseAddress else { return }
                for r in 0..<m { (distance + r * k).initialize(from: np, count: k) }
                minusTwoDots(x + rows.lowerBound * d, rows: m, cp, rows: k, columns: d, into: distance, accumulate: true)
            }
        }
        for r in 0..<m {
            let row = distance + r * k
            var label = 0
            var smallest = row[0]
            for j in 1..<k where row[j] < smallest {
                smallest = row[j]
                label = j
            }
            found(rows.lowerBound + r, label)
        }
    }
}
