import TensorKit

/// What a scheduled script expects of its input: the columns, their types and the values
/// they may hold. `Frame.problems(_:)` lists every way a new export departs from it, so
/// one run reports all the drift at once instead of failing on the first symptom.
public struct ColumnExpectation {
    /// The types a declared type accepts: "number" takes integer columns too, "string"
    /// takes categories.
    public enum Declared: String, CaseIterable {
        case integer, number, bool, string, category, date

        func accepts(_ kind: Column.Kind) -> Bool {
            switch self {
            case .number: return kind == .number || kind == .integer
            case .string: return kind == .string || kind == .category
            case .category: return kind == .category || kind == .string
            case .integer: return kind == .integer
            case .bool: return kind == .bool
            case .date: return kind == .date
            }
        }
    }

    public var name: String
    public var type: Declared?
    public var min: Double?
    public var max: Double?
    /// The allowed values, as text (numbers compared by their printed form).
    public var values: [String]?
    public var missingAllowed = true
    public var unique = false
    public var required = true

    public init(name: String) { self.name = name }
}

extension Frame {
    /// Every departure of the frame from `expected`, one readable line each; empty when
    /// the frame conforms. Rows are counted from 1, as the frame prints them.
    public func problems(_ expected: [ColumnExpectation], extraAllowed: Bool = true, minRows: Int = 0) -> [String] {
        var out: [String] = []
        let names = columns.map(\.name)
        if rowCount < minRows {
            out.append("\(rowCount) rows, at least \(minRows) expected")
        }
        for e in expected {
            guard let column = columns.first(where: { $0.name == e.name }) else {
                if e.required {
                    let type = e.type.map { " (\($0.rawValue))" } ?? ""
                    out.append("column '\(e.name)'\(type) is missing\(Frame.renamed(e.name, names))")
                }
                continue
            }
            out += Frame.problems(of: column, e)
        }
        if !extraAllowed {
            let known = Set(expected.map(\.name))
            let extra = names.filter { !known.contains($0) }
            if !extra.isEmpty {
                out.append("unexpected column\(extra.count == 1 ? "" : "s") \(extra.map { "'\($0)'" }.joined(separator: ", "))")
            }
        }
        return out
    }

    static func problems(of column: Column, _ e: ColumnExpectation) -> [String] {
        var out: [String] = []
        let label = "column '\(e.name)'"
        if let type = e.type, !type.accepts(column.kind) {
            out.append("\(label): expected \(type.rawValue), found \(column.kind.rawValue)\(Frame.typeHint(column, type))")
            return out   // range and value checks would only repeat the type problem
        }
        let missing = column.missingMask
        let missingRows = missing.indices.filter { missing[$0] }
        if !e.missingAllowed && !missingRows.isEmpty {
            out.append("\(label): \(missingRows.count) missing value\(missingRows.count == 1 ? "" : "s") (\(Frame.rowList(missingRows))), none allowed")
        }
        if e.min != nil || e.max != nil, let numbers = column.numbers {
            var low: [Int] = [], high: [Int] = []
            for (row, value) in numbers.enumerated() {
                guard let v = value else { continue }
                if let m = e.min, v < m { low.append(row) }
                if let m = e.max, v > m { high.append(row) }
            }
            if let m = e.min, !low.isEmpty {
                out.append("\(label): \(low.count) value\(low.count == 1 ? "" : "s") below the minimum \(Frame.plain(m)): \(Frame.examples(column, low))")
            }
            if let m = e.max, !high.isEmpty {
                out.append("\(label): \(high.count) value\(high.count == 1 ? "" : "s") above the maximum \(Frame.plain(m)): \(Frame.examples(column, high))")
            }
        }
        if let allowed = e.values {
            let set = Set(allowed)
            var outside: [Int] = []
            for row in 0..<column.count where !missing[row] && !set.contains(column.text(row)) { outside.append(row) }
            if !outside.isEmpty {
                // Distinct offenders with their counts: a new category reads as one line.
                var counts: [String: (count: Int, first: Int)] = [:]
                var order: [String] = []
                for row in outside {
                    let text = column.text(row)
                    if let seen = counts[text] { counts[text] = (seen.count + 1, seen.first) } else { counts[text] = (1, row); order.append(text) }
                }
                let shown = order.prefix(4).map { text -> String in
                    let c = counts[text] ?? (count: 0, first: 0)
                    let quoted = column.isText ? "\"\(text)\"" : text
                    return c.count == 1 ? "\(quoted) (row \(c.first + 1))" : "\(quoted) (\(c.count) rows, first row \(c.first + 1))"
                }.joined(separator: ", ") + (order.count > 4 ? ", and \(order.count - 4) other values" : "")
                out.append("\(label): \(outside.count) value\(outside.count == 1 ? "" : "s") outside {\(allowed.joined(separator: ", "))}: \(shown)")
            }
        }
        if e.unique {
            var seen: [String: Int] = [:]
            var repeated: [Int] = []
            for row in 0..<column.count where !missing[row] {
                let key = column.text(row)
                if seen[key] != nil { repeated.append(row) } else { seen[key] = row }
            }
            if !repeated.isEmpty {
                out.append("\(label): \(repeated.count) repeated value\(repeated.count == 1 ? "" : "s") where each must be unique: \(Frame.examples(column, repeated))")
            }
        }
        return out
    }

    /// A likely cause when text arrives where numbers were expected.
    static func typeHint(_ column: Column, _ type: ColumnExpectation.Declared) -> String {
        guard column.isText, type == .number || type == .integer || type == .date else { return "" }
        guard case .string(let values) = column.values else { return "" }
        let isNumber: (String) -> Bool = { Double($0) != nil }
        guard let row = values.firstIndex(where: { $0 != nil && !isNumber($0!) }), let value = values[row] else { return "" }
        var hint = " (\"\(value)\" in row \(row + 1)"
        if type != .date, value.contains(","), Double(value.replacingOccurrences(of: ",", with: ".")) != nil {
            hint += ": a decimal comma? read with {decimal = \",\"}"
        } else if type == .date {
            hint += ": read with {date_format = \"...\"}"
        }
        return hint + ")"
    }

    /// "rows 3, 9, 12 and 40 more".
    static func rowList(_ rows: [Int]) -> String {
        let shown = rows.prefix(5).map { String($0 + 1) }.joined(separator: ", ")
        let more = rows.count > 5 ? " and \(rows.count - 5) more" : ""
        return "row\(rows.count == 1 ? "" : "s") \(shown)\(more)"
    }

    /// "\"Monthly\" (row 5), \"?\" (row 9), ..." for the first few offending rows.
    static func examples(_ column: Column, _ rows: [Int]) -> String {
        let shown = rows.prefix(3).map { row -> String in
            let text = column.text(row)
            return (column.isText ? "\"\(text)\"" : text) + " (row \(row + 1))"
        }.joined(separator: ", ")
        return shown + (rows.count > 3 ? ", ..." : "")
    }
}

extension Frame {
    /// A bound as a person writes it: 20, not 20.0.
    static func plain(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}

extension Frame {
    /// A suggestion for a column that seems renamed: a close spelling, or a name that
    /// contains the expected one or is contained in it ("customer" for "customer_id").
    static func renamed(_ name: String, _ names: [String]) -> String {
        let close = didYouMean(name, names)
        if !close.isEmpty { return close }
        let lowered = name.lowercased()
        let related = names.filter { other in
            let o = other.lowercased()
            return o.count >= 3 && lowered.count >= 3 && (o.contains(lowered) || lowered.contains(o))
        }
        guard let first = related.first else { return "" }
        return " (did you mean '\(first)'?)"
    }
}
