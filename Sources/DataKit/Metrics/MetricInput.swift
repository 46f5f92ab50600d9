import TensorKit

/// One array argument of a metric — a tensor (any dtype, shape [n] or [n, 1]) or a Frame
/// column — with the function, position and name that its error messages use:
/// `metrics.roc_auc: bad argument #2 (y_score): expected finite scores, got NaN at row 17`.
/// The readers turn it into plain Swift arrays once, so the metrics never see a tensor.
public struct MetricInput {
    public enum Source {
        case tensor(Tensor)
        case column(Column)
    }

    public let source: Source
    public let function: String
    public let position: Int
    public let name: String

    public init(_ source: Source, function: String, position: Int, name: String) {
        self.source = source
        self.function = function
        self.position = position
        self.name = name
    }

    /// The label that says which rows are positive in a text (or other non-0/1) column:
    /// `{positive = "Yes"}`.
    public enum PositiveLabel: CustomStringConvertible {
        case text(String)
        case number(Double)

        public var description: String {
            switch self {
            case .text(let s): return "'\(s)'"
            case .number(let v): return formatLabel(v)
            }
        }
    }

    /// An error in this argument's standard wording.
    public func error(expected: String, got: String) -> TensorError {
        TensorError("\(function): bad argument #\(position) (\(name)): expected \(expected), got \(got)")
    }

    /// What the argument is, for messages: "a float32 tensor of shape [3, 2]".
    var summary: String {
        switch source {
        case .tensor(let t): return "a \(t.dtype.rawValue) tensor of shape \(describeShape(t.shape))"
        case .column(let c): return "\(c.kind == .integer ? "an" : "a") \(c.kind.rawValue) column '\(c.name)'"
        }
    }

    /// Rows of a 1-D input (a tensor [n] or [n, 1], or a column).
    public func length() throws -> Int {
        switch source {
        case .column(let c): return c.count
        case .tensor(let t):
            if t.rank == 1 || (t.rank == 2 && t.shape[1] == 1) { return t.shape[0] }
            throw error(expected: "a 1-D tensor or a tensor of shape [n, 1]", got: summary)
        }
    }

    /// Rows of the input: its length, or the first dimension of a matrix of class scores.
    public func rows() throws -> Int {
        if case .tensor(let t) = source, isMatrix { return t.shape[0] }
        return try length()
    }

    /// True for a 2-D tensor with more than one column (class scores or probabilities).
    public var isMatrix: Bool {
        if case .tensor(let t) = source { return t.rank == 2 && t.shape[1] > 1 }
        return false
    }

    /// A tensor's elements in row-major order, as Doubles (contiguous fast paths).
    static func doubles(_ t: Tensor) -> [Double] {
        guard t.isContiguous else { return t.toDoubles() }
        let n = t.count
        return [Double](unsafeUninitializedCapacity: n) { out, initialized in
            switch t.dtype {
            case .float32: let p = t.pointer(Float.self); for i in 0..<n { out[i] = Double(p[i]) }
            case .float64: let p = t.pointer(Double.self); for i in 0..<n { out[i] = p[i] }
            case .int64: let p = t.pointer(Int64.self); for i in 0..<n { out[i] = Double(p[i]) }
            case .bool: let p = t.pointer(Bool.self); for i in 0..<n { out[i] = p[i] ? 1 : 0 }
            }
            initialized = n
        }
    }

    /// A contiguous tensor's values as 0/1 bytes in one pass, or nil when one is not 0 or 1
    /// (the caller then finds it for the message).
    static func zeroOneLabels(_ t: Tensor) -> [UInt8]? {
        let n = t.count
        var valid = true
        let labels = [UInt8](unsafeUninitializedCapacity: n) { out, initialized in
            func copy<T: Element>(_ p: UnsafeMutablePointer<T>, _ one: T, _ zero: T) where T: Equatable {
                for i in 0..<n {
                    let v = p[i]
                    out[i] = v == one ? 1 : 0
                    if v != one && v != zero { valid = false }
                }
            }
            switch t.dtype {
            case .bool: let p = t.pointer(Bool.self); for i in 0..<n { out[i] = p[i] ? 1 : 0 }
            case .int64: copy(t.pointer(Int64.self), 1, 0)
            case .float32: copy(t.pointer(Float.self), 1, 0)
            case .float64: copy(t.pointer(Double.self), 1, 0)
            }
            initialized = n
        }
        return valid ? labels : nil
    }

    /// The values as Doubles: numbers, integers or bools; missing values and text are errors.
    func rawNumbers() throws -> [Double] {
        switch source {
        case .tensor(let t):
            _ = try length()
            return MetricInput.doubles(t)
        case .column(let c):
            guard let numbers = c.numbers else {
                throw error(expected: "numbers", got: "\(summary) of \(c.contentNoun)")
            }
            if let row = numbers.firstIndex(where: { $0 == nil }) {
                throw error(expected: "no missing values", got: "a missing value at row \(row + 1) of column '\(c.name)' (fill or drop it first)")
            }
            return numbers.map { $0 ?? .nan }   // none is missing: checked above
        }
    }

