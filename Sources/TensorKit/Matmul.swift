import CBLAS

/// Matrix products through OpenBLAS. Transposed views go to BLAS as transpose flags,
/// not copies; batched products loop over the broadcast batch dimensions.
extension Tensor {
    /// How BLAS can read a 2-D view: directly (row-major), transposed, or not at all.
    private func blasLayout() -> (transposed: Bool, leadingDimension: Int)? {
        let rows = shape[0], cols = shape[1]
        if strides[1] == 1 && (strides[0] >= max(cols, 1) || rows == 1) { return (false, max(strides[0], cols, 1)) }
        if strides[0] == 1 && (strides[1] >= max(rows, 1) || cols == 1) { return (true, max(strides[1], rows, 1)) }
        return nil
    }

    /// The same values in a layout BLAS accepts (itself when it already is one).
    private func blasReady() throws -> Tensor { blasLayout() != nil ? self : try contiguousCopy() }

    /// [n, k] x [k, m] for float tensors of the same dtype, into `out` at `outOffset`.
    /// out = a · b, or out += a · b when `accumulate` (out then already holds a bias).
    fileprivate static func gemm(_ a: Tensor, _ b: Tensor, _ out: Tensor, accumulate: Bool = false) throws {
        let n = Int32(a.shape[0]), k = Int32(a.shape[1]), m = Int32(b.shape[1])
        if n == 0 || m == 0 { return }
        if k == 0 {
            if !accumulate { try out.copyValues(from: Tensor.zeros([], dtype: out.dtype)) }
            return
        }
        // Tiny products (a row through a small layer) cost more in BLAS's call overhead
        // than in arithmetic: a direct loop over the strides is several times faster.
        if Int(n) * Int(k) * Int(m) <= smallProductLimit {
            if a.dtype == .float32 { smallProduct(a, b, out, accumulate, Float.self) } else { smallProduct(a, b, out, accumulate, Double.self) }
            return
        }
        let beta = accumulate ? 1.0 : 0.0
        let a = try a.blasReady(), b = try b.blasReady()
        guard let (ta, lda) = a.blasLayout(), let (tb, ldb) = b.blasLayout() else {
            throw TensorError("matmul: internal layout error for shapes \(describeShape(a.shape)) and \(describeShape(b.shape))")
        }
        // A matrix times a vector (a layer with one output, or that layer's weight
        // gradient): BLAS's matrix-vector product, which runs well ahead of a general
        // product one column wide.
        if m == 1, b.strides[0] > 0, out.strides[0] > 0 {
            gemv(ta, rows: ta ? Int(k) : Int(n), columns: ta ? Int(n) : Int(k), a, lda, x: b, b.strides[0], beta: beta, y: out, out.strides[0])
            return
        }
        if n == 1, a.strides[1] > 0, out.strides[1] > 0 {
            // The row out = a · b is the column bᵀ · aᵀ.
            gemv(!tb, rows: tb ? Int(m) : Int(k), columns: tb ? Int(k) : Int(m), b, ldb, x: a, a.strides[1], beta: beta, y: out, out.strides[1])
            return
        }
        let opA = ta ? CblasTrans : CblasNoTrans, opB = tb ? CblasTrans : CblasNoTrans
        if a.dtype == .float32 {
            cblas_sgemm(CblasRowMajor, opA, opB, n, m, k, 1, a.pointer(Float.self), Int32(lda),
                        b.pointer(Float.self), Int32(ldb), Float(beta), out.pointer(Float.self), Int32(out.strides[0]))
        } else {
            cblas_dgemm(CblasRowMajor, opA, opB, n, m, k, 1, a.pointer(Double.self), Int32(lda),
                        b.pointer(Double.self), Int32(ldb), beta, out.pointer(Double.self), Int32(out.strides[0]))
        }
    }

    /// y = M · x (or Mᵀ · x when `transposed`) for the row-major `rows` x `columns` matrix M
    /// with leading dimension `ld`; x and y are read with the given strides, and y keeps
    /// `beta` times what it held.
    private static func gemv(_ transposed: Bool, rows: Int, columns: Int, _ matrix: Tensor, _ ld: Int,
                             x: Tensor, _ incx: Int, beta: Double, y: Tensor, _ incy: Int) {
        let op = transposed ? CblasTrans : CblasNoTrans
        if matrix.dtype == .float32 {
            cblas_sgemv(CblasRowMajor, op, Int32(rows), Int32(columns), 1, matrix.pointer(Float.self), Int32(ld),
                        x.pointer(Float.self), Int32(incx), Float(beta), y.pointer(Float.self), Int32(incy))
        } else {
            cblas_dgemv(CblasRowMajor, op, Int32(rows), Int32(columns), 1, matrix.pointer(Double.self), Int32(ld),
                        x.pointer(Double.self), Int32(incx), beta, y.pointer(Double.self), Int32(incy))
        }
    }

