import CInterrupt
/// Gathering, scattering, masking and joining. Index tensors here are 0-based int64;
/// the Lua bridge converts from and to Lua's 1-based indices (index_select reads them
/// 1-based in place: it is the data loader's hot path).
extension Tensor {
    /// The positions of an int64 index tensor counted from `base` (1 for indices given in
    /// Lua), as 0-based positions.
    func checkIndexTensor(_ index: Tensor, _ op: String, base: Int64 = 0) throws -> [Int64] {
        guard index.dtype == .int64 else {
            throw TensorError("\(op): index must be an int64 tensor, got \(index.dtype.rawValue)")
        }
        guard index.isContiguous else { return base == 0 ? index.toInts() : index.toInts().map { $0 &- base } }
        // A batch of a shuffled permutation (the data loader's case): read in place.
        let source = index.storage.pointer(Int64.self) + index.offset
        return [Int64](unsafeUninitializedCapacity: index.count) { buffer, initialized in
            for k in 0..<index.count { buffer[k] = source[k] &- base }
            initialized = index.count
        }
    }

    /// Copies one element's bytes (exact for every dtype, int64 beyond 2^53 included).
    @inline(__always)
    func copyElement(to position: Int, from source: Tensor, at sourcePosition: Int) {
        let size = dtype.itemSize
        (storage.raw + position * size).copyMemory(from: source.storage.raw + sourcePosition * size, byteCount: size)
    }

    /// The entries along `dim` at the positions in `index`, counted from `base` (1 for an
    /// index given in Lua, so no 0-based copy of it is made).
    public func indexSelect(_ dim: Int, _ index: Tensor, base: Int64 = 0) throws -> Tensor {
        let d = try normalizedDim(dim, "index_select")
        guard index.rank <= 1 else { throw TensorError("index_select: index must be 1-D, got shape \(describeShape(index.shape))") }
        let ids = try checkIndexTensor(index, "index_select", base: base)
        let size = rank == 0 ? 1 : shape[d]
        for i in ids where i < 0 || i >= size {
            throw TensorError("index_select: index \(i &+ 1) is out of range for dimension \(d + 1) of size \(size) (valid: 1..\(size))")
        }
        var outShape = shape
        if rank > 0 { outShape[d] = ids.count }
        let out = Tensor(uninitialized: outShape, dtype: dtype)
        // Read as [outer, size, inner] and copy whole inner blocks (a row of a batch is one
        // memcpy): this is the data loader's hot path.
        let source = try GradMode.with(false) { try contiguous() }
        let inner = rank == 0 ? 1 : shape[(d + 1)...].reduce(1, *)
        let outer = rank == 0 ? 1 : shape[..<d].reduce(1, *)
        let blockBytes = inner * dtype.itemSize
        let from = source.storage.raw + source.offset * dtype.itemSize, to = out.storage.raw
        // Short blocks (a row of a tabular batch, a target value) by a plain loop: a call to
        // memmove per 4 to 256 bytes costs more than the copy.
        // The rows of a shuffled batch are scattered over the source: each is fetched into
        // the cache a few rows ahead of its copy, so their memory latencies overlap.
        let ahead = 8
        func copyElements<T>(_: T.Type) {
            let src = from.assumingMemoryBound(to: T.self), dst = to.assumingMemoryBound(to: T.self)
            for o in 0..<outer {
                for (k, i) in ids.enumerated() {
                    if k + ahead < ids.count {
                        let next = src + (o * size + Int(ids[k + ahead])) * inner
                        ml_prefetch(next)
                        ml_prefetch(next + (inner - 1))
                    }
                    let s = src + (o * size + Int(i)) * inner, t = dst + (o * ids.count + k) * inner
                    for j in 0..<inner { t[j] = s[j] }
                }
            }
        }
        switch (blockBytes <= 256, dtype.itemSize) {
        case (true, 4): copyElements(UInt32.self)
        case (true, 8): copyElements(UInt64.self)
        case (true, 1): copyElements(UInt8.self)
        default:
            for o in 0..<outer {
                for (k, i) in ids.enumerated() {
                    (to + (o * ids.count + k) * blockBytes).copyMemory(from: from + (o * size + Int(i)) * blockBytes, byteCount: blockBytes)
                }
            }
        }
        let original = shape
        return out.recording("IndexSelectBackward", self) { g in
            [try Tensor.zeros(original, dtype: g.dtype).indexAdd(d, ids, g)]
        }
    }

