import TensorKit

/// Cuts numeric columns into bins, as scikit-learn's KBinsDiscretizer: edges at
/// quantiles (numpy's "averaged_inverted_cdf", scikit-learn's default; bins narrower than
/// 1e-8 are merged away) or evenly spaced between the minimum and maximum ("uniform").
/// "ordinal" gives the 0-based bin number (a number column, as scikit-learn's values);
/// "onehot" gives one 0/1 column per bin, `<col>_0.0`, `<col>_1.0`, ... as scikit-learn
/// names them. A constant column is one bin. Missing values are an error, as in
/// scikit-learn: impute them first.
public final class KBinsDiscretizer: ColumnTransformer {
    public static let defaults: [(key: String, value: JSONValue)] = [
        ("n_bins", .integer(5)),            // bins per column: one count, or a list per column
        ("strategy", .string("quantile")),  // "quantile" or "uniform"
        ("encode", .string("onehot")),      // "onehot" or "ordinal"
    ]

    /// More bins than this is almost surely a mistake (and one column each with "onehot").
    static let maximumBins = 1000

    public let columns: [String]
    public let options: [(key: String, value: JSONValue)]
    public var inputColumns: [String]?
    let binCounts: [Int]
    let strategy: String
    let oneHot: Bool

    /// The bin edges of each column (scikit-learn's bin_edges_), increasing.
    var edges: [[Double]] = []

    public init(columns: [String], options: JSONNode) throws {
        let o = try Self.readOptions(columns: columns, options)
        let bins = o["n_bins"]
        if case .array = bins.value {
            binCounts = try bins.list(count: columns.count).map { try $0.integer() }
        } else {
            binCounts = Array(repeating: try bins.integer(), count: columns.count)
        }
        if let bad = binCounts.first(where: { $0 < 2 || $0 > Self.maximumBins }) {
            throw bins.failure("must be between 2 and \(Self.maximumBins) bins, got \(bad)")
        }
        strategy = try o["strategy"].choice(["quantile", "uniform"])
        oneHot = try o["encode"].choice(["onehot", "ordinal"]) == "onehot"
        self.columns = columns
        self.options = o.all
    }

    /// The values of `column`; missing values are an error naming the fix.
    func values(_ column: Column, op: String) throws -> [Double] {
        let numbers = try Preprocessing.numbers(column, op: op, needs: typeName)
        let missing = numbers.filter { ($0 ?? .nan).isNaN }.count
        guard missing == 0 else {
            throw TensorError("\(op): column '\(column.name)' has \(missing) missing value\(missing == 1 ? "" : "s"); fill them first (data.SimpleImputer or df:fillna)")
        }
        return numbers.map { $0 ?? .nan }
    }

    public func learn(_ inputs: [Column], frame: Frame, op: String) throws {
        edges = try zip(inputs, binCounts).map { column, bins in
            let sorted = try values(column, op: op).sorted()
            guard let lowest = sorted.first, let highest = sorted.last else {
                throw TensorError("\(op): column '\(column.name)' has no rows to find bins in")
            }
            if lowest == highest { return [-.infinity, .infinity] }
            // numpy's linspace: i * step + start, the last edge exactly the stop.
            func spaced(_ start: Double, _ stop: Double) -> [Double] {
                let step = (stop - start) / Double(bins)
                return (0...bins).map { $0 == bins ? stop : Double($0) * step + start }
            }
            if strategy == "uniform" { return spaced(lowest, highest) }
            let cuts = spaced(0, 100).map { quantile(sorted, $0 / 100) }
            // Keep an edge only when it is more than 1e-8 above the edge before it.
            return [cuts[0]] + zip(cuts.dropFirst(), cuts).filter { $0 - $1 > 1e-8 }.map(\.0)
        }
    }

    /// numpy's percentile with method "averaged_inverted_cdf" on sorted values: the
    /// value at virtual index n * q - 1, averaging two neighbours when it is whole.
    func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let n = sorted.count
        let virtual = Double(n) * q - 1
        if virtual >= Double(n - 1) { return sorted[n - 1] }
        if virtual < 0 { return sorted[0] }
        let below = virtual.rounded(.down)
        let gamma = virtual - below == 0 ? 0.5 : 1.0
        let a = sorted[Int(below)], b = sorted[Int(below) + 1]
        // numpy's _lerp, which computes from the nearer end.
        return gamma >= 0.5 ? b - (b - a) * (1 - gamma) : a + (b - a) * gamma
    }

    public func apply(_ index: Int, _ column: Column, op: String) throws -> [Column] {
        let inner = edges[index].dropFirst().dropLast()
        // The bin is the number of inner edges at or below the value (searchsorted right).
        let bins = try values(column, op: op).map { x in inner.filter { $0 <= x }.count }
        guard oneHot else { return [Column(name: column.name, values: .number(bins.map { Double($0) }))] }
        return outputNames(index).enumerated().map { b, name in
            Column(name: name, values: .number(bins.map { $0 == b ? 1 : 0 }))
        }
    }

    public func outputNames(_ index: Int) -> [String] {
        guard oneHot else { return [columns[index]] }
        return (0..<(edges[index].count - 1)).map { "\(columns[index])_\(Double($0))" }
    }

    public var attributeNames: [String] { ["bin_edges_", "n_bins_"] }

    public var attributes: [(name: String, value: JSONValue)] {
        guard isFitted else { return [] }
        return [("bin_edges_", .array(edges.map { .numbers($0) })), ("n_bins_", .array(edges.map { .integer(Int64($0.count - 1)) }))]
    }

    public var fitted: JSONValue { .object([("columns", .array(edges.map { .object([("bin_edges", .numbers($0))]) }))]) }

    public func restore(_ fitted: JSONNode) throws {
        edges = try perColumn(fitted).map { node in
            try node.checkKeys(["bin_edges"])
            let edgesNode = try node.field("bin_edges")
            let e = try edgesNode.doubles()
            guard e.count >= 2, zip(e, e.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw edgesNode.failure("must be at least two increasing numbers")
            }
            return e
        }
    }
}
