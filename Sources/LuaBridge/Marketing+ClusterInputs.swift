import CLua
import DataKit
import TensorKit

/// Reading the arguments of marketing.kmeans, marketing.silhouette and KMeans:predict:
/// the points X (a tensor [n, d] or a Frame's numeric columns) and cluster labels.
extension MarketingBindings {
    /// Points read from argument `i`, with the Frame columns they came from (nil for a tensor).
    struct ClusterPoints {
        var matrix: PointMatrix
        var columns: [String]?
    }

    /// X at argument `i`: a 2-D tensor of numbers, or a Frame whose numeric columns (or the
    /// ones named in `columns`) become the features. Empty X, missing values, NaN and
    /// infinities are errors naming the row (and column).
    static func clusterPoints(_ a: Arguments, _ i: Int32, columns requested: [String]?) throws -> ClusterPoints {
        if let frame = DataFrames.frameType.get(a.L, i) {
            return try framePoints(a, i, frame, requested)
        }
        guard let t = Tensors.type.get(a.L, i) else {
            throw a.error(i, "X", expected: "a 2-D tensor [rows, features] or a Frame")
        }
        if requested != nil {
            throw LuaScriptError("\(a.function): option 'columns' picks columns of a Frame, but X is \(a.describe(i))")
        }
        guard t.rank == 2 else {
            let hint = t.rank == 1 ? " (one feature per row: x:view(-1, 1))" : ""
            throw a.error(i, "X", expected: "a 2-D tensor [rows, features]\(hint)")
        }
        guard t.shape[0] > 0 && t.shape[1] > 0 else { throw a.error(i, "X", expected: "a non-empty tensor") }
        let matrix = try PointMatrix(values: doubles(t), rows: t.shape[0], columns: t.shape[1])
        if let bad = matrix.firstNonFinite() {
            throw LuaScriptError("\(a.function): bad argument #\(i) (X): expected finite numbers, got \(describeNumber(bad.value)) at row \(bad.row + 1), column \(bad.column + 1)")
        }
        return ClusterPoints(matrix: matrix, columns: nil)
    }

    private static func framePoints(_ a: Arguments, _ i: Int32, _ frame: Frame, _ requested: [String]?) throws -> ClusterPoints {
        let chosen: [Column]
        if let names = requested {
            guard !names.isEmpty else { throw LuaScriptError("\(a.function): option 'columns' is empty; name at least one numeric column") }
            chosen = try names.map { name in
                guard let c = frame.column(name) else {
                    throw LuaScriptError("\(a.function): option 'columns' names '\(name)', which the frame lacks\(didYouMean(name, frame.names)); columns: \(frame.names.joined(separator: ", "))")
                }
                guard c.numbers != nil else {
                    throw LuaScriptError("\(a.function): column '\(name)' holds \(c.contentNoun); k-means needs numbers (encode it first, e.g. data.OneHotEncoder)")
                }
                return c
            }
        } else {
            chosen = frame.columns.filter { $0.numbers != nil }
            guard !chosen.isEmpty else {
                throw LuaScriptError("\(a.function): bad argument #\(i) (X): the frame has no numeric columns (columns: \(frame.names.joined(separator: ", ")))")
            }
        }
        let n = frame.rowCount, d = chosen.count
        guard n > 0 else { throw a.error(i, "X", expected: "a frame with rows") }
        var values = [Double](repeating: 0, count: n * d)
        for (t, column) in chosen.enumerated() {
            let numbers = column.numbers ?? []
            for (r, value) in numbers.enumerated() {
                guard let v = value else {
                    throw LuaScriptError("\(a.function): column '\(column.name)' has a missing value at row \(r + 1); fill or drop it first (df:dropna() or data.SimpleImputer)")
                }
                guard v.isFinite else {
                    throw LuaScriptError("\(a.function): column '\(column.name)' holds \(describeNumber(v)) at row \(r + 1); X must be finite")
                }
                values[r * d + t] = v
            }
        }
        return ClusterPoints(matrix: try PointMatrix(values: values, rows: n, columns: d), columns: chosen.map(\.name))
    }

    /// A tensor's elements in row-major order as Doubles (contiguous tensors in one pass).
    static func doubles(_ t: Tensor) -> [Double] {
        guard t.isContiguous else { return t.toDoubles() }
        let n = t.count
        return [Double](unsafeUninitializedCapacity: n) { out, initialized in
            switch t.dtype {
            case .float32: let p = t.pointer(Float.self); for k in 0..<n { out[k] = Double(p[k]) }
            case .float64: let p = t.pointer(Double.self); for k in 0..<n { out[k] = p[k] }
            case .int64: let p = t.pointer(Int64.self); for k in 0..<n { out[k] = Double(p[k]) }
            case .bool: let p = t.pointer(Bool.self); for k in 0..<n { out[k] = p[k] ? 1 : 0 }
            }
            initialized = n
        }
    }

    static func describeNumber(_ v: Double) -> String {
        v.isNaN ? "NaN" : v.isInfinite ? (v > 0 ? "inf" : "-inf") : "\(v)"
    }

    /// Cluster labels at argument `i`, one per row: a tensor, Column or list of integers, or
    /// a text column (each distinct text a cluster). Returned as integers that keep the
    /// labels' sorted order.
    static func clusterLabels(_ a: Arguments, _ i: Int32, rows: Int) throws -> [Int] {
        let input = try MetricsBindings.input(a, i, "labels")
        let count = try input.length()
        guard count == rows else {
            throw LuaScriptError("\(a.function): labels has \(count) values but X has \(rows) rows; give one label per row")
        }
        if case .column(let c) = input.source, case .string(let texts) = c.values {
            if let row = texts.firstIndex(where: { $0 == nil }) {
                throw LuaScriptError("\(a.function): labels (column '\(c.name)') has a missing value at row \(row + 1)")
            }
            let distinct = Array(Set(texts.compactMap { $0 })).sorted()
            var index: [String: Int] = [:]
            for (k, text) in distinct.enumerated() { index[text] = k }
            return texts.map { $0.flatMap { index[$0] } ?? 0 }
        }
        return try input.classLabels()
    }
}
