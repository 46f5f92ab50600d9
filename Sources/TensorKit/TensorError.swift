import Foundation

/// A mistake in how a script called an operation: carries a message for people that
/// names the operation, the argument, what was expected and what was given.
public struct TensorError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// Ctrl-C arrived while a kernel was running.
    public static let interrupted = TensorError("interrupted")
}

/// Formats a shape the way every MarketLab message shows one: `[2, 3]`.
public func describeShape(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}

/// The closest candidate to a misspelt name, for "did you mean" hints (edit distance ≤ 2,
/// or a shared prefix).
public func closestName(to name: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1,
                                 previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
    let target = Array(name.lowercased())
    // Rank by edit distance; a name that merely extends the typed prefix ranks just after
    // distance 1. Ties go to the shorter, then alphabetically first, name: deterministic.
    var best: (name: String, score: Double)? = nil
    for candidate in candidates.sorted(by: { ($0.count, $0) < ($1.count, $1) }) {
        let c = Array(candidate.lowercased())
        var score = Double(distance(target, c))
        if target.count >= 3 && c.starts(with: target) { score = min(score, 1.5) }
        let limit = Double(max(1, min(2, target.count / 2)))
        if score <= max(limit, 1.5), best == nil || score < best!.score { best = (candidate, score) }
    }
    return best?.name
}

/// " (did you mean 'x'?)" or "".
public func didYouMean(_ name: String, _ candidates: [String]) -> String {
    closestName(to: name, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
}

/// "1.5 GB" style sizes for messages.
func formatBytes(_ bytes: Double) -> String {
    let units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"]
    var value = bytes, unit = 0
    while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
    if unit == units.count - 1 && value >= 1024 { return "more than 1024 EB" }
    return unit == 0 ? "\(Int(value)) bytes" : String(format: "%.1f %@", value, units[unit])
}
