import CInterrupt

/// What a storage knows about its elements.
public struct StorageHeader {
    public let dtype: DType
    public let count: Int
    /// A separately allocated, cache-line aligned buffer for large storages; nil when
    /// the elements live in the object's own tail allocation.
    let external: UnsafeMutableRawPointer?
}

/// A flat, reference-counted buffer of elements of one dtype; views share it. Small
/// buffers live in the same allocation as the object (one malloc per small result, the
/// common case in per-row work); large ones are 64-byte aligned for the kernels.
public final class Storage: ManagedBuffer<StorageHeader, UInt64> {
    /// Buffers of at least this many bytes are allocated separately and aligned.
    static let externalThreshold = 4096

    /// Uninitialised storage for `count` elements.
    public static func make(dtype: DType, count: Int) -> Storage {
        let bytes = max(count * dtype.itemSize, 1)
        ml_note_storage_bytes(bytes)
        let external = bytes >= externalThreshold
            ? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64) : nil
        let words = external == nil ? (bytes + 7) / 8 : 0
        let buffer = create(minimumCapacity: words) { _ in StorageHeader(dtype: dtype, count: count, external: external) }
        return unsafeDowncast(buffer, to: Storage.self)
    }

    /// Counts memory held for Lua objects outside tensors (a Frame's columns) with the
    /// tensor storage that paces garbage collection: the collector only sees its own small
    /// userdata, so without this dead frames of hundreds of MB wait for Lua's heap to grow.
    public static func noteForeignBytes(_ bytes: Int) {
        if bytes > 0 { ml_note_storage_bytes(bytes) }
    }

    /// Zero-filled storage.
    public static func make(zeroed dtype: DType, count: Int) -> Storage {
        let storage = make(dtype: dtype, count: count)
        storage.raw.initializeMemory(as: UInt8.self, repeating: 0, count: count * dtype.itemSize)
        return storage
    }

    public var dtype: DType { header.dtype }
    public var count: Int { header.count }

    /// The first byte of the elements.
    @inline(__always) public var raw: UnsafeMutableRawPointer {
        if let external = header.external { return external }
        return withUnsafeMutablePointerToElements { UnsafeMutableRawPointer($0) }
    }

    deinit { header.external?.deallocate() }

    @inline(__always) public func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        raw.assumingMemoryBound(to: T.self)
    }
}

/// Throws `TensorError.interrupted` when Ctrl-C arrived; long kernels call it between
/// blocks of work.
@inline(__always) public func checkInterrupt() throws {
    if ml_interrupt_pending() != 0 {
        ml_interrupt_clear()
        throw TensorError.interrupted
    }
}
