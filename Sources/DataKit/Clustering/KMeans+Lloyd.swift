import TensorKit

/// One k-means run from given starting centres: Lloyd's iterations, as scikit-learn's
/// `_kmeans_single_lloyd`.
extension KMeans {
    /// Runs Lloyd's algorithm on centred points `x` from `start` (k × columns). Each
    /// iteration assigns every row to its nearest centre and moves each centre to the mean
    /// of its rows. It stops when no label changed (the centres are then those means) or
    /// when the centres moved, in total squared distance, by at most `tolerance`, or after
    /// `maxIterations`; in the last two cases the rows are assigned once more, so the
    /// labels always belong to the centres returned.
    static func lloyd(_ x: PointMatrix, _ start: [Double], maxIterations: Int, tolerance: Double) throws -> Result {
        let n = x.rows, d = x.columns, k = start.count / d
        var centers = start
        var labels = [Int](repeating: -1, count: n)
        var previous = labels
        var iterations = 0
        var labelsStable = false
        var partial = BlockSums(blocks: RowBlocks.count(n), clusters: k, columns: d)
        for iteration in 0..<maxIterations {
            try checkInterrupt()
            iterations = iteration + 1
            assign(x, centers, &labels, into: &partial)
            var (sums, counts) = partial.total()
            relocateEmptyClusters(x, centers: centers, labels: labels, sums: &sums, counts: &counts)
            let moved = averaged(sums, counts, columns: d)
            var shift = 0.0
            for i in 0..<moved.count { shift += (moved[i] - centers[i]) * (moved[i] - centers[i]) }
            centers = moved
            if labels == previous { labelsStable = true; break }
            if shift <= tolerance { break }
            previous = labels
        }
        if !labelsStable { labels = predict(x, centers: centers) }
        return Result(labels: labels, centers: centers, inertia: inertia(x, centers, labels), iterations: iterations)
    }

    /// Per-block partial sums of the rows of each cluster and their counts: each block
    /// fills its own slot, `total()` adds the slots in block order.
    struct BlockSums {
        let blocks: Int, clusters: Int, columns: Int
        var sums: [Double]
        var counts: [Double]

        init(blocks: Int, clusters: Int, columns: Int) {
            self.blocks = blocks
            self.clusters = clusters
            self.columns = columns
            sums = [Double](repeating: 0, count: blocks * clusters * columns)
            counts = [Double](repeating: 0, count: blocks * clusters)
        }

        func total() -> (sums: [Double], counts: [Double]) {
            let width = clusters * columns
            var sumsOut = [Double](repeating: 0, count: width)
            var countsOut = [Double](repeating: 0, count: clusters)
            for b in 0..<blocks {
                for i in 0..<width { sumsOut[i] += sums[b * width + i] }
                for j in 0..<clusters { countsOut[j] += counts[b * clusters + j] }
            }
            return (sumsOut, countsOut)
        }
    }

    /// The assignment step with the sums the update step needs, block-parallel.
    static func assign(_ x: PointMatrix, _ centers: [Double], _ labels: inout [Int], into partial: inout BlockSums) {
        let d = x.columns, k = centers.count / d
        let nearest = Assignment(centers: centers, clusters: k, columns: d)
        x.values.withUnsafeBufferPointer { xb in
            labels.withUnsafeMutableBufferPointer { lb in
                partial.sums.withUnsafeMutableBufferPointer { sb in
                    partial.counts.withUnsafeMutableBufferPointer { cb in
                        guard let xp = xb.baseAddress, let lp = lb.baseAddress, let sp = sb.baseAddress, let cp = cb.baseAddress else { return }
                        RowBlocks.run(rows: x.rows, workPerRow: k * d) { block, rows in
                            let sums = sp + block * k * d, counts = cp + block * k
                            sums.initialize(repeating: 0, count: k * d)
                            counts.initialize(repeating: 0, count: k)
                            nearest.nearest(xp, rows: rows) { i, label in
                                lp[i] = label
                                counts[label] += 1
                                let row = xp + i * d, sum = sums + label * d
                                for t in 0..<d { sum[t] += row[t] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A cluster left without rows takes the row farthest from its own centre (the next
    /// empty cluster the next farthest), which leaves its old cluster, as scikit-learn's
    /// `_relocate_empty_clusters_dense`. Nothing moves when every row sits on its centre.
    static func relocateEmptyClusters(_ x: PointMatrix, centers: [Double], labels: [Int],
                                      sums: inout [Double], counts: inout [Double]) {
        let empty = counts.indices.filter { counts[$0] == 0 }
        guard !empty.isEmpty else { return }
        let d = x.columns
        let distances = x.values.withUnsafeBufferPointer { xb in
            centers.withUnsafeBufferPointer { cb -> [Double] in
                guard let xp = xb.baseAddress, let cp = cb.baseAddress else { return [] }
                return (0..<x.rows).map { squaredDistance(xp + $0 * d, cp + labels[$0] * d, d) }
            }
        }
        guard let largest = distances.max(), largest > 0 else { return }
        let farthest = distances.indices.sorted { distances[$0] != distances[$1] ? distances[$0] > distances[$1] : $0 < $1 }
        for (cluster, row) in zip(empty, farthest) {
            let old = labels[row]
            for t in 0..<d {
                let v = x.values[row * d + t]
                sums[old * d + t] -= v
                sums[cluster * d + t] = v
            }
            counts[cluster] = 1
            counts[old] -= 1
        }
    }

    /// The centres as means of their sums. A cluster still empty (all rows identical)
    /// sits on the largest cluster's centre rather than at the origin, as scikit-learn's.
    static func averaged(_ sums: [Double], _ counts: [Double], columns d: Int) -> [Double] {
        var centers = sums
        let largest = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        for j in counts.indices where counts[j] > 0 {
            let scale = 1 / counts[j]
            for t in 0..<d { centers[j * d + t] *= scale }
        }
        for j in counts.indices where counts[j] == 0 {
            for t in 0..<d { centers[j * d + t] = centers[largest * d + t] }
        }
        return centers
    }

    /// Sum of squared distances from each row to its centre, added up block by block.
    static func inertia(_ x: PointMatrix, _ centers: [Double], _ labels: [Int]) -> Double {
        let d = x.columns
        var partial = [Double](repeating: 0, count: RowBlocks.count(x.rows))
        x.values.withUnsafeBufferPointer { xb in
            centers.withUnsafeBufferPointer { cb in
                labels.withUnsafeBufferPointer { lb in
                    partial.withUnsafeMutableBufferPointer { pb in
                        guard let xp = xb.baseAddress, let cp = cb.baseAddress, let lp = lb.baseAddress, let pp = pb.baseAddress else { return }
                        RowBlocks.run(rows: x.rows, workPerRow: d) { block, rows in
                            var sum = 0.0
                            for i in rows { sum += squaredDistance(xp + i * d, cp + lp[i] * d, d) }
                            pp[block] = sum
                        }
                    }
                }
            }
        }
        return partial.reduce(0, +)
    }
}
