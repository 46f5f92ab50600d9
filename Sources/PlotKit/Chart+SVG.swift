import Foundation

/// Draws a chart as standalone SVG: white background, light grid, labelled axes, the
/// series in palette colours over grey dashed references, and a legend in the corner
/// that hides the fewest points.
extension Chart {
    static let fontFamily = "Liberation Sans, Helvetica Neue, Helvetica, Arial, sans-serif"

    /// An estimate of the width of `text` at `size` pixels in a sans-serif font.
    static func textWidth(_ text: String, size: Double) -> Double {
        var units = 0.0
        for c in text.unicodeScalars {
            switch c {
            case "i", "l", "j", "t", "f", "r", ".", ",", ":", ";", "'", "|", "!", " ", "(", ")", "[", "]": units += 0.3
            case "m", "w", "M", "W", "%", "@": units += 0.85
            case "A"..."Z": units += 0.67
            default: units += c.value > 0x2E80 ? 1.0 : 0.56
            }
        }
        return units * size
    }

    /// The label cut to `width` pixels with an ellipsis.
    static func fit(_ text: String, width: Double, size: Double) -> String {
        guard textWidth(text, size: size) > width else { return text }
        var cut = text
        while !cut.isEmpty && textWidth(cut + "…", size: size) > width { cut.removeLast() }
        return cut + "…"
    }

