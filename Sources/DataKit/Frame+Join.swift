import TensorKit

/// `df:join(other, {on, how})`: rows matched on key columns, as pandas' merge.
extension Frame {
    public enum JoinKind: String, CaseIterable { case inner, left }

    /// Every pairing of rows with equal keys (all of the left's rows for a left join, with
    /// missing values where nothing matched), in left row order. Other columns that share
    /// a name get suffixes _x and _y; rows with a missing key never match.
    public func join(_ other: Frame, on keys: [String], how: JoinKind) throws -> Frame {
        guard !keys.isEmpty else { throw TensorError("join: option 'on' needs at least one key column") }
        let leftKeys = try keys.map { try requireColumn($0, "join (left frame)").labels }
        let rightKeys = try keys.map { try other.requireColumn($0, "join (right frame)").labels }
        func key(_ labels: [[String?]], _ row: Int) -> [String]? {
            var out: [String] = []
            for column in labels { guard let v = column[row] else { return nil }; out.append(v) }
            return out
        }
        var index: [[String]: [Int]] = [:]
        for row in 0..<other.rowCount { if let k = key(rightKeys, row) { index[k, default: []].append(row) } }
        var leftRows: [Int] = [], rightRows: [Int?] = []
        for row in 0..<rowCount {
            let matches = key(leftKeys, row).flatMap { index[$0] } ?? []
            if matches.isEmpty {
                if how == .left { leftRows.append(row); rightRows.append(nil) }
            } else {
                for match in matches { leftRows.append(row); rightRows.append(match) }
            }
        }
        let shared = Set(names).intersection(other.names).subtracting(keys)
        var out = columns.map { c in c.take(leftRows).renamed(shared.contains(c.name) ? c.name + "_x" : c.name) }
        for c in other.columns where !keys.contains(c.name) {
            out.append(c.takeOptional(rightRows).renamed(shared.contains(c.name) ? c.name + "_y" : c.name))
        }
        return try Frame(columns: out)
    }
}

extension Column {
    /// Rows by index, nil giving a missing value.
    func takeOptional(_ rows: [Int?]) -> Column {
        switch values {
        case .integer(let v): return Column(name: name, values: .integer(rows.map { $0.flatMap { v[$0] } }))
        case .number(let v): return Column(name: name, values: .number(rows.map { $0.flatMap { v[$0] } }))
        case .bool(let v): return Column(name: name, values: .bool(rows.map { $0.flatMap { v[$0] } }))
        case .string(let v): return with(.string(rows.map { $0.flatMap { v[$0] } }))
        case .date(let v): return Column(name: name, values: .date(rows.map { $0.flatMap { v[$0] } }))
        }
    }
}
