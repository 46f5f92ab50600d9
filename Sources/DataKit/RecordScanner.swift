import Foundation

/// One field as the scanner splits it: its bytes (valid until the next field), where
/// they are, and what the scanner noticed on the way.
struct ScannedField {
    let index: Int
    let bytes: UnsafeBufferPointer<UInt8>
    let start: Int
    let inScratch: Bool
    let plain: PlainNumber
    let high: Bool
    let quoted: Bool
    /// True when the record ends after this field.
    let last: Bool
}

/// Receives a record's fields one by one.
protocol FieldSink {
    mutating func field(_ f: ScannedField) throws
}

/// Splits the bytes into records of fields. A field is a span of the input or, for a
/// quoted field with doubled quotes, of a scratch buffer holding it unescaped.
final class RecordScanner {
    struct Problem: Error {
        let offset: Int
        let column: Int
        let message: String
        /// False when the rest of the file cannot be split into lines (an open quote).
        let recoverable: Bool
    }

    struct Field {
        var start = 0
        var count = 0
        var inScratch = false
        var high = false
        var quoted = false
        var plain = PlainNumber()
    }

    let base: UnsafePointer<UInt8>
    let end: Int
    let separator: UInt8
    var position = 0
    private(set) var fields: UnsafeMutablePointer<Field>
    private var fieldCapacity = 32
    private(set) var fieldCount = 0
    private(set) var anyHigh = false
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCount = 0
    private var scratchCapacity = 256
    /// Nonzero for the bytes that end an unquoted field: separator, quote, \n, \r.
    private let stops: UnsafeMutablePointer<UInt8>

