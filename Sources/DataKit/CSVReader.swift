import Dispatch
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
    /// The decimal mark of numbers: '.' or ','.
    public var decimal = UInt8(ascii: ".")
    /// A thousands separator inside numbers ("1.234,5" with decimal ','), skipped.
    public var thousands: UInt8? = nil
    /// The format of date columns; without it only ISO dates (and slash dates that fit
    /// one day/month order only) are recognised.
    public var dateFormat: DateFormat? = nil

    public init() {}
}

/// A strict CSV reader: quoted fields may hold separators, doubled quotes and line breaks;
/// every malformed line is an error located as `file:line:column: what` (or skipped and
/// counted with `skipBadLines`). Column types are inferred from the whole column.
///
/// The file is read into memory once and parsed in one pass over its bytes: fields are
/// typed as they are met (see `ColumnBuilder`), so no per-cell strings are made for
/// numeric columns.
public enum CSVReader {
    /// Files with fewer data bytes than this are read by one core (tests lower it).
    static var parallelThreshold = 4 << 20

    public static func read(path: String, options: CSVOptions = CSVOptions()) throws -> (frame: Frame, skippedLines: Int) {
        let file = try loadFile(path)
        // The bytes are freed as soon as every field has been read, before the columns are
        // built: the peak memory of a read is then about the frame and one copy of it.
        return try withExtendedLifetime(file) { try parse(buffer: file.buffer, name: path, options: options, parsed: file.release) }
    }

    static func loadFile(_ path: String) throws -> FileBytes {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw TensorError("data.read_csv: cannot open '\(path)': \(reason)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw TensorError("data.read_csv: cannot read '\(path)': \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw TensorError("data.read_csv: '\(path)' is a folder, not a file") }
        var capacity = info.st_mode & S_IFMT == S_IFREG ? Int(info.st_size) + 1 : 1 << 20   // +1: the end shows as a short read
        var file = FileBytes(capacity: capacity)
        // A large file is read by two cores, half each (then it is checked for more bytes).
        if info.st_mode & S_IFMT == S_IFREG, info.st_size >= parallelThreshold, ProcessInfo.processInfo.activeProcessorCount > 1,
           file.fillParallel(from: fd, length: Int(info.st_size)) {
            lseek(fd, off_t(info.st_size), SEEK_SET)
        }
        // A file that grows while read, or a pipe: read on to the end in a larger buffer.
        while true {
            let n = file.fill(from: fd)
            if n < 0 { throw TensorError("data.read_csv: cannot read '\(path)': \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            capacity *= 2
            let larger = FileBytes(capacity: capacity)
            larger.append(file.buffer)
            file = larger
        }
        return file
    }

    public static func parse(bytes: [UInt8], name: String, options: CSVOptions) throws -> (frame: Frame, skippedLines: Int) {
        try bytes.withUnsafeBufferPointer { try parse(buffer: $0, name: name, options: options) }
    }

    /// `parsed` runs once the input bytes are no longer needed.
    static func parse(buffer input: UnsafeBufferPointer<UInt8>, name: String, options: CSVOptions,
                      parsed: () -> Void = {}) throws -> (frame: Frame, skippedLines: Int) {
        if let t = options.thousands, t == options.separator || t == options.decimal {
            throw TensorError("data.read_csv: the thousands separator '\(Character(Unicode.Scalar(t)))' must differ from the field separator and the decimal mark")
        }
        if options.decimal == options.separator {
            throw TensorError("data.read_csv: the decimal mark '\(Character(Unicode.Scalar(options.decimal)))' is also the field separator; pass {sep = \";\"} with {decimal = \",\"}")
        }
        switch options.encoding {
        case .utf8, .utf8BOM:
            var buffer = input
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer = UnsafeBufferPointer(rebasing: buffer[3...]) }
            guard !buffer.isEmpty else { throw TensorError("data.read_csv: '\(name)' is empty (no header line)") }
            return try Reading(buffer: buffer, name: name, options: options).run(parsed: parsed)
        case .latin1, .cp1252:
            guard !input.isEmpty else { throw TensorError("data.read_csv: '\(name)' is empty (no header line)") }
            return try Transcoding.toUTF8(input, cp1252: options.encoding == .cp1252).withUnsafeBufferPointer {
                try Reading(buffer: $0, name: name, options: options).run(parsed: parsed)
            }
        }
    }
}

/// What every part of one read shares: the bytes, the options, and how to locate and
/// report a problem.
private struct ReadContext {
    let buffer: UnsafeBufferPointer<UInt8>
    let name: String
    let options: CSVOptions
    let parser: FieldParser
    let markers: [[UInt8]]
    let hasMarkers: Bool

