import Foundation
import TensorKit

/// Builds one column while a CSV file is read, choosing its type from all of its values:
/// a column starts as the type of its first value (integer, number, bool, date) and is
/// widened when a later value does not fit (integer → number → text). Widening to text
/// needs the earlier fields' original bytes, so the reader reads those rows again; that
/// happens at most once per column.
///
/// Numeric values go to a raw buffer of 8-byte words plus a byte per row telling whether
/// the value is present, so the hot loop neither allocates nor counts references. Text
/// goes there too, as codes of its distinct values, while they are few (see `Interner`);
/// past that limit it is kept as Strings.
struct ColumnBuilder {
    enum State { case undecided, integer, number, bool, date, string }

    /// What `append` asks of the reader when a value does not fit the column's type.
    enum Outcome { case ok, widenToText, retryWithoutDates, notForcedType }

    let name: String
    let forced: Column.Kind?
    let dateFormat: DateFormat?
    var datesAllowed = true
    private(set) var state: State = .undecided
    private(set) var count = 0 // rows so far
    private var capacity = 0
    private var words: UnsafeMutablePointer<UInt64>? = nil
    private var present: UnsafeMutablePointer<Bool>? = nil
    private var strings: [String?] = []
    private var interner: Interner? = Interner()

    init(name: String, forced: Column.Kind?, dateFormat: DateFormat?) {
        self.name = name
        self.forced = forced
        self.dateFormat = dateFormat
        switch forced {
        case .integer?: state = .integer
        case .number?: state = .number
        case .bool?: state = .bool
        case .date?: state = .date
        case .string?, .category?: state = .string
        case nil: state = .undecided
        }
    }

    /// Frees the buffers (the builder can be reset and used again).
    mutating func release() {
        words?.deallocate(); words = nil
        present?.deallocate(); present = nil
        capacity = 0
        strings = []
        interner = nil
    }

    /// Forgets every value (before the reader feeds the column again from its first row).
    mutating func reset(state newState: State, datesAllowed: Bool) {
        release()
        count = 0
        interner = Interner()
        state = newState
        self.datesAllowed = datesAllowed
    }

    /// The number of rows the reader expects (from the file size): the first buffer is
    /// that large, so it rarely grows.
    var expectedRows = 0

    /// Allocates room for `rows` values now (the first buffer is that large, so it rarely grows).
    mutating func reserve(rows: Int) {
        expectedRows = rows
        if capacity == 0 { grow() }
    }

