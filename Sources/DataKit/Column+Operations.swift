import TensorKit

/// A right-hand side for Column comparisons and arithmetic: a scalar or another column.
public enum ColumnOperand {
    case integer(Int64)
    case number(Double)
    case string(String)
    case bool(Bool)
    case column(Column)

    var describe: String {
        switch self {
        case .integer(let v): return "integer \(v)"
        case .number(let v): return "number \(v)"
        case .string(let v): return "string '\(v.prefix(40))'"
        case .bool(let v): return "boolean \(v)"
        case .column(let c): return "\(c.kind.rawValue) column '\(c.name)'"
        }
    }
}

extension Column {
    public enum Comparison: String, CaseIterable { case gt, ge, lt, le, eq, ne }
    public enum Arithmetic: String { case add = "+", sub = "-", mul = "*", div = "/" }

    /// The same values under another name.
    public func renamed(_ newName: String) -> Column { Column(name: newName, values: values, category: isCategory) }

    /// The values as text (nil when missing); nil for non-text columns.
    public var strings: [String?]? {
        if case .string(let v) = values { return v }
        return nil
    }

    /// Rows `indices` (0-based) in that order, as a new column.
    public func take(_ indices: [Int]) -> Column { takeOptional(indices.map { Optional($0) }) }

    /// A column of `count` copies of a scalar (an integer, number, text or bool column).
    public static func constant(name: String, _ value: ColumnOperand, count: Int) throws -> Column {
        switch value {
        case .integer(let v): return Column(name: name, values: .integer(Array(repeating: v, count: count)))
        case .number(let v): return Column(name: name, values: .number(Array(repeating: v, count: count)))
        case .string(let v): return Column(name: name, values: .string(Array(repeating: v, count: count)))
        case .bool(let v): return Column(name: name, values: .bool(Array(repeating: v, count: count)))
        case .column(let c):
            guard c.count == count else { throw TensorError("column '\(c.name)' has \(c.count) rows, expected \(count)") }
            return c.renamed(name)
        }
    }

