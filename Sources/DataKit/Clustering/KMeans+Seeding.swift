#if canImport(Glibc)
import Glibc
#endif
import TensorKit

/// Starting centres for a k-means run.
extension KMeans {
    /// Greedy k-means++ (Arthur and Vassilvitskii 2007, as scikit-learn's `_kmeans_plusplus`):
    /// the first centre is a row drawn uniformly; each next one is the best, by the
    /// resulting sum of squared distances to the nearest centre, of 2 + floor(ln k)
    /// candidate rows drawn with probability proportional to that squared distance.
    static func plusPlusCenters(_ x: PointMatrix, _ k: Int, _ generator: Generator) throws -> [Double] {
        let n = x.rows, d = x.columns
        let trials = 2 + Int(log(Double(k)))
        var centers = [Double](repeating: 0, count: k * d)
        let first = Int(generator.integer(0, Int64(n)))
        for t in 0..<d { centers[t] = x.values[first * d + t] }
        // closest[i]: squared distance from row i to its nearest centre so far.
        let norms = x.rowSquaredNorms()
        var closest = [Double](repeating: 0, count: n)
        let unseeded = [Double](repeating: .infinity, count: n)
        var potential = candidateDistances(x, norms: norms, candidates: [first], closest: unseeded, into: &closest)[0]
        var tried = [Double](repeating: 0, count: trials * n)
        var cumulative = [Double](repeating: 0, count: n)
        for c in 1..<k {
            try checkInterrupt()
            var running = 0.0
            for i in 0..<n {
                running += closest[i]
                cumulative[i] = running
            }
            let candidates = (0..<trials).map { _ in
                min(firstIndex(notBelow: generator.uniformDouble() * potential, in: cumulative), n - 1)
            }
            let potentials = candidateDistances(x, norms: norms, candidates: candidates, closest: closest, into: &tried)
            var best = 0
            for trial in 1..<trials where potentials[trial] < potentials[best] { best = trial }
            potential = potentials[best]
            for i in 0..<n { closest[i] = tried[best * n + i] }
            for t in 0..<d { centers[c * d + t] = x.values[candidates[best] * d + t] }
        }
        return centers
    }

    /// For each candidate row, the squared distance from every row to its nearest centre
    /// if the candidate joined the centres (min of `closest` and the distance to the
    /// candidate), written to `out[trial * n + i]`; returns the sum for each candidate.
    /// Distances are |x|² + |c|² - 2x·c with the products in one dgemm per block (clipped
    /// at 0, as scikit-learn's euclidean_distances); `norms` holds |x|² of every row.
    static func candidateDistances(_ x: PointMatrix, norms: [Double], candidates: [Int], closest: [Double],
                                   into out: inout [Double]) -> [Double] {
        let n = x.rows, d = x.columns, trials = candidates.count
        var chosen = [Double](repeating: 0, count: trials * d)
        for (trial, row) in candidates.enumerated() {
            for t in 0..<d { chosen[trial * d + t] = x.values[row * d + t] }
        }
        var partial = [Double](repeating: 0, count: RowBlocks.count(n) * trials)
        x.values.withUnsafeBufferPointer { xb in
            norms.withUnsafeBufferPointer { nb in
                chosen.withUnsafeBufferPointer { cb in
                    closest.withUnsafeBufferPointer { sb in
                        out.withUnsafeMutableBufferPointer { ob in
                            partial.withUnsafeMutableBufferPointer { pb in
                                guard let xp = xb.baseAddress, let np = nb.baseAddress, let cp = cb.baseAddress,
                                      let sp = sb.baseAddress, let op = ob.baseAddress, let pp = pb.baseAddress else { return }
                                RowBlocks.run(rows: n, workPerRow: trials * d) { block, rows in
                                    let m = rows.count
                                    let products = UnsafeMutablePointer<Double>.allocate(capacity: m * trials)
                                    defer { products.deallocate() }
                                    minusTwoDots(xp + rows.lowerBound * d, rows: m, cp, rows: trials, columns: d, into: products, accumulate: false)
                                    for trial in 0..<trials {
                                        let candidateNorm = np[candidates[trial]], target = op + trial * n
                                        var sum = 0.0
                                        for i in rows {
                                            let squared = Swift.max(0, np[i] + candidateNorm + products[(i - rows.lowerBound) * trials + trial])
                                            let distance = Swift.min(sp[i], squared)
                                            target[i] = distance
                                            sum += distance
                                        }
                                        pp[block * trials + trial] = sum
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var sums = [Double](repeating: 0, count: trials)
        for b in 0..<RowBlocks.count(n) {
            for trial in 0..<trials { sums[trial] += partial[b * trials + trial] }
        }
        return sums
    }

    /// The first index whose value is >= `value` in the non-decreasing `sorted` (numpy's
    /// searchsorted, side "left"); `sorted.count` when every value is smaller.
    static func firstIndex(notBelow value: Double, in sorted: [Double]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// k distinct rows drawn uniformly (a partial Fisher-Yates shuffle).
    static func randomCenters(_ x: PointMatrix, _ k: Int, _ generator: Generator) -> [Double] {
        let n = x.rows, d = x.columns
        var order = Array(0..<n)
        var centers = [Double](repeating: 0, count: k * d)
        for c in 0..<k {
            let j = Int(generator.integer(Int64(c), Int64(n)))
            order.swapAt(c, j)
            for t in 0..<d { centers[c * d + t] = x.values[order[c] * d + t] }
        }
        return centers
    }
}
