import TensorKit

/// A table of named columns of equal length (`data.read_csv` returns one).
public final class Frame {
    public private(set) var columns: [Column]
    private var positions: [String: Int]

    public init(columns: [Column]) throws {
        self.columns = columns
        var positions: [String: Int] = [:]
        for (i, c) in columns.enumerated() {
            guard positions[c.name] == nil else { throw TensorError("Frame: duplicate column name '\(c.name)'") }
            positions[c.name] = i
        }
        if let first = columns.first, let bad = columns.first(where: { $0.count != first.count }) {
            throw TensorError("Frame: column '\(bad.name)' has \(bad.count) rows, column '\(first.name)' has \(first.count)")
        }
        self.positions = positions
    }

    /// Adds `column`, or replaces the column of the same name in place; its length must
    /// match the frame's (any length when the frame has no columns).
    public func setColumn(_ column: Column) throws {
        if let first = columns.first, first.count != column.count {
            throw TensorError("Frame: column '\(column.name)' has \(column.count) rows, the frame has \(first.count)")
        }
        if let i = positions[column.name] {
            columns[i] = column
        } else {
            positions[column.name] = columns.count
            columns.append(column)
        }
    }

    /// Removes the column `name` (an error naming the columns when there is none).
    public func removeColumn(_ name: String, _ op: String) throws {
        _ = try requireColumn(name, op)
        columns.removeAll { $0.name == name }
        positions = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.name, $0) })
    }

    public var rowCount: Int { columns.first?.count ?? 0 }
    public var names: [String] { columns.map(\.name) }

    public func column(_ name: String) -> Column? { positions[name].map { columns[$0] } }

    /// The column named `name`, or an error that lists the columns and suggests one.
    public func requireColumn(_ name: String, _ op: String) throws -> Column {
        guard let c = column(name) else {
            throw TensorError("\(op): no column '\(name)'\(didYouMean(name, names)); columns: \(names.joined(separator: ", "))")
        }
        return c
    }

    /// Rows `range` of every column.
    public func rows(_ range: Range<Int>) throws -> Frame {
        try Frame(columns: columns.map { $0.slice(range) })
    }

    /// Columns as a float tensor [rows, columns] (all numeric columns when none are named).
    public func tensor(_ names: [String]?, dtype: DType = .float32) throws -> Tensor {
        let chosen = try names.map { try $0.map { try requireColumn($0, "to_tensor") } } ?? columns.filter { $0.numbers != nil }
        guard !chosen.isEmpty else { throw TensorError("to_tensor: no numeric columns to convert") }
        let parts = try chosen.map { try $0.tensor(dtype: dtype).unsqueeze(1) }
        return try Tensor.cat(parts, dim: 1)
    }

    /// An aligned text table of the first and last rows (at most `maxRows`).
    public func render(maxRows: Int = 10, maxWidth: Int = 120) -> String {
        let n = rowCount
        let shown: [Int] = n <= maxRows ? Array(0..<n) : Array(0..<(maxRows / 2)) + Array((n - maxRows / 2)..<n)
        func clip(_ cell: String) -> String { cell.count > 24 ? String(cell.prefix(23)) + "…" : cell }
        // Each column as its header then its shown cells, clipped to 24 characters.
        let cells = columns.map { c in [clip(c.name)] + shown.map { clip(c.text($0)) } }
        let widths = cells.map { $0.map(\.count).max() ?? 0 }
        // Keep columns from both ends while they fit the width, with "..." between.
        var left: [Int] = [], right: [Int] = []
        var used = String(n).count + 2
        var lo = 0, hi = columns.count - 1
        while lo <= hi {
            let next = left.count <= right.count ? lo : hi
            guard used + widths[next] + 2 <= maxWidth || (left.isEmpty && right.isEmpty) else { break }
            used += widths[next] + 2
            if next == lo { left.append(lo); lo += 1 } else { right.insert(hi, at: 0); hi -= 1 }
        }
        let skipped = lo <= hi
        let order: [Int?] = left.map { Optional($0) } + (skipped ? [nil] : []) + right.map { Optional($0) }
        var table: [[String]] = [[""] + order.map { $0.map { cells[$0][0] } ?? "..." }]
        for (k, r) in shown.enumerated() {
            table.append([String(r + 1)] + order.map { $0.map { cells[$0][k + 1] } ?? "..." })
        }
        if shown.count < n { table.insert(["..."] + order.map { _ in "..." }, at: maxRows / 2 + 1) }
        let columnWidths = (0..<table[0].count).map { c in table.map { $0[c].count }.max() ?? 0 }
        let lines = table.map { row in
            zip(row, columnWidths).map { cell, w in String(repeating: " ", count: Swift.max(0, w - cell.count)) + cell }
                .joined(separator: "  ")
        }
        return lines.joined(separator: "\n") + "\n[\(n) rows x \(columns.count) columns]"
    }

}
