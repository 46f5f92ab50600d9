import Foundation
import TensorKit

/// How to read a CSV file; defaults follow RFC 4180 with a header row, and only the
/// empty field is missing ("NA" and "None" stay text unless listed in `na`).
public struct CSVOptions {
    public enum Encoding: String { case utf8 = "utf-8", utf8BOM = "utf-8-sig", latin1, cp1252 }

    public var separator: UInt8 = UInt8(ascii: ",")
    public var header = true
    public var missingMarkers: Set<String> = [""]
    public var types: [String: Column.Kind] = [:]
    public var encoding: Encoding = .utf8
    public var skipBadLines = false

    public init() {}
}

/// A strict CSV reader: quoted fields may hold separators, doubled quotes and line breaks;
/// every malformed line is an error located as `file:line:column: what` (or skipped and
/// counted with `skipBadLines`). Column types are inferred from the whole column.
public enum CSVReader {
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws -> (frame: Frame, skippedLines: Int) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw TensorError("data.read_csv: cannot open '\(path)': \(reason)")
        }
        return try parse(bytes: [UInt8](data), name: path, options: options)
    }

    public static func parse(bytes input: [UInt8], name: String, options: CSVOptions) throws -> (frame: Frame, skippedLines: Int) {
        var bytes = input[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard !bytes.isEmpty else { throw TensorError("data.read_csv: '\(name)' is empty (no header line)") }

        var records: [(line: Int, fields: [String])] = []
        var skipped = 0
        var parser = RecordParser(bytes: bytes, separator: options.separator)
        while true {
            let startLine = parser.line
            let record: [ArraySlice<UInt8>]?
            do {
                record = try parser.next()
            } catch let problem as RecordParser.Problem {
                throw TensorError("\(name):\(problem.line):\(problem.column): \(problem.message)")
            }
            guard let record else { break }
            if record.count == 1 && record[0].isEmpty { continue }   // blank line
            var fields: [String] = []
            fields.reserveCapacity(record.count)
            for (k, raw) in record.enumerated() {
                guard let text = decode(raw, options.encoding) else {
                    if options.skipBadLines { skipped += 1; fields = []; break }
                    throw TensorError("\(name):\(startLine):\(k + 1): invalid UTF-8 (pass {encoding = \"latin1\"} or \"cp1252\" for files exported from older tools)")
                }
                fields.append(text)
            }
            if !fields.isEmpty || record.isEmpty { records.append((startLine, fields)) }
        }
        guard let first = records.first else { throw TensorError("data.read_csv: '\(name)' has no lines") }

        let names: [String]
        var body = records[...]
        if options.header {
            names = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            body = records.dropFirst()
            for (k, n) in names.enumerated() where n.isEmpty {
                throw TensorError("\(name):\(first.line):\(k + 1): empty column name in the header")
            }
            var seen: Set<String> = []
            for (k, n) in names.enumerated() {
                guard seen.insert(n).inserted else { throw TensorError("\(name):\(first.line):\(k + 1): duplicate column name '\(n)' in the header") }
            }
        } else {
            names = (1...first.fields.count).map(String.init)
        }

        var cells = [[String?]](repeating: [], count: names.count)
        for k in cells.indices { cells[k].reserveCapacity(body.count) }
        for record in body {
            guard record.fields.count == names.count else {
                if options.skipBadLines { skipped += 1; continue }
                throw TensorError("\(name):\(record.line):\(min(record.fields.count, names.count) + 1): expected \(names.count) fields (as in the \(options.header ? "header" : "first line")), got \(record.fields.count)")
            }
            for (k, text) in record.fields.enumerated() {
                cells[k].append(options.missingMarkers.contains(text) ? nil : text)
            }
        }
        for key in options.types.keys where !names.contains(key) {
            throw TensorError("data.read_csv: option types names column '\(key)', which is not in the file\(didYouMean(key, names))")
        }
        var columns: [Column] = []
        for (k, columnName) in names.enumerated() {
            let lines = body.map(\.line)
            columns.append(try ColumnTyping.column(named: columnName, cells[k], forced: options.types[columnName],
                                                    locate: { row in "\(name):\(lines[row]):\(k + 1)" }))
        }
        return (try Frame(columns: columns), skipped)
    }

    static func decode(_ raw: ArraySlice<UInt8>, _ encoding: CSVOptions.Encoding) -> String? {
        switch encoding {
        case .utf8, .utf8BOM: return String(validating: raw, as: UTF8.self)
        case .latin1: return String(bytes: raw, encoding: .isoLatin1)
        case .cp1252: return String(bytes: raw, encoding: .windowsCP1252) ?? String(bytes: raw, encoding: .isoLatin1)
        }
    }
}

/// Splits bytes into records of raw fields (quotes removed, doubled quotes undone).
struct RecordParser {
    struct Problem: Error { let line: Int; let column: Int; let message: String }

    let bytes: ArraySlice<UInt8>
    let separator: UInt8
    var position: Int
    var line = 1

    init(bytes: ArraySlice<UInt8>, separator: UInt8) {
        self.bytes = bytes
        self.separator = separator
        position = bytes.startIndex
    }

    /// The next record, or nil at the end of the input.
    mutating func next() throws -> [ArraySlice<UInt8>]? {
        guard position < bytes.endIndex else { return nil }
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), ret = UInt8(ascii: "\r")
        var fields: [ArraySlice<UInt8>] = []
        while true {
            if position < bytes.endIndex && bytes[position] == quote {
                // Quoted field: runs to the closing quote; "" stands for one quote.
                let openLine = line
                position += 1
                var unescaped: [UInt8] = []
                var closed = false
                while position < bytes.endIndex {
                    let b = bytes[position]
                    if b == quote {
                        if position + 1 < bytes.endIndex && bytes[position + 1] == quote {
                            unescaped.append(quote); position += 2; continue
                        }
                        position += 1; closed = true; break
                    }
                    if b == newline { line += 1 }
                    unescaped.append(b)
                    position += 1
                }
                guard closed else {
                    throw Problem(line: openLine, column: fields.count + 1, message: "unterminated quoted field (the quote opened here is never closed)")
                }
                fields.append(unescaped[...])
                guard position < bytes.endIndex else { return fields }
                let b = bytes[position]
                if b == separator { position += 1; continue }
                if b == ret && position + 1 < bytes.endIndex && bytes[position + 1] == newline { position += 2; line += 1; return fields }
                if b == newline || b == ret { position += 1; line += 1; return fields }
                throw Problem(line: line, column: fields.count, message: "unexpected text after a closing quote (a quote inside a quoted field must be doubled: \"\")")
            }
            // Plain field: up to the separator or the end of the line.
            let start = position
            while position < bytes.endIndex {
                let b = bytes[position]
                if b == separator || b == newline || b == ret { break }
                if b == quote {
                    throw Problem(line: line, column: fields.count + 1, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                position += 1
            }
            fields.append(bytes[start..<position])
            guard position < bytes.endIndex else { return fields }
            let b = bytes[position]
            position += 1
            if b == separator { continue }
            if b == ret && position < bytes.endIndex && bytes[position] == newline { position += 1 }
            line += 1
            return fields
        }
    }
}
