import Foundation

/// Readable, bounded text for tensors, in the spirit of numpy and PyTorch: large tensors
/// (over `threshold` elements) show `edgeItems` at each end of every dimension and `...`.
public struct TensorFormatter {
    public var threshold = 1000
    public var edgeItems = 3
    public var lineWidth = 80
    public init() {}

    public func format(_ t: Tensor) -> String {
        var suffix = ["shape=\(describeShape(t.shape))", "dtype=\(t.dtype.rawValue)"]
        suffix += gradientNote(t)
        return "tensor(\(body(t, indent: 7)), \(suffix.joined(separator: ", ")))"
    }

    /// The REPL's form: a header line with shape and dtype (`tensor [2, 3] float32`), then
    /// the values from the first column (a 0-d tensor stays on one line).
    public func formatWithHeader(_ t: Tensor) -> String {
        if t.rank == 0 { return format(t) }
        return header(t) + "\n" + body(t, indent: 0)
    }

    /// `tensor [2, 3] float32`, plus the autograd state when there is one.
    public func header(_ t: Tensor) -> String {
        (["tensor", describeShape(t.shape), t.dtype.rawValue] + gradientNote(t)).joined(separator: " ")
    }

    private func gradientNote(_ t: Tensor) -> [String] {
        if let fn = t.gradFn { return ["grad_fn=<\(fn.name)>"] }
        return t.requiresGrad ? ["requires_grad=true"] : []
    }

    /// The values in brackets; continuation lines are indented by `indent` columns.
    public func body(_ t: Tensor, indent: Int) -> String {
        if t.count == 0 { return "[]" }
        let summarize = t.count > threshold
        let render = renderer(for: t, shownPositions(t, summarize: summarize))
        if t.rank == 0 { return render(t.offset) }
        return block(t, dim: 0, offset: t.offset, indent: indent, summarize: summarize, render: render)
    }

    /// Storage positions of the elements that will be printed (edges only when
    /// summarising), to choose a style.
    private func shownPositions(_ t: Tensor, summarize: Bool) -> [Int] {
        guard summarize else { return t.elementOffsets() }
        var values: [Int] = []
        func visit(_ dim: Int, _ offset: Int) {
            if dim == t.rank { values.append(offset); return }
            for i in indices(t.shape[dim], summarize: true) { visit(dim + 1, offset + i * t.strides[dim]) }
        }
        visit(0, t.offset)
        return values
    }

    private func indices(_ n: Int, summarize: Bool) -> [Int] {
        if summarize && n > 2 * edgeItems { return Array(0..<edgeItems) + Array((n - edgeItems)..<n) }
        return Array(0..<n)
    }

    /// Chooses integer, fixed or scientific notation from the shown elements, padded to
    /// one width; the renderer maps a storage position to text.
    private func renderer(for t: Tensor, _ positions: [Int]) -> (Int) -> String {
        switch t.dtype {
        case .bool:
            let p = t.storage.pointer(Bool.self)
            return { p[$0] ? " true" : "false" }
        case .int64:
            let p = t.storage.pointer(Int64.self)
            let width = positions.map { String(p[$0]).count }.max() ?? 1
            return { String(p[$0]).leftPadded(width) }
        case .float32, .float64:
            let values = positions.map { t.storageValue($0) }
            let finite = values.filter { $0.isFinite }
            let magnitudes = finite.map { Swift.abs($0) }.filter { $0 > 0 }
            let allIntegral = finite.allSatisfy { $0 == $0.rounded() }
            let maxMagnitude = magnitudes.max() ?? 0, minMagnitude = magnitudes.min() ?? 0
            let scientific = maxMagnitude >= 1e8 || (minMagnitude > 0 && minMagnitude < 1e-4) || (minMagnitude > 0 && maxMagnitude / minMagnitude > 1000 && !allIntegral)
            let plain: (Double) -> String
            if !finite.isEmpty && allIntegral && !scientific {
                plain = { $0.isFinite ? String(format: "%.0f.", $0) : Self.special($0) }
            } else if scientific {
                plain = { $0.isFinite ? String(format: "%.4e", $0) : Self.special($0) }
            } else {
                plain = { $0.isFinite ? String(format: "%.4f", $0) : Self.special($0) }
            }
            let width = values.map { plain($0).count }.max() ?? 1
            return { plain(t.storageValue($0)).leftPadded(width) }
        }
    }

    private static func special(_ v: Double) -> String { v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }

    private func block(_ t: Tensor, dim: Int, offset: Int, indent: Int, summarize: Bool, render: (Int) -> String) -> String {
        let n = t.shape[dim]
        let shown = indices(n, summarize: summarize)
        let skipped = shown.count < n
        if dim == t.rank - 1 {
            var items = shown.map { render(offset + $0 * t.strides[dim]) }
            if skipped { items.insert("...", at: edgeItems) }
            return "[" + wrap(items, indent: indent + 1) + "]"
        }
        var rows = shown.map { block(t, dim: dim + 1, offset: offset + $0 * t.strides[dim], indent: indent + 1, summarize: summarize, render: render) }
        if skipped { rows.insert("...", at: edgeItems) }
        let separator = "," + String(repeating: "\n", count: t.rank - dim - 1) + String(repeating: " ", count: indent + 1)
        return "[" + rows.joined(separator: separator) + "]"
    }

    private func wrap(_ items: [String], indent: Int) -> String {
        var lines: [String] = [], current = ""
        for item in items {
            let piece = current.isEmpty ? item : current + ", " + item
            if piece.count + indent > lineWidth && !current.isEmpty {
                lines.append(current + ",")
                current = item
            } else {
                current = piece
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { TensorFormatter().format(self) }
}