    /// An elementwise comparison as a bool column. As in pandas, a comparison with a
    /// missing value is false, except `ne`, which is true.
    public func compare(_ op: Comparison, _ other: ColumnOperand) throws -> Column {
        let fn = "Column:\(op.rawValue)"
        let n = count
        var out = [Bool?](repeating: op == .ne, count: n)
        func test<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch op {
            case .gt: return a > b
            case .ge: return a >= b
            case .lt: return a < b
            case .le: return a <= b
            case .eq: return a == b
            case .ne: return a != b
            }
        }
        if let text = strings {
            let rhs: [String?]
            switch other {
            case .string(let s): rhs = Array(repeating: s, count: n)
            case .column(let c) where c.isText:
                guard c.count == n else { throw lengthError(fn, c) }
                rhs = c.strings!
            default:
                throw TensorError("\(fn): column '\(name)' holds text; compare it with a string or a text column, got \(other.describe)")
            }
            for i in 0..<n { if let a = text[i], let b = rhs[i] { out[i] = test(a, b) } }
            return Column(name: name, values: .bool(out))
        }
        if case .date(let days) = values {
            let rhs: [Int32?]
            switch other {
            case .string(let s):
                guard let d = Dates.parseISO(s) else {
                    throw TensorError("\(fn): column '\(name)' holds dates; compare it with a date written YYYY-MM-DD or a date column, got string '\(s.prefix(40))'")
                }
                rhs = Array(repeating: d, count: n)
            case .column(let c):
                guard case .date(let v) = c.values else {
                    throw TensorError("\(fn): column '\(name)' holds dates; cannot compare it with \(other.describe)")
                }
                guard c.count == n else { throw lengthError(fn, c) }
                rhs = v
            default:
                throw TensorError("\(fn): column '\(name)' holds dates; compare it with a date written YYYY-MM-DD or a date column, got \(other.describe)")
            }
            for i in 0..<n { if let a = days[i], let b = rhs[i] { out[i] = test(a, b) } }
            return Column(name: name, values: .bool(out))
        }
        let lhs = numbers!
        switch other {
        case .integer(let v): let b = Double(v); for i in 0..<n { if let a = lhs[i] { out[i] = test(a, b) } }
        case .number(let b): for i in 0..<n { if let a = lhs[i] { out[i] = test(a, b) } }
        case .bool(let v): let b: Double = v ? 1 : 0; for i in 0..<n { if let a = lhs[i] { out[i] = test(a, b) } }
        case .column(let c):
            guard let rhs = c.numbers else {
                throw TensorError("\(fn): column '\(name)' holds numbers; cannot compare it with \(c.isText ? "text" : c.kind.rawValue) column '\(c.name)'")
            }
            guard c.count == n else { throw lengthError(fn, c) }
            for i in 0..<n { if let a = lhs[i], let b = rhs[i] { out[i] = test(a, b) } }
        case .string:
            throw TensorError("\(fn): column '\(name)' holds \(kind == .bool ? "bools" : "numbers"); compare it with a number, got \(other.describe)")
        }
        return Column(name: name, values: .bool(out))
    }

    func lengthError(_ fn: String, _ other: Column) -> TensorError {
        TensorError("\(fn): column '\(name)' has \(count) rows, column '\(other.name)' has \(other.count)")
    }

    /// `lhs op rhs` elementwise, at least one side a column; missing propagates. The result
    /// is an integer column for + - * of integers, a number column otherwise (division by
    /// zero gives ±inf or NaN, as in pandas). It takes the name of the left column.
    public static func arithmetic(_ op: Arithmetic, _ lhs: ColumnOperand, _ rhs: ColumnOperand) throws -> Column {
        let fn = "Column \(op.rawValue)"
        var n: Int? = nil
        var name = ""
        for side in [rhs, lhs] {
            if case .column(let c) = side {
                if let n, n != c.count { throw TensorError("\(fn): columns have different lengths (\(c.count) and \(n) rows)") }
                n = c.count
                name = c.name
            }
        }
        guard let n else { throw TensorError("\(fn): expected a Column operand") }
        enum Side { case ints([Int64?]), nums([Double?]) }
        func side(_ o: ColumnOperand) throws -> Side {
            switch o {
            case .integer(let v): return .ints(Array(repeating: v, count: n))
            case .number(let v): return .nums(Array(repeating: v, count: n))
            case .bool(let v): return .ints(Array(repeating: v ? 1 : 0, count: n))
            case .string(let s): throw TensorError("\(fn): expected a number or a numeric Column, got string '\(s.prefix(40))'")
            case .column(let c):
                switch c.values {
                case .integer(let v): return .ints(v)
                case .string, .date: throw TensorError("\(fn): column '\(c.name)' holds \(c.contentNoun); arithmetic needs numbers\(c.kind == .date ? " (days_between gives day counts)" : "")")
                default: return .nums(c.numbers!)
                }
            }
        }
        let a = try side(lhs), b = try side(rhs)
        if op != .div, case .ints(let x) = a, case .ints(let y) = b {
            var out = [Int64?](repeating: nil, count: n)
            for i in 0..<n {
                guard let p = x[i], let q = y[i] else { continue }
                switch op {
                case .add: out[i] = p &+ q
                case .sub: out[i] = p &- q
                default: out[i] = p &* q
                }
            }
            return Column(name: name, values: .integer(out))
        }
        func doubles(_ s: Side) -> [Double?] {
            switch s {
            case .ints(let v): return v.map { $0.map { Double($0) } }
            case .nums(let v): return v
            }
        }
        let x = doubles(a), y = doubles(b)
        var out = [Double?](repeating: nil, count: n)
        for i in 0..<n {
            guard let p = x[i], let q = y[i] else { continue }
            switch op {
            case .add: out[i] = p + q
            case .sub: out[i] = p - q
            case .mul: out[i] = p * q
            case .div: out[i] = p / q
            }
        }
        return Column(name: name, values: .number(out))
    }

    /// The median of the non-missing values (NaN when there are none).
    public func median() throws -> Double {
        let v = try present("median").sorted()
        guard !v.isEmpty else { return .nan }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    /// Distinct non-missing values with their counts, most frequent first; ties keep the
    /// order of first appearance. Returns a Frame with columns `value` and `count`.
    public func valueCounts() throws -> Frame {
        func count<T: Hashable>(_ v: [T?]) -> ([T], [Int64]) {
            var order: [T] = [], counts: [T: Int64] = [:]
            for case let x? in v {
                if counts[x] == nil { order.append(x) }
                counts[x, default: 0] += 1
            }
            let ranked = order.enumerated().sorted { l, r in
                let a = counts[l.element]!, b = counts[r.element]!
                return a != b ? a > b : l.offset < r.offset
            }.map(\.element)
            return (ranked, ranked.map { counts[$0]! })
        }
        let values: Column.Values, counts: [Int64]
        switch self.values {
        case .integer(let v): let (k, c) = count(v); values = .integer(k); counts = c
        case .number(let v): let (k, c) = count(v); values = .number(k); counts = c
        case .bool(let v): let (k, c) = count(v); values = .bool(k); counts = c
        case .string(let v): let (k, c) = count(v); values = .string(k); counts = c
        case .date(let v): let (k, c) = count(v); values = .date(k); counts = c
        }
        return try Frame(columns: [Column(name: "value", values: values, category: isCategory),
                                   Column(name: "count", values: .integer(counts.map { Optional($0) }))])
    }

    /// The most frequent non-missing value (ties: the smallest), as an operand; nil when
    /// every value is missing.
    public func mode() -> ColumnOperand? {
        func best<T: Hashable & Comparable>(_ v: [T?]) -> T? {
            var counts: [T: Int] = [:]
            for case let x? in v { counts[x, default: 0] += 1 }
            return counts.max { l, r in l.value != r.value ? l.value < r.value : l.key > r.key }?.key
        }
        switch values {
        case .integer(let v): return best(v).map { .integer($0) }
        case .number(let v): return best(v).map { .number($0) }
        case .bool(let v): return best(v.map { $0.map { $0 ? 1 : 0 } }).map { .bool($0 == 1) }
        case .string(let v): return best(v).map { .string($0) }
        case .date(let v): return best(v).map { .string(Dates.iso($0)) }
        }
    }

    /// Missing values replaced by `value`. An integer column filled with a non-integral
    /// number becomes a number column; a value of another kind is an error.
    public func filled(with value: ColumnOperand, _ fn: String) throws -> Column {
        func bad() -> TensorError {
            TensorError("\(fn): cannot fill \(kind.rawValue) column '\(name)' with \(value.describe)")
        }
        switch (values, value) {
        case (.integer(let v), .integer(let x)): return Column(name: name, values: .integer(v.map { $0 ?? x }))
        case (.integer(let v), .number(let x)):
            if x == x.rounded(), Swift.abs(x) < 9.0e15 { return Column(name: name, values: .integer(v.map { $0 ?? Int64(x) })) }
            return Column(name: name, values: .number(v.map { $0.map { Double($0) } ?? x }))
        case (.number(let v), .integer(let x)): return Column(name: name, values: .number(v.map { $0 ?? Double(x) }))
        case (.number(let v), .number(let x)): return Column(name: name, values: .number(v.map { $0 ?? x }))
        case (.bool(let v), .bool(let x)): return Column(name: name, values: .bool(v.map { $0 ?? x }))
        case (.string(let v), .string(let x)): return with(.string(v.map { $0 ?? x }))
        case (.date(let v), .string(let x)):
            guard let d = Dates.parseISO(x) else { throw bad() }
            return Column(name: name, values: .date(v.map { $0 ?? d }))
        default: throw bad()
        }
    }
}
