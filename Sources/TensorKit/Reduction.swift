/// The layout every reduction uses: the reduced dimensions moved last and made
/// contiguous, so each output element reduces one contiguous row.
struct ReductionLayout {
    let rows: Tensor          // contiguous, [outer, inner]
    let outer: Int
    let inner: Int
    let outputShape: [Int]    // without the reduced dims, or with them as 1 when keepDim
    let keepShape: [Int]      // the reduced dims as 1 (for broadcasting gradients back)
}

extension Tensor {
    /// Normalises and de-duplicates reduction dims; nil/empty means all.
    func reductionDims(_ dims: [Int]?, _ op: String) throws -> [Int] {
        guard let dims, !dims.isEmpty else { return Array(0..<rank) }
        let normalized = try dims.map { try normalizedDim($0, op) }
        guard Set(normalized).count == normalized.count else {
            throw TensorError("\(op): dimension repeated in \(describeShape(dims.map { $0 + 1 }))")
        }
        return normalized.sorted()
    }

    func reductionLayout(_ dims: [Int], keepDim: Bool, op: String = "reduction") throws -> ReductionLayout {
        if !isContiguous { try Tensor.checkShape(shape, op, dtype: dtype) }
        let kept = (0..<rank).filter { !dims.contains($0) }
        let order = kept + dims
        let moved = rank == 0 ? self : try GradMode.with(false) { try permute(order).contiguous() }
        let inner = dims.map { shape[$0] }.reduce(1, *)
        let outer = kept.map { shape[$0] }.reduce(1, *)
        var keepShape = shape
        for d in dims { keepShape[d] = 1 }
        return ReductionLayout(rows: moved, outer: outer, inner: inner,
                               outputShape: keepDim ? keepShape : kept.map { shape[$0] }, keepShape: keepShape)
    }

    /// Broadcasts a reduced gradient back over the input's shape.
    func expandGrad(_ g: Tensor, _ layout: ReductionLayout) throws -> Tensor {
        try expandGrad(g, keepShape: layout.keepShape)
    }

    func expandGrad(_ g: Tensor, keepShape: [Int]) throws -> Tensor {
        try g.reshape(keepShape).expand(shape)
    }

    /// The shape with the reduced dims kept as size 1.
    func reducedShape(_ dims: [Int]) -> [Int] {
        var s = shape
        for d in dims { s[d] = 1 }
        return s
    }

    /// Sums over leading dims of a contiguous float tensor (a bias gradient: [N, C] summed
    /// over N) column by column, without the permuted copy of the general path. Nil when
    /// the case does not apply.
    private func sumLeadingDims(_ dims: [Int], keepDim: Bool) throws -> Tensor? {
        guard dtype.isFloatingPoint, isContiguous, !dims.isEmpty, dims.count < rank,
              dims == Array(0..<dims.count) else { return nil }
        let rows = shape[..<dims.count].reduce(1, *), columns = count / max(rows, 1)
        let outShape = keepDim ? reducedShape(dims) : Array(shape[dims.count...])
        let out = Tensor(uninitialized: outShape, dtype: dtype)
        func run<T: FloatElement>(_: T.Type) {
            let src = pointer(T.self), dst = out.storage.pointer(T.self)
            // Column sums in double precision, row by row (a pointer, not an Array, so
            // the inner loop vectorises).
            let acc = UnsafeMutablePointer<Double>.allocate(capacity: max(columns, 1))
            defer { acc.deallocate() }
            acc.initialize(repeating: 0, count: columns)
            // Four rows per pass over the accumulators: a quarter of the loads and stores.
            var r = 0
            while r + 4 <= rows {
                let a = src + r * columns, b = a + columns, c2 = b + columns, d = c2 + columns
                for c in 0..<columns { acc[c] += (Double(a[c]) + Double(b[c])) + (Double(c2[c]) + Double(d[c])) }
                r += 4
            }
            while r < rows {
                let row = src + r * columns
                for c in 0..<columns { acc[c] += Double(row[c]) }
                r += 1
            }
            for c in 0..<columns { dst[c] = T(acc[c]) }
        }
        if dtype == .float32 { run(Float.self) } else { run(Double.self) }
        return out
    }

