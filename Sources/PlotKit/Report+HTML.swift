import DataKit
import Foundation

/// The report as one HTML page: inline CSS and inline SVG, no scripts, no links out,
/// every piece of text escaped; readable on screen and printable (tables and charts are
/// not split across pages).
extension Report {
    static let css = """
    * { box-sizing: border-box; }
    body { margin: 0; background: #eef0f3; color: #1f2937; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif; }
    main { max-width: 1000px; margin: 0 auto; padding: 36px 40px 48px; background: #ffffff; min-height: 100vh; }
    header { border-bottom: 3px solid #4e79a7; padding-bottom: 14px; margin-bottom: 20px; }
    h1 { font-size: 28px; line-height: 1.25; margin: 0 0 4px; color: #111827; }
    .subtitle { color: #6b7280; margin: 0; }
    h2 { font-size: 21px; margin: 34px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #e5e7eb; color: #111827; }
    h3 { font-size: 17px; margin: 26px 0 8px; color: #111827; }
    h4 { font-size: 15px; margin: 20px 0 6px; color: #374151; }
    p, ul, ol { margin: 0 0 12px; }
    code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 90%; background: #f3f4f6; padding: 1px 4px; border-radius: 3px; }
    .metrics { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 20px; }
    .metric { flex: 1 1 170px; max-width: 320px; border: 1px solid #e5e7eb; border-left: 4px solid #4e79a7; border-radius: 6px; padding: 10px 14px; background: #f9fafb; }
    .metric .name { font-size: 12px; letter-spacing: .03em; text-transform: uppercase; color: #6b7280; }
    .metric .value { font-size: 26px; font-weight: 600; line-height: 1.3; color: #111827; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .metric .note { font-size: 12px; color: #6b7280; }
    figure { margin: 16px 0 26px; }
    figure.chart svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; font-size: 13px; min-width: 50%; }
    caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 6px; color: #374151; }
    th, td { padding: 5px 12px; border-bottom: 1px solid #e5e7eb; text-align: left; white-space: nowrap; }
    thead th { background: #f3f4f6; border-bottom: 2px solid #d1d5db; font-weight: 600; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    tbody tr:nth-child(even) { background: #f9fafb; }
    td.na { color: #9ca3af; }
    figcaption { font-size: 12px; color: #6b7280; margin-top: 6px; }
    figcaption a { color: #4e79a7; }
    footer { margin-top: 40px; padding-top: 8px; border-top: 1px solid #e5e7eb; font-size: 12px; color: #9ca3af; }
    @media print {
      body { background: #ffffff; font-size: 11pt; }
      main { max-width: none; padding: 0; min-height: 0; }
      figure, .metrics, tr { break-inside: avoid; }
      h2, h3, h4 { break-after: avoid; }
      .table-wrap { overflow: visible; }
      a { color: inherit; text-decoration: none; }
      @page { margin: 16mm; }
    }
    """

    /// The page; `tableFiles` names each table's CSV (relative to the page).
    public func html(tableFiles: [String], generated: Date) -> String {
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<meta name=\"generator\" content=\"MarketLab\">\n"
        page += "<title>\(escapeXML(title))</title>\n<style>\n\(Report.css)\n</style>\n</head>\n<body>\n<main>\n"
        page += "<header>\n<h1>\(escapeXML(title))</h1>\n"
        if let subtitle, !subtitle.isEmpty { page += "<p class=\"subtitle\">\(escapeXML(subtitle))</p>\n" }
        page += "</header>\n"
        var tableNumber = 0
        for block in blocks {
            switch block {
            case .heading(let text, let level):
                page += "<h\(level + 1)>\(escapeXML(text))</h\(level + 1)>\n"
            case .text(let markdown):
                page += MarkdownLite.html(markdown)
            case .metrics(let row):
                page += "<div class=\"metrics\">\n"
                for m in row {
                    page += "<div class=\"metric\"><div class=\"name\">\(escapeXML(m.name))</div><div class=\"value\">\(escapeXML(m.value))</div>"
                    if let note = m.note, !note.isEmpty { page += "<div class=\"note\">\(escapeXML(note))</div>" }
                    page += "</div>\n"
                }
                page += "</div>\n"
            case .table(let frame, let maxRows, let caption):
                let file = tableNumber < tableFiles.count ? tableFiles[tableNumber] : nil
                tableNumber += 1
                page += Report.tableHTML(frame, maxRows: maxRows, caption: caption, file: file)
            case .chart(let chart):
                page += "<figure class=\"chart\">\n\(chart.svg())</figure>\n"
            }
        }
        page += "<footer>Made with MarketLab · \(Report.timestamp(generated))</footer>\n</main>\n</body>\n</html>\n"
        return page
    }

