import TensorKit

/// Replaces each category by a smoothed mean of the target in that category, as
/// scikit-learn's TargetEncoder (1.3 and later): a binary target (two distinct values; the
/// later one in sorted order counts as 1) or a continuous one. `fit` then `transform`
/// uses encodings from all rows; `fit_transform` cross-fits (each fold of the training
/// rows is encoded from the other folds) so that a model does not see its own target.
/// Unseen categories get the target mean; a missing value is a category of its own.
public final class TargetEncoder: ColumnTransformer {
    public static let defaults: [(key: String, value: JSONValue)] = [
        ("target", .null),                  // the target column's name (required)
        ("smooth", .string("auto")),        // "auto" (empirical Bayes) or a weight >= 0
        ("cv", .integer(5)),                // folds for fit_transform's cross-fitting
        ("shuffle", .bool(true)),           // shuffle rows before cutting the folds
        ("seed", .null),                    // seed for that shuffle
        ("target_type", .string("auto")),   // "auto", "binary" or "continuous"
    ]

    public let columns: [String]
    public let options: [(key: String, value: JSONValue)]
    public var inputColumns: [String]?
    let target: String
    let smooth: Double?   // nil: "auto"
    let folds: Int
    let shuffle: Bool
    let seed: UInt64?
    let targetType: String

    /// What fit learns: per column its categories and their encodings, and overall the
    /// target's mean, type and (binary) classes.
    var categories: [Categories] = []
    var encodings: [[Double]] = []
    var targetMean = 0.0
    var fittedType = "binary"
    var classes: JSONValue = .null

    public init(columns: [String], options: JSONNode) throws {
        let o = try Self.readOptions(columns: columns, options)
        guard !o["target"].isNull else { throw o["target"].failure("is required: the name of the target column") }
        target = try o["target"].string()
        guard !columns.contains(target) else { throw o["target"].failure("names '\(target)', which is also a column to encode") }
        if case .string = o["smooth"].value {
            _ = try o["smooth"].choice(["auto"])
            smooth = nil
        } else {
            let s = try o["smooth"].double()
            guard s >= 0 && s.isFinite else { throw o["smooth"].failure("must be \"auto\" or a number >= 0, got \(s)") }
            smooth = s
        }
        folds = try o["cv"].integer()
        guard folds >= 2 else { throw o["cv"].failure("must be 2 or more folds, got \(folds)") }
        shuffle = try o["shuffle"].bool()
        seed = o["seed"].isNull ? nil : UInt64(bitPattern: Int64(try o["seed"].integer()))
        targetType = try o["target_type"].choice(["auto", "binary", "continuous"])
        self.columns = columns
        self.options = o.all
    }

    // MARK: fitting

    public func learn(_ inputs: [Column], frame: Frame, op: String) throws {
        let (y, type, classes) = try targetValues(frame, op: op)
        var fittedCategories: [Categories] = [], fittedEncodings: [[Double]] = []
        let mean = y.reduce(0, +) / Double(y.count)
        for column in inputs {
            let (c, codes) = try Categories.fit(column, op: op)
            fittedCategories.append(c)
            fittedEncodings.append(encode(codes, y, rows: Array(0..<y.count), categories: c.count))
        }
        categories = fittedCategories
        encodings = fittedEncodings
        targetMean = mean
        fittedType = type
        self.classes = classes
    }

    /// Fits on all rows (for later transforms) and returns the cross-fitted encoding of
    /// these rows: each fold encoded with what the other folds say.
    public func fitTransform(_ frame: Frame) throws -> Frame {
        try fit(frame)
        let op = "\(typeName).fit_transform"
        let y = try targetValues(frame, op: op).y
        let testFolds = try foldAssignment(y, op: op)
        var outputs: [String: [Column]] = [:]
        for (index, name) in columns.enumerated() {
            let column = try frame.requireColumn(name, op)
            let codes = try Categories.fit(column, op: op).codes
            var values = [Double?](repeating: nil, count: y.count)
            for fold in 0..<folds {
                let train = testFolds.indices.filter { testFolds[$0] != fold }
                let encoding = encode(codes, y, rows: train, categories: categories[index].count)
                for row in testFolds.indices where testFolds[row] == fold { values[row] = encoding[codes[row]] }
            }
            outputs[name] = [Column(name: name, values: .number(values))]
        }
        return try Preprocessing.replacing(frame, with: outputs, op: op)
    }