    /// Multiply-adds below which `gemm` skips BLAS.
    static let smallProductLimit = 4096

    /// out = a · b for float matrices of any strides, accumulating in the element type.
    private static func smallProduct<T: FloatElement>(_ a: Tensor, _ b: Tensor, _ out: Tensor, _ accumulate: Bool, _: T.Type) {
        let n = a.shape[0], k = a.shape[1], m = b.shape[1]
        let pa = a.pointer(T.self), pb = b.pointer(T.self), po = out.pointer(T.self)
        let (ra, ca) = (a.strides[0], a.strides[1]), (rb, cb) = (b.strides[0], b.strides[1])
        let ro = out.strides[0]
        for i in 0..<n {
            let row = po + i * ro
            if !accumulate { for j in 0..<m { row[j] = 0 } }
            for t in 0..<k {
                let x = pa[i * ra + t * ca]
                let column = pb + t * rb
                for j in 0..<m { row[j] += x * column[j * cb] }
            }
        }
    }

    /// Integer products (no BLAS): a plain triple loop.
    private static func integerProduct(_ a: Tensor, _ b: Tensor, _ out: Tensor) {
        let n = a.shape[0], k = a.shape[1], m = b.shape[1]
        let pa = a.storage.pointer(Int64.self), pb = b.storage.pointer(Int64.self), po = out.pointer(Int64.self)
        for i in 0..<n {
            for j in 0..<m {
                var acc: Int64 = 0
                for t in 0..<k { acc &+= pa[a.offset + i * a.strides[0] + t * a.strides[1]] &* pb[b.offset + t * b.strides[0] + j * b.strides[1]] }
                po[i * out.strides[0] + j] = acc
            }
        }
    }

    /// 2-D matrix product.
    public func mm(_ other: Tensor) throws -> Tensor {
        guard rank == 2 && other.rank == 2 else {
            throw TensorError("mm: expects two 2-D tensors, got shapes \(describeShape(shape)) and \(describeShape(other.shape))")
        }
        return try matmul(other, op: "mm")
    }

    public func dot(_ other: Tensor) throws -> Tensor {
        guard rank == 1 && other.rank == 1 else {
            throw TensorError("dot: expects two 1-D tensors, got shapes \(describeShape(shape)) and \(describeShape(other.shape))")
        }
        guard shape == other.shape else {
            throw TensorError("dot: tensors must have the same length, got shapes \(describeShape(shape)) and \(describeShape(other.shape))")
        }
        return try matmul(other, op: "dot")
    }

    /// `torch.matmul`: dot, matrix-vector, matrix-matrix and broadcast batched products.
    public func matmul(_ other: Tensor, op: String = "matmul") throws -> Tensor {
        guard rank >= 1 && other.rank >= 1 else {
            throw TensorError("\(op): both arguments need at least 1 dimension, got shapes \(describeShape(shape)) and \(describeShape(other.shape))")
        }
        let dtype = DType.promote(self.dtype, other.dtype)
        guard dtype != .bool else { throw TensorError("\(op): not supported for bool tensors") }
        if rank == 2 && other.rank == 2 && self.dtype == other.dtype && dtype.isFloatingPoint {
            return try matrixProduct(other, op)
        }
        let a0 = try GradMode.with(false) { try self.to(dtype) }, b0 = try GradMode.with(false) { try other.to(dtype) }
        // Promote vectors to matrices, remembering which dims to drop afterwards.
        let a = rank == 1 ? try GradMode.with(false) { try a0.unsqueeze(0) } : a0
        let b = other.rank == 1 ? try GradMode.with(false) { try b0.unsqueeze(1) } : b0
        let n = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
        let k2 = b.shape[b.rank - 2], m = b.shape[b.rank - 1]
        guard k == k2 else {
            throw TensorError("\(op): shapes \(describeShape(shape)) and \(describeShape(other.shape)) cannot be multiplied (\(k) columns vs \(k2) rows)")
        }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        guard let batch = try? broadcastShapes(batchA, batchB, op) else {
            throw TensorError("\(op): batch dimensions of shapes \(describeShape(shape)) and \(describeShape(other.shape)) do not broadcast (\(describeShape(batchA)) vs \(describeShape(batchB)))")
        }
        let out = Tensor(uninitialized: batch + [n, m], dtype: dtype)
        let batches = batch.reduce(1, *)
        let av = a.broadcastView(batch + [n, k]), bv = b.broadcastView(batch + [k, m])
        let batchStrides = Tensor.contiguousStrides(batch)
        for index in 0..<batches {
            var oa = av.offset, ob = bv.offset, rem = index
            for d in 0..<batch.count {
                let c = rem / batchStrides[d]
                rem %= batchStrides[d]
                oa += c * av.strides[d]; ob += c * bv.strides[d]
            }
            let ma = Tensor(storage: av.storage, shape: [n, k], strides: Array(av.strides.suffix(2)), offset: oa)
            let mb = Tensor(storage: bv.storage, shape: [k, m], strides: Array(bv.strides.suffix(2)), offset: ob)
            let mo = Tensor(storage: out.storage, shape: [n, m], strides: [m, 1], offset: index * n * m)
            if dtype == .int64 { Tensor.integerProduct(ma, mb, mo) } else { try Tensor.gemm(ma, mb, mo) }
            if index & 63 == 63 { try checkInterrupt() }
        }
        var result = out
        if rank == 1 { result = try result.squeeze(result.rank - 2) }
        if other.rank == 1 { result = try result.squeeze(result.rank - 1) }
        return result.recording("MmBackward", self, other) { g in
            // Work in the promoted (matrix) forms, then undo the vector promotion.
            let gm = try g.reshape(batch + [n, m])
            var grads: [Tensor?] = [nil, nil]
            if self.requiresGrad {
                let ga = try gm.matmul(b.transpose(-1, -2)).sumToShape(a.shape)
                grads[0] = try self.gradFor(self, ga.reshape(self.shape))
            }
            if other.requiresGrad {
                let gb = try a.transpose(-1, -2).matmul(gm).sumToShape(b.shape)
                grads[1] = try other.gradFor(other, gb.reshape(other.shape))
            }
            return grads
        }
    }
}

