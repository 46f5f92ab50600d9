import Dispatch

/// Thread count for MarketLab's own kernels (`--threads`, `torch.set_num_threads`).
/// Large elementwise maps split into contiguous chunks across threads; small ones stay on
/// the calling thread, where dispatch would cost more than it saves.
public enum Parallel {
    public static var threads = 1
    /// Elements below which a map runs on one thread.
    static let grain = 1 << 16

    /// Runs `body(start, end)` over 0..<count, in chunks across `threads` when it is large.
    @inline(__always)
    static func chunks(_ count: Int, _ body: (Int, Int) -> Void) {
        let workers = min(threads, count / grain)
        if workers <= 1 { body(0, count); return }
        let size = (count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let start = w * size
            body(start, min(start + size, count))
        }
    }
}