    /// The target as numbers (0/1 for a binary target, the values for a continuous
    /// one), its type, and the classes of a binary target.
    func targetValues(_ frame: Frame, op: String) throws -> (y: [Double], type: String, classes: JSONValue) {
        let column = try frame.requireColumn(target, op)
        if let row = column.missingMask.firstIndex(of: true) {
            throw TensorError("\(op): target column '\(target)' is missing at row \(row + 1) (\(column.missingCount) missing in all); drop those rows first (df:dropna{\"\(target)\"})")
        }
        guard column.count > 0 else { throw TensorError("\(op): the frame has no rows") }
        let (classes, codes) = try Categories.fit(column, op: op)
        let numbers = column.numbers?.map { $0 ?? .nan }
        let allWhole = numbers?.allSatisfy { $0 == $0.rounded() } ?? true
        var type = targetType
        if type == "auto" {
            if classes.count == 2 { type = "binary" } else if let numbers, !allWhole, numbers.allSatisfy(\.isFinite) { type = "continuous" } else {
                let what = classes.count < 2 ? "a single value" : "\(classes.count) classes"
                throw TensorError("\(op): target column '\(target)' has \(what); TargetEncoder needs a binary target (two values) or a continuous one (pass {target_type = \"continuous\"} for numbers)")
            }
        }
        if type == "binary" {
            guard classes.count == 2 else {
                throw TensorError("\(op): target column '\(target)' has \(classes.count) distinct value\(classes.count == 1 ? "" : "s") (\(classes.preview)); a binary target needs exactly two")
            }
            return (codes.map { Double($0) }, type, classes.values)
        }
        guard let numbers else {
            throw TensorError("\(op): target column '\(target)' holds \(column.contentNoun); a continuous target needs numbers")
        }
        return (numbers, type, .null)
    }

    /// The smoothed target mean per category from `rows` (scikit-learn's
    /// _fit_encoding_fast and _fit_encoding_fast_auto_smooth, summing in row order).
    func encode(_ codes: [Int], _ y: [Double], rows: [Int], categories n: Int) -> [Double] {
        let mean = rows.reduce(0) { $0 + y[$1] } / Double(rows.count)
        if let smooth {
            var sums = [Double](repeating: smooth * mean, count: n)
            var counts = [Double](repeating: smooth, count: n)
            for row in rows { sums[codes[row]] += y[row]; counts[codes[row]] += 1 }
            return (0..<n).map { counts[$0] == 0 ? mean : sums[$0] / counts[$0] }
        }
        // "auto": shrink each category mean towards the overall mean by
        // lambda = n * var(y) / (n * var(y) + var(y in category)).
        let variance = rows.reduce(0) { $0 + (y[$1] - mean) * (y[$1] - mean) } / Double(rows.count)
        var means = [Double](repeating: 0, count: n), counts = [Double](repeating: 0, count: n)
        for row in rows { counts[codes[row]] += 1; means[codes[row]] += y[row] }
        for c in 0..<n { means[c] /= counts[c] }
        var squaredDiffs = [Double](repeating: 0, count: n)
        for row in rows { squaredDiffs[codes[row]] += (y[row] - means[codes[row]]) * (y[row] - means[codes[row]]) }
        return (0..<n).map { c in
            let lambda = variance * counts[c] / (variance * counts[c] + squaredDiffs[c] / counts[c])
            return lambda.isNaN ? mean : lambda * means[c] + (1 - lambda) * mean
        }
    }

