/// The elementwise kernels: every pointwise op is one of these maps, specialised per
/// element type by the compiler.
enum Kernels {
    /// out[i] = f(a[i], b[i]) over the broadcast shape; a and b already hold type T.
    @inline(__always)
    static func binary<T: Element, R: Element>(_ a: Tensor, _ b: Tensor, _ shape: [Int],
                                               _ f: (T, T) -> R) -> Tensor {
        // Reuse a's strides array when the output has a's contiguous layout (no allocation).
        let strides = a.shape == shape && a.hasRowMajorStrides ? a.strides : Tensor.contiguousStrides(shape)
        let out = Tensor(storage: Storage.make(dtype: R.dtype, count: shape.reduce(1, *)), shape: shape, strides: strides)
        let po = out.storage.pointer(R.self)
        let pa = a.storage.pointer(T.self), pb = b.storage.pointer(T.self)
        let n = out.count
        if a.shape == shape && b.shape == shape && a.isContiguous && b.isContiguous {
            let xa = pa + a.offset, xb = pb + b.offset
            Parallel.chunks(n) { start, end in for i in start..<end { po[i] = f(xa[i], xb[i]) } }
            return out
        }
        if b.count == 1 && a.shape == shape && a.isContiguous {
            let xa = pa + a.offset, vb = pb[b.offset]
            Parallel.chunks(n) { start, end in for i in start..<end { po[i] = f(xa[i], vb) } }
            return out
        }
        if a.count == 1 && b.shape == shape && b.isContiguous {
            let va = pa[a.offset], xb = pb + b.offset
            Parallel.chunks(n) { start, end in for i in start..<end { po[i] = f(va, xb[i]) } }
            return out
        }
        // A row vector broadcast down the rows of a matrix (a bias add): no index arithmetic.
        if let width = shape.last, width > 0, a.shape == shape, a.isContiguous, b.isContiguous, b.count == width,
           b.shape.last == width {
            let xa = pa + a.offset, xb = pb + b.offset
            for row in 0..<(n / width) {
                let base = row * width
                for j in 0..<width { po[base + j] = f(xa[base + j], xb[j]) }
            }
            return out
        }
        forEachRow(shape, a.broadcastStrides(to: shape), a.offset, b.broadcastStrides(to: shape), b.offset) {
            oa, ob, oo, len, sa, sb in
            if sa == 1 && sb == 1 {
                for i in 0..<len { po[oo + i] = f(pa[oa + i], pb[ob + i]) }
            } else if sa == 1 && sb == 0 {
                let vb = pb[ob]
                for i in 0..<len { po[oo + i] = f(pa[oa + i], vb) }
            } else {
                for i in 0..<len { po[oo + i] = f(pa[oa + i * sa], pb[ob + i * sb]) }
            }
        }
        return out
    }

    /// out[i] = f(a[i]), contiguous output of a's shape.
    @inline(__always)
    static func unary<T: Element, R: Element>(_ a: Tensor, _ f: (T) -> R) -> Tensor {
        let out = Tensor(storage: Storage.make(dtype: R.dtype, count: a.count), shape: a.shape,
                         strides: a.hasRowMajorStrides ? a.strides : Tensor.contiguousStrides(a.shape))
        let po = out.storage.pointer(R.self)
        let pa = a.storage.pointer(T.self)
        if a.isContiguous {
            let xa = pa + a.offset
            Parallel.chunks(out.count) { start, end in for i in start..<end { po[i] = f(xa[i]) } }
        } else {
            var i = 0
            a.forEachOffset { po[i] = f(pa[$0]); i += 1 }
        }
        return out
    }

    /// a[i] = f(a[i], b[i]) in place, b broadcast to a's shape.
    @inline(__always)
    static func inPlace<T: Element>(_ a: Tensor, _ b: Tensor, _ f: (T, T) -> T) {
        let pa = a.storage.pointer(T.self), pb = b.storage.pointer(T.self)
        if a.isContiguous && b.isContiguous && a.shape == b.shape {
            let xa = pa + a.offset, xb = pb + b.offset
            for i in 0..<a.count { xa[i] = f(xa[i], xb[i]) }
            return
        }
        if b.count == 1 {
            let vb = pb[b.offset]
            a.forEachOffset { pa[$0] = f(pa[$0], vb) }
            return
        }
        // A row vector added down the rows of a contiguous matrix (a bias).
        if let width = a.shape.last, width > 0, a.isContiguous, b.isContiguous, b.count == width, b.shape.last == width {
            let xa = pa + a.offset, xb = pb + b.offset
            for row in 0..<(a.count / width) {
                let base = row * width
                for j in 0..<width { xa[base + j] = f(xa[base + j], xb[j]) }
            }
            return
        }
        forEachRow(a.shape, a.strides, a.offset, b.broadcastStrides(to: a.shape), b.offset) {
            oa, ob, _, len, sa, sb in
            for i in 0..<len { pa[oa + i * sa] = f(pa[oa + i * sa], pb[ob + i * sb]) }
        }
    }

    /// Converts any tensor into a new contiguous tensor of type R.
    static func convert<R: Element>(_ a: Tensor, to: R.Type) -> Tensor {
        switch a.dtype {
        case .float32: return unary(a) { (x: Float) -> R in R(fromDouble: Double(x)) }
        case .float64: return unary(a) { (x: Double) -> R in R(fromDouble: x) }
        case .int64: return unary(a) { (x: Int64) -> R in R(fromInt: x) }
        case .bool: return unary(a) { (x: Bool) -> R in R(fromInt: x ? 1 : 0) }
        }
    }
}

extension Tensor {
    /// This tensor converted to `dtype` (itself when it already has it).
    public func to(_ dtype: DType) throws -> Tensor {
        if dtype == self.dtype { return self }
        let out: Tensor
        switch dtype {
        case .float32: out = Kernels.convert(self, to: Float.self)
        case .float64: out = Kernels.convert(self, to: Double.self)
        case .int64: out = Kernels.convert(self, to: Int64.self)
        case .bool: out = Kernels.convert(self, to: Bool.self)
        }
        if dtype.isFloatingPoint && self.dtype.isFloatingPoint {
            let from = self.dtype
            out.recording("ToCopyBackward", self) { g in [try g.to(from)] }
        }
        return out
    }

    /// A contiguous copy (new storage) with the same values, recorded for autograd.
    public func contiguousCopy() throws -> Tensor {
        let out: Tensor
        switch dtype {
        case .float32: out = Kernels.unary(self) { (x: Float) in x }
        case .float64: out = Kernels.unary(self) { (x: Double) in x }
        case .int64: out = Kernels.unary(self) { (x: Int64) in x }
        case .bool: out = Kernels.unary(self) { (x: Bool) in x }
        }
        return out.recording("CloneBackward", self) { g in [g] }
    }

    /// Itself when already contiguous, else a contiguous copy.
    public func contiguous() throws -> Tensor { isContiguous ? self : try contiguousCopy() }
}
