import TensorKit

/// Row splits for validation: a shuffled (optionally stratified) train/test split, k
/// folds, and a split in time. Indices are 0-based here; shuffles come from MarketLab's
/// generator (a private one when a seed is given), so a seed repeats the split exactly.
public enum Splits {
    /// The number of test rows: a fraction in (0, 1) of `n` rounded up (as scikit-learn),
    /// or a whole count.
    public static func testCount(_ testSize: Double, rows n: Int) throws -> Int {
        let count: Int
        if testSize > 0 && testSize < 1 { count = Int((testSize * Double(n)).rounded(.up)) }
        else if testSize >= 1 && testSize == testSize.rounded() { count = Int(testSize) }
        else { throw TensorError("train_test_split: test_size must be a fraction in (0, 1) or a whole number of rows, got \(testSize)") }
        guard count < n && count > 0 else {
            throw TensorError("train_test_split: test_size \(testSize) leaves no rows for \(count >= n ? "training" : "testing") out of \(n)")
        }
        return count
    }

    static func generator(_ seed: UInt64?) -> Generator { seed.map { Generator(seed: $0) } ?? .shared }

    /// Groups of row indices per class value, classes in order of first appearance.
    static func groups(_ strata: [String?]) throws -> [[Int]] {
        var order: [String] = [], members: [String: [Int]] = [:]
        for (row, value) in strata.enumerated() {
            guard let value else { throw TensorError("stratify: row \(row + 1) has a missing class value; drop or fill it first") }
            if members[value] == nil { order.append(value); members[value] = [] }
            members[value]!.append(row)
        }
        return order.map { members[$0]! }
    }

    /// Train and test row indices. With `strata` each class keeps its share in both parts
    /// (test counts by largest remainder, so they add up exactly).
    public static func trainTest(rows n: Int, testSize: Double, seed: UInt64?, strata: [String?]?) throws -> (train: [Int], test: [Int]) {
        let nTest = try testCount(testSize, rows: n)
        let g = generator(seed)
        guard let strata else {
            let order = g.permutation(n)
            return (Array(order[nTest...]), Array(order[..<nTest]))
        }
        let classes = try groups(strata)
        let exact = classes.map { Double($0.count) * Double(nTest) / Double(n) }
        var counts = exact.map { Int($0.rounded(.down)) }
        let byRemainder = exact.indices.sorted { (exact[$0] - Double(counts[$0])) > (exact[$1] - Double(counts[$1])) }
        for i in byRemainder.prefix(nTest - counts.reduce(0, +)) { counts[i] += 1 }
        var train: [Int] = [], test: [Int] = []
        for (members, count) in zip(classes, counts) {
            let order = g.permutation(members.count).map { members[$0] }
            test += order[..<count]
            train += order[count...]
        }
        return (g.permutation(train.count).map { train[$0] }, g.permutation(test.count).map { test[$0] })
    }

    /// k folds: each row is in exactly one test fold. Without a seed the folds are
    /// contiguous blocks (the first n % k folds one row larger); with a seed rows are
    /// shuffled first; with `strata` each class is dealt across the folds in turn.
    public static func kfold(rows n: Int, k: Int, seed: UInt64?, strata: [String?]?) throws -> [(train: [Int], test: [Int])] {
        guard k >= 2 && k <= n else { throw TensorError("kfold: k must be between 2 and the number of rows (\(n)), got \(k)") }
        var folds = [[Int]](repeating: [], count: k)
        if let strata {
            var next = 0
            for members in try groups(strata) {
                let order = seed == nil ? members : generator(seed).permutation(members.count).map { members[$0] }
                for row in order { folds[next % k].append(row); next += 1 }
            }
        } else {
            let order = seed == nil ? Array(0..<n) : generator(seed).permutation(n)
            var start = 0
            for f in 0..<k {
                let size = n / k + (f < n % k ? 1 : 0)
                folds[f] = Array(order[start..<(start + size)])
                start += size
            }
        }
        return folds.indices.map { f in
            let test = Set(folds[f])
            return ((0..<n).filter { !test.contains($0) }, folds[f].sorted())
        }
    }

    /// Rows whose `column` value is before `cutoff` (training) and the rest (testing);
    /// rows with a missing value are an error.
    public static func time(_ column: Column, cutoff: Double) throws -> (train: [Int], test: [Int]) {
        guard let values = column.numbers else {
            throw TensorError("time_split: column '\(column.name)' must hold numbers or dates, it holds text")
        }
        var train: [Int] = [], test: [Int] = []
        for (row, v) in values.enumerated() {
            guard let v else { throw TensorError("time_split: column '\(column.name)' is missing at row \(row + 1)") }
            if v < cutoff { train.append(row) } else { test.append(row) }
        }
        return (train, test)
    }
}

extension Column {
    /// The values as class labels (text), for stratification.
    public var labels: [String?] {
        switch values {
        case .integer(let v): return v.map { $0.map { String($0) } }
        case .number(let v): return v.map { $0.map { "\($0)" } }
        case .bool(let v): return v.map { $0.map { $0 ? "true" : "false" } }
        case .string(let v): return v
        case .date(let v): return v.map { $0.map(Dates.iso) }
        }
    }
}
