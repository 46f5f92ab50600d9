import Foundation
import TensorKit

/// A preprocessing step that learns from one Frame (`fit`) and applies what it learnt,
/// unchanged, to others (`transform`), as scikit-learn's transformers do: the scalers,
/// encoders, imputer and discretizer, and the Pipeline that chains them. A fitted step is
/// saved as JSON (`save`) and read back by `Preprocessing.load`.
public protocol Transformer: AnyObject, CustomStringConvertible {
    /// The name scripts use: "StandardScaler".
    var typeName: String { get }
    var isFitted: Bool { get }
    func fit(_ frame: Frame) throws
    func transform(_ frame: Frame) throws -> Frame
    /// `fit` then `transform`, except where scikit-learn differs (TargetEncoder cross-fits).
    func fitTransform(_ frame: Frame) throws -> Frame
    /// The output frame's column names (for the frame seen by `fit`).
    func featureNames() throws -> [String]
    /// Fitted attributes under scikit-learn's names (`mean_`, `categories_`), one entry
    /// per column; empty before fit.
    var attributes: [(name: String, value: JSONValue)] { get }
    /// The names `attributes` holds once fitted.
    var attributeNames: [String] { get }
    /// Everything needed to rebuild the step: type, columns, options, fitted state.
    var json: JSONValue { get }
}

/// A transformer of named columns, each independently (every scikit-learn transformer
/// MarketLab has works column by column). The output frame keeps every column in place:
/// a transformed column is replaced where it stood by its outputs (one-hot columns are
/// inserted there); all others pass through unchanged, like scikit-learn's
/// ColumnTransformer with remainder="passthrough" but without moving columns.
///
/// A conforming type supplies its options and the per-column hooks (`learn`, `apply`,
/// `outputNames`, `fitted`, `restore`); fit, transform and feature names come from here.
public protocol ColumnTransformer: Transformer {
    /// Option names and defaults, in the order scripts read them in `help()`.
    static var defaults: [(key: String, value: JSONValue)] { get }
    init(columns: [String], options: JSONNode) throws
    var columns: [String] { get }
    var options: [(key: String, value: JSONValue)] { get }
    /// The frame's column names at fit time; nil before fit.
    var inputColumns: [String]? { get set }
    /// Learns from `inputs`, the named columns (in `columns` order) of `frame`.
    func learn(_ inputs: [Column], frame: Frame, op: String) throws
    /// The outputs for column `index` of `columns`.
    func apply(_ index: Int, _ column: Column, op: String) throws -> [Column]
    /// The names of column `index`'s outputs (fitted).
    func outputNames(_ index: Int) -> [String]
    /// The learnt state as JSON (called only when fitted).
    var fitted: JSONValue { get }
    /// Rebuilds the learnt state from `fitted` (as written by `fitted`), checking it.
    func restore(_ fitted: JSONNode) throws
}

extension ColumnTransformer {
    public var isFitted: Bool { inputColumns != nil }

    public func fit(_ frame: Frame) throws {
        let op = "\(typeName).fit"
        let inputs = try columns.map { try frame.requireColumn($0, op) }
        try learn(inputs, frame: frame, op: op)
        inputColumns = frame.names
    }

    public func fitTransform(_ frame: Frame) throws -> Frame {
        try fit(frame)
        return try transform(frame)
    }

    public func transform(_ frame: Frame) throws -> Frame {
        let op = "\(typeName).transform"
        guard isFitted else { throw notFitted(op) }
        var outputs: [String: [Column]] = [:]
        for (index, name) in columns.enumerated() {
            guard let column = frame.column(name) else {
                throw TensorError("\(op): column '\(name)' is missing from the frame (fitted on: \(columns.joined(separator: ", ")))")
            }
            outputs[name] = try apply(index, column, op: op)
        }
        return try Preprocessing.replacing(frame, with: outputs, op: op)
    }

    public func featureNames() throws -> [String] {
        guard let inputColumns else { throw notFitted("\(typeName).feature_names") }
        return inputColumns.flatMap { name in columns.firstIndex(of: name).map { outputNames($0) } ?? [name] }
    }

    func notFitted(_ op: String) -> TensorError {
        TensorError("\(op): this \(typeName) is not fitted yet; call fit(df) or fit_transform(df) first")
    }

    public var typeName: String { String(describing: Self.self) }

    public var json: JSONValue {
        .object([("type", .string(typeName)), ("columns", .strings(columns)), ("options", .object(options)),
                 ("input_columns", inputColumns.map { .strings($0) } ?? .null), ("fitted", isFitted ? fitted : .null)])
    }

    /// `StandardScaler(tenure, monthly_charges; fitted)`, with the options that differ
    /// from the defaults: `OneHotEncoder(contract; handle_unknown = "ignore"; not fitted)`.
    public var description: String {
        let shown = columns.count <= 8 ? columns.joined(separator: ", ")
            : columns.prefix(6).joined(separator: ", ") + ", ... (\(columns.count) columns)"
        let changed = options.filter { option in Self.defaults.first { $0.key == option.key }?.value != option.value }
        let settings = changed.map { "\($0.key) = \(Preprocessing.luaText($0.value))" }.joined(separator: ", ")
        return "\(typeName)(\(shown)\(settings.isEmpty ? "" : "; " + settings); \(isFitted ? "fitted" : "not fitted"))"
    }

