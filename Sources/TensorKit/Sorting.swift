/// Sorting, top-k and unique. Indices are 0-based here.
extension Tensor {
    /// Values sorted along `dim` and the 0-based positions they came from. Stable; NaN
    /// sorts as the largest value, as in PyTorch.
    public func sort(dim: Int = -1, descending: Bool = false) throws -> (Tensor, Tensor) {
        if rank == 0 { return (self, Tensor(scalar: 0, dtype: .int64)) }
        let d = try normalizedDim(dim, "sort")
        let moved = try GradMode.with(false) { try transpose(d, rank - 1).contiguous() }
        let n = moved.shape[rank - 1]
        let rows = n == 0 ? 0 : moved.count / n
        let values = moved.toDoubles()
        var order = [Int64](repeating: 0, count: moved.count)
        func less(_ a: Double, _ b: Double) -> Bool {
            if a.isNaN { return false }
            if b.isNaN { return true }
            return a < b
        }
        for r in 0..<rows {
            let base = r * n
            let sorted = (0..<n).sorted { i, j in
                let a = values[base + i], b = values[base + j]
                if descending ? less(b, a) : less(a, b) { return true }
                if descending ? less(a, b) : less(b, a) { return false }
                return i < j
            }
            for (k, i) in sorted.enumerated() { order[base + k] = Int64(i) }
        }
        let indices = try Tensor(order, shape: moved.shape).transpose(d, rank - 1).contiguous()
        let result = try GradMode.with(false) { try gather(d, indices) }
        return (result.recording("SortBackward", self) { g in
            [try Tensor.zeros(self.shape, dtype: g.dtype).scatterAdd(d, indices, g)]
        }, indices)
    }

    /// The k largest (or smallest) values along `dim`, sorted, with their 0-based indices.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) throws -> (Tensor, Tensor) {
        let d = try normalizedDim(dim, "topk")
        let size = rank == 0 ? 1 : shape[d]
        guard k >= 0 && k <= size else {
            throw TensorError("topk: k (\(k)) must be between 0 and the size of dimension \(d + 1) (\(size))")
        }
        let (_, order) = try GradMode.with(false) { try sort(dim: d, descending: largest) }
        let indices = try order.narrow(d, start: 0, length: k).contiguous()
        return (try gather(d, indices), indices)
    }

    /// The distinct values, sorted, optionally with each element's position among them
    /// (0-based) and how often each occurs.
    public func unique() -> (values: Tensor, inverse: Tensor, counts: Tensor) {
        let values = toDoubles()
        let distinct = Array(Set(values.filter { !$0.isNaN })).sorted() + values.filter { $0.isNaN }
        var position: [Double: Int] = [:]
        for (i, v) in distinct.enumerated() where !v.isNaN { position[v] = i }
        var counts = [Int64](repeating: 0, count: distinct.count)
        var nanSeen = 0
        let firstNaN = distinct.count - values.filter { $0.isNaN }.count
        let inverse: [Int64] = values.map { v in
            let i: Int
            if v.isNaN { i = firstNaN + nanSeen; nanSeen += 1 } else { i = position[v]! }
            counts[i] += 1
            return Int64(i)
        }
        let out = Tensor(uninitialized: [distinct.count], dtype: dtype)
        for (i, v) in distinct.enumerated() { out.setElement(at: i, v) }
        return (out, Tensor(inverse, shape: shape), Tensor(counts, shape: [counts.count]))
    }
}