    /// "2025-03-01 14:05" in local time.
    static func timestamp(_ date: Date) -> String {
        let c = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    static func tableHTML(_ frame: Frame, maxRows: Int, caption: String?, file: String?) -> String {
        let shown = Swift.min(frame.rowCount, maxRows)
        var html = "<figure class=\"table\">\n<div class=\"table-wrap\">\n<table>\n"
        if let caption, !caption.isEmpty { html += "<caption>\(escapeXML(caption))</caption>\n" }
        let numeric = frame.columns.map { $0.kind == .integer || $0.kind == .number }
        html += "<thead><tr>"
        for (c, column) in frame.columns.enumerated() { html += "<th\(numeric[c] ? " class=\"num\"" : "")>\(escapeXML(column.name))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        let cells = frame.columns.map { cellTexts($0, rows: shown) }
        for row in 0..<shown {
            html += "<tr>"
            for c in frame.columns.indices {
                if let text = cells[c][row] {
                    html += "<td\(numeric[c] ? " class=\"num\"" : "")>\(escapeXML(text))</td>"
                } else {
                    html += "<td class=\"na\(numeric[c] ? " num" : "")\">–</td>"
                }
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n</div>\n"
        let count = frame.rowCount == shown ? "\(formatReadable(Double(shown))) row\(shown == 1 ? "" : "s")" : "Showing \(formatReadable(Double(shown))) of \(formatReadable(Double(frame.rowCount))) rows"
        let link = file.map { " · all rows in <a href=\"\(escapeXML($0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? $0))\">\(escapeXML($0))</a>" } ?? ""
        html += "<figcaption>\(count)\(link)</figcaption>\n</figure>\n"
        return html
    }

    /// The first `rows` cells as text (nil when missing). Numbers in a column share their
    /// decimals: as many as the shown values need, at most four (29.85 and 1,889.50).
    static func cellTexts(_ column: Column, rows: Int) -> [String?] {
        switch column.values {
        case .number(let values):
            let shown = values.prefix(rows).compactMap { $0 }.filter(\.isFinite)
            let decimals = shown.map(decimalsNeeded).max() ?? 0
            return values.prefix(rows).map { v in
                guard let v else { return nil }
                guard v.isFinite else { return formatReadable(v) }
                return groupThousands(String(format: "%.\(decimals)f", v))
            }
        default:
            let missing = column.missingMask
            return (0..<rows).map { missing[$0] ? nil : column.text($0) }
        }
    }

    /// The decimals (0 to 4) that show `value` as written: 29.85 → 2, 0.333333 → 4.
    static func decimalsNeeded(_ value: Double) -> Int {
        for decimals in 0..<4 where Swift.abs(value - (value * pow(10, Double(decimals))).rounded() / pow(10, Double(decimals))) <= Swift.abs(value) * 1e-12 {
            return decimals
        }
        return 4
    }

    /// "1234567.5" → "1,234,567.5".
    static func groupThousands(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let body = negative ? text.dropFirst() : Substring(text)
        let whole = body.prefix { $0 != "." }
        guard whole.count > 3 else { return text }
        var grouped = ""
        for (i, c) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(c)
        }
        return (negative ? "-" : "") + grouped + body.dropFirst(whole.count)
    }
}
