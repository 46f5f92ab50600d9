/// Shape operations. Views share storage with their source; each records the inverse
/// reshaping of the gradient.
extension Tensor {
    /// A view with new shape/strides onto the same storage, recorded for autograd.
    @inline(__always)
    func makeView(_ shape: [Int], _ strides: [Int], _ offset: Int, _ name: StaticString,
                  _ rule: @autoclosure () -> (Tensor) throws -> Tensor) -> Tensor {
        let v = Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
        guard GradMode.isEnabled && requiresGrad else { return v }
        let inverse = rule()
        return v.recording(name, self) { g in [try inverse(g)] }
    }

    /// Resolves a requested shape with at most one -1 against this tensor's element count.
    func inferShape(_ requested: [Int], _ op: String) throws -> [Int] {
        var shape = requested
        let unknown = shape.indices.filter { shape[$0] == -1 }
        guard unknown.count <= 1 else { throw TensorError("\(op): only one dimension can be -1, got \(describeShape(requested))") }
        if let bad = shape.first(where: { $0 < -1 }) {
            throw TensorError("\(op): invalid size \(bad) in shape \(describeShape(requested))")
        }
        let (known, overflow) = shape.filter { $0 != -1 }.reduce((1, false)) { acc, size in
            let (p, o) = acc.0.multipliedReportingOverflow(by: size)
            return (p, acc.1 || o)
        }
        guard !overflow else {
            throw TensorError("\(op): shape \(describeShape(requested)) is invalid for a tensor of \(count) elements (shape \(describeShape(self.shape)))")
        }
        if let u = unknown.first {
            guard known > 0, count % known == 0 else {
                throw TensorError("\(op): shape \(describeShape(requested)) is invalid for a tensor of \(count) elements (shape \(describeShape(self.shape)))")
            }
            shape[u] = count / known
        }
        guard shape.reduce(1, *) == count else {
            throw TensorError("\(op): shape \(describeShape(requested)) is invalid for a tensor of \(count) elements (shape \(describeShape(self.shape)))")
        }
        return shape
    }

    public func view(_ requested: [Int]) throws -> Tensor {
        let shape = try inferShape(requested, "view")
        guard isContiguous else {
            throw TensorError("view: the tensor is not contiguous (e.g. after transpose or permute); use reshape, or contiguous() first")
        }
        let original = self.shape
        return makeView(shape, Tensor.contiguousStrides(shape), offset, "ViewBackward") { g in try g.reshape(original) }
    }

    public func reshape(_ requested: [Int]) throws -> Tensor {
        let shape = try inferShape(requested, "reshape")
        return try (isContiguous ? self : contiguousCopy()).view(shape)
    }

    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        if rank == 0 { return try reshape([1]) }
        let s = try normalizedDim(startDim, "flatten"), e = try normalizedDim(endDim, "flatten")
        guard s <= e else { throw TensorError("flatten: start dimension \(s + 1) comes after end dimension \(e + 1)") }
        let merged = shape[s...e].reduce(1, *)
        return try reshape(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }

