import TensorKit

/// Fills missing values with a statistic learnt at fit, as scikit-learn's SimpleImputer:
/// the mean or median (numeric columns; the output is a number column), the most frequent
/// value (ties: the smallest; any column, keeping its type) or a constant (`fill_value`;
/// 0 for numbers, "missing_value" for text, false for bools). With `add_indicator`, each
/// column that had gaps at fit gets a 0/1 number column `missingindicator_<col>` right
/// after it (scikit-learn's name; it appends all indicators at the end instead).
public final class SimpleImputer: ColumnTransformer {
    public static let defaults: [(key: String, value: JSONValue)] = [
        ("strategy", .string("mean")),     // "mean", "median", "most_frequent" or "constant"
        ("fill_value", .null),             // the constant for strategy "constant"
        ("add_indicator", .bool(false)),   // add missingindicator_<col> columns
    ]
    static let strategies = ["mean", "median", "most_frequent", "constant"]

    public let columns: [String]
    public let options: [(key: String, value: JSONValue)]
    public var inputColumns: [String]?
    let strategy: String
    let fillValue: ColumnOperand?
    let addIndicator: Bool

    /// What fit learns per column: the fill value and whether it gets an indicator.
    var fills: [ColumnOperand] = []
    var indicators: [Bool] = []

    public init(columns: [String], options: JSONNode) throws {
        let o = try Self.readOptions(columns: columns, options)
        strategy = try o["strategy"].choice(Self.strategies)
        let fill = o["fill_value"]
        switch fill.value {
        case .null: fillValue = nil
        case .integer(let i): fillValue = .integer(i)
        case .number(let d): fillValue = .number(d)
        case .string(let s): fillValue = .string(s)
        case .bool(let b): fillValue = .bool(b)
        default: throw fill.expected("a number, a string or a boolean")
        }
        if fillValue != nil && strategy != "constant" {
            throw fill.failure("is only used with strategy = \"constant\" (strategy is \"\(strategy)\")")
        }
        addIndicator = try o["add_indicator"].bool()
        self.columns = columns
        self.options = o.all
    }

    public func learn(_ inputs: [Column], frame: Frame, op: String) throws {
        fills = try inputs.map { try fill(for: $0, op: op) }
        indicators = inputs.map { addIndicator && $0.missingCount > 0 }
    }

    func fill(for column: Column, op: String) throws -> ColumnOperand {
        if strategy == "constant" {
            if let fillValue { return fillValue }
            switch column.values {
            case .string: return .string("missing_value")
            case .bool: return .bool(false)
            case .date: throw TensorError("\(op): column '\(column.name)' holds dates; give a fill_value (an ISO date such as \"2024-01-31\")")
            default: return .integer(0)
            }
        }
        guard column.missingCount < column.count else {
            throw TensorError("\(op): column '\(column.name)' has no values to compute the \(strategy.replacingOccurrences(of: "_", with: " ")) from (every value is missing)")
        }
        switch strategy {
        case "mean", "median":
            guard column.numbers != nil else {
                throw TensorError("\(op): cannot use strategy \"\(strategy)\" on column '\(column.name)', which holds \(column.contentNoun); use \"most_frequent\" or \"constant\"")
            }
            return .number(strategy == "mean" ? try column.mean() : try column.median())
        default:
            guard let mode = column.mode() else { throw TensorError("\(op): column '\(column.name)' has no values") }
            return mode
        }
    }

    public func apply(_ index: Int, _ column: Column, op: String) throws -> [Column] {
        let fill = fills[index]
        var filled: Column
        if case .number(let x) = fill, strategy == "mean" || strategy == "median" {
            guard let numbers = column.numbers else {
                throw TensorError("\(op): column '\(column.name)' holds \(column.contentNoun) but held numbers when fitted")
            }
            filled = Column(name: column.name, values: .number(numbers.map { $0 ?? x }))
        } else {
            filled = try column.filled(with: fill, op)
        }
        guard indicators[index] else { return [filled] }
        let indicator = Column(name: "missingindicator_\(column.name)", values: .number(column.missingMask.map { $0 ? 1 : 0 }))
        return [filled, indicator]
    }

    public func outputNames(_ index: Int) -> [String] {
        [columns[index]] + (indicators[index] ? ["missingindicator_\(columns[index])"] : [])
    }

    public var attributeNames: [String] { ["statistics_"] }

    public var attributes: [(name: String, value: JSONValue)] {
        guard isFitted else { return [] }
        return [("statistics_", .array(fills.map(SimpleImputer.json)))]
    }

    static func json(_ fill: ColumnOperand) -> JSONValue {
        switch fill {
        case .integer(let i): return .integer(i)
        case .number(let d): return .number(d)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .column: return .null
        }
    }

    /// Each fill value with its type, so that text such as "NaN" stays text.
    public var fitted: JSONValue {
        .object([("columns", .array(zip(fills, indicators).map { fill, indicator in
            .object([("fill", SimpleImputer.json(fill)), ("type", .string(SimpleImputer.typeName(fill))), ("indicator", .bool(indicator))])
        }))])
    }

    static func typeName(_ fill: ColumnOperand) -> String {
        switch fill {
        case .integer: return "integer"
        case .number: return "number"
        case .string: return "string"
        case .bool, .column: return "bool"
        }
    }

    public func restore(_ fitted: JSONNode) throws {
        let entries = try perColumn(fitted)
        var restored: [ColumnOperand] = []
        for node in entries {
            try node.checkKeys(["fill", "type", "indicator"])
            let fill = try node.field("fill")
            switch try node.field("type").choice(["integer", "number", "string", "bool"]) {
            case "integer":
                guard case .integer(let i) = fill.value else { throw fill.expected("an integer") }
                restored.append(.integer(i))
            case "number": restored.append(.number(try fill.double()))
            case "string": restored.append(.string(try fill.string()))
            default: restored.append(.bool(try fill.bool()))
            }
        }
        indicators = try entries.map { try $0.field("indicator").bool() }
        fills = restored
    }
}
