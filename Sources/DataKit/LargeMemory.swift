import Foundation

/// Memory for the large buffers of reading: 2 MiB aligned and marked for transparent
/// huge pages, so filling 100 MB costs a few hundred page faults instead of tens of
/// thousands. Small requests come from the standard allocator; both are released with
/// `release`.
enum LargeMemory {
    static let hugePage = 2 << 20

    static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = Swift.max(1, count * MemoryLayout<T>.stride)
        var raw: UnsafeMutableRawPointer? = nil
        if bytes >= 4 * hugePage, posix_memalign(&raw, hugePage, bytes) == 0, let raw {
            _ = madvise(raw, bytes, MADV_HUGEPAGE)
            return raw.bindMemory(to: T.self, capacity: count)
        }
        // The standard allocator (malloc underneath, so `free` releases it too).
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16).bindMemory(to: T.self, capacity: count)
    }

    static func release<T>(_ pointer: UnsafeMutablePointer<T>?) {
        free(pointer)
    }
}

/// A file's bytes in one large buffer.
final class FileBytes {
    let pointer: UnsafeMutablePointer<UInt8>
    private(set) var count: Int
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 1)
        pointer = LargeMemory.allocate(UInt8.self, count: self.capacity)
        count = 0
    }

    deinit { LargeMemory.release(pointer) }

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: pointer, count: count) }

    /// Appends bytes (the buffer must have room).
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        (pointer + count).update(from: base, count: Swift.min(bytes.count, capacity - count))
        count += Swift.min(bytes.count, capacity - count)
    }

    /// Reads from `fd` until the end of the file or `capacity` bytes.
    func fill(from fd: Int32) -> Int {
        while count < capacity {
            let n = read(fd, pointer + count, capacity - count)
            if n <= 0 { return n }
            count += n
        }
        return 1
    }
}