    /// The test fold of each row. A binary target is split as scikit-learn's
    /// StratifiedKFold: classes numbered by first appearance, each fold's share of a
    /// class dealt round-robin over the sorted labels, then handed out in row order
    /// (shuffled with MarketLab's generator when `shuffle`). A continuous target is cut
    /// into contiguous blocks as KFold (of shuffled rows when `shuffle`).
    func foldAssignment(_ y: [Double], op: String) throws -> [Int] {
        let n = y.count
        guard folds <= n else { throw TensorError("\(op): cv = \(folds) folds need at least \(folds) rows, the frame has \(n)") }
        let generator = seed.map { Generator(seed: $0) } ?? .shared
        var assignment = [Int](repeating: 0, count: n)
        guard fittedType == "binary" else {
            let order = shuffle ? generator.permutation(n) : Array(0..<n)
            var start = 0
            for f in 0..<folds {
                let size = n / folds + (f < n % folds ? 1 : 0)
                for row in order[start..<(start + size)] { assignment[row] = f }
                start += size
            }
            return assignment
        }
        var firstSeen: [Double: Int] = [:]
        let encoded = y.map { v -> Int in
            if let k = firstSeen[v] { return k }
            firstSeen[v] = firstSeen.count
            return firstSeen.count - 1
        }
        let classCount = firstSeen.count
        var counts = [Int](repeating: 0, count: classCount)
        for k in encoded { counts[k] += 1 }
        guard counts.contains(where: { $0 >= folds }) else {
            throw TensorError("\(op): cv = \(folds) folds is more than the rows of every target class (\(counts.map(String.init).joined(separator: ", "))); use fewer folds")
        }
        // allocation[f][k]: rows of class k in fold f, from every folds-th sorted label.
        let sorted = encoded.sorted()
        var allocation = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: folds)
        for (i, k) in sorted.enumerated() { allocation[i % folds][k] += 1 }
        for k in 0..<classCount {
            var foldsForClass: [Int] = []
            for f in 0..<folds { foldsForClass += Array(repeating: f, count: allocation[f][k]) }
            if shuffle { foldsForClass = generator.permutation(foldsForClass.count).map { foldsForClass[$0] } }
            var next = 0
            for row in 0..<n where encoded[row] == k { assignment[row] = foldsForClass[next]; next += 1 }
        }
        return assignment
    }

    // MARK: transforming

    public func apply(_ index: Int, _ column: Column, op: String) throws -> [Column] {
        let codes = try categories[index].codes(column, op: op)
        let encoding = encodings[index]
        return [Column(name: column.name, values: .number(codes.map { $0.map { encoding[$0] } ?? targetMean }))]
    }

    public func outputNames(_ index: Int) -> [String] { [columns[index]] }

    public var attributeNames: [String] { ["categories_", "encodings_", "target_mean_", "target_type_", "classes_"] }

    public var attributes: [(name: String, value: JSONValue)] {
        guard isFitted else { return [] }
        var out: [(name: String, value: JSONValue)] = [
            ("categories_", .array(categories.map(\.values))), ("encodings_", .array(encodings.map { .numbers($0) })),
            ("target_mean_", .number(targetMean)), ("target_type_", .string(fittedType)),
        ]
        if fittedType == "binary" { out.append(("classes_", classes)) }
        return out
    }

    public var fitted: JSONValue {
        .object([("target_mean", .number(targetMean)), ("target_type", .string(fittedType)), ("classes", classes),
                 ("columns", .array(zip(categories, encodings).map { c, e in
                     .object([("categories", c.json), ("encodings", .numbers(e))])
                 }))])
    }

    public func restore(_ fitted: JSONNode) throws {
        try fitted.checkKeys(["target_mean", "target_type", "classes", "columns"])
        let entries = try perColumn(fitted)
        var restoredCategories: [Categories] = [], restoredEncodings: [[Double]] = []
        for node in entries {
            try node.checkKeys(["categories", "encodings"])
            let c = try Categories(json: try node.field("categories"))
            restoredCategories.append(c)
            restoredEncodings.append(try node.field("encodings").doubles(count: c.count))
        }
        targetMean = try fitted.field("target_mean").double()
        fittedType = try fitted.field("target_type").choice(["binary", "continuous"])
        classes = try fitted.field("classes").value
        categories = restoredCategories
        encodings = restoredEncodings
    }
}