    /// Runs `body(row pointer, length)` per row, writing one value each into a new tensor.
    @inline(__always)
    func reduceRows<T: Element, R: Element>(_ layout: ReductionLayout, _: T.Type, _: R.Type,
                                            _ body: (UnsafeMutablePointer<T>, Int) -> R) -> Tensor {
        let out = Tensor(uninitialized: layout.outputShape, dtype: R.dtype)
        let po = out.storage.pointer(R.self)
        let p = layout.rows.pointer(T.self)
        for r in 0..<layout.outer { po[r] = body(p + r * layout.inner, layout.inner) }
        return out
    }

    public func sum(dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        let d = try reductionDims(dims, "sum")
        if let columns = try sumLeadingDims(d, keepDim: keepDim) {
            return columns.recording("SumBackward", self) { g in [try self.expandGrad(g, keepShape: self.reducedShape(d))] }
        }
        let layout = try reductionLayout(d, keepDim: keepDim, op: "sum")
        let out: Tensor
        switch dtype {
        case .float32: out = reduceRows(layout, Float.self, Float.self) { p, n in Float(sumAccurate(p, n)) }
        case .float64: out = reduceRows(layout, Double.self, Double.self) { p, n in sumAccurate(p, n) }
        case .int64: out = reduceRows(layout, Int64.self, Int64.self) { p, n in (0..<n).reduce(0) { $0 &+ p[$1] } }
        case .bool: out = reduceRows(layout, Bool.self, Int64.self) { p, n in Int64((0..<n).filter { p[$0] }.count) }
        }
        return out.recording("SumBackward", self) { g in [try self.expandGrad(g, layout)] }
    }

    public func mean(dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        try requireFloat("mean")
        let d = try reductionDims(dims, "mean")
        let n = d.map { shape[$0] }.reduce(1, *)
        return try sum(dims: d, keepDim: keepDim).div(scalar: Double(n))
    }

    /// Variance with `correction` (1: unbiased, the default; 0: population).
    public func variance(dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        try requireFloat("var")
        let d = try reductionDims(dims, "var")
        let n = d.map { shape[$0] }.reduce(1, *)
        let centered = try sub(mean(dims: d, keepDim: true))
        return try centered.mul(centered).sum(dims: d, keepDim: keepDim).div(scalar: Double(max(n - correction, 0)))
    }

    public func std(dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        try variance(dims: dims, correction: correction, keepDim: keepDim).sqrt()
    }

    func requireFloat(_ op: String) throws {
        guard dtype.isFloatingPoint else {
            throw TensorError("\(op): needs a floating-point tensor, got \(dtype.rawValue); convert with :float() first")
        }
    }

    /// Max or min over all elements (0-d result). Ties share the gradient evenly.
    public func extreme(max isMax: Bool) throws -> Tensor {
        let op = isMax ? "max" : "min"
        guard count > 0 else { throw TensorError("\(op): cannot reduce an empty tensor (shape \(describeShape(shape))) without a dim") }
        let (values, _) = try extreme(max: isMax, dim: nil)
        return values.recording(isMax ? "MaxBackward" : "MinBackward", [self]) { g in
            let mask = try self.eq(values).to(g.dtype)
            return [try mask.mul(g).div(mask.sum())]
        }
    }

