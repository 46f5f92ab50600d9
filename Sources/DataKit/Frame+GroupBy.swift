import TensorKit

/// `df:groupby(keys):agg{col = {"sum", "mean", ...}}`: one row per distinct key tuple,
/// keys sorted as pandas sorts them, one column per (column, statistic) named
/// `column_statistic`.
extension Frame {
    public static let aggregations = ["sum", "mean", "count", "nunique", "min", "max", "median", "std", "first", "last"]

    public func aggregate(by keys: [String], _ requests: [(column: String, statistics: [String])]) throws -> Frame {
        guard !keys.isEmpty else { throw TensorError("groupby: give at least one key column") }
        let keyColumns = try keys.map { try requireColumn($0, "groupby") }
        // Group rows by their key tuple (rows with a missing key are left out, as pandas).
        var groups: [[String?]: [Int]] = [:]
        var firstRow: [[String?]: Int] = [:]
        let keyLabels = keyColumns.map(\.labels)
        rows: for row in 0..<rowCount {
            var key: [String?] = []
            for labels in keyLabels {
                guard let label = labels[row] else { continue rows }
                key.append(label)
            }
            if groups[key] == nil { firstRow[key] = row }
            groups[key, default: []].append(row)
        }
        // Order groups by the key columns' typed values (numbers numerically, text lexically).
        let ordered = groups.keys.sorted { a, b in
            let ra = firstRow[a]!, rb = firstRow[b]!
            for column in keyColumns {
                switch column.values {
                case .integer(let v): if v[ra]! != v[rb]! { return v[ra]! < v[rb]! }
                case .number(let v): if v[ra]! != v[rb]! { return v[ra]! < v[rb]! }
                case .bool(let v): if v[ra]! != v[rb]! { return !v[ra]! }
                case .string(let v): if v[ra]! != v[rb]! { return v[ra]! < v[rb]! }
                case .date(let v): if v[ra]! != v[rb]! { return v[ra]! < v[rb]! }
                }
            }
            return false
        }
        let representatives = ordered.map { firstRow[$0]! }
        var out = keyColumns.map { $0.take(representatives) }
        for (name, statistics) in requests {
            let column = try requireColumn(name, "agg")
            for statistic in statistics {
                guard Frame.aggregations.contains(statistic) else {
                    throw TensorError("agg: unknown statistic '\(statistic)' for column '\(name)'\(didYouMean(statistic, Frame.aggregations)); valid: \(Frame.aggregations.joined(separator: ", "))")
                }
                out.append(try aggregateColumn(column, statistic, ordered.map { groups[$0]! }))
            }
        }
        return try Frame(columns: out)
    }

    private func aggregateColumn(_ column: Column, _ statistic: String, _ groups: [[Int]]) throws -> Column {
        let name = "\(column.name)_\(statistic)"
        switch statistic {
        case "count":
            let missing = column.missingMask
            return Column(name: name, values: .integer(groups.map { rows in Int64(rows.filter { !missing[$0] }.count) }))
        case "nunique":
            let labels = column.labels
            return Column(name: name, values: .integer(groups.map { rows in Int64(Set(rows.compactMap { labels[$0] }).count) }))
        case "first", "last":
            let picks = groups.map { rows in (statistic == "first" ? rows.first : rows.last)! }
            return column.take(picks).renamed(name)
        default:
            guard column.numbers != nil else {
                throw TensorError("agg: '\(statistic)' of column '\(column.name)' needs numbers, the column holds \(column.contentNoun) (count, nunique, first and last work on any column)")
            }
            let values = try groups.map { rows -> Double? in
                let part = column.take(rows)
                let present = try part.present(statistic)
                guard !present.isEmpty else { return statistic == "sum" ? 0 : nil }
                switch statistic {
                case "sum": return try part.sum()
                case "mean": return try part.mean()
                case "min": return try part.min()
                case "max": return try part.max()
                case "median": return try part.median()
                default: let s = try part.std(); return s.isNaN ? nil : s
                }
            }
            let keepsIntegers = (column.kind == .integer || column.kind == .bool) && ["sum", "min", "max"].contains(statistic)
            if keepsIntegers { return Column(name: name, values: .integer(values.map { $0.map { Int64($0) } })) }
            return Column(name: name, values: .number(values))
        }
    }
}
