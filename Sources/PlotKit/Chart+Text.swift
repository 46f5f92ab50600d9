import Foundation

/// Draws a chart with text for a terminal: braille dots (2 × 4 per character) on a
/// Unicode terminal, or one ASCII character per cell; horizontal bars for bar charts
/// and block columns for histograms; axes with tick labels and a legend line.
extension Chart {
    /// How to draw text: its size in characters, Unicode or ASCII, and ANSI colours.
    public struct TextOptions {
        public var width = 72
        public var height = 20
        public var unicode = true
        public var color = false
        public init() {}
    }

    /// The chart as lines of text (ending with a newline).
    public func text(_ options: TextOptions = TextOptions()) -> String {
        let width = Swift.max(30, Swift.min(options.width, 400)), height = Swift.max(6, Swift.min(options.height, 200))
        var lines: [String] = []
        if !title.isEmpty { lines.append(Chart.centered(title, width)) }
        if kind == .bar {
            lines += barLines(width: width, options)
        } else {
            lines += plotLines(width: width, height: height, options)
        }
        let entries = legendEntries
        if legend != .none && !entries.isEmpty {
            let glyphs = seriesGlyphs(options)
            var parts: [String] = []
            for (i, entry) in entries.enumerated() {
                let isReference = i >= entries.count - references.count
                let mark = isReference ? (options.unicode ? "┄┄" : "--") : glyphs[i % glyphs.count]
                let colored = options.color && !isReference ? Chart.ansi(i) + mark + "\u{1B}[0m" : (options.color ? "\u{1B}[90m" + mark + "\u{1B}[0m" : mark)
                parts.append(colored + " " + entry.name)
            }
            lines.append("  " + parts.joined(separator: "   "))
        }
        return lines.map { Chart.trimmedRight($0) }.joined(separator: "\n") + "\n"
    }

    /// The marks that tell series apart without colour.
    func seriesGlyphs(_ options: TextOptions) -> [String] {
        if kind == .bar || kind == .hist { return options.unicode ? ["█", "▓", "▒", "░"] : ["#", "=", "+", ":"] }
        if options.color || series.count == 1 { return options.unicode ? ["⣿", "⣿", "⣿", "⣿", "⣿", "⣿"] : ["*", "+", "o", "x", "#", "%"] }
        return options.unicode ? ["●", "○", "◆", "◇", "■", "□"] : ["*", "+", "o", "x", "#", "%"]
    }

    static func ansi(_ series: Int) -> String {
        let codes = [34, 33, 31, 32, 35, 36]
        return "\u{1B}[\(codes[series % codes.count])m"
    }

    static func centered(_ text: String, _ width: Int) -> String {
        let count = text.count
        return count >= width ? text : String(repeating: " ", count: (width - count) / 2) + text
    }