    /// Max or min along `dim` (or over everything): values and 0-based indices.
    public func extreme(max isMax: Bool, dim: Int?, keepDim: Bool = false) throws -> (Tensor, Tensor) {
        let op = isMax ? "max" : "min"
        let d = try dim.map { [try normalizedDim($0, op)] } ?? Array(0..<rank)
        let layout = try reductionLayout(d, keepDim: keepDim, op: op)
        guard layout.inner > 0 else { throw TensorError("\(op): cannot reduce over a dimension of size 0 (shape \(describeShape(shape)))") }
        let indices = Tensor(uninitialized: layout.outputShape, dtype: .int64)
        let pi = indices.storage.pointer(Int64.self)
        var row = 0
        func pick<T: Element & Comparable>(_: T.Type, nanAware: (T) -> Bool) -> Tensor {
            reduceRows(layout, T.self, T.self) { p, n in
                var best = 0
                for i in 1..<max(n, 1) {
                    if nanAware(p[best]) { break }
                    if nanAware(p[i]) || (isMax ? p[i] > p[best] : p[i] < p[best]) { best = i }
                }
                pi[row] = Int64(best); row += 1
                return p[best]
            }
        }
        let values: Tensor
        switch dtype {
        case .float32: values = pick(Float.self) { $0.isNaN }
        case .float64: values = pick(Double.self) { $0.isNaN }
        case .int64: values = pick(Int64.self) { _ in false }
        case .bool:
            let asInt = try to(.int64)
            let (v, i) = try asInt.extreme(max: isMax, dim: dim, keepDim: keepDim)
            return (try v.to(.bool), i)
        }
        guard dim != nil else { return (values, indices) }
        values.recording(isMax ? "MaxBackward" : "MinBackward", [self]) { g in
            [try Tensor.zeros(self.shape, dtype: g.dtype).scatterAdd(d[0], keepDim ? indices : indices.unsqueeze(d[0]),
                                                                      keepDim ? g : g.unsqueeze(d[0]))]
        }
        return (values, indices)
    }

    public func argExtreme(max isMax: Bool, dim: Int?, keepDim: Bool = false) throws -> Tensor {
        let op = isMax ? "argmax" : "argmin"
        guard count > 0 else { throw TensorError("\(op): cannot reduce an empty tensor (shape \(describeShape(shape)))") }
        guard let dim else { return try reshape([-1]).extreme(max: isMax, dim: 0).1 }
        _ = try normalizedDim(dim, op)
        return try extreme(max: isMax, dim: dim, keepDim: keepDim).1
    }

    public func prod(dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        let d = try reductionDims(dims, "prod")
        let layout = try reductionLayout(d, keepDim: keepDim, op: "prod")
        let out: Tensor
        switch dtype {
        case .float32: out = reduceRows(layout, Float.self, Float.self) { p, n in (0..<n).reduce(1) { $0 * p[$1] } }
        case .float64: out = reduceRows(layout, Double.self, Double.self) { p, n in (0..<n).reduce(1) { $0 * p[$1] } }
        case .int64: out = reduceRows(layout, Int64.self, Int64.self) { p, n in (0..<n).reduce(1) { $0 &* p[$1] } }
        case .bool: out = reduceRows(layout, Bool.self, Int64.self) { p, n in (0..<n).allSatisfy { p[$0] } ? 1 : 0 }
        }
        return out.recording("ProdBackward", self) { g in
            // Product of all other elements of each row, by prefix and suffix products (safe with zeros).
            let rows = try layout.rows.to(.float64)
            let others = Tensor(uninitialized: [layout.outer, layout.inner], dtype: .float64)
            let src = rows.pointer(Double.self), dst = others.storage.pointer(Double.self)
            for r in 0..<layout.outer {
                let base = r * layout.inner
                var prefix = 1.0
                for i in 0..<layout.inner { dst[base + i] = prefix; prefix *= src[base + i] }
                var suffix = 1.0
                for i in stride(from: layout.inner - 1, through: 0, by: -1) { dst[base + i] *= suffix; suffix *= src[base + i] }
            }
            let kept = (0..<self.rank).filter { !d.contains($0) }
            var inverse = [Int](repeating: 0, count: self.rank)
            for (i, dim) in (kept + d).enumerated() { inverse[dim] = i }
            let movedShape = (kept + d).map { self.shape[$0] }
            let back = try others.reshape(movedShape).permute(inverse).to(g.dtype)
            return [try back.mul(self.expandGrad(g, layout))]
        }
    }

