import TensorKit

/// Rows ordered by score, highest first: the one sort behind every curve and table.
///
/// A stable LSD radix sort on the bits of the Doubles, 11 bits a pass, moving (key, row)
/// pairs through two buffers: O(n), no comparisons, no allocation per element. A pass whose
/// digit is the same for every row is skipped, so scores that were float32 (their low 29
/// bits are zero) or probabilities (few exponents) take 3 or 4 passes instead of 6.
struct ScoreRanking {
    /// How rows with equal scores are ordered.
    enum Ties {
        /// In row order (a stable descending sort): gains tables.
        case firstRowFirst
        /// Last row first, as numpy's `argsort(kind="mergesort")[::-1]` that
        /// scikit-uplift's `uplift_at_k` uses.
        case lastRowFirst
    }

    /// Sort keys in ranked order; equal keys are equal scores (-0.0 counts as 0.0).
    let keys: [UInt64]
    /// At each ranked position, the row (low 30 bits) and the row's two tag bits (top
    /// bits): labels and treatment flags travel with the row, so walks read them in
    /// order instead of jumping around the label array.
    let entries: [UInt32]

    static let rowBits: UInt32 = 30
    static let rowMask: UInt32 = (1 << rowBits) - 1
    static let maximumRows = 1 << 30

    var count: Int { entries.count }

    /// The row at ranked position `position`.
    @inline(__always) func row(at position: Int) -> Int { Int(entries[position] & ScoreRanking.rowMask) }

    /// The rows in ranked order.
    var rows: [Int] { entries.map { Int($0 & ScoreRanking.rowMask) } }

    static let signBit: UInt64 = 1 << 63

    /// A key whose ascending order is the scores' descending order.
    @inline(__always) static func descendingKey(_ score: Double) -> UInt64 {
        let bits = (score + 0.0).bitPattern   // + 0.0 turns -0.0 into 0.0
        return bits & signBit != 0 ? bits : ~bits & ~signBit
    }

    /// The score a descending key came from.
    @inline(__always) static func score(ofKey key: UInt64) -> Double {
        Double(bitPattern: key & signBit != 0 ? key : ~key & ~signBit)
    }

    /// The score at ranked position `position`.
    @inline(__always) func score(at position: Int) -> Double { ScoreRanking.score(ofKey: keys[position]) }

    /// Ranks finite `scores` (checked by the caller); `tags` (values 0...3, one per row)
    /// travel with the rows.
    init(_ scores: [Double], tags: [UInt8]? = nil, ties: Ties = .firstRowFirst) throws {
        let n = scores.count
        guard n < ScoreRanking.maximumRows else { throw TensorError("metrics: more than \(ScoreRanking.maximumRows - 1) rows are not supported") }
        var keys = [UInt64](unsafeUninitializedCapacity: n) { out, initialized in
            scores.withUnsafeBufferPointer { s in
                switch ties {
                case .firstRowFirst: for i in 0..<n { out[i] = ScoreRanking.descendingKey(s[i]) }
                // Ascending keys, sorted stably, then reversed: ties come last row first.
                case .lastRowFirst: for i in 0..<n { out[i] = ~ScoreRanking.descendingKey(s[i]) }
                }
            }
            initialized = n
        }
        var entries = [UInt32](unsafeUninitializedCapacity: n) { out, initialized in
            if let tags {
                tags.withUnsafeBufferPointer { t in
                    for i in 0..<n { out[i] = UInt32(i) | UInt32(t[i] & 3) << ScoreRanking.rowBits }
                }
            } else {
                for i in 0..<n { out[i] = UInt32(i) }
            }
            initialized = n
        }
        try ScoreRanking.radixSort(&keys, &entries)
        if ties == .lastRowFirst {
            keys.reverse()
            entries.reverse()
            keys.withUnsafeMutableBufferPointer { k in for i in 0..<n { k[i] = ~k[i] } }
        }
        self.keys = keys
        self.entries = entries
    }

    static let digitBits = 11
    static let buckets = 1 << digitBits
    static let passes = (64 + digitBits - 1) / digitBits

    /// Sorts `keys` ascending, moving `entries` along; stable.
    static func radixSort(_ keys: inout [UInt64], _ entries: inout [UInt32]) throws {
        let n = keys.count
        guard n > 1 else { return }
        // One read of the keys counts every pass's digits.
        var counts = [Int](repeating: 0, count: passes * buckets)
        keys.withUnsafeBufferPointer { k in
            counts.withUnsafeMutableBufferPointer { c in
                for key in k {
                    var shifted = key
                    for pass in 0..<passes {
                        c[pass &* buckets &+ Int(shifted & UInt64(buckets - 1))] &+= 1
                        shifted >>= UInt64(digitBits)
                    }
                }
            }
        }
        var scratchKeys = [UInt64](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        var scratchEntries = [UInt32](unsafeUninitializedCapacity: n) { _, initialized in initialized = n }
        var sortedInScratch = false
        for pass in 0..<passes {
            try checkInterrupt()
            let histogram = counts[(pass * buckets)..<((pass + 1) * buckets)]
            if histogram.contains(n) { continue }   // one digit for every key: nothing moves
            var offsets = [Int](repeating: 0, count: buckets)
            var total = 0
            for (b, c) in histogram.enumerated() { offsets[b] = total; total += c }
            let shift = UInt64(pass * digitBits)
            func scatter(_ sourceKeys: [UInt64], _ sourceEntries: [UInt32], _ destinationKeys: inout [UInt64], _ destinationEntries: inout [UInt32]) {
                sourceKeys.withUnsafeBufferPointer { sk in
                    sourceEntries.withUnsafeBufferPointer { se in
                        destinationKeys.withUnsafeMutableBufferPointer { dk in
                            destinationEntries.withUnsafeMutableBufferPointer { de in
                                offsets.withUnsafeMutableBufferPointer { o in
                                    for i in 0..<n {
                                        let key = sk[i]
                                        let b = Int((key >> shift) & UInt64(buckets - 1))
                                        let at = o[b]
                                        dk[at] = key
                                        de[at] = se[i]
                                        o[b] = at &+ 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if sortedInScratch { scatter(scratchKeys, scratchEntries, &keys, &entries) } else { scatter(keys, entries, &scratchKeys, &scratchEntries) }
            sortedInScratch.toggle()
        }
        if sortedInScratch {
            swap(&keys, &scratchKeys)
            swap(&entries, &scratchEntries)
        }
    }

    /// Calls `body(end)` for each run of equal scores, highest first, with the run's end
    /// (exclusive ranked position).
    @inline(__always) func forEachRun(_ body: (Int) -> Void) {
        let n = keys.count
        keys.withUnsafeBufferPointer { k in
            var i = 0
            while i < n {
                let key = k[i]
                var end = i + 1
                while end < n && k[end] == key { end += 1 }
                body(end)
                i = end
            }
        }
    }
}