    init(buffer: UnsafeBufferPointer<UInt8>, name: String, options: CSVOptions) {
        self.buffer = buffer
        self.name = name
        self.options = options
        parser = FieldParser(decimal: options.decimal, thousands: options.thousands ?? 0xFF)
        markers = options.missingMarkers.filter { !$0.isEmpty }.map { Array($0.utf8) }
        hasMarkers = !markers.isEmpty
    }

    /// file:line:column of a byte offset (lines count \n, \r\n and a lone \r).
    func location(_ offset: Int, column: Int) -> String {
        var line = 1
        var i = 0
        let end = Swift.min(offset, buffer.count)
        while i < end {
            let b = buffer[i]
            if b == 10 || (b == 13 && (i + 1 >= buffer.count || buffer[i + 1] != 10)) { line += 1 }
            i += 1
        }
        return "\(name):\(line):\(column)"
    }

    func problemError(_ p: RecordScanner.Problem) -> TensorError {
        TensorError("\(location(p.offset, column: p.column)): \(p.message)")
    }

    func invalidUTF8(_ offset: Int, column: Int) -> TensorError {
        TensorError("\(location(offset, column: column)): invalid UTF-8 (pass {encoding = \"latin1\"} or \"cp1252\" for files exported from older tools)")
    }

    @inline(__always)
    func isMissing(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        if f.isEmpty { return true }
        if !hasMarkers { return false }
        for m in markers where m.count == f.count {
            if m.withUnsafeBufferPointer({ memcmp($0.baseAddress!, f.baseAddress!, f.count) == 0 }) { return true }
        }
        return false
    }

    /// The first invalid-UTF-8 field of the scanner's current record, if any.
    func invalidField(_ scan: RecordScanner) -> Int? {
        for k in 0..<scan.fieldCount where scan.fields[k].high {
            if !isValidUTF8(scan.field(k)) { return k }
        }
        return nil
    }
}

/// Reads the header, splits the data rows into one part per core (at a line break the
/// first part must prove to be outside quotes), reads the parts in parallel, and joins
/// their columns.
private struct Reading {
    let context: ReadContext

    init(buffer: UnsafeBufferPointer<UInt8>, name: String, options: CSVOptions) {
        context = ReadContext(buffer: buffer, name: name, options: options)
    }