    static let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), ret = UInt8(ascii: "\r")

    /// The decimal mark of plain numbers; recognising them is off (0xFF) when numbers
    /// may hold thousands separators.
    let decimal: UInt8

    init(_ buffer: UnsafeBufferPointer<UInt8>, separator: UInt8, decimal: UInt8 = UInt8(ascii: "."), plainNumbers: Bool = true) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = buffer.count
        self.separator = separator
        self.decimal = plainNumbers ? decimal : 0xFF
        scratch = .allocate(capacity: scratchCapacity)
        stops = .allocate(capacity: 256)
        stops.initialize(repeating: 0, count: 256)
        for b in [separator, RecordScanner.quote, RecordScanner.newline, RecordScanner.ret] { stops[Int(b)] = 1 }
        fields = .allocate(capacity: fieldCapacity)
        fields.initialize(repeating: Field(), count: fieldCapacity)
    }

    deinit {
        fields.deallocate()
        scratch.deallocate()
        stops.deallocate()
    }

    /// True when the record just read is an empty line.
    var isBlank: Bool { fieldCount == 1 && fields[0].count == 0 && !fields[0].quoted }

    @inline(__always)
    func field(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        let f = fields[k]
        return UnsafeBufferPointer(start: (f.inScratch ? UnsafePointer(scratch) : base) + f.start, count: f.count)
    }

    func skipLine() {
        while position < end && base[position] != RecordScanner.newline { position += 1 }
        if position < end { position += 1 }
    }

    @inline(__always)
    func addField(_ f: Field) {
        if fieldCount == fieldCapacity {
            let grown = UnsafeMutablePointer<Field>.allocate(capacity: fieldCapacity * 2)
            grown.initialize(repeating: Field(), count: fieldCapacity * 2)
            grown.update(from: fields, count: fieldCount)
            fields.deallocate()
            fields = grown
            fieldCapacity *= 2
        }
        fields[fieldCount] = f
        fieldCount += 1
        if f.high { anyHigh = true }
    }

    private func copyToScratch(_ from: Int, _ to: Int) {
        let n = to - from
        if scratchCount + n > scratchCapacity {
            var capacity = scratchCapacity * 2
            while capacity < scratchCount + n { capacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: scratch, count: scratchCount)
            scratch.deallocate()
            scratch = grown
            scratchCapacity = capacity
        }
        (scratch + scratchCount).update(from: base + from, count: n)
        scratchCount += n
    }

    /// Reads the decimal digits at `p` into `value` (value * 10^n + digits) and multiplies
    /// `power` by 10^n; returns n. (Wrapping arithmetic: callers reject more than 18 digits.)
    @inline(__always)
    private func digits(_ p: inout Int, _ value: inout UInt64, _ power: inout UInt64) -> Int {
        let first = p
        while p < end {
            let d = base[p] &- 48
            if d >= 10 { break }
            value = value &* 10 &+ UInt64(d)
            power = power &* 10
            p &+= 1
        }
        return p &- first
    }

    /// The plain number at `p` (`p` moves past its digits); a scale of -1 when the field
    /// is not one.
    @inline(__always)
    private func plainNumber(_ p: inout Int) -> PlainNumber {
        var plain = PlainNumber()
        if p < end && (base[p] == UInt8(ascii: "-") || base[p] == UInt8(ascii: "+")) {
            plain.negative = base[p] == UInt8(ascii: "-")
            p &+= 1
        }
        let digitsStart = p
        var unused: UInt64 = 1
        let integerDigits = digits(&p, &plain.mantissa, &unused)
        var fractionDigits = 0
        var point = false
        if integerDigits > 0 && p < end && base[p] == decimal {
            point = true
            p &+= 1
            fractionDigits = digits(&p, &plain.mantissa, &plain.power)
        }
        if (p == end || stops[Int(base[p])] != 0), integerDigits > 0, integerDigits + fractionDigits <= 18,
           !(integerDigits > 1 && base[digitsStart] == FieldParser.digit0), !point || fractionDigits > 0 {
            plain.scale = fractionDigits
        }
        return plain
    }

    /// What follows a field at `p`: true for a separator (`p` moves past it), false for
    /// the end of the record (`position` moves to the next one), nil for anything else.
    @inline(__always)
    private func afterField(_ p: inout Int) -> Bool? {
        guard p < end else { position = p; return false }
        let b = base[p]
        if b == separator { p += 1; return true }
        if b == RecordScanner.newline { position = p + 1; return false }
        if b == RecordScanner.ret { position = p + 1 < end && base[p + 1] == RecordScanner.newline ? p + 2 : p + 1; return false }
        position = p
        return nil
    }

    /// Reads the next record into `fields`; false at the end of the input.
    func next() throws -> Bool {
        var store = FieldStore(scanner: self)
        return try next(into: &store)
    }

    /// Keeps a record's fields in the scanner (`fields`, `fieldCount`, `anyHigh`).
    struct FieldStore: FieldSink {
        unowned(unsafe) let scanner: RecordScanner

        @inline(__always)
        mutating func field(_ f: ScannedField) throws {
            scanner.addField(Field(start: f.start, count: f.bytes.count, inScratch: f.inScratch, high: f.high, quoted: f.quoted, plain: f.plain))
        }
    }

    /// Reads the next record, handing each field to `sink` as soon as it is split;
    /// false at the end of the input.
    @inline(__always)
    func next<Sink: FieldSink>(into sink: inout Sink) throws -> Bool {
        guard position < end else { return false }
        fieldCount = 0
        anyHigh = false
        scratchCount = 0
        var index = 0
        let quote = RecordScanner.quote
        var p = position
        while true {
            if p < end && base[p] == quote {
                // Quoted field: runs to the closing quote; "" stands for one quote.
                let open = p
                p += 1
                var segment = p
                var high: UInt8 = 0
                var escaped = false
                let scratchStart = scratchCount
                while true {
                    while p < end && base[p] != quote { high |= base[p]; p += 1 }
                    guard p < end else {
                        position = end
                        throw Problem(offset: open, column: index + 1,
                                      message: "unterminated quoted field (the quote opened here is never closed)", recoverable: false)
                    }
                    if p + 1 < end && base[p + 1] == quote {
                        copyToScratch(segment, p + 1)
                        escaped = true
                        p += 2
                        segment = p
                        continue
                    }
                    break
                }
                if escaped { copyToScratch(segment, p) }
                let fieldStart = escaped ? scratchStart : segment
                let count = escaped ? scratchCount - scratchStart : p - segment
                p += 1
                guard let more = afterField(&p) else {
                    throw Problem(offset: p, column: index + 1,
                                  message: "unexpected text after a closing quote (a quote inside a quoted field must be doubled: \"\")", recoverable: true)
                }
                try sink.field(ScannedField(index: index, bytes: UnsafeBufferPointer(start: (escaped ? UnsafePointer(scratch) : base) + fieldStart, count: count),
                                            start: fieldStart, inScratch: escaped, plain: PlainNumber(), high: high >= 0x80, quoted: true, last: !more))
                if !more { return true }
                index += 1
                continue
            }
            // Unquoted field: up to the separator or the end of the line. A number such
            // as -12.75 is recognised on the way (see PlainNumber).
            let start = p
            var high: UInt8 = 0
            var plain = PlainNumber()
            if decimal != 0xFF {
                plain = plainNumber(&p)
            }
            if plain.scale < 0 {
                while p < end {
                    let b = base[p]
                    if stops[Int(b)] != 0 { break }
                    high |= b
                    p &+= 1
                }
            }
            let count = p - start
            guard let more = afterField(&p) else {
                throw Problem(offset: p, column: index + 1,
                              message: "a quote inside an unquoted field (quote the whole field and double the quote)", recoverable: true)
            }
            try sink.field(ScannedField(index: index, bytes: UnsafeBufferPointer(start: base + start, count: count),
                                        start: start, inScratch: false, plain: plain, high: high >= 0x80, quoted: false, last: !more))
            if !more { return true }
            index += 1
        }
    }
}
