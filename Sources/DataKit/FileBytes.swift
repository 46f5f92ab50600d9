import Dispatch
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

    /// Reads `length` bytes of a regular file from `fd` (two cores read half each, so the
    /// copy and the first touch of the pages are shared); false when the read fell short.
    func fillParallel(from fd: Int32, length: Int) -> Bool {
        guard length <= capacity else { return false }
        let half = length / 2
        var ok = [true, true]
        ok.withUnsafeMutableBufferPointer { ok in
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                var offset = part == 0 ? 0 : half
                let upper = part == 0 ? half : length
                while offset < upper {
                    let n = pread(fd, pointer + offset, upper - offset, off_t(offset))
                    if n <= 0 { ok[part] = false; return }
                    offset += n
                }
            }
        }
        guard ok[0] && ok[1] else { return false }
        count = length
        return true
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
