import DataKit
import Foundation
import TensorKit

/// A report: a title, then headings, text, rows of metric cards, tables and charts in
/// the order they were added. `save(to:)` writes it as one self-contained HTML page and
/// each table in full as a CSV file beside it.
public final class Report {
    public enum Block {
        case heading(String, level: Int)
        /// Markdown-lite text (see MarkdownLite).
        case text(String)
        /// Consecutive metrics share one row of cards.
        case metrics([Metric])
        case table(Frame, maxRows: Int, caption: String?)
        case chart(Chart)
    }

    /// A named value shown as a card; `value` is already formatted.
    public struct Metric {
        public let name: String
        public let value: String
        public let note: String?
    }

    public let title: String
    public let subtitle: String?
    public private(set) var blocks: [Block] = []

    public init(title: String, subtitle: String? = nil) {
        self.title = title
        self.subtitle = subtitle
    }

    /// A section heading: level 1 (a section) to 3; the report title sits above them.
    public func heading(_ text: String, level: Int = 1) throws {
        guard (1...3).contains(level) else { throw PlotError(argument: "level", "expected 1, 2 or 3, got \(level)") }
        blocks.append(.heading(text, level: level))
    }

    public func text(_ markdown: String) { blocks.append(.text(markdown)) }

    public func metric(_ name: String, _ value: String, note: String? = nil) {
        let metric = Metric(name: name, value: value, note: note)
        if case .metrics(let row)? = blocks.last {
            blocks[blocks.count - 1] = .metrics(row + [metric])
        } else {
            blocks.append(.metrics([metric]))
        }
    }

    /// A table of the frame's first `maxRows` rows; the CSV beside the report holds all.
    /// The frame is taken as it is now: later changes to it do not reach the report.
    public func table(_ frame: Frame, maxRows: Int = 20, caption: String? = nil) throws {
        guard maxRows >= 1 else { throw PlotError(argument: "max_rows", "expected a positive number of rows, got \(maxRows)") }
        guard !frame.columns.isEmpty else { throw PlotError(argument: "frame", "has no columns; there is nothing to show") }
        blocks.append(.table(try Frame(columns: frame.columns), maxRows: maxRows, caption: caption))
    }

    public func chart(_ chart: Chart) { blocks.append(.chart(chart)) }

    public var tableCount: Int { blocks.filter { if case .table = $0 { return true } else { return false } }.count }

    /// "Report('Churn', 2 headings, 1 text, 3 metrics, 1 table, 2 charts)".
    public var summary: String {
        var counts: [(String, Int)] = [("heading", 0), ("text", 0), ("metric", 0), ("table", 0), ("chart", 0)]
        for block in blocks {
            switch block {
            case .heading: counts[0].1 += 1
            case .text: counts[1].1 += 1
            case .metrics(let row): counts[2].1 += row.count
            case .table: counts[3].1 += 1
            case .chart: counts[4].1 += 1
            }
        }
        let parts = counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)\($0.1 == 1 || $0.0 == "text" ? "" : "s")" }
        return "Report('\(title)'\(parts.isEmpty ? ", empty" : ", " + parts.joined(separator: ", ")))"
    }

    /// The CSV paths for the tables of a report saved at `path`: report.html →
    /// report_table1.csv, report_table2.csv, ... in the same folder.
    public func tablePaths(for path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent()
        return (0..<tableCount).map { folder.appendingPathComponent("\(stem)_table\($0 + 1).csv").path }
    }

    /// Writes the HTML page and the tables' CSV files, each atomically (a temporary file
    /// renamed into place), the page last so that it never links to a missing file.
    /// Checks the path before writing anything. Returns the paths written.
    @discardableResult
    public func save(to path: String, generated: Date = Date()) throws -> [String] {
        let lower = path.lowercased()
        guard lower.hasSuffix(".html") || lower.hasSuffix(".htm") else {
            throw PlotError(argument: "path", "expected a path ending in .html, got '\(path)'")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw PlotError(argument: "path", "cannot write '\(path)': folder '\(folder)' does not exist")
        }
        guard access(folder, W_OK) == 0 else {
            throw PlotError(argument: "path", "cannot write '\(path)': no permission to create files in '\(folder)'")
        }
        let csvPaths = tablePaths(for: path)
        let page = html(tableFiles: csvPaths.map { URL(fileURLWithPath: $0).lastPathComponent }, generated: generated)
        var tables: [Frame] = []
        for case .table(let frame, _, _) in blocks { tables.append(frame) }
        do {
            for (frame, csv) in zip(tables, csvPaths) { try frame.writeCSV(to: csv) }
            try AtomicFile.write(Data(page.utf8), to: path)
        } catch let error as TensorError {
            throw PlotError(argument: "path", error.message)
        }
        return csvPaths + [path]
    }
}
