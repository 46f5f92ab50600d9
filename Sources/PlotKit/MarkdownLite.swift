/// The little Markdown that report text understands: paragraphs separated by blank
/// lines, lists ("- ", "* " or "1. " at the start of a line), **bold**, *italic* and
/// `code`. Everything else is text: it is HTML-escaped first, so no markup a script
/// writes can reach the page.
enum MarkdownLite {
    static func html(_ source: String) -> String {
        var out = ""
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?

        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            out += "<p>" + inline(paragraph.joined(separator: "\n")) + "</p>\n"
            paragraph = []
        }
        func flushList() {
            guard let current = list else { return }
            let tag = current.ordered ? "ol" : "ul"
            out += "<\(tag)>\n" + current.items.map { "<li>" + inline($0) + "</li>\n" }.joined() + "</\(tag)>\n"
            list = nil
        }

        for raw in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty {
                flushParagraph()
                flushList()
                continue
            }
            if let item = listItem(String(trimmed)) {
                flushParagraph()
                if list == nil || list?.ordered != item.ordered { flushList(); list = (item.ordered, []) }
                list?.items.append(item.text)
            } else if var current = list, line.first == " ", !current.items.isEmpty {
                // An indented line continues the last item.
                current.items[current.items.count - 1] += " " + trimmed
                list = current
            } else {
                flushList()
                paragraph.append(String(trimmed))
            }
        }
        flushParagraph()
        flushList()
        return out
    }

    /// "- text" / "* text" / "+ text" or "12. text" / "12) text".
    static func listItem(_ line: String) -> (ordered: Bool, text: String)? {
        if let first = line.first, "-*+".contains(first), line.dropFirst().first == " " {
            // "**bold** at the start" is not a list.
            return (false, String(line.dropFirst(2)))
        }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard let mark = rest.first, mark == "." || mark == ")", rest.dropFirst().first == " " else { return nil }
        return (true, String(rest.dropFirst(2)))
    }

    /// Escapes the text, then turns **x**, *x* and `x` into <strong>, <em> and <code>.
    static func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let c = rest.first {
            if c == "`", let end = rest.dropFirst().firstIndex(of: "`") {
                out += "<code>" + escapeXML(String(rest[rest.index(after: rest.startIndex)..<end])) + "</code>"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**"), end.lowerBound > rest.index(rest.startIndex, offsetBy: 2) {
                out += "<strong>" + inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])) + "</strong>"
                rest = rest[end.upperBound...]
            } else if c == "*", let next = rest.dropFirst().first, next != " ", next != "*", let end = rest.dropFirst().firstIndex(of: "*") {
                out += "<em>" + inline(String(rest[rest.index(after: rest.startIndex)..<end])) + "</em>"
                rest = rest[rest.index(after: end)...]
            } else {
                out += escapeXML(String(c))
                rest = rest.dropFirst()
            }
        }
        return out
    }
}