    func run(parsed: () -> Void) throws -> (frame: Frame, skippedLines: Int) {
        let options = context.options
        let scan = RecordScanner(context.buffer, separator: options.separator)
        // Header (or the first record, which fixes the number of columns).
        var headerStart = 0
        repeat {
            headerStart = scan.position
            do {
                guard try scan.next() else { throw TensorError("data.read_csv: '\(context.name)' has no lines") }
            } catch let p as RecordScanner.Problem { throw context.problemError(p) }
        } while scan.isBlank
        if let k = context.invalidField(scan) { throw context.invalidUTF8(headerStart, column: k + 1) }
        let width = scan.fieldCount
        let names: [String]
        var bodyStart = scan.position
        if options.header {
            names = (0..<width).map { String(decoding: scan.field($0), as: UTF8.self).trimmingCharacters(in: .whitespaces) }
            var seen: Set<String> = []
            for (k, n) in names.enumerated() {
                if n.isEmpty { throw TensorError("\(context.location(headerStart, column: k + 1)): empty column name in the header") }
                guard seen.insert(n).inserted else { throw TensorError("\(context.location(headerStart, column: k + 1)): duplicate column name '\(n)' in the header") }
            }
            for key in options.types.keys where !names.contains(key) {
                throw TensorError("data.read_csv: option types names column '\(key)', which is not in the file\(didYouMean(key, names))")
            }
        } else {
            names = (1...width).map(String.init)
            bodyStart = headerStart   // the first line is data
        }

        // The first data record's length sizes the columns (see ChunkReader.init).
        var recordLength = scan.position - headerStart
        if options.header, (try? scan.next()) == true { recordLength = scan.position - bodyStart }

        let end = context.buffer.count
        var bounds = [bodyStart, end]
        // Split at the first line break after the middle, assuming it is outside quotes;
        // the first part proves it (it ends cleanly exactly there) or the file is read
        // again by one core.
        if end - bodyStart >= CSVReader.parallelThreshold, ProcessInfo.processInfo.activeProcessorCount > 1,
           let newline = memchr(context.buffer.baseAddress! + bodyStart + (end - bodyStart) / 2, Int32(RecordScanner.newline),
                                (end - bodyStart) - (end - bodyStart) / 2) {
            let middle = UnsafePointer<UInt8>(newline.assumingMemoryBound(to: UInt8.self)) - context.buffer.baseAddress! + 1
            if middle < end { bounds = [bodyStart, middle, end] }
        }
        var parts = (0..<bounds.count - 1).map {
            ChunkReader(context: context, names: names, from: bounds[$0], to: bounds[$0 + 1], width: width, recordLength: recordLength)
        }
        if parts.count == 1 {
            try parts[0].read()
        } else {
            DispatchQueue.concurrentPerform(iterations: parts.count) { i in parts[i].readCatching() }
            if parts[0].endedInsideQuotes || parts.contains(where: { $0.error != nil }) {
                // A wrong guess, or a real problem: the single pass finds and reports it.
                parts = [ChunkReader(context: context, names: names, from: bodyStart, to: end, width: width, recordLength: recordLength)]
                try parts[0].read()
            }
        }
        for part in parts.dropFirst() {
            for k in 0..<width { try parts[0].reconcile(k, part) }
        }
        parsed()
        // The columns are made on this thread, one at a time, and each one's builders are
        // freed as soon as it is made. (Made on two threads they took 5 ms less of 130, but
        // their memory then came from two threads' heaps, which later reads could not
        // always reuse: the peak of repeated reads drifted from 400 to 540 MB.)
        var columns: [Column] = []
        columns.reserveCapacity(width)
        for k in 0..<width {
            var taken = parts.map { $0.builders[k].take() }
            defer { for i in taken.indices { taken[i].release() } }
            columns.append(try ColumnBuilder.finish(&taken))
        }
        return (try Frame(columns: columns), parts.reduce(0) { $0 + $1.skipped })
    }
}

/// Reads the data rows between two offsets into one builder per column.
private final class ChunkReader {
    let context: ReadContext
    let lower: Int
    let upper: Int
    let width: Int
    let builders: UnsafeMutablePointer<ColumnBuilder>
    var rowStarts: [Int] = []
    var skipped = 0
    var error: Error?
    /// True when the part ended in an open quoted field: its end was not a record boundary.
    var endedInsideQuotes = false

    /// Copies of what the hot path reads from the context (reading a struct held by a
    /// class would copy it, with its arrays, on every call).
    let parser: FieldParser
    let hasMarkers: Bool

