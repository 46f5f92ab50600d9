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
                guard let v = Int64(cell) ?? Int64(cell.trimmingCharacters(in: .whitespaces)) else {
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
                guard let v = boolValue(cell) else {
                    throw TensorError("\(locate(row)): '\(cell.prefix(40))' in column '\(name)' is not true or false")
                }
                out.append(v)
            }
            return Column(name: name, values: .bool(out))
        case .string, .category:
            return Column(name: name, values: .string(cells), category: kind == .category)
        case .date:
            var out: [Int32?] = []
            out.reserveCapacity(cells.count)
            for (row, cell) in cells.enumerated() {
                guard let cell else { out.append(nil); continue }
                guard let v = Dates.parseISO(cell) else {
                    throw TensorError("\(locate(row)): '\(cell.prefix(40))' in column '\(name)' is not a date (YYYY-MM-DD)")
                }
                out.append(v)
            }
            return Column(name: name, values: .date(out))
        }
    }

    static func infer(_ cells: [String?]) -> Column.Kind {
        var allIntegers = true, allNumbers = true, allBools = true, any = false
        for case let cell? in cells {
            any = true
            if allIntegers && !isInteger(cell) { allIntegers = false }
            if allNumbers && !allIntegers && number(cell) == nil { allNumbers = false }
            if allBools && boolValue(cell) == nil { allBools = false }
            if !allIntegers && !allNumbers && !allBools { return .string }
        }
        if !any { return .number }
        if allIntegers { return .integer }
        if allNumbers { return .number }
        return allBools ? .bool : .string
    }

    /// true/false in any letter case, without allocating.
    static func boolValue(_ s: String) -> Bool? {
        let utf8 = s.utf8
        guard utf8.count == 4 || utf8.count == 5 else { return nil }
        var lowered: [UInt8] = []
        lowered.reserveCapacity(5)
        for b in utf8 { lowered.append(b | 0x20) }
        if lowered == Array("true".utf8) { return true }
        if lowered == Array("false".utf8) { return false }
        return nil
    }

    /// Digits with an optional sign, no leading zero (so "00123" stays an id), fitting Int64.
    static func isInteger(_ s: String) -> Bool {
        var bytes = s.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        if bytes.count > 1 && bytes.first == UInt8(ascii: "0") { return false }
        return bytes.count < 19 || Int64(s) != nil
    }

    /// A decimal number ("1.5", "-2e3", ".5"); leading-zero integers such as "007" are not.
    static func number(_ s: String) -> Double? {
        var bytes = s.utf8[...]
        guard !bytes.isEmpty else { return nil }
        for b in bytes where !((b >= 48 && b <= 57) || b == 43 || b == 45 || b == 46 || b == 69 || b == 101) { return nil }
        if let sign = bytes.first, sign == 43 || sign == 45 { bytes = bytes.dropFirst() }
        let digits = Array(bytes.prefix(2))
        if digits.count == 2 && digits[0] == 48 && digits[1] >= 48 && digits[1] <= 57 { return nil }
        return Double(s)
    }
}
