import TensorKit

/// A JSON document held in memory: what a saved pipeline is written as and read back
/// from. Objects keep their keys in order, so a file is written the same way each time;
/// integers stay integers (category values of integer columns round-trip exactly).
public indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
    public static func numbers(_ values: [Double]) -> JSONValue { .array(values.map { .number($0) }) }

    /// The value as JSON text, two-space indented; lists of scalars stay on one line.
    /// JSON has no NaN or infinities: those numbers are written as the strings "NaN",
    /// "Infinity" and "-Infinity" (which Python's json module also reads back).
    public func text(indent: String = "") -> String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d):
            if d.isNaN { return "\"NaN\"" }
            return d.isInfinite ? (d > 0 ? "\"Infinity\"" : "\"-Infinity\"") : "\(d)"
        case .string(let s): return jsonQuoted(s)
        case .array(let items):
            if items.isEmpty { return "[]" }
            let scalars = items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            if scalars { return "[" + items.map { $0.text() }.joined(separator: ", ") + "]" }
            let inner = indent + "  "
            return "[\n" + items.map { inner + $0.text(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            let inner = indent + "  "
            return "{\n" + fields.map { inner + jsonQuoted($0.key) + ": " + $0.value.text(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
        }
    }

    /// The value of `key` in an object (nil when absent or not an object).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.key == key }?.value
    }

    /// A short description for messages: "string 'abc'", "a list", "null".
    public var describe: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "boolean \(b)"
        case .integer(let i): return "integer \(i)"
        case .number(let d): return "number \(d)"
        case .string(let s): return "string '\(s.prefix(40))'"
        case .array(let a): return "a list of \(a.count)"
        case .object: return "an object"
        }
    }
}

/// Reads JSON text (RFC 8259) into a JSONValue; a mistake is an error giving its line
/// and column. Nesting is limited so a hostile file cannot exhaust the stack.
public struct JSONParser {
    private let bytes: [UInt8]
    private var position = 0
    private static let maximumDepth = 200

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.failure("unexpected text after the end of the document") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func failure(_ what: String) -> TensorError {
        var line = 1, column = 1
        for byte in bytes[..<min(position, bytes.count)] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return TensorError("line \(line), column \(column): \(what)")
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
        while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
    }

    private mutating func expect(_ literal: String, _ value: JSONValue) throws -> JSONValue {
        let text = Array(literal.utf8)
        guard position + text.count <= bytes.count, Array(bytes[position..<(position + text.count)]) == text else {
            throw failure("unexpected character (expected a value)")
        }
        position += text.count
        return value
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth < JSONParser.maximumDepth else { throw failure("nested more than \(JSONParser.maximumDepth) levels deep") }
        guard let c = current else { throw failure("unexpected end of the document (expected a value)") }
        switch c {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character '\(String(UnicodeScalar(c)))' (expected a value)")
        }
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        position += 1
        var fields: [(key: String, value: JSONValue)] = []
        skipSpace()
        if current == UInt8(ascii: "}") { position += 1; return .object(fields) }
        while true {
            skipSpace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a quoted key") }
            let key = try string()
            skipSpace()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':' after key \"\(key)\"") }
            position += 1
            skipSpace()
            guard !fields.contains(where: { $0.key == key }) else { throw failure("duplicate key \"\(key)\"") }
            fields.append((key, try value(depth: depth + 1)))
            skipSpace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "}") { position += 1; return .object(fields) }
            throw failure("expected ',' or '}' in an object")
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        position += 1
        var items: [JSONValue] = []
        skipSpace()
        if current == UInt8(ascii: "]") { position += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "]") { position += 1; return .array(items) }
            throw failure("expected ',' or ']' in a list")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("unfinished \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw failure("bad hex digit in a \\u escape")
            }
            v = v * 16 + digit
            position += 1
        }
        return v
    }

    private mutating func string() throws -> String {
        position += 1
        var out: [UInt8] = []
        while true {
            guard let c = current else { throw failure("unterminated string") }
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let s = String(validating: out, as: UTF8.self) else { throw failure("string is not valid UTF-8") }
                return s
            case UInt8(ascii: "\\"):
                guard let e = current else { throw failure("unterminated escape") }
                position += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                            throw failure("unpaired surrogate in a \\u escape")
                        }
                        position += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in a \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
                    out += Array(String(Character(u)).utf8)
                default: throw failure("unknown escape '\\\(String(UnicodeScalar(e)))'")
                }
            default:
                guard c >= 0x20 else { throw failure("control character in a string (escape it)") }
                out.append(c)
            }
        }
    }

    private mutating func number() throws -> JSONValue {
        let start = position
        var integral = true
        if current == UInt8(ascii: "-") { position += 1 }
        func digits() -> Int {
            var n = 0
            while let c = current, c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { position += 1; n += 1 }
            return n
        }
        guard digits() > 0 else { throw failure("a number needs digits") }
        if current == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard digits() > 0 else { throw failure("a number needs digits after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            integral = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw failure("a number needs digits in its exponent") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if integral, let i = Int64(text) { return .integer(i) }
        guard let d = Double(text), d.isFinite else { throw failure("number \(text) is out of range") }
        return .number(d)
    }
}