extension Tensor {
    /// The common case, matrix × matrix of one float dtype: straight into BLAS, without
    /// the batching machinery. Gradients are products with transposed views (BLAS flags).
    private func matrixProduct(_ other: Tensor, _ op: String) throws -> Tensor {
        let n = shape[0], k = shape[1], k2 = other.shape[0], m = other.shape[1]
        guard k == k2 else {
            throw TensorError("\(op): shapes \(describeShape(shape)) and \(describeShape(other.shape)) cannot be multiplied (\(k) columns vs \(k2) rows)")
        }
        // Share shape and strides arrays with an operand of the result's shape (x [1, 4] ·
        // w [4, 4] gives [1, 4]): two allocations less per product.
        let out = shape[1] == m ? Tensor(uninitializedLike: self, dtype: dtype)
            : (other.shape[0] == n ? Tensor(uninitializedLike: other, dtype: dtype) : Tensor(uninitialized: [n, m], dtype: dtype))
        try Tensor.gemm(self, other, out)
        return out.recording("MmBackward", self, other) { g in
            [self.requiresGrad ? try g.matrixProduct(other.transpose(0, 1), "mm") : nil,
             other.requiresGrad ? try self.transpose(0, 1).matrixProduct(g, "mm") : nil]
        }
    }
}

extension Tensor {
    /// x Wᵀ + b for a 2-D x [n, in], W [out, in] and b [out], as BLAS's "addmm": the output
    /// starts as copies of b and the product is accumulated onto it (no separate bias pass,
    /// no zeroing). Not recorded for autograd; the caller records one rule for the layer.
    public func linearForward(weight: Tensor, bias: Tensor?) throws -> Tensor {
        let n = shape[0], outFeatures = weight.shape[0]
        guard dtype.isFloatingPoint, weight.dtype == dtype, bias.map({ $0.dtype == dtype && $0.count == outFeatures }) ?? true else {
            return try GradMode.with(false) {
                let product = try matmul(weight.transpose(0, 1))
                return try bias.map { try product.add($0) } ?? product
            }
        }
        let out = Tensor(uninitialized: [n, outFeatures], dtype: dtype)
        if let bias {
            let source = try bias.contiguous()
            let rowBytes = outFeatures * dtype.itemSize
            let from = source.storage.raw + source.offset * dtype.itemSize, to = out.storage.raw
            // One row, then the rows filled so far copied after themselves: log2(n) copies
            // instead of one small copy per row.
            if n > 0 { to.copyMemory(from: from, byteCount: rowBytes) }
            var filled = 1
            while filled < n {
                let rows = Swift.min(filled, n - filled)
                (to + filled * rowBytes).copyMemory(from: to, byteCount: rows * rowBytes)
                filled += rows
            }
        }
        try Tensor.gemm(self, weight.transpose(0, 1), out, accumulate: bias != nil)
        return out
    }
}

/// Thread count for OpenBLAS.
public enum BLASThreads {
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    public static var current: Int { Int(openblas_get_num_threads()) }
}
