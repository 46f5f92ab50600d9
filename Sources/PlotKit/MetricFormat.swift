import Foundation
import TensorKit

/// How a report's metric card writes a number: "number" (four significant digits,
/// thousands separated), "integer", "percent" (0.231 → 23.1%), or a printf pattern with
/// one numeric conversion ("%.2f", "€%.0f", "%d customers", "%.1f%%").
public enum MetricFormat {
    case number(digits: Int?)
    case integer
    case percent(digits: Int?)
    case pattern(String, integer: Bool)

    public static let names = ["number", "integer", "percent"]

    /// The format named `name` (or a printf pattern); `digits` sets the decimals of
    /// number and percent.
    public init(_ name: String, digits: Int? = nil) throws {
        if let digits, !(0...10).contains(digits) { throw PlotError(argument: "digits", "expected 0 to 10 decimals, got \(digits)") }
        switch name {
        case "number": self = .number(digits: digits)
        case "integer": self = .integer
        case "percent": self = .percent(digits: digits)
        default:
            guard name.contains("%") else {
                throw PlotError(argument: "format", "expected \"number\", \"integer\", \"percent\" or a printf pattern such as \"%.2f\", got '\(name)'\(didYouMean(name, MetricFormat.names))")
            }
            self = try MetricFormat.pattern(name)
        }
    }

    /// Checks a printf pattern: exactly one conversion of d, i, f, e or g with optional
    /// flags, width and precision; "%%" is a literal percent sign.
    static func pattern(_ text: String) throws -> MetricFormat {
        var conversions = 0, integer = false
        var rewritten = ""
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { rewritten.append(c); continue }
            if chars.first == "%" { chars.removeFirst(); rewritten += "%%"; continue }
            var spec = "%"
            while let f = chars.first, "-+ 0#".contains(f) { spec.append(f); chars.removeFirst() }
            while let d = chars.first, d.isASCII && d.isNumber { spec.append(d); chars.removeFirst() }
            if chars.first == "." {
                spec.append(chars.removeFirst())
                while let d = chars.first, d.isASCII && d.isNumber { spec.append(d); chars.removeFirst() }
            }
            guard let conversion = chars.popFirst(), "difeEgG".contains(conversion), spec.count <= 8 else {
                throw PlotError(argument: "format", "'\(text)' is not a pattern for one number; use %d, %.2f, %e or %g (and %% for a percent sign)")
            }
            if conversion == "d" || conversion == "i" {
                integer = true
                guard !spec.contains(".") else { throw PlotError(argument: "format", "'\(text)': %d takes no precision; use %.0f or %d") }
                rewritten += spec + "lld"
            } else {
                rewritten += spec + String(conversion)
            }
            conversions += 1
        }
        guard conversions == 1 else {
            throw PlotError(argument: "format", "'\(text)' must hold exactly one number conversion such as %.2f, found \(conversions)")
        }
        return .pattern(rewritten, integer: integer)
    }

    public func format(_ value: Double) -> String {
        switch self {
        case .number(let digits):
            guard let digits, value.isFinite else { return formatReadable(value) }
            return Report.groupThousands(String(format: "%.\(digits)f", value))
        case .integer:
            return value.isFinite ? formatReadable(value.rounded()) : formatReadable(value)
        case .percent(let digits):
            guard value.isFinite else { return formatReadable(value) }
            let percent = value * 100
            let decimals = digits ?? (Swift.abs(percent) >= 10 || percent == percent.rounded() ? 1 : 2)
            return String(format: "%.\(decimals)f%%", percent)
        case .pattern(let pattern, let integer):
            if integer {
                guard value.isFinite, Swift.abs(value) < 9e18 else { return formatReadable(value) }
                return String(format: pattern, Int64(value.rounded()))
            }
            return String(format: pattern, value)
        }
    }
}
