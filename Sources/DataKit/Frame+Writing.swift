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

    public func csvText(_ options: CSVWriteOptions = CSVWriteOptions()) -> String {
        // With decimal commas the separator becomes ';', as spreadsheets expect.
        let separator = options.decimalComma ? ";" : ","
        func quoted(_ s: String) -> String {
            guard s.contains(where: { $0 == "\"" || $0 == "\n" || $0 == "\r" || String($0) == separator }) else { return s }
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        func cell(_ c: Column, _ row: Int) -> String {
            switch c.values {
            case .integer(let v): return v[row].map { String($0) } ?? ""
            case .number(let v):
                guard let x = v[row] else { return "" }
                let text = x == x.rounded() && Swift.abs(x) < 1e15 ? String(format: "%.1f", x) : "\(x)"
                return options.decimalComma ? text.replacingOccurrences(of: ".", with: ",") : text
            case .bool(let v): return v[row].map { $0 ? "true" : "false" } ?? ""
            case .string(let v): return v[row].map(quoted) ?? ""
            case .date(let v): return v[row].map(Dates.iso) ?? ""
            }
        }
        var out = options.bom ? "\u{FEFF}" : ""
        out += names.map(quoted).joined(separator: separator) + "\n"
        for row in 0..<rowCount {
            out += columns.map { cell($0, row) }.joined(separator: separator) + "\n"
        }
        return out
    }

    public func writeCSV(to path: String, options: CSVWriteOptions = CSVWriteOptions()) throws {
        try AtomicFile.write(Data(csvText(options).utf8), to: path)
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
