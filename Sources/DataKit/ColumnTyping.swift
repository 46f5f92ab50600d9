import TensorKit

/// Chooses a column's type from all of its values: integer (no leading zeros: those are
/// ids and stay text), then number, then bool (true/false in any case), else string.
/// A column with no values at all is a number column of missing values, as in pandas.
enum ColumnTyping {
    static func column(named name: String, _ cells: [String?], forced: Column.Kind?,
                       locate: (Int) -> String) throws -> Column {
        let kind = forced ?? infer(cells)
        switch kind {
        case .integer:
            var out: [Int64?] = []
            out.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                guard let cell else { out.append(nil); continue }
                guard let v = Int64(cell.trimmingCharacters(in: .whitespaces)) else {
                    throw TensorError("\(locate(row)): '\(cell.prefix(40))' in column '\(name)' is not an integer")
                }
                out.append(v)
            }
            return Column(name: name, values: .integer(out))
        case .number:
            var out: [Double?] = []
            out.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                guard let cell else { out.append(nil); continue }
                guard let v = number(cell) else {
                    throw TensorError("\(locate(row)): '\(cell.prefix(40))' in column '\(name)' is not a number")
                }
                out.append(v)
            }
            return Column(name: name, values: .number(out))
        case .bool:
            var out: [Bool?] = []
            out.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                guard let cell else { out.append(nil); continue }
                switch cell.lowercased() {
                case "true": out.append(true)
                case "false": out.append(false)
                default: throw TensorError("\(locate(row)): '\(cell.prefix(40))' in column '\(name)' is not true or false")
                }
            }
            return Column(name: name, values: .bool(out))
        case .string:
            return Column(name: name, values: .string(cells))
        }
    }

    static func infer(_ cells: [String?]) -> Column.Kind {
        var allIntegers = true, allNumbers = true, allBools = true, any = false
        for case let cell? in cells {
            any = true
            if allIntegers && !isInteger(cell) { allIntegers = false }
            if allNumbers && !allIntegers && number(cell) == nil { allNumbers = false }
            if allBools && !["true", "false"].contains(cell.lowercased()) { allBools = false }
            if !allIntegers && !allNumbers && !allBools { return .string }
        }
        if !any { return .number }
        if allIntegers { return .integer }
        if allNumbers { return .number }
        return allBools ? .bool : .string
    }

    /// Digits with an optional sign, no leading zero (so "00123" stays an id), fitting Int64.
    static func isInteger(_ s: String) -> Bool {
        var digits = Substring(s)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        if digits.count > 1 && digits.first == "0" { return false }
        return Int64(s) != nil
    }

    /// A decimal number ("1.5", "-2e3", ".5"); leading-zero integers such as "007" are not.
    static func number(_ s: String) -> Double? {
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
        var body = Substring(s)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        if body.count > 1 && body.first == "0" && body.dropFirst().first?.isNumber == true { return nil }
        return Double(s)
    }
}
