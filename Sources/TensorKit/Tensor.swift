/// An n-dimensional array: a view (shape, strides, offset) onto shared `Storage`, plus the
/// autograd state of PyTorch's tensors (`requiresGrad`, `grad`, `gradFn`).
public final class Tensor {
    public internal(set) var storage: Storage
    public internal(set) var shape: [Int]
    public internal(set) var strides: [Int]
    public internal(set) var offset: Int

    /// True on a leaf whose gradient is wanted, or on any result computed from one.
    public internal(set) var requiresGrad: Bool = false
    /// The accumulated gradient of a leaf after `backward`.
    public var grad: Tensor?
    /// The operation that produced this tensor, when it was recorded for autograd.
    public internal(set) var gradFn: Node?
    /// True for the 0-dim tensors that stand for plain numbers in arithmetic.
    public internal(set) var isWrappedNumber = false

    public var dtype: DType { storage.dtype }
    public var rank: Int { shape.count }
    public var count: Int { shape.reduce(1, *) }
    public var isLeaf: Bool { gradFn == nil }

    public init(storage: Storage, shape: [Int], strides: [Int]? = nil, offset: Int = 0) {
        self.storage = storage
        self.shape = shape
        self.strides = strides ?? Tensor.contiguousStrides(shape)
        self.offset = offset
    }

    /// A new contiguous tensor with uninitialised contents.
    public convenience init(uninitialized shape: [Int], dtype: DType) {
        self.init(storage: Storage.make(dtype: dtype, count: shape.reduce(1, *)), shape: shape)
    }

    /// A new contiguous tensor shaped like `model` (sharing its shape and, when they are
    /// row-major, strides arrays: no allocation besides the storage).
    convenience init(uninitializedLike model: Tensor, dtype: DType) {
        self.init(storage: Storage.make(dtype: dtype, count: model.count), shape: model.shape,
                  strides: model.hasRowMajorStrides ? model.strides : nil)
    }

    /// A tensor holding `values` in row-major order.
    public convenience init<T: Element>(_ values: [T], shape: [Int]) {
        self.init(uninitialized: shape, dtype: T.dtype)
        let p = storage.pointer(T.self)
        for (i, v) in values.enumerated() { p[i] = v }
    }

    /// A zero-dimensional tensor.
    public convenience init(scalar value: Double, dtype: DType) {
        self.init(uninitialized: [], dtype: dtype)
        setElement(at: 0, value)
    }

    private static let vectorStrides = [1]
    private static let scalarStrides: [Int] = []

    /// Row-major strides of `shape` (rank 0 and 1 share one array: no allocation).
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        let rank = shape.count
        if rank == 1 { return vectorStrides }
        if rank == 0 { return scalarStrides }
        return [Int](unsafeUninitializedCapacity: rank) { buffer, initialized in
            var step = 1
            var d = rank - 1
            while d >= 0 {
                buffer[d] = step
                step &*= Swift.max(shape[d], 1)
                d -= 1
            }
            initialized = rank
        }
    }

    /// True when the elements are laid out row-major without gaps from `offset` on.
    public var isContiguous: Bool {
        var expected = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// True when `strides` are exactly the row-major strides of `shape` (so a new
    /// contiguous result can share the array instead of allocating its own).
    var hasRowMajorStrides: Bool {
        var expected = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            if strides[d] != expected { return false }
            expected *= max(shape[d], 1)
        }
        return true
    }

    /// Typed pointer to the first element of this view.
    @inline(__always) public func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        storage.pointer(T.self) + offset
    }

    // MARK: element access through Double (printing, tolist, small loops)

    /// Storage offsets of every element in row-major order of this view.
    public func elementOffsets() -> [Int] {
        var result = [Int]()
        result.reserveCapacity(count)
        forEachOffset { result.append($0) }
        return result
    }

    /// Calls `body` with the storage offset of each element, in row-major order.
    @inline(__always) public func forEachOffset(_ body: (Int) -> Void) {
        let n = count
        if n == 0 { return }
        if isContiguous {
            for i in 0..<n { body(offset + i) }
            return
        }
        let r = rank
        var index = [Int](repeating: 0, count: r)
        var position = offset
        for _ in 0..<n {
            body(position)
            var d = r - 1
            while d >= 0 {
                index[d] += 1
                position += strides[d]
                if index[d] < shape[d] { break }
                position -= strides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// The element at storage position `position`, as a Double.
    @inline(__always) public func storageValue(_ position: Int) -> Double {
        switch dtype {
        case .float32: return Double(storage.pointer(Float.self)[position])
        case .float64: return storage.pointer(Double.self)[position]
        case .int64: return Double(storage.pointer(Int64.self)[position])
        case .bool: return storage.pointer(Bool.self)[position] ? 1 : 0
        }
    }

    @inline(__always) public func setStorageValue(_ position: Int, _ value: Double) {
        switch dtype {
        case .float32: storage.pointer(Float.self)[position] = Float(value)
        case .float64: storage.pointer(Double.self)[position] = value
        case .int64: storage.pointer(Int64.self)[position] = clampedInt(value)
        case .bool: storage.pointer(Bool.self)[position] = value != 0
        }
    }

    /// The `i`-th element in row-major order of a contiguous tensor's view.
    func setElement(at i: Int, _ value: Double) { setStorageValue(offset + i, value) }

    /// All elements in row-major order, as Doubles.
    public func toDoubles() -> [Double] {
        var out = [Double]()
        out.reserveCapacity(count)
        forEachOffset { out.append(storageValue($0)) }
        return out
    }

    /// All elements in row-major order, as Int64 (exact for int64 tensors).
    public func toInts() -> [Int64] {
        var out = [Int64]()
        out.reserveCapacity(count)
        if dtype == .int64 {
            let p = storage.pointer(Int64.self)
            forEachOffset { out.append(p[$0]) }
        } else {
            forEachOffset { out.append(clampedInt(storageValue($0))) }
        }
        return out
    }

    /// The single value of a one-element tensor.
    public func item() throws -> Double {
        guard count == 1 else {
            throw TensorError("item: a tensor with one element expected, got shape \(describeShape(shape)) (\(count) elements)")
        }
        return storageValue(offset)
    }

    /// Normalises a dimension given 0-based (negative counts from the end).
    public func normalizedDim(_ dim: Int, _ op: String, rankOverride: Int? = nil) throws -> Int {
        let r = rankOverride ?? rank
        let d = dim < 0 ? dim + r : dim
        guard d >= 0 && d < max(r, 1) else {
            throw TensorError("\(op): dimension \(dim + (dim >= 0 ? 1 : 0)) out of range for a tensor with \(rank) dimension\(rank == 1 ? "" : "s") (valid: 1..\(max(r, 1)) or -\(max(r, 1))..-1)")
        }
        return d
    }
}
