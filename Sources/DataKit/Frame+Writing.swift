import Foundation
import TensorKit

/// Writing frames out: CSV (RFC 4180, optionally with a BOM and decimal commas for
/// spreadsheets set to European locales) and JSON records. Both write atomically: a
/// temporary file then a rename, so a failed run never leaves half a file behind.
extension Frame {
    public struct CSVWriteOptions {
        public var bom = false
        public var decimalComma = false
        public init() {}
    }

    /// The CSV text (for small frames and tests; files are streamed by `writeCSV`).
    public func csvText(_ options: CSVWriteOptions = CSVWriteOptions()) -> String {
        var sink = ByteSink(output: nil)
        // A sink without output never fails.
        try? writeCSV(into: &sink, options)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    /// Streams the CSV to a temporary file renamed into place at the end; Ctrl-C stops it
    /// and leaves nothing behind.
    public func writeCSV(to path: String, options: CSVWriteOptions = CSVWriteOptions()) throws {
        try AtomicFile.write(to: path) { file in
            var sink = ByteSink(output: file)
            try writeCSV(into: &sink, options)
            try sink.flush()
        }
    }

    func writeCSV(into sink: inout ByteSink, _ options: CSVWriteOptions) throws {
        // With decimal commas the separator becomes ';', as spreadsheets expect.
        let separator = options.decimalComma ? UInt8(ascii: ";") : UInt8(ascii: ",")
        if options.bom { sink.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        for (k, name) in names.enumerated() {
            if k > 0 { sink.append(separator) }
            sink.appendQuotedIfNeeded(name, separator: separator)
        }
        sink.append(UInt8(ascii: "\n"))
        // Rows are written in blocks: each column renders its cells of the block in one
        // pass (one type dispatch per column and block), then the rows are interleaved.
        let block = 4096
        var cells = [ByteSink](repeating: ByteSink(output: nil, capacity: block * 8), count: columns.count)
        var ends = [[Int]](repeating: [], count: columns.count)
        var start = 0
        while start < rowCount {
            let rows = start..<Swift.min(start + block, rowCount)
            for (k, c) in columns.enumerated() {
                cells[k].bytes.removeAll(keepingCapacity: true)
                ends[k].removeAll(keepingCapacity: true)
                cells[k].render(c, rows, separator: separator, decimalComma: options.decimalComma, ends: &ends[k])
            }
            for r in 0..<rows.count {
                for k in 0..<columns.count {
                    if k > 0 { sink.append(separator) }
                    let lo = r == 0 ? 0 : ends[k][r - 1]
                    sink.bytes.append(contentsOf: cells[k].bytes[lo..<ends[k][r]])
                }
                sink.append(UInt8(ascii: "\n"))
            }
            if sink.bytes.count >= ByteSink.chunk {
                try checkInterrupt()
                try sink.flush()
            }
            start = rows.upperBound
        }
    }

    /// An array of records, one object per row; missing values are null.
    public func jsonText() -> String {
        func json(_ c: Column, _ row: Int) -> String {
            switch c.values {
            case .integer(let v): return v[row].map { String($0) } ?? "null"
            case .number(let v): return v[row].map { $0.isFinite ? "\($0)" : "null" } ?? "null"
            case .bool(let v): return v[row].map { $0 ? "true" : "false" } ?? "null"
            case .string(let v): return v[row].map(jsonQuoted) ?? "null"
            case .date(let v): return v[row].map { "\"\(Dates.iso($0))\"" } ?? "null"
            }
        }
        let keys = names.map(jsonQuoted)
        let records = (0..<rowCount).map { row in
            "{" + zip(keys, columns).map { "\($0): \(json($1, row))" }.joined(separator: ", ") + "}"
        }
        return "[\n" + records.map { "  " + $0 }.joined(separator: ",\n") + "\n]\n"
    }

    public func writeJSON(to path: String) throws {
        try AtomicFile.write(Data(jsonText().utf8), to: path)
    }
}

/// Bytes collected for a file, written out in chunks.
struct ByteSink {
    static let chunk = 1 << 20
    var bytes: [UInt8] = []
    let output: AtomicFile.Output?

    init(output: AtomicFile.Output?, capacity: Int = ByteSink.chunk + (1 << 16)) {
        self.output = output
        bytes.reserveCapacity(capacity)
    }

    /// The cells `rows` of a column, one after another; `ends` gets each cell's end.
    mutating func render(_ c: Column, _ rows: Range<Int>, separator: UInt8, decimalComma: Bool, ends: inout [Int]) {
        switch c.values {
        case .integer(let v): for r in rows { if let x = v[r] { appendInteger(x) }; ends.append(bytes.count) }
        case .number(let v): for r in rows { if let x = v[r] { appendNumber(x, decimalComma: decimalComma) }; ends.append(bytes.count) }
        case .bool(let v): for r in rows { if let x = v[r] { append(contentsOf: x ? ByteSink.trueText : ByteSink.falseText) }; ends.append(bytes.count) }
        case .string(let v): for r in rows { if let x = v[r] { appendQuotedIfNeeded(x, separator: separator) }; ends.append(bytes.count) }
        case .date(let v): for r in rows { if let x = v[r] { appendDate(x) }; ends.append(bytes.count) }
        }
    }

    static let trueText = Array("true".utf8), falseText = Array("false".utf8)

    mutating func flush() throws {
        guard let output else { return }
        try bytes.withUnsafeBytes { try output.write($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    @inline(__always) mutating func append(_ b: UInt8) { bytes.append(b) }
    mutating func append(contentsOf b: [UInt8]) { bytes.append(contentsOf: b) }

    mutating func appendInteger(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(value == .min ? UInt64(Int64.max) + 1 : UInt64(-value))
        } else {
            appendDigits(UInt64(value))
        }
    }

    mutating func appendDigits(_ value: UInt64) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - n] = UInt8(v % 10) + 48
                v /= 10
                n += 1
            } while v > 0
            bytes.append(contentsOf: d[(20 - n)...])
        }
    }

