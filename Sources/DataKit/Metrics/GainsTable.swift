import TensorKit

/// The decile (or n-tile) table of response modelling: rows ranked by score, highest
/// first, cut into bins of equal size, with each bin's responders, response rate and lift,
/// and the cumulative share of all responders captured down to it.
///
/// Ties: rows are ranked by score and, among equal scores, in row order (a stable sort);
/// then cut by position as numpy's `array_split` cuts: the first n % bins bins hold one
/// row more than the others. Equal scores can therefore straddle two bins; the table then
/// depends on row order, never on chance.
extension Metrics {
    public static let defaultGainsBins = 10

    public static func gainsTable(_ input: BinaryScores, bins: Int) throws -> Frame {
        let function = input.function, labels = input.labels
        let n = labels.count
        guard bins >= 1 else { throw TensorError("\(function): bins must be at least 1, got \(bins)") }
        guard bins <= n else { throw TensorError("\(function): bins (\(bins)) is larger than the number of rows (\(n))") }
        let ranking = try ScoreRanking(input.scores, tags: labels)
        var sizes = [Int](repeating: n / bins, count: bins)
        for b in 0..<(n % bins) { sizes[b] += 1 }
        var responders = [Int](repeating: 0, count: bins)
        var maxScores = [Double](repeating: 0, count: bins), minScores = maxScores
        ranking.entries.withUnsafeBufferPointer { entries in
            var start = 0
            for b in 0..<bins {
                let end = start + sizes[b]
                var count = 0
                for position in start..<end { count &+= Int(entries[position] >> ScoreRanking.rowBits) }
                responders[b] = count
                maxScores[b] = ranking.score(at: start)
                minScores[b] = ranking.score(at: end - 1)
                start = end
            }
        }
        let totalResponders = responders.reduce(0, +)
        guard totalResponders > 0 else { throw TensorError("\(function): y has no responders (every label is 0); a gains table needs some") }
        let overallRate = Double(totalResponders) / Double(n)
        var cumulativeN = [Int](), cumulativeResponders = [Int]()
        var rowsSoFar = 0, respondersSoFar = 0
        for b in 0..<bins {
            rowsSoFar += sizes[b]; respondersSoFar += responders[b]
            cumulativeN.append(rowsSoFar); cumulativeResponders.append(respondersSoFar)
        }
        let rate = (0..<bins).map { Double(responders[$0]) / Double(sizes[$0]) }
        let cumulativeRate = (0..<bins).map { Double(cumulativeResponders[$0]) / Double(cumulativeN[$0]) }
        func integers(_ name: String, _ values: [Int]) -> Column { Column(name: name, values: .integer(values.map { Int64($0) })) }
        func numbers(_ name: String, _ values: [Double]) -> Column { Column(name: name, values: .number(values)) }
        return try Frame(columns: [
            integers("bin", Array(1...bins)),
            integers("n", sizes),
            numbers("min_score", minScores),
            numbers("max_score", maxScores),
            integers("responders", responders),
            numbers("rate", rate),
            numbers("lift", rate.map { $0 / overallRate }),
            integers("cum_n", cumulativeN),
            integers("cum_responders", cumulativeResponders),
            numbers("cum_rate", cumulativeRate),
            numbers("cum_lift", cumulativeRate.map { $0 / overallRate }),
            numbers("captured_pct", responders.map { 100 * Double($0) / Double(totalResponders) }),
            numbers("cum_captured_pct", cumulativeResponders.map { 100 * Double($0) / Double(totalResponders) }),
        ])
    }
}