    /// self[..., ids[k], ...] += source[..., k, ...] along dim, in place; returns self.
    func indexAdd(_ d: Int, _ ids: [Int64], _ source: Tensor) throws -> Tensor {
        for (k, i) in ids.enumerated() {
            let dst = rawSelect(d, Int(i))
            try dst.copyValues(from: dst.add(source.rawSelect(d, k)))
        }
        return self
    }

    /// out[i][j] = self[index[i][j]][j] for dim 0 (and likewise for other dims).
    public func gather(_ dim: Int, _ index: Tensor) throws -> Tensor {
        let d = try normalizedDim(dim, "gather")
        let idx = try checkIndexTensor(index, "gather")
        guard index.rank == rank else {
            throw TensorError("gather: index must have as many dimensions as the input (\(rank)), got shape \(describeShape(index.shape))")
        }
        for k in 0..<rank where k != d && index.shape[k] > shape[k] {
            throw TensorError("gather: index shape \(describeShape(index.shape)) exceeds input shape \(describeShape(shape)) at dimension \(k + 1)")
        }
        let src = try GradMode.with(false) { try contiguous() }
        let out = Tensor(uninitialized: index.shape, dtype: dtype)
        let inputStrides = Tensor.contiguousStrides(shape)
        let outStrides = Tensor.contiguousStrides(index.shape)
        for (flat, i) in idx.enumerated() {
            guard i >= 0 && Int(i) < shape[d] else {
                throw TensorError("gather: index \(i &+ 1) is out of range for dimension \(d + 1) of size \(shape[d]) (valid: 1..\(shape[d]))")
            }
            var rem = flat, position = 0
            for k in 0..<rank {
                let coordinate = rem / outStrides[k]
                rem %= outStrides[k]
                position += (k == d ? Int(i) : coordinate) * inputStrides[k]
            }
            out.copyElement(to: flat, from: src, at: src.offset + position)
        }
        let original = shape
        return out.recording("GatherBackward", self) { g in
            [try Tensor.zeros(original, dtype: g.dtype).scatterAdd(d, index, g)]
        }
    }

    /// self[index[i][j]][j] += source[i][j] (for dim 0), in place on a contiguous tensor.
    func scatterAdd(_ d: Int, _ index: Tensor, _ source: Tensor) throws -> Tensor {
        let idx = index.toInts()
        let src = source.toDoubles()
        let selfStrides = Tensor.contiguousStrides(shape)
        let indexStrides = Tensor.contiguousStrides(index.shape)
        for (flat, i) in idx.enumerated() {
            var rem = flat, position = 0
            for k in 0..<rank {
                let coordinate = rem / indexStrides[k]
                rem %= indexStrides[k]
                position += (k == d ? Int(i) : coordinate) * selfStrides[k]
            }
            setStorageValue(offset + position, storageValue(offset + position) + src[flat])
        }
        return self
    }

    public func maskedSelect(_ mask: Tensor) throws -> Tensor {
        guard mask.dtype == .bool else { throw TensorError("masked_select: mask must be a bool tensor, got \(mask.dtype.rawValue)") }
        let shape = try broadcastShapes(self.shape, mask.shape, "masked_select")
        let values = broadcastView(shape), m = mask.broadcastView(shape)
        let pm = m.storage.pointer(Bool.self)
        let vo = values.elementOffsets(), mo = m.elementOffsets()
        let picked = (0..<vo.count).filter { pm[mo[$0]] }
        let out = Tensor(uninitialized: [picked.count], dtype: dtype)
        for (k, i) in picked.enumerated() { out.copyElement(to: k, from: values, at: vo[i]) }
        let original = self.shape
        return out.recording("MaskedSelectBackward", self) { g in
            let full = Tensor.zeros(shape, dtype: g.dtype)
            let gv = g.toDoubles()
            for (k, i) in picked.enumerated() { full.setStorageValue(i, gv[k]) }
            return [try full.sumToShape(original)]
        }
    }

    public func maskedFill(_ mask: Tensor, _ value: Tensor) throws -> Tensor {
        guard mask.dtype == .bool else { throw TensorError("masked_fill: mask must be a bool tensor, got \(mask.dtype.rawValue)") }
        guard value.count == 1 else { throw TensorError("masked_fill: value must be a number or a one-element tensor, got shape \(describeShape(value.shape))") }
        guard (try? broadcastShapes(shape, mask.shape, "masked_fill")) == shape else {
            throw TensorError("masked_fill: mask of shape \(describeShape(mask.shape)) does not broadcast to the input's shape \(describeShape(shape))")
        }
        let fill = try value.to(dtype).reshape([])
        let out = try Tensor.whereSelect(mask, fill, self)
        return out.dtype == dtype ? out : try out.to(dtype)
    }