    static func trimmedRight(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Lines, points, steps and histograms on a dot canvas with axes.
    private func plotLines(width: Int, height: Int, _ options: TextOptions) -> [String] {
        let yRange = dataRange(x: false), xRange = dataRange(x: true)
        let plotRows = height - 3
        let yScale = AxisScale(axis: y, low: yRange.low, high: yRange.high, integers: yRange.integers, length: Double(plotRows), spacing: 4, gap: 1, widen: false) { _ in 1 }
        let labelWidth = yScale.ticks.map(\.label.count).max() ?? 1
        let plotColumns = width - labelWidth - 2
        let xScale = AxisScale(axis: x, low: xRange.low, high: xRange.high, integers: xRange.integers, length: Double(plotColumns), spacing: 10, gap: 2, widen: false) { Double($0.count) }
        var canvas = DotCanvas(columns: plotColumns, rows: plotRows, dots: options.unicode && (options.color || series.count == 1))
        let (dotsX, dotsY) = (Double(canvas.dotColumns - 1), Double(canvas.dotRows - 1))
        let px = { (v: Double) in xScale.position(v, 0, dotsX) }
        let py = { (v: Double) in yScale.position(v, dotsY, 0) }
        for r in references {
            let points = zip(r.x, r.y).map { (px($0), py($1)) }
            for (a, b) in zip(points, points.dropFirst()) { canvas.line(a, b, series: -1, dashed: true) }
        }
        for (i, s) in series.enumerated() {
            switch s.mark {
            case .line, .step:
                var points = zip(s.x, s.y).map { (px($0), py($1)) }
                if s.mark == .step { points = Chart.stepped(points) }
                if points.count == 1 { canvas.set(points[0], series: i) }
                for (a, b) in zip(points, points.dropFirst()) { canvas.line(a, b, series: i) }
            case .points:
                for p in zip(s.x, s.y).map({ (px($0), py($1)) }) { canvas.set(p, series: i) }
            case .histogram, .bars:
                for (k, count) in s.y.enumerated() {
                    let (x0, x1) = (px(s.x[k]), px(s.x[k + 1]))
                    canvas.fill(x0...x1, top: py(count), bottom: py(0), series: i)
                }
            }
        }
        let glyphs = seriesGlyphs(options)
        var rows = canvas.render(glyphs: glyphs, unicode: options.unicode, color: options.color, solid: kind == .hist)
        // Y tick labels at the rows nearest their values.
        var labels = [String](repeating: "", count: plotRows)
        for t in yScale.ticks {
            let position = yScale.position(t.value, Double(plotRows - 1), 0)
            guard position.magnitude < 1e6 else { continue }
            let row = Int(position.rounded())
            if row >= 0 && row < plotRows { labels[row] = t.label }
        }
        let axis = options.unicode ? ("│", "┤", "└", "─", "┬") : ("|", "+", "+", "-", "+")
        for r in 0..<plotRows {
            rows[r] = Chart.padLeft(labels[r], labelWidth) + " " + (labels[r].isEmpty ? axis.0 : axis.1) + rows[r]
        }
        // X axis: ticks and labels placed left to right where they fit.
        var axisLine = Array(repeating: axis.3, count: plotColumns)
        var labelLine = Array(repeating: Character(" "), count: plotColumns + labelWidth + 12)
        var nextFree = 0
        for t in xScale.ticks {
            let position = xScale.position(t.value, 0, Double(plotColumns - 1))
            guard position.magnitude < 1e6 else { continue }
            let column = Int(position.rounded())
            guard column >= 0 && column < plotColumns else { continue }
            let text = Array(t.label)
            let start = Swift.max(0, labelWidth + 2 + column - text.count / 2)
            guard start >= nextFree, start + text.count <= labelLine.count else { continue }
            axisLine[column] = axis.4
            for (k, c) in text.enumerated() { labelLine[start + k] = c }
            nextFree = start + text.count + 1
        }
        rows.append(String(repeating: " ", count: labelWidth + 1) + axis.2 + axisLine.joined())
        rows.append(String(labelLine))
        if !x.label.isEmpty { rows.append(String(repeating: " ", count: labelWidth + 2) + Chart.centered(x.label, plotColumns)) }
        if !y.label.isEmpty { rows.insert(y.label, at: 0) }
        return rows
    }

    /// Bar charts as horizontal bars: one row per category (and series), the value at
    /// the end.
    private func barLines(width: Int, _ options: TextOptions) -> [String] {
        let names = x.categories ?? []
        let nameWidth = Swift.min(20, names.map(\.count).max() ?? 1)
        let values = series.flatMap(\.y)
        let low = Swift.min(0, values.min() ?? 0), high = Swift.max(0, values.max() ?? 0)
        func valueText(_ s: Series, _ k: Int) -> String {
            guard let lower = s.lower?[k], let upper = s.upper?[k] else { return formatReadable(s.y[k]) }
            return "\(formatReadable(s.y[k])) [\(formatReadable(lower)), \(formatReadable(upper))]"
        }
        let valueWidth = series.flatMap { s in s.y.indices.map { valueText(s, $0).count } }.max() ?? 1
        let barColumns = Double(Swift.max(10, width - nameWidth - valueWidth - 4))
        let span = high - low == 0 ? 1 : high - low
        let zero = (0 - low) / span * barColumns
        let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var lines: [String] = []
        if !y.label.isEmpty { lines.append(String(repeating: " ", count: nameWidth + 3) + y.label) }
        let glyphs = seriesGlyphs(options)
        for (k, name) in names.enumerated() {
            for (i, s) in series.enumerated() {
                let value = s.y[k]
                let label = i == 0 ? (name.count > nameWidth ? String(name.prefix(nameWidth - 1)) + "…" : name) : ""
                let length = Swift.abs(value) / span * barColumns
                var bar: String
                if options.unicode && series.count == 1 {
                    bar = String(repeating: "█", count: Int(length)) + eighths[Int((length - length.rounded(.down)) * 8)]
                } else {
                    bar = String(repeating: glyphs[i % glyphs.count], count: Int(length.rounded()))
                }
                if options.color { bar = Chart.ansi(i) + bar + "\u{1B}[0m" }
                let lead = value < 0 ? Int((zero - length).rounded()) : Int(zero.rounded())
                lines.append(Chart.padLeft(label, nameWidth) + " " + (options.unicode ? "│" : "|") + String(repeating: " ", count: Swift.max(0, lead)) + bar + " " + valueText(s, k))
            }
        }
        return lines
    }
}

/// A grid of character cells, each with 2 × 4 dots, remembering which series drew in
/// each cell (the last one wins; references are -1).
struct DotCanvas {
    let columns: Int
    let rows: Int
    /// Braille dots; when false every cell is one dot.
    let dots: Bool
    private var bits: [UInt8]
    private var owner: [Int]
    private var filled: [Double]