    /// The options read against `defaults`, and the column list checked: at least one
    /// name, none twice.
    static func readOptions(columns: [String], _ given: JSONNode) throws -> OptionValues {
        guard !columns.isEmpty else { throw TensorError("\(given.context): the list of columns is empty; name at least one column") }
        var seen = Set<String>()
        for name in columns where !seen.insert(name).inserted {
            throw TensorError("\(given.context): column '\(name)' is listed twice")
        }
        return try OptionValues(given, defaults: defaults)
    }

    /// The per-column entries of a saved `fitted` value, one per column.
    func perColumn(_ fitted: JSONNode) throws -> [JSONNode] {
        try fitted.field("columns").list(count: columns.count)
    }
}

/// Saving, loading and the shared frame assembly.
public enum Preprocessing {
    /// What a saved file says it is, and the version this MarketLab writes and reads.
    static let format = "marketlab.preprocessing"
    static let version: Int64 = 1

    /// The column transformers by the name scripts and files use.
    public static let kinds: [String: ColumnTransformer.Type] = [
        "StandardScaler": StandardScaler.self, "MinMaxScaler": MinMaxScaler.self,
        "OneHotEncoder": OneHotEncoder.self, "TargetEncoder": TargetEncoder.self,
        "SimpleImputer": SimpleImputer.self, "KBinsDiscretizer": KBinsDiscretizer.self,
    ]

    /// `frame` with each column named in `outputs` replaced, where it stood, by its
    /// outputs; an output name that clashes with another column is an error.
    static func replacing(_ frame: Frame, with outputs: [String: [Column]], op: String) throws -> Frame {
        var result: [Column] = []
        var seen = Set<String>()
        for column in frame.columns {
            for out in outputs[column.name] ?? [column] {
                guard seen.insert(out.name).inserted else {
                    throw TensorError("\(op): output column '\(out.name)' clashes with another column of that name; rename one of them first")
                }
                result.append(out)
            }
        }
        return try Frame(columns: result)
    }

    /// Writes `transformer` as JSON, atomically (a temporary file, then a rename).
    public static func save(_ transformer: Transformer, to path: String) throws {
        let document = JSONValue.object([("format", .string(format)), ("version", .integer(version)),
                                         ("transformer", transformer.json)])
        try AtomicFile.write(Data((document.text() + "\n").utf8), to: path)
    }

    /// Reads a file written by `save`; `context` names the caller in messages.
    public static func load(path: String, context: String) throws -> Transformer {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
            throw TensorError("\(context): cannot read '\(path)': \(reason)")
        }
        let where_ = "\(context): '\(path)'"
        let value: JSONValue
        do { value = try JSONParser.parse(Array(data)) } catch let e as TensorError {
            throw TensorError("\(where_) is not valid JSON: \(e.message)")
        }
        let root = JSONNode(value, context: where_, origin: .file)
        guard case .object = value, value["format"] == .string(format) else {
            throw TensorError("\(where_) is not a saved MarketLab pipeline (it has no \"format\": \"\(format)\")")
        }
        let fileVersion = try root.field("version").integer()
        guard fileVersion <= version else {
            throw TensorError("\(where_) was written by a newer MarketLab (format version \(fileVersion)); this one reads version \(version)")
        }
        try root.checkKeys(["format", "version", "transformer"])
        return try decode(try root.field("transformer"))
    }

    /// A transformer (or pipeline) from its JSON, every field checked.
    static func decode(_ node: JSONNode) throws -> Transformer {
        let type = try node.field("type").string()
        if type == "Pipeline" {
            try node.checkKeys(["type", "steps"])
            return try Pipeline(steps: try node.field("steps").list().map(decode), context: node.context)
        }
        guard let kind = kinds[type] else {
            throw try node.field("type").failure("names no transformer: '\(type)'\(didYouMean(type, Array(kinds.keys) + ["Pipeline"]))")
        }
        try node.checkKeys(["type", "columns", "options", "input_columns", "fitted"])
        let transformer = try kind.init(columns: try node.field("columns").strings(), options: try node.field("options"))
        if let fitted = try node.optionalField("fitted") {
            let inputs = try node.field("input_columns")
            let names = try inputs.strings()
            for name in transformer.columns where !names.contains(name) {
                throw inputs.failure("does not list column '\(name)', which the transformer was fitted on")
            }
            try transformer.restore(fitted)
            transformer.inputColumns = names
        }
        return transformer
    }

    /// A JSON value as a script would write it, for `tostring` and `help()`: "ignore",
    /// {0, 1}, 10, nil.
    public static func luaText(_ value: JSONValue) -> String {
        switch value {
        case .null: return "nil"
        case .string(let s): return "\"\(s)\""
        case .array(let items): return "{" + items.map(luaText).joined(separator: ", ") + "}"
        case .number(let d) where d == d.rounded() && Swift.abs(d) < 1e15: return String(Int64(d))
        default: return value.text()
        }
    }
}

extension Preprocessing {
    /// A numeric column's values as Doubles (bools as 0/1); text or dates are an error
    /// that says what `transformer` needs.
    static func numbers(_ column: Column, op: String, needs transformer: String) throws -> [Double?] {
        guard let numbers = column.numbers else {
            // A column with no values at all is as good as an empty numeric one.
            if column.missingCount == column.count { return Array(repeating: nil, count: column.count) }
            let fix = column.isText ? "encode text with data.OneHotEncoder or data.TargetEncoder instead"
                : "turn dates into numbers first, such as days since a reference date"
            throw TensorError("\(op): column '\(column.name)' holds \(column.contentNoun); \(transformer) needs numbers (\(fix))")
        }
        return numbers
    }
}