    public func cumsum(_ dim: Int) throws -> Tensor {
        let d = try normalizedDim(dim, "cumsum")
        let source = dtype == .bool ? try to(.int64) : self
        let moved = try GradMode.with(false) { try source.transpose(d, rank - 1).contiguous() }
        let out = Tensor(uninitialized: moved.shape, dtype: moved.dtype)
        let n = rank == 0 ? 1 : moved.shape[rank - 1]
        let rows = n == 0 ? 0 : moved.count / n
        func scan<T: Element>(_: T.Type, _ plus: (T, T) -> T) {
            let p = moved.pointer(T.self), o = out.storage.pointer(T.self)
            for r in 0..<rows {
                var acc = T(fromInt: 0)
                for i in 0..<n { acc = plus(acc, p[r * n + i]); o[r * n + i] = acc }
            }
        }
        switch moved.dtype {
        case .float32: scan(Float.self, +)
        case .float64: scan(Double.self, +)
        default: scan(Int64.self, &+)   // wraps like PyTorch's int64, never traps
        }
        let result = try GradMode.with(false) { try out.transpose(d, rank - 1).contiguous() }
        return result.recording("CumsumBackward", self) { g in
            // Reverse cumulative sum: total - cumsum + g.
            [try g.sum(dims: [d], keepDim: true).sub(g.cumsum(d)).add(g)]
        }
    }

    /// The p-norm over all elements or along dims.
    public func norm(p: Double = 2, dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        try requireFloat("norm")
        if p == 2 { return try mul(self).sum(dims: dims, keepDim: keepDim).sqrt() }
        if p == 1 { return try abs().sum(dims: dims, keepDim: keepDim) }
        if p.isInfinite { return try abs().amax(dims: dims, keepDim: keepDim) }
        return try abs().pow(scalar: p).sum(dims: dims, keepDim: keepDim).pow(scalar: 1 / p)
    }

    /// Max over several dims, gradient shared among ties.
    func amax(dims: [Int]?, keepDim: Bool) throws -> Tensor {
        let d = try reductionDims(dims, "amax")
        var result = self
        for dim in d.reversed() { result = try result.extreme(max: true, dim: dim, keepDim: true).0 }
        return keepDim ? result : try result.reshape(try reductionLayout(d, keepDim: false).outputShape)
    }

    public func all(dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        try logicalReduction("all", dims, keepDim) { p, n in (0..<n).allSatisfy { p[$0] } }
    }

    public func any(dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        try logicalReduction("any", dims, keepDim) { p, n in (0..<n).contains { p[$0] } }
    }

    /// Reduces the elements read as bools, row by row.
    private func logicalReduction(_ op: String, _ dims: [Int]?, _ keepDim: Bool,
                                  _ body: (UnsafeMutablePointer<Bool>, Int) -> Bool) throws -> Tensor {
        let b = try GradMode.with(false) { try to(.bool) }
        let layout = try b.reductionLayout(try b.reductionDims(dims, op), keepDim: keepDim, op: op)
        return b.reduceRows(layout, Bool.self, Bool.self, body)
    }

    public func logsumexp(dims: [Int]?, keepDim: Bool = false) throws -> Tensor {
        let x = dtype.isFloatingPoint ? self : try to(.float32)
        let d = try x.reductionDims(dims, "logsumexp")
        let peak = try GradMode.with(false) { try x.amax(dims: d, keepDim: true) }
        let finitePeak = try Tensor.whereSelect(peak.isfinite(), peak, Tensor(scalar: 0, dtype: x.dtype))
        let result = try x.sub(finitePeak).exp().sum(dims: d, keepDim: true).log().add(finitePeak)
        return keepDim ? result : try result.reshape(try x.reductionLayout(d, keepDim: false).outputShape)
    }
}

/// Sums in double precision with four accumulators (float32 rows lose nothing).
@inline(__always)
func sumAccurate<T: Element>(_ p: UnsafeMutablePointer<T>, _ n: Int) -> Double {
    var total = 0.0
    var i = 0
    while i < n {
        let end = Swift.min(i + 4096, n)
        var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
        var j = i
        while j + 4 <= end {
            a0 += p[j].doubleValue; a1 += p[j + 1].doubleValue; a2 += p[j + 2].doubleValue; a3 += p[j + 3].doubleValue
            j += 4
        }
        while j < end { a0 += p[j].doubleValue; j += 1 }
        total += (a0 + a1) + (a2 + a3)
        i = end
    }
    return total
}
