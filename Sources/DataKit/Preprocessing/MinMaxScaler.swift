import TensorKit

/// Scales numeric columns linearly onto `feature_range` (default 0 to 1), as
/// scikit-learn's MinMaxScaler: x * scale + min with scale = (high - low) / (max - min).
/// A constant column gets range 1; missing values are left out of the fit and stay
/// missing; with `clip` new values outside the fitted range are held at its ends.
public final class MinMaxScaler: ColumnTransformer {
    public static let defaults: [(key: String, value: JSONValue)] = [
        ("feature_range", .array([.integer(0), .integer(1)])),   // {low, high} of the output
        ("clip", .bool(false)),                                    // clamp new values to the range
    ]

    public let columns: [String]
    public let options: [(key: String, value: JSONValue)]
    public var inputColumns: [String]?
    let low: Double
    let high: Double
    let clip: Bool

    /// The fitted minimum and maximum of each column (scikit-learn's data_min_, data_max_).
    var minima: [Double] = []
    var maxima: [Double] = []

    public init(columns: [String], options: JSONNode) throws {
        let o = try Self.readOptions(columns: columns, options)
        let range = try o["feature_range"].doubles(count: 2)
        guard range[0] < range[1] else {
            throw o["feature_range"].failure("must have its low end below its high end, got {\(range[0]), \(range[1])}")
        }
        (low, high) = (range[0], range[1])
        clip = try o["clip"].bool()
        self.columns = columns
        self.options = o.all
    }

    public func learn(_ inputs: [Column], frame: Frame, op: String) throws {
        let present = try inputs.map { try Preprocessing.numbers($0, op: op, needs: typeName).compactMap { $0 }.filter { !$0.isNaN } }
        minima = present.map { $0.min() ?? .nan }
        maxima = present.map { $0.max() ?? .nan }
    }

    var ranges: [Double] { zip(maxima, minima).map { $0 - $1 } }
    /// Ranges within rounding error of zero count as 1, as scikit-learn does.
    var scales: [Double] { ranges.map { (high - low) / ($0 < 10 * Double.ulpOfOne ? 1 : $0) } }
    var offsets: [Double] { zip(minima, scales).map { low - $0 * $1 } }

    public func apply(_ index: Int, _ column: Column, op: String) throws -> [Column] {
        let scale = scales[index], offset = offsets[index]
        let values = try Preprocessing.numbers(column, op: op, needs: typeName).map { value in
            value.map { x in
                let y = x * scale + offset
                return clip ? Swift.min(Swift.max(y, low), high) : y
            }
        }
        return [Column(name: column.name, values: .number(values))]
    }

    public func outputNames(_ index: Int) -> [String] { [columns[index]] }

    public var attributeNames: [String] { ["data_min_", "data_max_", "data_range_", "scale_", "min_"] }

    public var attributes: [(name: String, value: JSONValue)] {
        guard isFitted else { return [] }
        return [("data_min_", .numbers(minima)), ("data_max_", .numbers(maxima)), ("data_range_", .numbers(ranges)),
                ("scale_", .numbers(scales)), ("min_", .numbers(offsets))]
    }

    public var fitted: JSONValue {
        .object([("columns", .array(zip(minima, maxima).map { .object([("data_min", .number($0)), ("data_max", .number($1))]) }))])
    }

    public func restore(_ fitted: JSONNode) throws {
        let entries = try perColumn(fitted)
        for node in entries { try node.checkKeys(["data_min", "data_max"]) }
        minima = try entries.map { try $0.field("data_min").double() }
        maxima = try entries.map { try $0.field("data_max").double() }
    }
}
