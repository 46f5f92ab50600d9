import Foundation

/// A file's bytes in one large buffer.
final class FileBytes {
    let pointer: UnsafeMutablePointer<UInt8>
    private(set) var count: Int
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        count = 0
    }

    private var released = false

    deinit { release() }

    /// Frees the bytes early (when nothing reads them any more); `buffer` is then empty.
    func release() {
        guard !released else { return }
        released = true
        pointer.deallocate()
        count = 0
    }

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
