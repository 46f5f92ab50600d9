import TensorKit

/// What `fillna` puts in a column's gaps: a value, or a statistic of the column.
public enum FillValue {
    case value(ColumnOperand)
    case mean, median, mode
}

extension Frame {
    /// The named columns, in the order given.
    public func select(_ names: [String]) throws -> Frame {
        try Frame(columns: names.map { try requireColumn($0, "Frame:select") })
    }

    /// Every column except the named ones.
    public func drop(_ names: [String]) throws -> Frame {
        for n in names { _ = try requireColumn(n, "Frame:drop") }
        let dropped = Set(names)
        return try Frame(columns: columns.filter { !dropped.contains($0.name) })
    }

    /// Columns renamed by `mapping` (old → new), in their original order.
    public func rename(_ mapping: [String: String]) throws -> Frame {
        for old in mapping.keys.sorted() { _ = try requireColumn(old, "Frame:rename") }
        return try Frame(columns: columns.map { c in mapping[c.name].map { c.renamed($0) } ?? c })
    }

    /// Rows `indices` (0-based) in that order.
    public func take(_ indices: [Int]) throws -> Frame {
        try Frame(columns: columns.map { $0.take(indices) })
    }

    /// The rows where `mask` (a bool column of the frame's length) is true.
    public func filter(_ mask: Column) throws -> Frame {
        guard case .bool(let flags) = mask.values else {
            throw TensorError("Frame:filter: the mask must be a bool column (e.g. df.tenure:gt(12)), got \(mask.kind.rawValue) column '\(mask.name)'")
        }
        guard flags.count == rowCount else {
            throw TensorError("Frame:filter: the mask has \(flags.count) rows, the frame has \(rowCount)")
        }
        var indices: [Int] = []
        for (i, f) in flags.enumerated() {
            guard let f else { throw TensorError("Frame:filter: the mask '\(mask.name)' is missing at row \(i + 1); fill it first (fillna)") }
            if f { indices.append(i) }
        }
        return try take(indices)
    }

    /// Rows ordered by the column `name`; stable (equal values keep their order), missing
    /// values last in both directions.
    public func sort(by name: String, descending: Bool = false) throws -> Frame {
        let c = try requireColumn(name, "Frame:sort")
        func order<T: Comparable>(_ v: [T?]) -> [Int] {
            let present = v.indices.filter { v[$0] != nil }
            let missing = v.indices.filter { v[$0] == nil }
            let sorted = present.sorted { i, j in
                let a = v[i]!, b = v[j]!
                if a == b { return i < j }
                return descending ? a > b : a < b
            }
            return sorted + missing
        }
        let indices: [Int]
        switch c.values {
        case .integer(let v): indices = order(v)
        case .number(let v): indices = order(v)
        case .bool(let v): indices = order(v.map { $0.map { $0 ? 1 : 0 } })
        case .string(let v): indices = order(v)
        case .date(let v): indices = order(v)
        }
        return try take(indices)
    }

    /// The rows with no missing value in the named columns (every column when nil).
    public func dropna(_ names: [String]? = nil) throws -> Frame {
        let checked = try names.map { try $0.map { try requireColumn($0, "Frame:dropna") } } ?? columns
        var keep = [Bool](repeating: true, count: rowCount)
        for c in checked { for (i, m) in c.missingMask.enumerated() where m { keep[i] = false } }
        return try take(keep.indices.filter { keep[$0] })
    }

    /// A copy with the gaps of the named columns filled; the other columns are unchanged.
    public func fillna(_ fills: [(String, FillValue)]) throws -> Frame {
        let out = try Frame(columns: columns)
        for (name, fill) in fills {
            let c = try requireColumn(name, "Frame:fillna")
            let value: ColumnOperand
            switch fill {
            case .value(let v): value = v
            case .mean: value = .number(try c.mean())
            case .median: value = .number(try c.median())
            case .mode:
                guard let m = c.mode() else { continue }
                value = m
            }
            if case .number(let v) = value, v.isNaN { continue }   // every value missing: nothing to fill with
            try out.setColumn(try c.filled(with: value, "Frame:fillna"))
        }
        return out
    }
}
