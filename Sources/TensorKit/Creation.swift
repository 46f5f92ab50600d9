#if canImport(Glibc)
import Glibc
#endif

/// Factory functions (`torch.zeros`, `torch.arange`, ...).
extension Tensor {
    /// Checks that a new tensor of `shape` and `dtype` can exist: sizes non-negative and
    /// its bytes within this machine's memory (computed without overflow).
    public static func checkShape(_ shape: [Int], _ op: String, dtype: DType = .float32) throws {
        if let bad = shape.first(where: { $0 < 0 }) {
            throw TensorError("\(op): sizes must be non-negative, got \(bad) in \(describeShape(shape))")
        }
        try checkElements(shape.reduce(1.0) { $0 * Double($1) }, describeShape(shape), op, dtype: dtype)
    }

    /// Throws when `elements` values of `dtype` would not fit in memory.
    static func checkElements(_ elements: Double, _ shape: String, _ op: String, dtype: DType) throws {
        let bytes = elements * Double(dtype.itemSize)
        guard bytes <= Double(memoryLimitBytes) else {
            throw TensorError("\(op): shape \(shape) has \(String(format: "%.0f", elements)) elements, more than this machine can hold (\(formatBytes(bytes)) of \(dtype.rawValue); \(formatBytes(Double(memoryLimitBytes))) of memory)")
        }
    }

    /// The largest tensor MarketLab will try to allocate: the machine's physical memory.
    static let memoryLimitBytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages * size : 1 << 34
    }()

    public static func zeros(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        Tensor(storage: Storage.make(zeroed: dtype, count: shape.reduce(1, *)), shape: shape)
    }

    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32, op: String = "full") throws -> Tensor {
        try checkShape(shape, op, dtype: dtype)
        if value == 0 { return zeros(shape, dtype: dtype) }
        let t = Tensor(uninitialized: shape, dtype: dtype)
        switch dtype {
        case .float32: t.storage.pointer(Float.self).update(repeating: Float(value), count: t.count)
        case .float64: t.storage.pointer(Double.self).update(repeating: value, count: t.count)
        case .int64: t.storage.pointer(Int64.self).update(repeating: clampedInt(value), count: t.count)
        case .bool: t.storage.pointer(Bool.self).update(repeating: value != 0, count: t.count)
        }
        return t
    }

    /// `torch.arange(start, end, step)`: values start, start+step, ... before end. Integer
    /// arguments give int64, any float gives float32 (as PyTorch).
    public static func arange(_ start: Double, _ end: Double, _ step: Double, dtype: DType) throws -> Tensor {
        guard step != 0 else { throw TensorError("arange: step must be nonzero") }
        guard (end - start) / step >= 0 || start == end else {
            throw TensorError("arange: upper bound and step sign are inconsistent (start \(start), end \(end), step \(step))")
        }
        guard start.isFinite, end.isFinite, step.isFinite else {
            throw TensorError("arange: start, end and step must be finite, got start \(start), end \(end), step \(step) (inf or nan)")
        }
        let steps = ((end - start) / step).rounded(.up)
        try checkElements(steps, "[\(String(format: "%.0f", steps))]", "arange", dtype: dtype)
        let n = Int(steps)
        let t = Tensor(uninitialized: [max(n, 0)], dtype: dtype)
        for i in 0..<max(n, 0) { t.setElement(at: i, start + Double(i) * step) }
        return t
    }

    public static func linspace(_ start: Double, _ end: Double, _ steps: Int, dtype: DType) throws -> Tensor {
        guard steps >= 0 else { throw TensorError("linspace: number of steps must be non-negative, got \(steps)") }
        try checkShape([steps], "linspace", dtype: dtype)
        let t = Tensor(uninitialized: [steps], dtype: dtype)
        let delta = steps > 1 ? (end - start) / Double(steps - 1) : 0
        // Fill from both ends (as PyTorch does) so the last value is exactly `end`.
        let half = steps / 2
        for i in 0..<steps {
            t.setElement(at: i, i < half ? start + delta * Double(i) : end - delta * Double(steps - 1 - i))
        }
        return t
    }

    public static func eye(_ n: Int, _ m: Int, dtype: DType) throws -> Tensor {
        try checkShape([n, m], "eye", dtype: dtype)
        let t = zeros([n, m], dtype: dtype)
        for i in 0..<min(n, m) { t.setElement(at: i * m + i, 1) }
        return t
    }

    /// Uniform values in [low, high).
    public static func rand(_ shape: [Int], low: Double = 0, high: Double = 1, dtype: DType = .float32) throws -> Tensor {
        try checkShape(shape, "rand", dtype: dtype)
        let t = Tensor(uninitialized: shape, dtype: dtype)
        try t.fillUniform(low, high)
        return t
    }

    public static func randn(_ shape: [Int], mean: Double = 0, std: Double = 1, dtype: DType = .float32) throws -> Tensor {
        try checkShape(shape, "randn", dtype: dtype)
        let t = Tensor(uninitialized: shape, dtype: dtype)
        try t.fillNormal(mean, std)
        return t
    }

    public static func randint(_ low: Int64, _ high: Int64, _ shape: [Int]) throws -> Tensor {
        guard high > low else { throw TensorError("randint: high (\(high)) must be greater than low (\(low))") }
        try checkShape(shape, "randint", dtype: .int64)
        let t = Tensor(uninitialized: shape, dtype: .int64)
        let p = t.storage.pointer(Int64.self)
        let g = Generator.shared
        for i in 0..<t.count { p[i] = g.integer(low, high) }
        return t
    }

    /// A permutation of 0..<n (the bridge adds 1 for Lua's 1-based indices).
    public static func randperm(_ n: Int, generator: Generator = .shared) throws -> Tensor {
        guard n >= 0 else { throw TensorError("randperm: n must be non-negative, got \(n)") }
        try checkShape([n, 2], "randperm", dtype: .int64)
        return Tensor(generator.permutation(n).map { Int64($0) }, shape: [n])
    }

    /// Fills in place with uniform values in [low, high) (`uniform_`).
    public func fillUniform(_ low: Double, _ high: Double) throws {
        guard dtype.isFloatingPoint else { throw TensorError("uniform_: needs a floating-point tensor, got \(dtype.rawValue)") }
        guard low <= high else { throw TensorError("uniform_: from (\(low)) must not exceed to (\(high))") }
        let g = Generator.shared
        let span = high - low
        if dtype == .float32 {
            let p = storage.pointer(Float.self), fl = Float(low), fs = Float(span)
            forEachOffset { p[$0] = g.uniformFloat() * fs + fl }
        } else {
            let p = storage.pointer(Double.self)
            forEachOffset { p[$0] = g.uniformDouble() * span + low }
        }
    }

    /// Fills in place with normal values (`normal_`).
    public func fillNormal(_ mean: Double, _ std: Double) throws {
        guard dtype.isFloatingPoint else { throw TensorError("normal_: needs a floating-point tensor, got \(dtype.rawValue)") }
        guard std >= 0 else { throw TensorError("normal_: std must be non-negative, got \(std)") }
        let g = Generator.shared
        forEachOffset { setStorageValue($0, g.normal() * std + mean) }
    }
}
