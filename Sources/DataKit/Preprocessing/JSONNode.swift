import TensorKit

/// A JSON value being read, with where it came from, so every mistake names its place.
/// The same reader checks a script's options table (converted to JSON by the bridge:
/// "data.OneHotEncoder: option 'drop' must be ...") and a saved pipeline
/// ("data.load_pipeline: 'model.json': transformer.steps[2].fitted.columns[1].scale must
/// be ..."), so a file can hold nothing a script could not have asked for.
public struct JSONNode {
    public enum Origin { case options, file }

    public let value: JSONValue
    /// Who is reading: "data.OneHotEncoder" or "data.load_pipeline: 'model.json'".
    public let context: String
    /// Where in the value: "drop", "transformer.steps[2].options.drop".
    public let path: String
    public let origin: Origin

    public init(_ value: JSONValue, context: String, path: String = "", origin: Origin) {
        self.value = value
        self.context = context
        self.path = path
        self.origin = origin
    }

    /// The place as a message shows it.
    var place: String {
        switch origin {
        case .options: return path.isEmpty ? "options" : "option '\(path)'"
        case .file: return path.isEmpty ? "the document" : path
        }
    }

    public func failure(_ message: String) -> TensorError { TensorError("\(context): \(place) \(message)") }
    public func expected(_ what: String) -> TensorError { failure("must be \(what), got \(value.describe)") }

    func child(_ value: JSONValue, _ key: String) -> JSONNode {
        JSONNode(value, context: context, path: path.isEmpty ? key : path + "." + key, origin: origin)
    }

    public var isNull: Bool { if case .null = value { return true } else { return false } }

    /// The field `key` of an object; an error when it is absent.
    public func field(_ key: String) throws -> JSONNode {
        guard case .object = value else { throw expected("an object") }
        guard let v = value[key] else { throw failure("has no field '\(key)'") }
        return child(v, key)
    }

    /// The field `key`, or nil when it is absent or null.
    public func optionalField(_ key: String) throws -> JSONNode? {
        let node = try field(key)
        return node.isNull ? nil : node
    }

    /// Errors for keys outside `allowed`, with a did-you-mean hint.
    public func checkKeys(_ allowed: [String]) throws {
        guard case .object(let fields) = value else { throw expected("an object") }
        for (key, _) in fields where !allowed.contains(key) {
            switch origin {
            case .options: throw TensorError("\(context): unknown option '\(key)'\(didYouMean(key, allowed)); valid options: \(allowed.joined(separator: ", "))")
            case .file: throw failure("has an unknown field '\(key)'\(didYouMean(key, allowed))")
            }
        }
    }

    public func string() throws -> String {
        guard case .string(let s) = value else { throw expected("a string") }
        return s
    }

    /// One of `choices`, with a did-you-mean hint otherwise.
    public func choice(_ choices: [String]) throws -> String {
        let listed = choices.map { "\"\($0)\"" }.joined(separator: ", ")
        guard case .string(let s) = value else { throw expected("one of \(listed)") }
        guard choices.contains(s) else { throw failure("must be one of \(listed), got '\(s)'\(didYouMean(s, choices))") }
        return s
    }

    public func bool() throws -> Bool {
        guard case .bool(let b) = value else { throw expected("a boolean") }
        return b
    }

    /// A number; "NaN", "Infinity" and "-Infinity" stand for what JSON cannot write.
    public func double() throws -> Double {
        switch value {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        default: throw expected("a number")
        }
    }

    public func integer() throws -> Int {
        switch value {
        case .integer(let i) where i >= Int64(Int.min) && i <= Int64(Int.max): return Int(i)
        case .number(let d) where d == d.rounded() && Swift.abs(d) < 9.0e15: return Int(d)
        default: throw expected("an integer")
        }
    }

    /// The elements of a list, each named by its 1-based position: "columns[2]".
    public func list() throws -> [JSONNode] {
        guard case .array(let items) = value else { throw expected("a list") }
        let base = path
        return items.enumerated().map { i, v in JSONNode(v, context: context, path: "\(base)[\(i + 1)]", origin: origin) }
    }

    /// A list of exactly `count` elements.
    public func list(count: Int) throws -> [JSONNode] {
        let items = try list()
        guard items.count == count else { throw failure("must have \(count) element\(count == 1 ? "" : "s"), got \(items.count)") }
        return items
    }

    public func strings() throws -> [String] { try list().map { try $0.string() } }
    public func doubles(count: Int? = nil) throws -> [Double] {
        try (count.map { try list(count: $0) } ?? list()).map { try $0.double() }
    }
}

/// A transformer's options: the given ones checked against the names it knows, the others
/// taken from its defaults (written once, at the top of each transformer).
public struct OptionValues {
    let given: JSONNode
    let defaults: [(key: String, value: JSONValue)]

    public init(_ given: JSONNode, defaults: [(key: String, value: JSONValue)]) throws {
        if case .null = given.value {
            self.given = JSONNode(.object([]), context: given.context, path: given.path, origin: given.origin)
        } else {
            try given.checkKeys(defaults.map(\.key))
            self.given = given
        }
        self.defaults = defaults
    }

    /// The option `key` as given, or its default (null when it has none).
    public subscript(key: String) -> JSONNode {
        if let v = given.value[key], v != .null { return given.child(v, key) }
        return given.child(defaults.first { $0.key == key }?.value ?? .null, key)
    }

    /// Every option with its value, in the order of the defaults.
    public var all: [(key: String, value: JSONValue)] { defaults.map { ($0.key, self[$0.key].value) } }
}
