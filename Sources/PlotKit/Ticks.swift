import Foundation

/// How an axis writes its numbers: plain (`0.3`, `20k`) or as percentages of 1 (`30%`).
public enum NumberStyle: Equatable {
    case plain
    case percent
}

/// Tick marks for one axis at a "nice" step (1, 2 or 5 × 10^k), with labels that all
/// use the same number of decimals, so 0.1 + 0.2 reads "0.3" and a column of labels
/// lines up. Large values get a k/M/B suffix ("20k", "1.5M").
public struct Ticks: Equatable {
    public let values: [Double]
    public let labels: [String]
    public let step: Double
    /// The axis range: the data range widened to whole steps (or the fixed range).
    public let lower: Double
    public let upper: Double

    /// Ticks for data spanning `low...high`, about `count` of them. With `widen` the range
    /// grows to the nearest ticks outside the data; otherwise it stays `low...high`.
    /// With `integers` the step is at least 1 (epochs, counts).
    public init(low: Double, high: Double, count: Int, style: NumberStyle = .plain, widen: Bool = true, integers: Bool = false) {
        var (low, high) = (Swift.min(low, high), Swift.max(low, high))
        // A range too narrow to divide (equal values, or differences lost to rounding)
        // becomes ±10% around its centre (±1 around zero).
        if !(high - low > Swift.max(Swift.abs(low), Swift.abs(high)) * 1e-12) || high - low < 1e-290 {
            let center = low / 2 + high / 2
            let pad = Swift.abs(center) > 1e-290 ? Swift.abs(center) * 0.1 : 1
            (low, high) = (center - pad, center + pad)
        }
        var (mantissa, exponent) = Ticks.niceStep(span: high - low, count: Swift.max(count, 1))
        if integers && exponent < 0 { (mantissa, exponent) = (1, 0) }
        let step = Ticks.value(1, mantissa: mantissa, exponent: exponent)
        let slack = 1e-9
        let first = widen ? Int((low / step + slack).rounded(.down)) : Int((low / step - slack).rounded(.up))
        let last = widen ? Int((high / step - slack).rounded(.up)) : Int((high / step + slack).rounded(.down))
        let values = first <= last ? (first...last).map { Ticks.value($0, mantissa: mantissa, exponent: exponent) } : []
        self.values = values
        self.step = step
        self.lower = widen ? (values.first ?? low) : low
        self.upper = widen ? (values.last ?? high) : high
        self.labels = Ticks.labels(values, exponent: exponent, style: style)
    }

    /// The 1, 2 or 5 × 10^k step closest above span / count.
    static func niceStep(span: Double, count: Int) -> (mantissa: Int, exponent: Int) {
        let raw = span / Double(count)
        var exponent = Int(log10(raw).rounded(.down))
        let fraction = raw / pow(10, Double(exponent))
        let mantissa: Int
        if fraction <= 1.000001 { mantissa = 1 } else if fraction <= 2.000001 { mantissa = 2 } else if fraction <= 5.000001 { mantissa = 5 } else {
            mantissa = 1
            exponent += 1
        }
        return (mantissa, exponent)
    }

    /// k × mantissa × 10^exponent, divided rather than multiplied by a negative power of
    /// ten so that 3 × 0.1 is the double nearest 0.3.
    static func value(_ k: Int, mantissa: Int, exponent: Int) -> Double {
        let units = Double(k * mantissa)
        return exponent >= 0 ? units * pow(10, Double(exponent)) : units / pow(10, Double(-exponent))
    }

    /// Labels with the decimals the step needs (none for 10, one for 0.5, two for 0.05).
    static func labels(_ values: [Double], exponent: Int, style: NumberStyle) -> [String] {
        let largest = values.map { Swift.abs($0) }.max() ?? 0
        switch style {
        case .percent:
            return values.map { fixed($0 * 100, decimals: Swift.max(0, -exponent - 2)) + "%" }
        case .plain:
            if largest >= 1e15 || (largest > 0 && exponent < -6) {
                return values.map { $0 == 0 ? "0" : String(format: "%.3g", $0) }
            }
            // Thousands only from 10k: "2500" reads better than "2.5k".
            let scales: [(Double, Int, String)] = [(1e9, 9, "B"), (1e6, 6, "M"), (1e4, 3, "k")]
            for (threshold, power, suffix) in scales where largest >= threshold {
                let scale = pow(10, Double(power))
                let decimals = Swift.max(0, power - exponent)
                return values.map { $0 == 0 ? "0" : fixed($0 / scale, decimals: decimals) + suffix }
            }
            return values.map { fixed($0, decimals: Swift.max(0, -exponent)) }
        }
    }

    /// `value` with exactly `decimals` decimals, never "-0".
    static func fixed(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(text.dropFirst()) }
        return text
    }
}
