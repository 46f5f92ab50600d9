import Foundation
import TensorKit

/// Column transformations: log1p, clip, astype; and Frame.sample.
extension Column {
    public func log1p() throws -> Column {
        guard let numbers else { throw TensorError("Column:log1p: column '\(name)' holds \(contentNoun)") }
        return Column(name: name, values: .number(numbers.map { $0.map { Foundation.log1p($0) } }))
    }

    /// Values limited to [low, high] (either may be nil); integer columns stay integer
    /// when the bounds are whole numbers.
    public func clip(low: Double?, high: Double?) throws -> Column {
        guard let numbers else { throw TensorError("Column:clip: column '\(name)' holds \(contentNoun)") }
        let lo = low ?? -.infinity, hi = high ?? .infinity
        guard lo <= hi else { throw TensorError("Column:clip: lower bound \(lo) is above upper bound \(hi)") }
        let wholeBounds = (low.map { $0 == $0.rounded() } ?? true) && (high.map { $0 == $0.rounded() } ?? true)
        if case .integer(let v) = values, wholeBounds {
            return Column(name: name, values: .integer(v.map { $0.map { Int64(Swift.min(Swift.max(Double($0), lo), hi)) } }))
        }
        return Column(name: name, values: .number(numbers.map { $0.map { Swift.min(Swift.max($0, lo), hi) } }))
    }

    /// The column converted to `kind`; a value that does not convert is an error naming
    /// its row.
    public func astype(_ kind: Kind) throws -> Column {
        if kind == self.kind { return self }
        let labels = self.labels
        func fail(_ row: Int) -> TensorError {
            TensorError("Column:astype: row \(row + 1) of column '\(name)' ('\(labels[row] ?? "")') cannot be converted to \(kind.rawValue)")
        }
        switch kind {
        case .string, .category:
            return Column(name: name, values: .string(labels), category: kind == .category)
        case .date:
            return Column(name: name, values: .date(try labels.enumerated().map { row, s in
                guard let s else { return nil }
                guard let d = Dates.parseISO(s) else { throw fail(row) }
                return d
            }))
        case .number:
            if case .date = values { throw fail(0) }
            if let numbers { return Column(name: name, values: .number(numbers)) }
            return Column(name: name, values: .number(try labels.enumerated().map { row, s in
                guard let s else { return nil }
                guard let v = Double(s.trimmingCharacters(in: .whitespaces)) else { throw fail(row) }
                return v
            }))
        case .integer:
            return Column(name: name, values: .integer(try labels.enumerated().map { row, s in
                guard let s else { return nil }
                if let v = Int64(s) { return v }
                if let d = Double(s), d == d.rounded(), Swift.abs(d) < 9.2e18 { return Int64(d) }
                throw fail(row)
            }))
        case .bool:
            return Column(name: name, values: .bool(try labels.enumerated().map { row, s in
                guard let s else { return nil }
                switch s.lowercased() {
                case "true", "1", "1.0", "yes": return true
                case "false", "0", "0.0", "no": return false
                default: throw fail(row)
                }
            }))
        }
    }
}

extension Frame {
    /// n rows drawn without replacement (in random order); a seed repeats the draw.
    public func sample(_ n: Int, seed: UInt64?) throws -> Frame {
        guard n >= 0 && n <= rowCount else {
            throw TensorError("Frame:sample: n must be between 0 and the number of rows (\(rowCount)), got \(n)")
        }
        let order = (seed.map { Generator(seed: $0) } ?? .shared).permutation(rowCount)
        return try take(Array(order.prefix(n)))
    }
}
