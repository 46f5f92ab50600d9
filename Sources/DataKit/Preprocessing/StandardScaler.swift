import Foundation
import TensorKit

/// Centres and scales numeric columns to (x - mean) / std, as scikit-learn's
/// StandardScaler: the population standard deviation (ddof = 0), a constant column gets
/// scale 1, missing values are left out of the fit and stay missing in the output.
public final class StandardScaler: ColumnTransformer {
    public static let defaults: [(key: String, value: JSONValue)] = [
        ("with_mean", .bool(true)),   // subtract the mean
        ("with_std", .bool(true)),    // divide by the standard deviation
    ]

    public let columns: [String]
    public let options: [(key: String, value: JSONValue)]
    public var inputColumns: [String]?
    let withMean: Bool
    let withStd: Bool

    /// What fit learns per column (scikit-learn's mean_, var_, scale_, n_samples_seen_).
    struct Statistics {
        var mean: Double, variance: Double, scale: Double, count: Int
    }
    var statistics: [Statistics] = []

    public init(columns: [String], options: JSONNode) throws {
        let o = try Self.readOptions(columns: columns, options)
        withMean = try o["with_mean"].bool()
        withStd = try o["with_std"].bool()
        self.columns = columns
        self.options = o.all
    }

    public func learn(_ inputs: [Column], frame: Frame, op: String) throws {
        statistics = try inputs.map { column in
            let present = try Preprocessing.numbers(column, op: op, needs: typeName).compactMap { $0 }.filter { !$0.isNaN }
            let n = Double(present.count)
            let mean = present.reduce(0, +) / n
            // Two passes with scikit-learn's correction term (Chan, Golub and LeVeque).
            var correction = 0.0, squares = 0.0
            for x in present {
                correction += x - mean
                squares += (x - mean) * (x - mean)
            }
            let variance = (squares - correction * correction / n) / n
            // A variance within rounding error of zero is a constant column: scale 1.
            let eps = Double.ulpOfOne
            let constant = variance <= n * eps * variance + (n * mean * eps) * (n * mean * eps)
            return Statistics(mean: mean, variance: variance, scale: constant ? 1 : variance.squareRoot(), count: present.count)
        }
    }

    public func apply(_ index: Int, _ column: Column, op: String) throws -> [Column] {
        let s = statistics[index]
        let values = try Preprocessing.numbers(column, op: op, needs: typeName).map { value in
            value.map { x in
                var y = x
                if withMean { y -= s.mean }
                if withStd { y /= s.scale }
                return y
            }
        }
        return [Column(name: column.name, values: .number(values))]
    }

    public func outputNames(_ index: Int) -> [String] { [columns[index]] }

    public var attributeNames: [String] {
        ["n_samples_seen_"] + (withMean || withStd ? ["mean_"] : []) + (withStd ? ["var_", "scale_"] : [])
    }

    public var attributes: [(name: String, value: JSONValue)] {
        guard isFitted else { return [] }
        var out: [(name: String, value: JSONValue)] = [("n_samples_seen_", .array(statistics.map { .integer(Int64($0.count)) }))]
        if withMean || withStd { out.append(("mean_", .numbers(statistics.map(\.mean)))) }
        if withStd {
            out.append(("var_", .numbers(statistics.map(\.variance))))
            out.append(("scale_", .numbers(statistics.map(\.scale))))
        }
        return out
    }

    public var fitted: JSONValue {
        .object([("columns", .array(statistics.map { s in
            .object([("mean", .number(s.mean)), ("var", .number(s.variance)), ("scale", .number(s.scale)),
                     ("n_samples_seen", .integer(Int64(s.count)))])
        }))])
    }

    public func restore(_ fitted: JSONNode) throws {
        statistics = try perColumn(fitted).map { node in
            try node.checkKeys(["mean", "var", "scale", "n_samples_seen"])
            let count = try node.field("n_samples_seen").integer()
            guard count >= 0 else { throw try node.field("n_samples_seen").expected("a count (0 or more)") }
            return Statistics(mean: try node.field("mean").double(), variance: try node.field("var").double(),
                              scale: try node.field("scale").double(), count: count)
        }
    }
}