    /// A whole number with ".0" (as pandas writes floats), others in the shortest form
    /// that reads back exactly.
    mutating func appendNumber(_ x: Double, decimalComma: Bool) {
        let point = decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        if x.isNaN { return }   // written as missing, as pandas does
        let magnitude = Swift.abs(x)
        if x == x.rounded(), magnitude < 1e15 {
            if x == 0 && x.sign == .minus { bytes.append(UInt8(ascii: "-")) }
            appendInteger(Int64(x))
            bytes.append(point)
            bytes.append(UInt8(ascii: "0"))
            return
        }
        // Few decimals (prices, rates): the smallest d with x = m / 10^d exactly as doubles
        // gives the shortest digits that read back as x, the same as `description`.
        if magnitude >= 1e-4 && magnitude < 1e9 {
            var scale = 1.0
            for digits in 1...6 {
                scale *= 10
                let m = (x * scale).rounded()
                if m / scale == x {
                    appendFixed(Int64(m), digits: digits, point: point)
                    return
                }
            }
        }
        var text = x.description
        text.withUTF8 { utf8 in
            for b in utf8 { bytes.append(b == UInt8(ascii: ".") ? point : b) }
        }
    }

    /// m / 10^digits written out: "-0.05" for (-5, 2).
    mutating func appendFixed(_ m: Int64, digits: Int, point: UInt8) {
        if m < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = UInt64(m < 0 ? -m : m)
        var divisor: UInt64 = 1
        for _ in 0..<digits { divisor *= 10 }
        appendDigits(magnitude / divisor)
        bytes.append(point)
        var fraction = magnitude % divisor
        for _ in 0..<digits {
            divisor /= 10
            bytes.append(UInt8(fraction / divisor) + 48)
            fraction %= divisor
        }
    }

    mutating func appendDate(_ days: Int32) {
        let (y, m, d) = Dates.civil(days)
        if y < 0 { bytes.append(UInt8(ascii: "-")) }
        let year = UInt64(Swift.abs(y))
        for divisor: UInt64 in [1000, 100, 10, 1] { bytes.append(UInt8(year / divisor % 10) + 48) }
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(m / 10) + 48); bytes.append(UInt8(m % 10) + 48)
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(d / 10) + 48); bytes.append(UInt8(d % 10) + 48)
    }

    /// RFC 4180: a field holding the separator, a quote or a line break is quoted, with
    /// quotes doubled.
    mutating func appendQuotedIfNeeded(_ s: String, separator: UInt8) {
        var s = s
        s.withUTF8 { utf8 in
            var needs = false
            for b in utf8 where b == separator || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                needs = true
                break
            }
            guard needs else { bytes.append(contentsOf: utf8); return }
            bytes.append(UInt8(ascii: "\""))
            for b in utf8 {
                if b == UInt8(ascii: "\"") { bytes.append(b) }
                bytes.append(b)
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
