import TensorKit

/// One named column of a Frame: values of one type, each possibly missing.
public final class Column {
    /// The element types a column can hold, spelled as in `df:dtypes()`.
    public enum Kind: String, CaseIterable { case integer, number, bool, string, category, date }

    /// Dates are whole days since 1970-01-01 (see `Dates`). A category column holds text
    /// like a string column and is marked as categorical (few distinct values).
    public enum Values {
        case integer([Int64?])
        case number([Double?])
        case bool([Bool?])
        case string([String?])
        case date([Int32?])
    }

    public let name: String
    public let values: Values
    /// True for a text column of categories; ignored for other values.
    public let isCategory: Bool

    public init(name: String, values: Values, category: Bool = false) {
        self.name = name
        self.values = values
        if case .string = values { self.isCategory = category } else { self.isCategory = false }
    }

    /// A column of the same name and category flag holding `values`.
    func with(_ values: Values) -> Column { Column(name: name, values: values, category: isCategory) }

    public var kind: Kind {
        switch values {
        case .integer: return .integer
        case .number: return .number
        case .bool: return .bool
        case .string: return isCategory ? .category : .string
        case .date: return .date
        }
    }

    /// The rule that makes an inferred text column a category: at least two values, at
    /// most 1000 distinct ones, and each distinct value used twice on average.
    public static func isCategorical(distinct: Int, present: Int) -> Bool {
        present >= 2 && distinct <= 1000 && distinct * 2 <= present
    }

    /// The category rule applied to text values.
    public static func looksCategorical(_ values: [String?]) -> Bool {
        var distinct = Set<String>()
        var present = 0
        for case let v? in values {
            present += 1
            if distinct.insert(v).inserted && distinct.count > 1000 { return false }
        }
        return isCategorical(distinct: distinct.count, present: present)
    }

    /// True for string and category columns.
    public var isText: Bool { if case .string = values { return true } else { return false } }

    public var count: Int {
        switch values {
        case .integer(let v): return v.count
        case .number(let v): return v.count
        case .bool(let v): return v.count
        case .string(let v): return v.count
        case .date(let v): return v.count
        }
    }

    /// True where the value is missing.
    public var missingMask: [Bool] {
        switch values {
        case .integer(let v): return v.map { $0 == nil }
        case .number(let v): return v.map { $0 == nil }
        case .bool(let v): return v.map { $0 == nil }
        case .string(let v): return v.map { $0 == nil }
        case .date(let v): return v.map { $0 == nil }
        }
    }

    public var missingCount: Int { missingMask.filter { $0 }.count }

    /// The values as Doubles (nil when missing); nil for text and date columns.
    public var numbers: [Double?]? {
        switch values {
        case .integer(let v): return v.map { $0.map { Double($0) } }
        case .number(let v): return v
        case .bool(let v): return v.map { $0.map { $0 ? 1 : 0 } }
        case .string, .date: return nil
        }
    }

    /// What a non-numeric column holds, for messages: "text" or "dates".
    public var contentNoun: String {
        switch values {
        case .date: return "dates"
        case .string: return "text"
        case .bool: return "bools"
        default: return "numbers"
        }
    }

    /// Numeric values without the missing ones, or an error naming the column.
    func present(_ op: String) throws -> [Double] {
        guard let numbers else {
            throw TensorError("Column:\(op): column '\(name)' holds \(contentNoun); \(op) needs numbers")
        }
        return numbers.compactMap { $0 }
    }

    public func sum() throws -> Double { try present("sum").reduce(0, +) }

    public func mean() throws -> Double {
        let v = try present("mean")
        return v.isEmpty ? .nan : v.reduce(0, +) / Double(v.count)
    }

    public func min() throws -> Double { try present("min").min() ?? .nan }
    public func max() throws -> Double { try present("max").max() ?? .nan }

    /// Sample standard deviation (n - 1), as pandas.
    public func std() throws -> Double {
        let v = try present("std")
        guard v.count > 1 else { return .nan }
        let m = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
    }

    /// A bool column: true where missing.
    public func isna() -> Column {
        Column(name: name, values: .bool(missingMask.map { Optional($0) }))
    }

    /// The rows `range` as a new column.
    public func slice(_ range: Range<Int>) -> Column {
        switch values {
        case .integer(let v): return Column(name: name, values: .integer(Array(v[range])))
        case .number(let v): return Column(name: name, values: .number(Array(v[range])))
        case .bool(let v): return Column(name: name, values: .bool(Array(v[range])))
        case .string(let v): return with(.string(Array(v[range])))
        case .date(let v): return Column(name: name, values: .date(Array(v[range])))
        }
    }

    /// The cell at `row` as text for printing ("" when missing).
    public func text(_ row: Int) -> String {
        switch values {
        case .integer(let v): return v[row].map { String($0) } ?? "NaN"
        case .number(let v): return v[row].map { formatNumber($0) } ?? "NaN"
        case .bool(let v): return v[row].map { $0 ? "true" : "false" } ?? "NaN"
        case .string(let v): return v[row] ?? "NaN"
        case .date(let v): return v[row].map(Dates.iso) ?? "NaT"
        }
    }

    /// A float tensor of the values; missing values or text are errors naming the column.
    public func tensor(dtype: DType = .float32) throws -> Tensor {
        guard let numbers else {
            if case .date = values {
                throw TensorError("to_tensor: column '\(name)' holds dates; turn them into numbers first (days_between, year, month, weekday) or leave it out")
            }
            throw TensorError("to_tensor: column '\(name)' holds text; encode it first (e.g. one-hot) or leave it out")
        }
        let missing = numbers.filter { $0 == nil }.count
        guard missing == 0 else {
            throw TensorError("to_tensor: column '\(name)' has \(missing) missing value\(missing == 1 ? "" : "s"); fill them (fillna) or drop those rows (dropna) first")
        }
        let t = Tensor(uninitialized: [numbers.count], dtype: dtype)
        for (i, v) in numbers.enumerated() { t.setStorageValue(i, v!) }
        return t
    }
}

/// Numbers as pandas prints them: integers without a fraction keep ".0".
func formatNumber(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    if v == v.rounded() && Swift.abs(v) < 1e15 { return String(format: "%.1f", v) }
    var text = String(format: "%.6g", v)
    if !text.contains(".") && !text.contains("e") { text += ".0" }
    return text
}