    /// The columns are sized for the rows the part holds if its records are about
    /// `recordLength` bytes long, and allocated here, on the thread that makes the frame's
    /// columns later: their memory comes from that thread's heap, where the columns reuse
    /// it, whichever thread reads the part.
    init(context: ReadContext, names: [String], from lower: Int, to upper: Int, width: Int, recordLength: Int) {
        self.context = context
        parser = context.parser
        hasMarkers = context.hasMarkers
        self.lower = lower
        self.upper = upper
        self.width = width
        let expected = (upper - lower) / Swift.max(1, recordLength) + 64
        rowStarts.reserveCapacity(expected + expected / 8)
        builders = .allocate(capacity: width)
        for (k, n) in names.enumerated() {
            (builders + k).initialize(to: ColumnBuilder(name: n, forced: context.options.types[n], dateFormat: context.options.dateFormat))
            builders[k].reserve(rows: expected + expected / 8)
        }
    }

    deinit {
        for k in 0..<width { builders[k].release() }
        builders.deinitialize(count: width)
        builders.deallocate()
    }

    func scanner() -> RecordScanner {
        RecordScanner(UnsafeBufferPointer(rebasing: context.buffer[..<upper]), separator: context.options.separator,
                      decimal: context.options.decimal, plainNumbers: context.options.thousands == nil)
    }

    func readCatching() {
        do { try read() } catch { self.error = error }
    }

    /// Feeds each field to its column as the scanner splits it (the fast path for files
    /// read strictly). A record that turns out wrong stops the feeding; the read then
    /// fails, so the values already fed do not matter.
    struct Feeder: FieldSink {
        unowned(unsafe) let reader: ChunkReader
        let builders: UnsafeMutablePointer<ColumnBuilder>
        let parser: FieldParser
        let hasMarkers: Bool
        let row: Int
        let start: Int
        let width: Int
        var fields = 0
        var blank = false
        var wrong = false

        init(reader: ChunkReader, row: Int, start: Int) {
            self.reader = reader
            builders = reader.builders
            parser = reader.parser
            hasMarkers = reader.hasMarkers
            width = reader.width
            self.row = row
            self.start = start
        }

        @inline(__always)
        mutating func field(_ f: ScannedField) throws {
            fields = f.index + 1
            if wrong { return }
            if f.index == 0 && f.last && f.bytes.isEmpty && !f.quoted { blank = true; return }
            guard f.index < width, !f.high || isValidUTF8(f.bytes), !(f.last && f.index + 1 < width) else {
                wrong = true
                return
            }
            if hasMarkers { return try reader.feed(f.index, f.bytes, f.plain, row: row, start: start) }
            if f.bytes.isEmpty { builders[f.index].appendMissing(); return }
            if f.plain.scale >= 0 && builders[f.index].appendPlain(f.plain) { return }
            let outcome = builders[f.index].append(f.bytes, f.plain, parser)
            if outcome != .ok { try reader.widen(f.index, outcome, f.bytes, f.plain, row: row, start: start) }
        }
    }

    func read() throws {
        let scan = scanner()
        scan.position = lower
        let options = context.options
        while true {
            let start = scan.position
            if !options.skipBadLines && !rowStarts.isEmpty {
                var feeder = Feeder(reader: self, row: rowStarts.count, start: start)
                do {
                    guard try scan.next(into: &feeder) else { break }
                } catch let p as RecordScanner.Problem {
                    if !p.recoverable && upper < context.buffer.count { endedInsideQuotes = true }
                    throw context.problemError(p)
                }
                if feeder.blank { continue }
                if !feeder.wrong && feeder.fields == width {
                    rowStarts.append(start)
                    continue
                }
                // Read the record again the careful way below, which names what is wrong.
                scan.position = start
            }
            do {
                guard try scan.next() else { break }
            } catch let p as RecordScanner.Problem {
                if !p.recoverable && upper < context.buffer.count { endedInsideQuotes = true }
                guard options.skipBadLines && p.recoverable else { throw context.problemError(p) }
                skipped += 1
                scan.skipLine()
                continue
            }
            if scan.isBlank { continue }
            guard scan.fieldCount == width else {
                if options.skipBadLines { skipped += 1; continue }
                throw TensorError("\(context.location(start, column: Swift.min(scan.fieldCount, width) + 1)): expected \(width) fields (as in the \(options.header ? "header" : "first line")), got \(scan.fieldCount)")
            }
            if scan.anyHigh, let k = context.invalidField(scan) {
                if options.skipBadLines { skipped += 1; continue }
                throw context.invalidUTF8(start, column: k + 1)
            }
            if !options.skipBadLines && !rowStarts.isEmpty {
                throw TensorError("\(context.location(start, column: 1)): this line could not be read (internal error; please report it with the file)")
            }
            let row = rowStarts.count
            rowStarts.append(start)
            for k in 0..<width {
                try feed(k, scan.field(k), scan.fields[k].plain, row: row, start: start)
            }
        }
    }

