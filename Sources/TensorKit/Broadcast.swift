/// Numpy broadcasting: shapes align from the right; a size-1 (or missing) dimension
/// stretches to match.
public func broadcastShapes(_ a: [Int], _ b: [Int], _ op: String) throws -> [Int] {
    if a == b { return a }
    // When one shape already is the result (a bias row over a matrix), return that array
    // itself: no allocation.
    if covers(a, b) { return a }
    if covers(b, a) { return b }
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        if da == db || db == 1 { result[i] = da } else if da == 1 { result[i] = db } else {
            throw TensorError("\(op): shapes \(describeShape(a)) and \(describeShape(b)) do not broadcast (dimension \(i + 1): \(da) vs \(db))")
        }
    }
    return result
}

/// True when broadcasting `small` against `big` gives `big` unchanged.
@inline(__always)
private func covers(_ big: [Int], _ small: [Int]) -> Bool {
    guard big.count >= small.count else { return false }
    let lead = big.count - small.count
    for i in 0..<small.count where small[i] != 1 && small[i] != big[lead + i] { return false }
    return true
}

extension Tensor {
    /// Strides that read this tensor as if it had shape `target` (0 on stretched dims).
    func broadcastStrides(to target: [Int]) -> [Int] {
        let lead = target.count - rank
        var result = [Int](repeating: 0, count: target.count)
        for d in 0..<rank where shape[d] != 1 || target[d + lead] == 1 {
            result[d + lead] = shape[d] == 1 ? 0 : strides[d]
        }
        return result
    }

    /// Sums a broadcast gradient back down to `target` (the inverse of broadcasting).
    func sumToShape(_ target: [Int]) throws -> Tensor {
        if shape == target { return self }
        var result = self
        let lead = rank - target.count
        if lead > 0 { result = try result.sum(dims: Array(0..<lead), keepDim: false) }
        var dims: [Int] = []
        for (d, size) in target.enumerated() where size == 1 && result.shape[d] != 1 { dims.append(d) }
        if !dims.isEmpty { result = try result.sum(dims: dims, keepDim: true) }
        return result
    }
}

/// Walks two strided operands and a contiguous output over `shape`, calling `inner` for
/// each run along the last dimension with (offsetA, offsetB, outputOffset, length,
/// strideA, strideB).
@inline(__always)
func forEachRow(_ shape: [Int], _ stridesA: [Int], _ offsetA: Int, _ stridesB: [Int], _ offsetB: Int,
                _ inner: (Int, Int, Int, Int, Int, Int) -> Void) {
    let rank = shape.count
    if rank == 0 { inner(offsetA, offsetB, 0, 1, 0, 0); return }
    let n = shape[rank - 1]
    let sa = stridesA[rank - 1], sb = stridesB[rank - 1]
    let rows = shape.dropLast().reduce(1, *)
    if n == 0 || rows == 0 { return }
    var index = [Int](repeating: 0, count: rank - 1)
    var pa = offsetA, pb = offsetB
    for row in 0..<rows {
        inner(pa, pb, row * n, n, sa, sb)
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            pa += stridesA[d]; pb += stridesB[d]
            if index[d] < shape[d] { break }
            pa -= stridesA[d] * shape[d]; pb -= stridesB[d] * shape[d]
            index[d] = 0
            d -= 1
        }
    }
}