    init(columns: Int, rows: Int, dots: Bool) {
        self.columns = columns
        self.rows = rows
        self.dots = dots
        bits = Array(repeating: 0, count: columns * rows)
        owner = Array(repeating: Int.min, count: columns * rows)
        filled = Array(repeating: 0, count: columns * rows)
    }

    var dotColumns: Int { dots ? columns * 2 : columns }
    var dotRows: Int { dots ? rows * 4 : rows }

    /// Braille bit of the dot at (dx, dy) within its cell.
    private static let bit: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    mutating func set(_ point: (Double, Double), series: Int) {
        guard point.0.isFinite, point.1.isFinite, point.0.magnitude < 1e6, point.1.magnitude < 1e6 else { return }
        let dx = Int(point.0.rounded()), dy = Int(point.1.rounded())
        guard dx >= 0, dy >= 0, dx < dotColumns, dy < dotRows else { return }
        let (cx, cy) = dots ? (dx / 2, dy / 4) : (dx, dy)
        let cell = cy * columns + cx
        bits[cell] |= dots ? DotCanvas.bit[dy % 4][dx % 2] : 0xFF
        if series >= 0 || owner[cell] == Int.min { owner[cell] = series }
    }

    /// A straight line of dots from a to b (every other dot when dashed).
    mutating func line(_ a: (Double, Double), _ b: (Double, Double), series: Int, dashed: Bool = false) {
        let distance = Swift.max(Swift.abs(b.0 - a.0), Swift.abs(b.1 - a.1))
        guard distance.isFinite, distance < 1e5 else { return }
        let steps = Swift.max(1, Int(distance.rounded(.up)))
        for k in 0...steps where !dashed || (k / 2) % 2 == 0 {
            let t = Double(k) / Double(steps)
            set((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t), series: series)
        }
    }

    /// A column block over the dot columns `x`, from dot row `top` down to dot row
    /// `bottom`; cells remember how much of them the block covers.
    mutating func fill(_ x: ClosedRange<Double>, top: Double, bottom: Double, series: Int) {
        let scale = dots ? 2.0 : 1.0
        let toCells = Double(rows) / Double(Swift.max(dotRows - 1, 1))
        let (barTop, barBottom) = (top * toCells, Swift.min(Double(rows), bottom * toCells + 0.0001))
        guard x.lowerBound.magnitude < 1e6, x.upperBound.magnitude < 1e6, top.isFinite, bottom.isFinite else { return }
        let first = Int((x.lowerBound / scale).rounded()), last = Swift.max(first, Int((x.upperBound / scale).rounded()) - 1)
        for cx in first...last where cx >= 0 && cx < columns {
            for cy in 0..<rows {
                let cover = Swift.min(Double(cy + 1), barBottom) - Swift.max(Double(cy), barTop)
                let cell = cy * columns + cx
                if cover > 0 && cover > filled[cell] {
                    filled[cell] = Swift.min(cover, 1)
                    owner[cell] = series
                }
            }
        }
    }

    /// One string per row. `glyphs[i]` marks series i when dots are off; `solid` draws
    /// filled cells as block characters (▁ to █, or # in ASCII).
    func render(glyphs: [String], unicode: Bool, color: Bool, solid: Bool) -> [String] {
        let blocks = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        return (0..<rows).map { cy in
            var line = ""
            var current = Int.min   // the colour in force (Int.min: none)
            for cx in 0..<columns {
                let cell = cy * columns + cx
                var glyph: String
                let who = owner[cell]
                if filled[cell] > 0 {
                    let eighths = Swift.max(1, Swift.min(8, Int((filled[cell] * 8).rounded())))
                    glyph = unicode ? blocks[eighths - 1] : (eighths >= 4 ? glyphs[Swift.max(who, 0) % glyphs.count] : "_")
                    if solid && unicode && glyphs.count > 0 && who > 0 && eighths == 8 { glyph = glyphs[who % glyphs.count] }
                } else if bits[cell] == 0 {
                    if color && current != Int.min { line += "\u{1B}[0m"; current = Int.min }
                    line += " "
                    continue
                } else if dots {
                    glyph = (UnicodeScalar(0x2800 + UInt32(bits[cell])).map { String($0) }) ?? "*"
                } else {
                    glyph = who < 0 ? (unicode ? "·" : ".") : glyphs[who % glyphs.count]
                }
                if color && who != current {
                    line += who < 0 ? "\u{1B}[90m" : Chart.ansi(who)
                    current = who
                }
                line += glyph
            }
            return color && current != Int.min ? line + "\u{1B}[0m" : line
        }
    }
}
