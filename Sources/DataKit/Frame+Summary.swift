import TensorKit

/// Summaries a person reads first: describe (statistics per numeric column) and info
/// (type, missing values and cardinality per column), both as Frames.
extension Frame {
    /// count, mean, std, min, 25%, 50%, 75%, max of each numeric column (rows named in
    /// the `statistic` column), as pandas' describe.
    public func describe() throws -> Frame {
        let numeric = columns.filter { $0.numbers != nil }
        guard !numeric.isEmpty else { throw TensorError("describe: the frame has no numeric columns") }
        let labels = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
        var out = [Column(name: "statistic", values: .string(labels))]
        for c in numeric {
            let values = try c.present("describe").sorted()
            func quantile(_ q: Double) -> Double? {
                guard !values.isEmpty else { return nil }
                let position = q * Double(values.count - 1)
                let low = Int(position.rounded(.down)), high = Swift.min(low + 1, values.count - 1)
                return values[low] + (values[high] - values[low]) * (position - Double(low))   // linear, as pandas
            }
            let std = try c.std()
            out.append(Column(name: c.name, values: .number([
                Double(values.count), values.isEmpty ? nil : try c.mean(), std.isNaN ? nil : std,
                values.first, quantile(0.25), quantile(0.5), quantile(0.75), values.last,
            ])))
        }
        return try Frame(columns: out)
    }

    /// One row per column: its type, missing count and number of distinct values.
    public func info() throws -> Frame {
        try Frame(columns: [
            Column(name: "column", values: .string(names)),
            Column(name: "dtype", values: .string(columns.map { $0.kind.rawValue })),
            Column(name: "missing", values: .integer(columns.map { Int64($0.missingCount) })),
            Column(name: "distinct", values: .integer(columns.map { Int64(Set($0.labels.compactMap { $0 }).count) })),
        ])
    }

    /// A frame from the columns of a 2-D tensor (float columns become numbers, int64
    /// columns integers, bool columns bools).
    public static func from(tensor t: Tensor, names: [String]) throws -> Frame {
        guard t.rank == 2 else { throw TensorError("data.from_tensor: expected a 2-D tensor [rows, columns], got shape \(describeShape(t.shape))") }
        guard names.count == t.shape[1] else {
            throw TensorError("data.from_tensor: \(names.count) names for \(t.shape[1]) columns (tensor shape \(describeShape(t.shape)))")
        }
        var out: [Column] = []
        for (k, name) in names.enumerated() {
            let column = try t.select(1, k)
            switch t.dtype {
            case .int64: out.append(Column(name: name, values: .integer(column.toInts().map { Optional($0) })))
            case .bool: out.append(Column(name: name, values: .bool(column.toDoubles().map { Optional($0 != 0) })))
            default: out.append(Column(name: name, values: .number(column.toDoubles().map { Optional($0) })))
            }
        }
        return try Frame(columns: out)
    }
}