    /// Coordinates (0-based) of the nonzero elements, one row each: [n, rank].
    public func nonzero() -> Tensor {
        var rows: [Int64] = []
        var coordinate = [Int](repeating: 0, count: rank)
        var found = 0
        let values = toDoubles()
        for v in values {
            if v != 0 { rows += coordinate.map { Int64($0) }; found += 1 }
            var d = rank - 1
            while d >= 0 {
                coordinate[d] += 1
                if coordinate[d] < shape[d] { break }
                coordinate[d] = 0
                d -= 1
            }
        }
        return Tensor(rows, shape: [found, rank])
    }

    /// Joins tensors along an existing dimension.
    public static func cat(_ tensors: [Tensor], dim: Int) throws -> Tensor {
        guard let first = tensors.first(where: { $0.rank > 0 }) ?? tensors.first else {
            throw TensorError("cat: expected a non-empty list of tensors")
        }
        let d = try first.normalizedDim(dim, "cat")
        let parts = tensors.filter { !($0.rank == 1 && $0.shape[0] == 0) || first.rank == 1 }
        var dtype = parts[0].dtype
        for (i, t) in parts.enumerated() {
            dtype = DType.promote(dtype, t.dtype)
            guard t.rank == first.rank else {
                throw TensorError("cat: tensor \(i + 1) has \(t.rank) dimensions, expected \(first.rank) (shapes \(describeShape(first.shape)) and \(describeShape(t.shape)))")
            }
            for k in 0..<first.rank where k != d && t.shape[k] != first.shape[k] {
                throw TensorError("cat: sizes must match except in dimension \(d + 1): tensor \(i + 1) has shape \(describeShape(t.shape)), expected \(describeShape(first.shape)) apart from dimension \(d + 1)")
            }
        }
        var outShape = first.shape
        outShape[d] = parts.map { $0.shape[d] }.reduce(0, +)
        let out = Tensor(uninitialized: outShape, dtype: dtype)
        var start = 0
        try GradMode.with(false) {
            for t in parts {
                try out.rawNarrow(d, start, t.shape[d]).copyValues(from: t)
                start += t.shape[d]
            }
        }
        let sizes = parts.map { $0.shape[d] }
        return out.recording("CatBackward", parts) { g in
            var offset = 0
            return try zip(parts, sizes).map { part, size in
                defer { offset += size }
                return try part.gradFor(part, g.rawNarrow(d, offset, size).contiguousCopy())
            }
        }
    }

    /// Joins tensors of equal shape along a new dimension.
    public static func stack(_ tensors: [Tensor], dim: Int) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("stack: expected a non-empty list of tensors") }
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw TensorError("stack: all tensors must have the same shape; tensor \(i + 1) has \(describeShape(t.shape)), tensor 1 has \(describeShape(first.shape))")
        }
        let d = try first.normalizedDim(dim, "stack", rankOverride: first.rank + 1)
        return try cat(tensors.map { try $0.unsqueeze(d) }, dim: d)
    }

    /// Pieces of `size` along dim (the last may be smaller), as views.
    public func split(_ size: Int, dim: Int) throws -> [Tensor] {
        let d = try normalizedDim(dim, "split")
        guard size > 0 else { throw TensorError("split: split size must be positive, got \(size)") }
        return try stride(from: 0, to: Swift.max(shape[d], 1), by: size).map {
            try narrow(d, start: $0, length: Swift.min(size, shape[d] - $0))
        }
    }

    /// Pieces of the listed sizes along dim (they must add up to its size), as views.
    public func split(sizes: [Int], dim: Int) throws -> [Tensor] {
        let d = try normalizedDim(dim, "split")
        let total = sizes.reduce(0.0) { $0 + Double($1) }
        guard sizes.allSatisfy({ $0 >= 0 }), total == Double(shape[d]) else {
            throw TensorError("split: sizes \(describeShape(sizes)) must be non-negative and add up to \(shape[d]), the size of dimension \(d + 1)")
        }
        var start = 0
        return try sizes.map { size in
            defer { start += size }
            return try narrow(d, start: start, length: size)
        }
    }

    /// `n` nearly equal pieces along dim (fewer when the size is small), as views.
    public func chunk(_ n: Int, dim: Int) throws -> [Tensor] {
        let d = try normalizedDim(dim, "chunk")
        guard n > 0 else { throw TensorError("chunk: number of chunks must be positive, got \(n)") }
        let size = shape[d] / n + (shape[d] % n == 0 ? 0 : 1)
        return try split(Swift.max(size, 1), dim: d)
    }
}