    private mutating func grow() {
        let newCapacity = capacity == 0 ? Swift.max(1024, expectedRows) : capacity * 2
        let w = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
        let p = UnsafeMutablePointer<Bool>.allocate(capacity: newCapacity)
        if let words, let present {
            w.update(from: words, count: count)
            p.update(from: present, count: count)
            words.deallocate()
            present.deallocate()
        }
        words = w
        present = p
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func push(_ bits: UInt64, _ isPresent: Bool) {
        if count == capacity { grow() }
        words.unsafelyUnwrapped[count] = bits
        present.unsafelyUnwrapped[count] = isPresent
        count &+= 1
    }

    @inline(__always)
    mutating func appendMissing() {
        if state == .string && interner == nil { strings.append(nil); count += 1 } else { push(0, false) }
    }

    private func date(_ f: UnsafeBufferPointer<UInt8>, _ p: FieldParser) -> Int32? {
        if let dateFormat { return dateFormat.parse(f) }
        return p.isoDate(f)
    }

    /// Adds a number the scanner already read when the column takes it as is (the common
    /// case); false sends the field through `append`.
    @inline(__always)
    mutating func appendPlain(_ plain: PlainNumber) -> Bool {
        switch state {
        case .number where plain.mantissa <= 1 << 53:
            // Both below 2^63: signed conversions, one instruction each.
            let v = Double(Int64(bitPattern: plain.mantissa)) / Double(Int64(bitPattern: plain.power))
            push((plain.negative ? -v : v).bitPattern, true)
            return true
        case .integer where plain.scale == 0:
            // At most 18 digits: the mantissa fits an Int64.
            let v = Int64(bitPattern: plain.mantissa)
            push(UInt64(bitPattern: plain.negative ? 0 &- v : v), true)
            return true
        default:
            return false
        }
    }

    /// Adds one present value, or says why it does not fit.
    @inline(__always)
    mutating func append(_ f: UnsafeBufferPointer<UInt8>, _ plain: PlainNumber, _ p: FieldParser) -> Outcome {
        switch state {
        case .integer:
            if let v = plain.scale >= 0 ? plain.integer : p.integer(f) { push(UInt64(bitPattern: v), true); return .ok }
            if forced != nil { return .notForcedType }
            guard let v = plain.number ?? p.number(f) else { return .widenToText }
            toNumbers()
            push(v.bitPattern, true)
            return .ok
        case .number:
            if let v = plain.number ?? p.number(f) { push(v.bitPattern, true); return .ok }
            return forced != nil ? .notForcedType : .widenToText
        case .bool:
            if let v = p.bool(f) { push(v ? 1 : 0, true); return .ok }
            return forced != nil ? .notForcedType : .widenToText
        case .date:
            if let v = date(f, p) { push(UInt64(bitPattern: Int64(v)), true); return .ok }
            if forced != nil { return .notForcedType }
            // A column of values such as 20240131 fits %Y%m%d until one does not: then it
            // is read again as if no date format applied.
            return dateFormat != nil ? .retryWithoutDates : .widenToText
        case .string:
            appendText(f)
            return .ok
        case .undecided:
            if datesAllowed, dateFormat != nil, let v = date(f, p) {
                state = .date; push(UInt64(bitPattern: Int64(v)), true)
            } else if let v = plain.scale >= 0 ? plain.integer : p.integer(f) {
                state = .integer; push(UInt64(bitPattern: v), true)
            } else if let v = plain.number ?? p.number(f) {
                state = .number; push(v.bitPattern, true)
            } else if let v = p.bool(f) {
                state = .bool; push(v ? 1 : 0, true)
            } else if datesAllowed, let v = date(f, p) {
                state = .date; push(UInt64(bitPattern: Int64(v)), true)
            } else {
                // The rows so far are all missing: as codes they stay as they are.
                state = .string
                appendText(f)
            }
            return .ok
        }
    }

    @inline(__always)
    private mutating func appendText(_ f: UnsafeBufferPointer<UInt8>) {
        if interner != nil {
            if let code = interner!.intern(f) { push(UInt64(code), true); return }
            decode()
        }
        strings.append(String(decoding: f, as: UTF8.self))
        count += 1
    }

    /// The coded text so far as Strings (when the interner reaches its limit); later
    /// text is appended as Strings.
    private mutating func decode() {
        let decoded = texts()
        let rows = count
        release()
        strings = decoded
        strings.reserveCapacity(Swift.max(expectedRows, rows + 1))
        count = rows
    }

    /// The column's text values in order (a .string builder).
    private func texts() -> [String?] {
        if interner == nil { return strings }
        return [String?](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let out = buffer.baseAddress else { return }
            initializeCodedTexts(out)
            initialized = count
        }
    }

    /// Initializes `count` values at `out` with the text of a coded builder.
    private func initializeCodedTexts(_ out: UnsafeMutablePointer<String?>) {
        guard let interner, let words, let present else { out.initialize(repeating: nil, count: count); return }
        interner.values.withUnsafeBufferPointer { values in
            for i in 0..<count { (out + i).initialize(to: present[i] ? values[Int(words[i])] : nil) }
        }
    }

    /// Initializes `count` values at `out` with the column's text (nil throughout for an
    /// undecided builder, whose rows are all missing). Strings are moved, not copied (no
    /// reference counting per value): the builder keeps nils in their place.
    private mutating func moveTexts(to out: UnsafeMutablePointer<String?>) {
        guard state == .string else { out.initialize(repeating: nil, count: count); return }
        if interner != nil { initializeCodedTexts(out); return }
        guard count > 0 else { return }
        strings.withUnsafeMutableBufferPointer { source in
            out.moveInitialize(from: source.baseAddress!, count: count)
            source.baseAddress!.initialize(repeating: nil, count: count)
        }
    }

    /// Hands the builder's values over to the caller, who releases them (`release`), and
    /// leaves this one empty.
    mutating func take() -> ColumnBuilder {
        let taken = self
        words = nil
        present = nil
        capacity = 0
        count = 0
        strings = []
        interner = nil
        return taken
    }

    /// Brings another part's column (its rows come after this part's) to the same type
    /// where that needs no reading: an undecided (all missing) side agrees with anything,
    /// and an integer side becomes numbers next to a number side. False when the types
    /// still differ; the reader then reads one side again as the wider type.
    mutating func agree(with other: inout ColumnBuilder) -> Bool {
        if state == .undecided || other.state == .undecided { return true }
        if state == .integer && other.state == .number { toNumbers() }
        if state == .number && other.state == .integer { other.toNumbers() }
        return state == other.state
    }

    private mutating func toNumbers() {
        for i in 0..<count { words![i] = Double(Int64(bitPattern: words![i])).bitPattern }
        state = .number
    }

    /// The parts' values in order as one optional array (missing where a part is
    /// undecided or a value is absent).
    @inline(__always)
    private static func optionals<T>(_ parts: [ColumnBuilder], _ convert: (UInt64) -> T) -> [T?] {
        let total = parts.reduce(0) { $0 + $1.count }
        return [T?](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard var out = buffer.baseAddress else { return }
            for part in parts {
                // The memory is uninitialized: initialize, never assign.
                if let words = part.words, let present = part.present, part.state != .undecided {
                    for i in 0..<part.count { (out + i).initialize(to: present[i] ? convert(words[i]) : nil) }
                } else {
                    (out).initialize(repeating: nil, count: part.count)
                }
                out += part.count
            }
            initialized = total
        }
    }

    /// The finished column of parts read separately (agreeing in type, see `agree`). A
    /// text column whose values all read as dates in exactly one day/month order becomes
    /// a date column; when both orders fit, the column is ambiguous and that is an error.
    /// A text column with few distinct values is a category column.
    static func finish(_ parts: inout [ColumnBuilder]) throws -> Column {
        guard let first = parts.first else { throw TensorError("data.read_csv: internal error: no part to finish") }
        let name = first.name
        let state = parts.first(where: { $0.state != .undecided })?.state ?? .undecided
        switch state {
        case .undecided: return Column(name: name, values: .number(Array(repeating: nil, count: parts.reduce(0) { $0 + $1.count })))
        case .integer: return Column(name: name, values: .integer(optionals(parts) { Int64(bitPattern: $0) }))
        case .number: return Column(name: name, values: .number(optionals(parts) { Double(bitPattern: $0) }))
        case .bool: return Column(name: name, values: .bool(optionals(parts) { $0 != 0 }))
        case .date: return Column(name: name, values: .date(optionals(parts) { Int32(truncatingIfNeeded: Int64(bitPattern: $0)) }))
        case .string:
            var strings: [String?]
            var interner: Interner?
            if parts.count == 1 {
                strings = first.texts()
                interner = first.interner
            } else {
                strings = [String?](unsafeUninitializedCapacity: parts.reduce(0) { $0 + $1.count }) { buffer, initialized in
                    guard var out = buffer.baseAddress else { return }
                    for i in parts.indices {
                        parts[i].moveTexts(to: out)
                        out += parts[i].count
                    }
                    initialized = buffer.count
                }
                interner = Interner()
                for part in parts where part.state != .undecided {
                    if interner != nil, let theirs = part.interner { interner!.absorb(theirs) } else { interner = nil }
                }
            }
            if first.forced == nil, parts.allSatisfy({ $0.datesAllowed }), first.dateFormat == nil,
               let column = try textDates(name, strings) { return column }
            var presentCount = 0
            for case .some in strings { presentCount += 1 }
            let category: Bool
            switch first.forced {
            case .category?: category = true
            case .string?: category = false
            default:
                category = interner.map { Column.isCategorical(distinct: $0.count, present: presentCount) } ?? false
            }
            return Column(name: name, values: .string(strings), category: category)
        }
    }

    /// Dates written with slashes or dots ("31/01/2024"), when they fit one order only.
    private static func textDates(_ name: String, _ strings: [String?]) throws -> Column? {
        guard let first = strings.first(where: { $0 != nil }) ?? nil,
              first.utf8.count >= 6, first.utf8.count <= 10,
              first.utf8.allSatisfy({ FieldParser.isDigit($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
        else { return nil }
        var fitting: [(DateFormat, [Int32?])] = []
        for format in DateFormat.candidates {
            var out: [Int32?] = []
            out.reserveCapacity(strings.count)
            var fits = true
            for s in strings {
                guard let s else { out.append(nil); continue }
                guard let d = format.parse(s) else { fits = false; break }
                out.append(d)
            }
            if fits { fitting.append((format, out)) }
        }
        guard let chosen = fitting.first else { return nil }
        if fitting.count > 1 {
            throw TensorError("data.read_csv: column '\(name)' holds dates such as '\(first)' that read both as \(fitting.map { "'\($0.0.text)'" }.joined(separator: " and ")); the day/month order is ambiguous, so pass {date_format = \"\(fitting[0].0.text)\"} (or the other order), or {types = {\(name) = \"string\"}} to keep the text")
        }
        return Column(name: name, values: .date(chosen.1))
    }
}

/// Deduplicates the strings of a low-cardinality text column: each distinct value is
/// built once, and the count of distinct values decides whether the column is a
/// category. Gives up (returns nil) past `limit` distinct values.
struct Interner {
    static let limit = 4096

    /// Open addressing: a code, or -1 for an empty slot. The table starts small (a column
    /// of a few categories stays in the first level cache) and doubles at half full.
    private var slots = [Int32](repeating: -1, count: 64)
    private var keys: [UInt8] = []
    private var spans: [(offset: Int, count: Int)] = []
    /// The distinct values, in order of first appearance (a value's code is its index).
    private(set) var values: [String] = []

    var count: Int { values.count }

    /// Adds the values of another part's interner (up to the limit).
    mutating func absorb(_ other: Interner) {
        for value in other.values {
            var copy = value
            copy.withUTF8 { _ = intern($0) }
        }
    }

    /// A hash of the bytes eight at a time.
    @inline(__always)
    private static func hash(_ f: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(truncatingIfNeeded: f.count) &* multiplier
        guard let base = f.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i &+ 8 <= f.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* multiplier
            h ^= h >> 32
            i &+= 8
        }
        if i < f.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < f.count { tail |= UInt64(base[i]) << shift; shift &+= 8; i &+= 1 }
            h = (h ^ tail) &* multiplier
            h ^= h >> 32
        }
        return h
    }

    /// True when the `n` bytes at `a` and `b` are equal (a word at a time: most values are
    /// short, and a call to memcmp costs more than the comparison).
    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i &+ 8 <= n {
            if UnsafeRawPointer(a).loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != UnsafeRawPointer(b).loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i &+= 1
        }
        return true
    }

    /// The code of the value `f` (added when new), or nil past `limit` distinct values.
    @inline(__always)
    mutating func intern(_ f: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Interner.hash(f)
        let mask = slots.count &- 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            let span = spans[Int(entry)]
            if span.count == f.count && keys.withUnsafeBufferPointer({ k in
                f.count == 0 || Interner.equal(k.baseAddress! + span.offset, f.baseAddress!, f.count)
            }) {
                return entry
            }
            slot = (slot &+ 1) & mask
        }
        return insert(f, at: slot)
    }

    private mutating func insert(_ f: UnsafeBufferPointer<UInt8>, at slot: Int) -> Int32? {
        guard values.count < Interner.limit else { return nil }
        let code = Int32(values.count)
        slots[slot] = code
        spans.append((keys.count, f.count))
        keys.append(contentsOf: f)
        values.append(String(decoding: f, as: UTF8.self))
        if values.count * 2 > slots.count { grow() }
        return code
    }

    /// Doubles the table and places every value again (its hash from its bytes in `keys`).
    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        keys.withUnsafeBufferPointer { keys in
            for (code, span) in spans.enumerated() {
                let hash = Interner.hash(UnsafeBufferPointer(rebasing: keys[span.offset..<span.offset + span.count]))
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(code)
            }
        }
    }
}
