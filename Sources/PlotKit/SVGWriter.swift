import Foundation

/// Builds SVG text: elements with escaped attribute values and text, coordinates
/// written with one decimal.
struct SVGWriter {
    private(set) var text = ""

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)\(SVGWriter.attributes(attributes))>"
    }

    mutating func close(_ name: String) { text += "</\(name)>\n" }

    /// An element without children, or with `content` as its (escaped) text.
    mutating func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
        if let content {
            text += "<\(name)\(SVGWriter.attributes(attributes))>\(escapeXML(content))</\(name)>\n"
        } else {
            text += "<\(name)\(SVGWriter.attributes(attributes))/>\n"
        }
    }

    mutating func raw(_ fragment: String) { text += fragment }

    static func attributes(_ list: [(String, String)]) -> String {
        list.map { " \($0.0)=\"\(escapeXML($0.1))\"" }.joined()
    }

    /// A coordinate with one decimal ("12.5", "-3", never "-0").
    static func number(_ v: Double) -> String {
        // Coordinates stay on a canvas of at most 4000 pixels; anything else is clamped.
        let rounded = v.isFinite ? (Swift.max(-1e6, Swift.min(1e6, v)) * 10).rounded() / 10 : 0
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.1f", rounded)
    }

    /// "x1,y1 x2,y2 ..." for a polyline.
    static func points(_ list: [(Double, Double)]) -> String {
        list.map { number($0.0) + "," + number($0.1) }.joined(separator: " ")
    }
}

/// Text made safe for XML and HTML, in content and in quoted attribute values.
public func escapeXML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            // Control characters other than tab and newline are not allowed in XML 1.0.
            if c.value < 0x20 && c != "\t" && c != "\n" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
        }
    }
    return out
}