    public func squeeze(_ dim: Int? = nil) throws -> Tensor {
        var keep: [Int]
        if let dim {
            let d = try normalizedDim(dim, "squeeze")
            keep = Array(0..<rank).filter { $0 != d || shape[$0] != 1 }
        } else {
            keep = Array(0..<rank).filter { shape[$0] != 1 }
        }
        let original = self.shape
        return makeView(keep.map { shape[$0] }, keep.map { strides[$0] }, offset, "SqueezeBackward") { g in try g.reshape(original) }
    }

    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try normalizedDim(dim, "unsqueeze", rankOverride: rank + 1)
        var newShape = shape, newStrides = strides
        let stride = d < rank ? strides[d] * shape[d] : 1
        newShape.insert(1, at: d)
        newStrides.insert(stride, at: d)
        let original = self.shape
        return makeView(newShape, newStrides, offset, "UnsqueezeBackward") { g in try g.reshape(original) }
    }

    public func permute(_ dims: [Int]) throws -> Tensor {
        guard dims.count == rank else {
            throw TensorError("permute: \(dims.count) dimensions given for a tensor with \(rank) (shape \(describeShape(shape)))")
        }
        let order = try dims.map { try normalizedDim($0, "permute") }
        guard Set(order).count == rank else { throw TensorError("permute: repeated dimension in \(describeShape(dims.map { $0 + 1 }))") }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in order.enumerated() { inverse[d] = i }
        return makeView(order.map { shape[$0] }, order.map { strides[$0] }, offset, "PermuteBackward") { g in try g.permute(inverse) }
    }

    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        if rank < 2 && (dim0 == 0 || dim0 == -1) && (dim1 == 0 || dim1 == -1) { return self }
        let a = try normalizedDim(dim0, "transpose"), b = try normalizedDim(dim1, "transpose")
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permute(order)
    }

    /// Matrix transpose (`t:t()`): swaps the two dimensions of a 2-D tensor; 0-D and 1-D
    /// tensors come back unchanged.
    public func t() throws -> Tensor {
        guard rank <= 2 else { throw TensorError("t: expects a tensor with at most 2 dimensions, got shape \(describeShape(shape)); use transpose(d1, d2)") }
        return rank < 2 ? self : try transpose(0, 1)
    }

    /// Stretches size-1 dimensions (stride 0, no copy); -1 keeps a size.
    public func expand(_ sizes: [Int]) throws -> Tensor {
        guard sizes.count >= rank else {
            throw TensorError("expand: the number of sizes (\(sizes.count)) must be at least the number of dimensions (\(rank))")
        }
        let lead = sizes.count - rank
        var newShape = sizes, newStrides = [Int](repeating: 0, count: sizes.count)
        for i in 0..<sizes.count {
            if i < lead {
                guard sizes[i] >= 0 else { throw TensorError("expand: -1 is not allowed for a new leading dimension") }
                continue
            }
            let d = i - lead
            if sizes[i] == -1 || sizes[i] == shape[d] {
                newShape[i] = shape[d]; newStrides[i] = strides[d]
            } else if shape[d] == 1 {
                newStrides[i] = 0
            } else {
                throw TensorError("expand: size \(sizes[i]) does not match the existing size \(shape[d]) at dimension \(i + 1) (shape \(describeShape(shape)) to \(describeShape(sizes)))")
            }
        }
        return makeView(newShape, newStrides, offset, "ExpandBackward") { g in g }
    }

    /// Tiles the tensor (`repeat_` in Lua, PyTorch's `repeat`).
    public func repeated(_ counts: [Int]) throws -> Tensor {
        guard counts.count >= rank else {
            throw TensorError("repeat_: the number of repeats (\(counts.count)) must be at least the number of dimensions (\(rank))")
        }
        guard counts.allSatisfy({ $0 >= 0 }) else { throw TensorError("repeat_: repeats must be non-negative, got \(describeShape(counts))") }
        let lead = counts.count - rank
        let padded = [Int](repeating: 1, count: lead) + shape
        try Tensor.checkElements(zip(counts, padded).reduce(1.0) { $0 * Double($1.0) * Double($1.1) },
                                 describeShape(zip(counts, padded).map { $0.multipliedReportingOverflow(by: $1).partialValue }), "repeat_", dtype: dtype)
        // View as [1, s1, 1, s2, ...], expand to [r1, s1, r2, s2, ...], then copy.
        var interleaved: [Int] = [], expanded: [Int] = []
        for (r, s) in zip(counts, padded) { interleaved += [1, s]; expanded += [r, s] }
        let source = try GradMode.with(false) { try self.contiguous().reshape(interleaved).expand(expanded) }
        let out = try GradMode.with(false) { try source.contiguousCopy().reshape(zip(counts, padded).map { $0 * $1 }) }
        let original = shape
        return out.recording("RepeatBackward", self) { g in
            let summed = try g.reshape(expanded).sum(dims: Array(stride(from: 0, to: expanded.count, by: 2)), keepDim: false)
            return [try summed.reshape(original)]
        }
    }

    /// The slice start..<start+length along `dim` (0-based start), as a view.
    public func narrow(_ dim: Int, start requested: Int, length: Int) throws -> Tensor {
        let d = try normalizedDim(dim, "narrow")
        let start = requested < 0 ? requested + shape[d] : requested
        guard start >= 0, length >= 0, start <= shape[d], length <= shape[d] - start else {
            throw TensorError("narrow: start \(requested < 0 ? requested : requested + 1) and length \(length) exceed dimension \(d + 1) of size \(shape[d]) (shape \(describeShape(shape)))")
        }
        var newShape = shape
        newShape[d] = length
        let original = shape
        return makeView(newShape, strides, offset + start * strides[d], "NarrowBackward") { g in
            let full = Tensor.zeros(original, dtype: g.dtype)
            try full.rawNarrow(d, start, length).copyValues(from: g)
            return full
        }
    }

    /// Index `index` (0-based) along `dim`, removing that dimension, as a view.
    public func select(_ dim: Int, _ index: Int) throws -> Tensor {
        let d = try normalizedDim(dim, "select")
        guard rank > 0 else { throw TensorError("select: cannot index a 0-dimensional tensor") }
        let i = index < 0 ? index + shape[d] : index
        guard i >= 0 && i < shape[d] else {
            throw TensorError("select: index \(index >= 0 ? index + 1 : index) is out of range for dimension \(d + 1) of size \(shape[d]) (valid: 1..\(shape[d]) or -\(shape[d])..-1)")
        }
        var newShape = shape, newStrides = strides
        newShape.remove(at: d); newStrides.remove(at: d)
        let original = shape
        return makeView(newShape, newStrides, offset + i * strides[d], "SelectBackward") { g in
            let full = Tensor.zeros(original, dtype: g.dtype)
            try full.rawSelect(d, i).copyValues(from: g)
            return full
        }
    }

    /// Unrecorded views for writing into gradients.
    func rawNarrow(_ d: Int, _ start: Int, _ length: Int) -> Tensor {
        var s = shape
        s[d] = length
        return Tensor(storage: storage, shape: s, strides: strides, offset: offset + start * strides[d])
    }

    func rawSelect(_ d: Int, _ i: Int) -> Tensor {
        var s = shape, st = strides
        s.remove(at: d); st.remove(at: d)
        return Tensor(storage: storage, shape: s, strides: st, offset: offset + i * strides[d])
    }

    /// Writes `source` (broadcast to this shape, converted to this dtype) into this view.
    /// No autograd: callers check that themselves.
    public func copyValues(from source: Tensor) throws {
        guard try broadcastShapes(shape, source.shape, "copy_") == shape else {
            throw TensorError("copy_: source of shape \(describeShape(source.shape)) cannot be broadcast to the destination's shape \(describeShape(shape))")
        }
        let converted = try GradMode.with(false) { try source.to(dtype) }
        switch dtype {
        case .float32: Kernels.inPlace(self, converted) { (_: Float, b: Float) in b }
        case .float64: Kernels.inPlace(self, converted) { (_: Double, b: Double) in b }
        case .int64: Kernels.inPlace(self, converted) { (_: Int64, b: Int64) in b }
        case .bool: Kernels.inPlace(self, converted) { (_: Bool, b: Bool) in b }
        }
    }
}