    /// Finite numbers (scores, probabilities, regression targets); NaN and infinities are
    /// errors naming the first row that holds one.
    public func numbers() throws -> [Double] {
        let values = try rawNumbers()
        if let row = values.firstIndex(where: { !$0.isFinite }) {
            throw error(expected: "finite numbers", got: "\(formatLabel(values[row])) at row \(row + 1)")
        }
        return values
    }

    /// Sample weights: finite, non-negative, not all zero.
    public func weights() throws -> [Double] {
        let values = try numbers()
        if let row = values.firstIndex(where: { $0 < 0 }) {
            throw error(expected: "non-negative weights", got: "\(formatLabel(values[row])) at row \(row + 1)")
        }
        if !values.contains(where: { $0 > 0 }) { throw error(expected: "some positive weight", got: "only zeros") }
        return values
    }

    /// 0/1 labels. Bools, and numbers that are all 0 or 1, are read as they are; with
    /// `positive`, a row is 1 when it equals that label (text, or numbers of any values:
    /// one class against the rest), and the label must occur.
    public func binaryLabels(positive: PositiveLabel?) throws -> [UInt8] {
        if case .column(let c) = source, case .string(let texts) = c.values {
            guard case .text(let label)? = positive else {
                let seen = Array(Set(texts.prefix(1000).compactMap { $0 })).sorted().prefix(3)
                throw error(expected: "0/1 labels", got: "\(summary) holding text (\(seen.map { "'\($0)'" }.joined(separator: ", "))); say which value is positive: {positive = \"\(seen.first ?? "Yes")\"}")
            }
            if let row = texts.firstIndex(where: { $0 == nil }) {
                throw error(expected: "no missing values", got: "a missing value at row \(row + 1) of column '\(c.name)' (fill or drop it first)")
            }
            let labels = texts.map { $0 == label ? UInt8(1) : 0 }
            if !labels.contains(1) {
                let seen = Array(Set(texts.prefix(1000).compactMap { $0 })).sorted().prefix(5)
                throw TensorError("\(function): positive = '\(label)' does not occur in \(name) (values: \(seen.joined(separator: ", ")))")
            }
            return labels
        }
        if positive == nil, case .tensor(let t) = source, t.isContiguous, try length() > 0, let labels = MetricInput.zeroOneLabels(t) {
            return labels
        }
        let values = try rawNumbers()
        switch positive {
        case .number(let label)?:
            let labels = values.map { $0 == label ? UInt8(1) : 0 }
            if !labels.contains(1) { throw TensorError("\(function): positive = \(formatLabel(label)) does not occur in \(name)") }
            return labels
        case .text(let label)?:
            throw error(expected: "a text column for positive = '\(label)'", got: summary)
        case nil:
            if let row = values.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                throw error(expected: "0/1 labels (bools, or numbers that are 0 or 1; {positive = ...} picks a class)", got: "\(formatLabel(values[row])) at row \(row + 1)")
            }
            return values.map { $0 == 1 ? 1 : 0 }
        }
    }

    /// Integer class labels (any integers; MarketLab's multi-class labels are 1-based).
    public func classLabels() throws -> [Int] {
        let values = try rawNumbers()
        if let row = values.firstIndex(where: { $0 != $0.rounded() || Swift.abs($0) > 1e15 }) {
            throw error(expected: "integer class labels", got: "\(formatLabel(values[row])) at row \(row + 1)")
        }
        return values.map { Int($0) }
    }

    /// A 2-D tensor [n, k] of finite values, row-major.
    public func matrix() throws -> (values: [Double], rows: Int, columns: Int) {
        guard case .tensor(let t) = source, t.rank == 2 else {
            throw error(expected: "a 2-D tensor [n, classes]", got: summary)
        }
        let values = MetricInput.doubles(t)
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw error(expected: "finite numbers", got: "\(formatLabel(values[i])) at row \(i / t.shape[1] + 1), column \(i % t.shape[1] + 1)")
        }
        return (values, t.shape[0], t.shape[1])
    }
}

/// A label or value for messages: integers without ".0", NaN and infinities by name.
func formatLabel(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    if v == v.rounded() && Swift.abs(v) < 1e15 { return String(Int64(v)) }
    return "\(v)"
}

extension Metrics {
    /// Checks that every input has `count` rows: "metrics.auc: y_true has 10 rows but
    /// y_score has 9".
    public static func checkLengths(_ function: String, _ inputs: [(name: String, count: Int)]) throws {
        guard let first = inputs.first else { return }
        for other in inputs.dropFirst() where other.count != first.count {
            throw TensorError("\(function): \(first.name) has \(first.count) rows but \(other.name) has \(other.count); they must have the same length")
        }
        if first.count == 0 { throw TensorError("\(function): the inputs are empty (0 rows)") }
    }
}

/// scikit-learn and scikit-uplift's metrics, computed on plain arrays read through
/// `MetricInput`. Every function takes the Lua name (`metrics.roc_auc`) for its messages.
public enum Metrics {}
