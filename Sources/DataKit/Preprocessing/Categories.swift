import TensorKit

/// The categories of one column as the encoders learn them (scikit-learn's
/// `categories_[i]`): the distinct values sorted as scikit-learn sorts them (numbers by
/// value, text by code point), a missing value last as a category of its own.
struct Categories {
    /// What the column held at fit time; a later column must hold the same kind of values.
    enum Kind: String, CaseIterable { case text, integer, number, bool }

    let kind: Kind
    /// The categories as text (integers as "12", numbers as Swift prints them, bools as
    /// "true"/"false"); nil is the missing-value category.
    let labels: [String?]
    private let positions: [String?: Int]

    init(kind: Kind, labels: [String?]) {
        self.kind = kind
        self.labels = labels
        var positions: [String?: Int] = [:]
        for (i, label) in labels.enumerated() { positions[label] = i }
        self.positions = positions
    }

    var count: Int { labels.count }

    static func kind(of column: Column, op: String) throws -> Kind {
        switch column.values {
        case .string: return .text
        case .integer: return .integer
        case .number: return .number
        case .bool: return .bool
        case .date:
            throw TensorError("\(op): column '\(column.name)' holds dates; encode a part of them instead (such as the month, as a number)")
        }
    }

    /// The categories of `column` and the code of each row (index into the categories).
    static func fit(_ column: Column, op: String) throws -> (categories: Categories, codes: [Int]) {
        let kind = try kind(of: column, op: op)
        let labels = Categories.labels(column, as: kind)
        var distinct = Set<String>()
        var sawMissing = false
        for label in labels { if let label { distinct.insert(label) } else { sawMissing = true } }
        var sorted: [String?]
        switch kind {
        case .integer: sorted = distinct.sorted { (Int64($0) ?? 0) < (Int64($1) ?? 0) }
        case .number: sorted = distinct.sorted { (Double($0) ?? 0) < (Double($1) ?? 0) }
        case .bool: sorted = distinct.sorted { $0 == "false" && $1 == "true" }
        case .text: sorted = distinct.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        if sawMissing { sorted.append(nil) }
        let categories = Categories(kind: kind, labels: sorted)
        return (categories, labels.map { categories.positions[$0] ?? 0 })
    }

    /// The code of each row of `column` (nil: a value not seen at fit). The column must
    /// hold the kind of values seen at fit; integers, numbers and bools compare by value.
    func codes(_ column: Column, op: String) throws -> [Int?] {
        let given = try Categories.kind(of: column, op: op)
        // A column with no values at all has no kind to check (read_csv makes it numbers).
        if column.missingCount == column.count { return Array(repeating: positions[nil], count: column.count) }
        if (given == .text) != (kind == .text) {
            throw TensorError("\(op): column '\(column.name)' holds \(given == .text ? "text" : "numbers") but held \(kind == .text ? "text" : "numbers") when fitted")
        }
        return Categories.labels(column, as: kind).map { positions[$0] }
    }

    /// The values of `column` written as labels of `kind` (nil when missing or NaN).
    static func labels(_ column: Column, as kind: Kind) -> [String?] {
        switch (column.values, kind) {
        case (.string(let v), _): return v
        case (.integer(let v), .integer): return v.map { $0.map { String($0) } }
        default:
            return (column.numbers ?? []).map { value in
                guard let value, !value.isNaN else { return nil }
                switch kind {
                case .integer: return value == value.rounded() && Swift.abs(value) < 9.2e18 ? String(Int64(value)) : "\(value)"
                case .bool: return value == 1 ? "true" : value == 0 ? "false" : "\(value)"
                default: return "\(value + 0.0)"   // + 0.0 turns -0.0 into 0.0
                }
            }
        }
    }

    /// Category `i` as it appears in output names: "nan" for the missing category (as
    /// scikit-learn prints it).
    func name(_ i: Int) -> String { labels[i] ?? "nan" }

    /// Category `i` as a typed JSON value (null for missing).
    func value(_ i: Int) -> JSONValue {
        guard let label = labels[i] else { return .null }
        switch kind {
        case .text: return .string(label)
        case .integer: return Int64(label).map { .integer($0) } ?? .string(label)
        case .number: return Double(label).map { .number($0) } ?? .string(label)
        case .bool: return .bool(label == "true")
        }
    }

    var values: JSONValue { .array(labels.indices.map(value)) }

    /// A few categories for messages: "Month-to-month, One year, Two year".
    var preview: String {
        let shown = labels.prefix(8).map { $0 ?? "(missing)" }.joined(separator: ", ")
        return count > 8 ? shown + ", ... (\(count) in all)" : shown
    }

    /// Rebuilds categories saved as `{"kind": ..., "values": [...]}`, checking that they
    /// are distinct.
    init(json node: JSONNode) throws {
        let kindNode = try node.field("kind")
        guard let kind = Kind(rawValue: try kindNode.choice(Kind.allCases.map(\.rawValue))) else { throw kindNode.expected("a kind") }
        var labels: [String?] = []
        for item in try node.field("values").list() {
            switch (kind, item.value) {
            case (_, .null): labels.append(nil)
            case (.text, .string(let s)): labels.append(s)
            case (.integer, .integer(let i)): labels.append(String(i))
            case (.number, _): labels.append("\(try item.double())")
            case (.bool, .bool(let b)): labels.append(b ? "true" : "false")
            default: throw item.expected(kind == .text ? "a string" : kind == .bool ? "a boolean" : "an integer")
            }
        }
        guard Set(labels).count == labels.count else { throw try node.field("values").failure("lists a category twice") }
        self.init(kind: kind, labels: labels)
    }

    var json: JSONValue { .object([("kind", .string(kind.rawValue)), ("values", values)]) }
}
