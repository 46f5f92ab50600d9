import CInterrupt

/// A flat, reference-counted buffer of elements of one dtype. Views share it.
public final class Storage {
    public let dtype: DType
    public let count: Int
    public let raw: UnsafeMutableRawPointer

    /// Uninitialised storage for `count` elements.
    public init(dtype: DType, count: Int) {
        self.dtype = dtype
        self.count = count
        let bytes = max(count * dtype.itemSize, 1)
        // Large buffers are cache-line aligned for the kernels; small ones take malloc's
        // 16-byte alignment, which is much cheaper to allocate.
        raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: bytes >= 4096 ? 64 : 16)
    }

    /// Zero-filled storage.
    public convenience init(zeroed dtype: DType, count: Int) {
        self.init(dtype: dtype, count: count)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: count * dtype.itemSize)
    }

    deinit { raw.deallocate() }

    @inline(__always) public func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        raw.assumingMemoryBound(to: T.self)
    }
}

/// Throws `TensorError.interrupted` when Ctrl-C arrived; long kernels call it between
/// blocks of work.
@inline(__always) func checkInterrupt() throws {
    if ml_interrupt_pending() != 0 {
        ml_interrupt_clear()
        throw TensorError.interrupted
    }
}