    /// Adds field `k` of data row `row` to its column, widening the column (and feeding
    /// it the earlier rows again) when the value does not fit.
    @inline(__always)
    func feed(_ k: Int, _ f: UnsafeBufferPointer<UInt8>, _ plain: PlainNumber, row: Int, start: Int) throws {
        if f.isEmpty || (hasMarkers && context.isMissing(f)) { builders[k].appendMissing(); return }
        if plain.scale >= 0 && builders[k].appendPlain(plain) { return }
        let outcome = builders[k].append(f, plain, parser)
        if outcome == .ok { return }
        try widen(k, outcome, f, plain, row: row, start: start)
    }

    func widen(_ k: Int, _ outcome: ColumnBuilder.Outcome, _ f: UnsafeBufferPointer<UInt8>, _ plain: PlainNumber, row: Int, start: Int) throws {
        switch outcome {
        case .ok:
            return
        case .notForcedType:
            let kind = builders[k].forced.map(\.rawValue) ?? "value"
            let what = kind == "date" ? "a date (\(builders[k].dateFormat?.text ?? "YYYY-MM-DD"))" : kind == "integer" ? "an integer" : kind == "bool" ? "true or false" : "a \(kind)"
            throw TensorError("\(context.location(start, column: k + 1)): '\(String(decoding: f.prefix(40), as: UTF8.self))' in column '\(builders[k].name)' is not \(what)")
        case .widenToText:
            builders[k].reset(state: .string, datesAllowed: builders[k].datesAllowed)
        case .retryWithoutDates:
            builders[k].reset(state: .undecided, datesAllowed: false)
        }
        try refeed(k, rows: row)
        try feed(k, f, plain, row: row, start: start)
    }

    /// Feeds column `k` its first `rows` rows again (after a reset).
    func refeed(_ k: Int, rows: Int) throws {
        let again = scanner()
        for r in 0..<rows {
            again.position = rowStarts[r]
            _ = try again.next()
            try feed(k, again.field(k), again.fields[k].plain, row: r, start: rowStarts[r])
        }
    }

    /// Brings column `k` of a later part and this part's to one type. When they differ,
    /// the narrower side is read again as the wider type (integer joins number as
    /// number; other mixes become text; a date-format column that failed on one side is
    /// read without dates on both).
    func reconcile(_ k: Int, _ other: ChunkReader) throws {
        while !builders[k].agree(with: &other.builders[k]) {
            let a = builders[k], b = other.builders[k]
            if !a.datesAllowed || !b.datesAllowed, a.datesAllowed || b.datesAllowed {
                let side = a.datesAllowed ? self : other
                side.builders[k].reset(state: .undecided, datesAllowed: false)
                try side.refeed(k, rows: side.rowStarts.count)
                continue
            }
            for side in [self, other] where side.builders[k].state != .string {
                side.builders[k].reset(state: .string, datesAllowed: side.builders[k].datesAllowed)
                try side.refeed(k, rows: side.rowStarts.count)
            }
        }
    }
}
