import DataKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import PlotKit

/// Charts as SVG: well-formed XML, the expected parts, readable tick labels for known
/// data, legends, and the text drawing.
final class ChartSVGTests: XCTestCase {
    /// Every element of a parsed document, with its attributes and text.
    final class Elements: NSObject, XMLParserDelegate {
        struct Element { let name: String; let attributes: [String: String]; var text = "" }
        var list: [Element] = []
        private var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            list.append(Element(name: name, attributes: attributes))
            open.append(list.count - 1)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let i = open.last { list[i].text += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open.removeLast() }

        func named(_ name: String) -> [Element] { list.filter { $0.name == name } }
        func texts(class name: String) -> [String] { list.filter { $0.attributes["class"] == name }.map(\.text) }
    }

    func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) throws -> Elements {
        let parser = XMLParser(data: Data(svg.utf8))
        let elements = Elements()
        parser.delegate = elements
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")", file: file, line: line)
        XCTAssertEqual(elements.list.first?.name, "svg", file: file, line: line)
        XCTAssertEqual(elements.list.first?.attributes["xmlns"], "http://www.w3.org/2000/svg", file: file, line: line)
        return elements
    }

    func style(_ title: String = "", labels: [String]? = nil) -> Chart.Style {
        var s = Chart.Style()
        s.title = title
        s.labels = labels
        return s
    }

    func testEveryChartKindIsWellFormedXML() throws {
        let y: [Double] = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0]
        let p = [0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.5, 0.9, 0.6, 0.3]
        let nasty = "Q3 <b>\"revenue\" & 'cost'</b> \u{1} ünïcödé"
        let charts: [Chart] = [
            try .line(x: [], y: [p, y], style: style(nasty, labels: ["a & b", "<c>"])),
            try .bar(categories: ["<A>", "B & C"], values: [[1, 2]], style: style(nasty)),
            try .histogram(values: [p], bins: .count(4), style: style(nasty)),
            try .scatter(x: [.numbers(p)], y: [y], style: style(nasty)),
            try .roc(y: y, scores: [p], style: style(nasty)),
            try .precisionRecall(y: y, scores: [p], style: style()),
            try .gains(y: y, scores: [p], style: style()),
            try .lift(y: y, scores: [p], bins: 5, cumulative: true, style: style()),
            try .calibration(y: y, scores: [p], bins: 5, quantile: false, style: style()),
            try .qini(y: y, scores: [p], treatment: [1, 0, 1, 0, 1, 0, 1, 0, 1, 0], style: style()),
            try .lossCurve(histories: [("train", [0.9, 0.5]), ("valid", [1, 0.7])], style: style()),
        ]
        XCTAssertEqual(charts.map(\.kind), Chart.Kind.allCases)
        for chart in charts {
            let elements = try parse(chart.svg())
            XCTAssertFalse(elements.named("title").isEmpty, "\(chart.kind) has no <title>")
            XCTAssertFalse(elements.texts(class: "tick-x").isEmpty, "\(chart.kind) has no x ticks")
            XCTAssertFalse(elements.texts(class: "tick-y").isEmpty, "\(chart.kind) has no y ticks")
        }
        let titled = try parse(charts[0].svg())
        XCTAssertEqual(titled.named("title").first?.text, "Q3 <b>\"revenue\" & 'cost'</b> \u{FFFD} ünïcödé")
        XCTAssertTrue(titled.named("text").contains { $0.text == "a & b" })
    }

    func testTickLabelsForKnownData() throws {
        let line = try parse(Chart.line(x: [], y: [[0.1, 0.2, 0.3, 0.25, 0.05]], style: style()).svg())
        XCTAssertEqual(line.texts(class: "tick-y"), ["0.05", "0.10", "0.15", "0.20", "0.25", "0.30"])
        XCTAssertEqual(line.texts(class: "tick-x"), ["1", "2", "3", "4", "5"])
        let roc = try parse(Chart.roc(y: [0, 1, 0, 1], scores: [[0.1, 0.9, 0.4, 0.3]], style: style()).svg())
        XCTAssertEqual(roc.texts(class: "tick-x"), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(roc.texts(class: "tick-y"), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let gains = try parse(Chart.gains(y: [0, 1, 0, 1], scores: [[0.1, 0.9, 0.4, 0.3]], style: style()).svg())
        XCTAssertEqual(gains.texts(class: "tick-x"), ["0%", "20%", "40%", "60%", "80%", "100%"])
        let revenue = try parse(Chart.bar(categories: ["North", "South"], values: [[125_000, 48_000]], style: style()).svg())
        XCTAssertEqual(revenue.texts(class: "tick-x"), ["North", "South"])
        XCTAssertEqual(revenue.texts(class: "tick-y"), ["0", "20k", "40k", "60k", "80k", "100k", "120k", "140k"])
        XCTAssertTrue(revenue.named("text").contains { $0.text == "125,000" }, "bar values are labelled")
        let epochs = try parse(Chart.lossCurve(histories: [("loss", [1, 0.8, 0.7])], style: style()).svg())
        XCTAssertEqual(epochs.texts(class: "tick-x"), ["1", "2", "3"])
    }

    /// Neighbouring x tick labels never overlap, however many points there are.
    func testTickLabelsDoNotOverlap() throws {
        for count in [7, 50, 1234, 98_765] {
            let chart = try Chart.line(x: [.numbers((0..<count).map { Double($0) * 1000.5 })], y: [(0..<count).map { Double($0 % 13) }], style: style())
            let ticks = try parse(chart.svg()).list.filter { $0.attributes["class"] == "tick-x" }
            let positions = ticks.compactMap { Double($0.attributes["x"] ?? "") }
            for (k, (a, b)) in zip(positions, positions.dropFirst()).enumerated() {
                let room = Chart.textWidth(ticks[k].text, size: 11) / 2 + Chart.textWidth(ticks[k + 1].text, size: 11) / 2
                XCTAssertGreaterThan(b - a, room, "labels \(ticks[k].text) and \(ticks[k + 1].text) overlap")
            }
        }
    }

    func testLongCategoryNamesAreRotatedNotOverlapped() throws {
        let names = (1...12).map { "Segment number \($0) with a long name" }
        let svg = try Chart.bar(categories: names, values: [(1...12).map(Double.init)], style: style()).svg()
        let ticks = try parse(svg).list.filter { $0.attributes["class"] == "tick-x" }
        XCTAssertEqual(ticks.count, 12)
        XCTAssertTrue(ticks.allSatisfy { $0.attributes["transform"]?.hasPrefix("rotate(-40") == true })
    }

    func testLegendAppearsForSeveralSeriesAndAvoidsTheData() throws {
        var rng = SplitMix(seed: 3)
        let y = (0..<500).map { _ in rng.next() < 0.3 ? 1.0 : 0.0 }
        let strong = y.map { $0 * 0.6 + rng.next() * 0.4 }
        let chart = try Chart.roc(y: y, scores: [strong], style: style(labels: ["model"]))
        let elements = try parse(chart.svg())
        let legend = try XCTUnwrap(elements.list.first { $0.attributes["class"] == "legend" })
        _ = legend
        // A strong model hugs the top-left corner: the legend goes bottom right.
        let box = try XCTUnwrap(elements.list.first { $0.name == "rect" && $0.attributes["rx"] == "4" })
        XCTAssertGreaterThan(Double(box.attributes["x"] ?? "") ?? 0, 300)
        XCTAssertGreaterThan(Double(box.attributes["y"] ?? "") ?? 0, 200)
        XCTAssertTrue(elements.named("text").contains { $0.text.hasPrefix("model (AUC ") })
        XCTAssertTrue(elements.named("text").contains { $0.text == "random" })
        // A single unnamed line needs none.
        let plain = try parse(Chart.line(x: [], y: [[1, 2, 3]], style: style()).svg())
        XCTAssertFalse(plain.list.contains { $0.attributes["class"] == "legend" })
    }

    func testLargeCurvesStaySmall() throws {
        var rng = SplitMix(seed: 11)
        let n = 200_000
        let y = (0..<n).map { _ in rng.next() < 0.2 ? 1.0 : 0.0 }
        let scores = y.map { $0 * 0.3 + rng.next() }
        let svg = try Chart.roc(y: y, scores: [scores], style: style()).svg()
        XCTAssertLessThan(svg.utf8.count, 150_000, "a ROC curve of \(n) scores should be drawn with a few thousand points")
        _ = try parse(svg)
    }

    func testDatesAreLabelledAsDates() throws {
        let start = Double(Dates.days(year: 2024, month: 1, day: 1) ?? 0)
        let chart = try Chart.line(x: [.dates((0..<120).map { start + Double($0) })], y: [(0..<120).map { Double($0 % 9) }], style: style())
        let labels = try parse(chart.svg()).texts(class: "tick-x")
        XCTAssertEqual(labels, ["2024-01", "2024-02", "2024-03", "2024-04"])
        let iso = try Chart.line(x: [.categories(["2024-03-01", "2024-03-02", "2024-03-03"])], y: [[1, 2, 3]], style: style())
        XCTAssertTrue(iso.x.isDate)
    }

    func testTextDrawing() throws {
        var options = Chart.TextOptions()
        options.width = 50
        options.height = 10
        options.unicode = false
        let chart = try Chart.line(x: [], y: [[1, 2, 3, 4], [4, 3, 2, 1]], style: style("Up and down", labels: ["up", "down"]))
        let text = chart.text(options)
        XCTAssertTrue(text.unicodeScalars.allSatisfy(\.isASCII), text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertTrue(lines.allSatisfy { $0.count <= 50 }, text)
        XCTAssertEqual(lines.first.map(String.init)?.trimmingCharacters(in: .whitespaces), "Up and down")
        XCTAssertTrue(text.contains("* up") && text.contains("+ down"), text)
        XCTAssertTrue(text.contains("+--"), "an x axis")
        options.unicode = true
        options.color = true
        let colored = try Chart.line(x: [], y: [[1, 3, 2]], style: style()).text(options)
        XCTAssertTrue(colored.contains("\u{1B}[34m"), "the first series in blue")
        XCTAssertTrue(colored.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "braille dots")
    }

    /// Extreme but accepted values never crash a renderer (every Double-to-Int conversion
    /// is guarded).
    func testExtremeValuesDrawWithoutCrashing() throws {
        let values = [1e99, -1e99, 1e-300, Double.leastNonzeroMagnitude, 9_007_199_254_740_992, -9.2e18, 1e15, 123_456_789.123, 0]
        var text = Chart.TextOptions()
        for v in values {
            var charts: [Chart] = [
                try .line(x: [], y: [[0, v]], style: style()), try .line(x: [], y: [[v, v]], style: style()),
                try .line(x: [], y: [[v, v * (1 + 1e-15)]], style: style()), try .scatter(x: [.numbers([v, 0])], y: [[0, v]], style: style()),
                try .histogram(values: [[v, 0, -v]], bins: .count(7), style: style()), try .histogram(values: [[v, v]], bins: .count(3), style: style()),
                try .bar(categories: ["a", "b"], values: [[v, -v]], style: style()),
            ]
            charts.append(try .line(x: [.dates([0, v.magnitude < 1e6 ? v : 1])], y: [[1, 2]], style: style()))
            for chart in charts {
                _ = try parse(chart.svg())
                for unicode in [true, false] {
                    text.unicode = unicode
                    XCTAssertFalse(chart.text(text).isEmpty)
                }
            }
        }
        XCTAssertThrowsError(try Chart.line(x: [], y: [[1e200]], style: style()))
    }

    func testReportMarkdownAndEscaping() throws {
        XCTAssertEqual(MarkdownLite.html("Hello **big** *world* `x<y`"), "<p>Hello <strong>big</strong> <em>world</em> <code>x&lt;y</code></p>\n")
        XCTAssertEqual(MarkdownLite.html("- a\n- b\n  more\n\n1. one\n2) two"), "<ul>\n<li>a</li>\n<li>b more</li>\n</ul>\n<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n")
        XCTAssertEqual(MarkdownLite.html("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")
        XCTAssertEqual(MarkdownLite.html("2 * 3 * 4 and **unclosed"), "<p>2 * 3 * 4 and **unclosed</p>\n")
    }

    func testMetricFormats() throws {
        XCTAssertEqual(try MetricFormat("number").format(0.84213), "0.8421")
        XCTAssertEqual(try MetricFormat("number").format(1_234_567), "1,234,567")
        XCTAssertEqual(try MetricFormat("number", digits: 2).format(1234.5), "1,234.50")
        XCTAssertEqual(try MetricFormat("integer").format(7042.6), "7,043")
        XCTAssertEqual(try MetricFormat("percent").format(0.26537), "26.5%")
        XCTAssertEqual(try MetricFormat("percent").format(0.031), "3.10%")
        XCTAssertEqual(try MetricFormat("percent", digits: 0).format(0.26537), "27%")
        XCTAssertEqual(try MetricFormat("€%.0f").format(1234.6), "€1235")
        XCTAssertEqual(try MetricFormat("%d customers").format(41.7), "42 customers")
        XCTAssertEqual(try MetricFormat("%.1f%%").format(12.34), "12.3%")
        XCTAssertThrowsError(try MetricFormat("%s"))
        XCTAssertThrowsError(try MetricFormat("%f and %f"))
        XCTAssertThrowsError(try MetricFormat("%n"))
        XCTAssertThrowsError(try MetricFormat("%.2d"))
    }
}