    /// The chart as a standalone SVG document (it also works inline in HTML: it uses no
    /// ids, styles or scripts).
    public func svg() -> String {
        let (w, h) = (Double(width), Double(height))
        let tickSize = 11.0, labelSize = 12.5, titleSize = 16.0
        var top = 14.0, bottom = h - 12, left = 12.0, right = w - 18
        if !title.isEmpty { top += 26 }
        if !x.label.isEmpty { bottom -= 20 }
        if !y.label.isEmpty { left += 20 }
        bottom -= tickSize + 8

        let yRange = dataRange(x: false), xRange = dataRange(x: true)
        let yScale = AxisScale(axis: y, low: yRange.low, high: yRange.high, integers: yRange.integers, length: bottom - top, spacing: 45, gap: 6) { _ in tickSize }
        left += (yScale.ticks.map { Chart.textWidth($0.label, size: tickSize) }.max() ?? 0) + 8
        // The x range keeps to the data (no empty stretch before the first point).
        var xScale = AxisScale(axis: x, low: xRange.low, high: xRange.high, integers: xRange.integers, length: right - left, spacing: 70, gap: 10, widen: false) { Chart.textWidth($0, size: tickSize) }
        // Category names: rotated when they do not fit side by side.
        var rotate = false
        if let names = x.categories, !names.isEmpty {
            let room = (right - left) / Double(names.count)
            let labels = names.map { Chart.fit($0, width: 140, size: tickSize) }
            let widest = labels.map { Chart.textWidth($0, size: tickSize) }.max() ?? 0
            if widest + 6 > room {
                rotate = true
                bottom -= Swift.min(widest, 140) * 0.64
            }
            xScale.ticks = zip(xScale.ticks, labels).map { ($0.0.value, $0.1) }
        }
        // The last x label may stick out on the right.
        if let last = xScale.ticks.last, !rotate, x.categories == nil {
            let overhang = Chart.textWidth(last.label, size: tickSize) / 2 - (w - 6 - xScale.position(last.value, left, right))
            if overhang > 0 { right -= overhang }
        }
        let px = { (v: Double) in xScale.position(v, left, right) }
        let py = { (v: Double) in yScale.position(v, bottom, top) }

        var svg = SVGWriter()
        svg.open("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", "\(width)"), ("height", "\(height)"), ("viewBox", "0 0 \(width) \(height)"),
                         ("role", "img"), ("aria-label", title.isEmpty ? kind.rawValue + " chart" : title), ("font-family", Chart.fontFamily)])
        svg.raw("\n")
        svg.element("title", [], content: title.isEmpty ? kind.rawValue + " chart" : title)
        svg.element("rect", [("x", "0"), ("y", "0"), ("width", "\(width)"), ("height", "\(height)"), ("fill", "#ffffff")])
        if !title.isEmpty {
            svg.element("text", [("x", SVGWriter.number(w / 2)), ("y", "26"), ("text-anchor", "middle"), ("font-size", "\(titleSize)"),
                                 ("font-weight", "600"), ("fill", "#111827")], content: Chart.fit(title, width: w - 24, size: titleSize))
        }

        // Grid and axes.
        svg.open("g", [("stroke", "#e5e7eb"), ("stroke-width", "1")])
        svg.raw("\n")
        for t in yScale.ticks { svg.element("line", [("x1", SVGWriter.number(left)), ("x2", SVGWriter.number(right)), ("y1", SVGWriter.number(py(t.value))), ("y2", SVGWriter.number(py(t.value)))]) }
        if x.categories == nil {
            for t in xScale.ticks { svg.element("line", [("x1", SVGWriter.number(px(t.value))), ("x2", SVGWriter.number(px(t.value))), ("y1", SVGWriter.number(top)), ("y2", SVGWriter.number(bottom))]) }
        }
        svg.close("g")
        svg.element("polyline", [("points", SVGWriter.points([(left, top), (left, bottom), (right, bottom)])), ("fill", "none"), ("stroke", "#6b7280"), ("stroke-width", "1")])

        svg.open("g", [("font-size", "\(tickSize)"), ("fill", "#4b5563")])
        svg.raw("\n")
        for t in yScale.ticks {
            svg.element("text", [("class", "tick-y"), ("x", SVGWriter.number(left - 6)), ("y", SVGWriter.number(py(t.value) + tickSize * 0.35)), ("text-anchor", "end")], content: t.label)
        }
        for t in xScale.ticks {
            let tx = px(t.value)
            svg.element("line", [("x1", SVGWriter.number(tx)), ("x2", SVGWriter.number(tx)), ("y1", SVGWriter.number(bottom)), ("y2", SVGWriter.number(bottom + 4)), ("stroke", "#6b7280")])
            if rotate {
                let ty = bottom + 10
                svg.element("text", [("class", "tick-x"), ("x", SVGWriter.number(tx)), ("y", SVGWriter.number(ty)), ("text-anchor", "end"),
                                     ("transform", "rotate(-40 \(SVGWriter.number(tx)) \(SVGWriter.number(ty)))")], content: t.label)
            } else {
                svg.element("text", [("class", "tick-x"), ("x", SVGWriter.number(tx)), ("y", SVGWriter.number(bottom + 6 + tickSize)), ("text-anchor", "middle")], content: t.label)
            }
        }
        svg.close("g")
        if !x.label.isEmpty {
            svg.element("text", [("class", "label-x"), ("x", SVGWriter.number((left + right) / 2)), ("y", SVGWriter.number(h - 10)), ("text-anchor", "middle"),
                                 ("font-size", "\(labelSize)"), ("fill", "#374151")], content: x.label)
        }
        if !y.label.isEmpty {
            let cy = (top + bottom) / 2
            svg.element("text", [("class", "label-y"), ("x", "18"), ("y", SVGWriter.number(cy)), ("text-anchor", "middle"), ("font-size", "\(labelSize)"), ("fill", "#374151"),
                                 ("transform", "rotate(-90 18 \(SVGWriter.number(cy)))")], content: y.label)
        }

        // References, then series.
        var drawn: [(Double, Double)] = []
        for (i, r) in references.enumerated() {
            let points = zip(r.x, r.y).map { (px($0), py($1)) }
            drawn += Chart.sample(points)
            let look = Chart.referenceStyle(i)
            svg.element("polyline", [("class", "reference"), ("points", SVGWriter.points(points)), ("fill", "none"), ("stroke", look.color),
                                     ("stroke-width", "1.5"), ("stroke-dasharray", look.dash)])
        }
        let barSeries = series.filter { $0.mark == .bars }
        for (index, s) in series.enumerated() {
            svg.open("g", [("class", "series"), ("data-name", s.name.isEmpty ? "series \(index + 1)" : s.name)])
            svg.raw("\n")
            switch s.mark {
            case .line, .step:
                var points = zip(s.x, s.y).map { (px($0), py($1)) }
                if s.mark == .step { points = Chart.stepped(points) }
                let simple = Chart.simplified(points)
                drawn += Chart.sample(simple)
                svg.element("polyline", [("points", SVGWriter.points(simple)), ("fill", "none"), ("stroke", s.color), ("stroke-width", "2"),
                                         ("stroke-linejoin", "round"), ("stroke-linecap", "round")])
                if s.markers {
                    for (cx, cy) in zip(s.x, s.y).map({ (px($0), py($1)) }) {
                        svg.element("circle", [("cx", SVGWriter.number(cx)), ("cy", SVGWriter.number(cy)), ("r", "3.5"), ("fill", s.color), ("stroke", "#ffffff"), ("stroke-width", "1")])
                    }
                }
            case .points:
                var seen = Set<Int>()
                let many = s.x.count > 500
                for (cx, cy) in zip(s.x, s.y).map({ (px($0), py($1)) }) {
                    guard cx.magnitude < 1e6, cy.magnitude < 1e6, seen.insert(Int((cx * 2).rounded()) * 100_003 + Int((cy * 2).rounded())).inserted else { continue }
                    drawn.append((cx, cy))
                    svg.element("circle", [("cx", SVGWriter.number(cx)), ("cy", SVGWriter.number(cy)), ("r", many ? "2" : "3"), ("fill", s.color), ("fill-opacity", many ? "0.5" : "0.8")])
                }
            case .bars:
                let k = Double(barSeries.count), slot = (right - left) / Double(Swift.max(x.categories?.count ?? 1, 1))
                let barWidth = slot * 0.8 / k
                let j = Double(series[..<index].filter { $0.mark == .bars }.count)
                let showValues = s.y.count * barSeries.count <= 24
                for (k, (position, value)) in zip(s.x, s.y).enumerated() {
                    let x0 = px(position) - slot * 0.4 + j * barWidth, center = x0 + barWidth / 2
                    var (y0, y1) = (py(Swift.max(value, 0)), py(Swift.min(value, 0)))
                    drawn += [(center, y0), (center, (y0 + y1) / 2)]
                    svg.element("rect", [("x", SVGWriter.number(x0 + 0.5)), ("y", SVGWriter.number(y0)), ("width", SVGWriter.number(Swift.max(barWidth - 1, 1))),
                                         ("height", SVGWriter.number(Swift.max(y1 - y0, 0.5))), ("fill", s.color)])
                    if let lower = s.lower?[k], let upper = s.upper?[k] {
                        let (top, low) = (py(upper), py(lower)), cap = Swift.min(barWidth * 0.3, 8)
                        svg.element("path", [("class", "interval"), ("d", "M\(SVGWriter.number(center)) \(SVGWriter.number(top))V\(SVGWriter.number(low))"
                            + "M\(SVGWriter.number(center - cap)) \(SVGWriter.number(top))h\(SVGWriter.number(2 * cap))M\(SVGWriter.number(center - cap)) \(SVGWriter.number(low))h\(SVGWriter.number(2 * cap))"),
                                             ("stroke", "#111827"), ("stroke-width", "1.5"), ("fill", "none")])
                        drawn.append((center, top))
                        y0 = Swift.min(y0, top)
                        y1 = Swift.max(y1, low)
                    }
                    let label = formatReadable(value)
                    if showValues && Chart.textWidth(label, size: 10) <= barWidth + 8 {
                        svg.element("text", [("x", SVGWriter.number(center)), ("y", SVGWriter.number(value >= 0 ? y0 - 4 : y1 + 12)), ("text-anchor", "middle"),
                                             ("font-size", "10"), ("fill", "#374151")], content: label)
                    }
                }
            case .histogram:
                let opacity = series.count > 1 ? "0.45" : "0.85"
                for (i, count) in s.y.enumerated() {
                    let (x0, x1) = (px(s.x[i]), px(s.x[i + 1]))
                    let (y0, y1) = (py(count), py(0))
                    drawn += [((x0 + x1) / 2, y0)]
                    svg.element("rect", [("x", SVGWriter.number(x0)), ("y", SVGWriter.number(y0)), ("width", SVGWriter.number(Swift.max(x1 - x0, 0.5))),
                                         ("height", SVGWriter.number(y1 - y0)), ("fill", s.color), ("fill-opacity", opacity), ("stroke", "#ffffff"), ("stroke-width", "1")])
                }
            }
            svg.close("g")
        }
        drawLegend(&svg, plot: (left, top, right, bottom), drawn: drawn)
        svg.close("svg")
        return svg.text
    }

    /// The legend box in the chosen corner of the plot area.
    private func drawLegend(_ svg: inout SVGWriter, plot: (left: Double, top: Double, right: Double, bottom: Double), drawn: [(Double, Double)]) {
        let entries = legendEntries
        guard legend != .none, !entries.isEmpty else { return }
        let size = 12.0, row = 18.0
        let boxWidth = 40 + (entries.map { Chart.textWidth($0.name, size: size) }.max() ?? 0)
        let boxHeight = Double(entries.count) * row + 8
        let inset = 10.0
        func origin(_ corner: LegendPlacement) -> (Double, Double) {
            let left = plot.left + inset, right = plot.right - inset - boxWidth
            let top = plot.top + inset, bottom = plot.bottom - inset - boxHeight
            switch corner {
            case .topLeft: return (left, top)
            case .bottomLeft: return (left, bottom)
            case .bottomRight: return (right, bottom)
            default: return (right, top)
            }
        }
        var corner = legend
        if corner == .automatic {
            // The corner whose box covers the fewest drawn points; among equals, the one
            // farthest from them.
            let corners: [LegendPlacement] = [.topRight, .topLeft, .bottomRight, .bottomLeft]
            let scores = corners.map { c -> (covered: Int, clearance: Double) in
                let (x0, y0) = origin(c)
                var covered = 0, clearance = Double.infinity
                for (px, py) in drawn {
                    let dx = Swift.max(x0 - px, 0, px - (x0 + boxWidth)), dy = Swift.max(y0 - py, 0, py - (y0 + boxHeight))
                    if dx == 0 && dy == 0 { covered += 1 }
                    clearance = Swift.min(clearance, (dx * dx + dy * dy).squareRoot())
                }
                return (covered, Swift.min(clearance, 60))
            }
            let best = scores.indices.min { scores[$0].covered != scores[$1].covered ? scores[$0].covered < scores[$1].covered : scores[$0].clearance > scores[$1].clearance }
            corner = corners[best ?? 0]
        }
        let (x0, y0) = origin(corner)
        svg.open("g", [("class", "legend"), ("font-size", "\(size)"), ("fill", "#1f2937")])
        svg.raw("\n")
        svg.element("rect", [("x", SVGWriter.number(x0)), ("y", SVGWriter.number(y0)), ("width", SVGWriter.number(boxWidth)), ("height", SVGWriter.number(boxHeight)),
                             ("rx", "4"), ("fill", "#ffffff"), ("fill-opacity", "0.9"), ("stroke", "#d1d5db")])
        let filled = series.contains { $0.mark == .bars || $0.mark == .histogram }
        for (i, entry) in entries.enumerated() {
            let cy = y0 + 4 + row * (Double(i) + 0.5)
            if filled && entry.dash == nil {
                svg.element("rect", [("x", SVGWriter.number(x0 + 10)), ("y", SVGWriter.number(cy - 5)), ("width", "18"), ("height", "10"), ("fill", entry.color)])
            } else {
                var attributes = [("x1", SVGWriter.number(x0 + 8)), ("x2", SVGWriter.number(x0 + 30)), ("y1", SVGWriter.number(cy)), ("y2", SVGWriter.number(cy)),
                                  ("stroke", entry.color), ("stroke-width", entry.dash == nil ? "2.5" : "1.5")]
                if let dash = entry.dash { attributes.append(("stroke-dasharray", dash)) }
                svg.element("line", attributes)
            }
            svg.element("text", [("x", SVGWriter.number(x0 + 36)), ("y", SVGWriter.number(cy + size * 0.35))], content: entry.name)
        }
        svg.close("g")
    }

    /// Points of a line that holds each new y from the previous x (steps-pre).
    static func stepped(_ points: [(Double, Double)]) -> [(Double, Double)] {
        guard var last = points.first else { return [] }
        var out = [last]
        for p in points.dropFirst() {
            out.append((last.0, p.1))
            out.append(p)
            last = p
        }
        return out
    }

    /// A line with points closer than half a pixel to the last kept one dropped, and
    /// points in the middle of straight runs dropped: what the eye cannot tell apart.
    static func simplified(_ points: [(Double, Double)]) -> [(Double, Double)] {
        guard points.count > 2 else { return points }
        var out = [points[0]]
        for p in points.dropFirst().dropLast() {
            let last = out[out.count - 1]
            if Swift.abs(p.0 - last.0) < 0.5 && Swift.abs(p.1 - last.1) < 0.5 { continue }
            if out.count >= 2 {
                let before = out[out.count - 2]
                let cross = (last.0 - before.0) * (p.1 - before.1) - (last.1 - before.1) * (p.0 - before.0)
                let sameWay = (last.0 - before.0) * (p.0 - last.0) + (last.1 - before.1) * (p.1 - last.1) >= 0
                if Swift.abs(cross) < 1e-6 && sameWay { out[out.count - 1] = p; continue }
            }
            out.append(p)
        }
        out.append(points[points.count - 1])
        return out
    }

    /// Points along a drawn line, at least every 8 pixels, for placing the legend.
    static func sample(_ points: [(Double, Double)]) -> [(Double, Double)] {
        guard var last = points.first else { return [] }
        var out = [last]
        for p in points.dropFirst() {
            let distance = Swift.max(Swift.abs(p.0 - last.0), Swift.abs(p.1 - last.1))
            let steps = distance.isFinite ? Int(Swift.min(distance / 8, 1000).rounded(.up)) : 0
            if steps > 1 { for k in 1..<steps { let t = Double(k) / Double(steps); out.append((last.0 + (p.0 - last.0) * t, last.1 + (p.1 - last.1) * t)) } }
            out.append(p)
            last = p
        }
        return out
    }
}
