import TensorKit

/// Calendar dates as whole days since 1970-01-01 (proleptic Gregorian), the
/// representation of date columns. Parsing works on UTF-8 bytes and never guesses:
/// a format is either given or the only one that fits every value of a column.
public enum Dates {
    /// Days since 1970-01-01 of a valid calendar date, nil for an invalid one.
    public static func days(year: Int, month: Int, day: Int) -> Int32? {
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              (-9999...9999).contains(year) else { return nil }
        // Count from 0000-03-01 so that the leap day ends each 4-year cycle.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int32(era * 146_097 + dayOfEra - 719_468)
    }

    /// The (year, month, day) of a day count.
    public static func civil(_ days: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Monday = 0 ... Sunday = 6, as pandas' `dayofweek`.
    public static func weekday(_ days: Int32) -> Int { ((Int(days) % 7) + 7 + 3) % 7 }

    /// 1 ... 366.
    public static func dayOfYear(_ days: Int32) -> Int {
        let (y, _, _) = civil(days)
        return Int(days - Dates.days(year: y, month: 1, day: 1)!) + 1
    }

    /// "YYYY-MM-DD".
    public static func iso(_ days: Int32) -> String {
        let (y, m, d) = civil(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = y >= 0 && y < 1000 ? String(repeating: "0", count: 4 - String(y).count) + String(y) : String(y)
        return "\(year)-\(two(m))-\(two(d))"
    }

    /// An ISO date "YYYY-MM-DD" (exactly), or nil.
    public static func parseISO(_ text: String) -> Int32? { DateFormat.iso.parse(text) }
}

/// A strftime-style date format: `%Y` (4-digit year), `%y` (2-digit year: 69–99 are
/// 19xx, 00–68 are 20xx, as POSIX), `%m`, `%d` (1 or 2 digits), `%b`/`%B` (month name,
/// any case), `%H`, `%M`, `%S` (read and ignored: dates keep the day), `%%`; any other
/// character must appear as is.
public struct DateFormat: Equatable {
    enum Piece: Equatable { case year4, year2, month, day, monthName, ignoredNumber, literal(UInt8) }

    public let text: String
    let pieces: [Piece]

    public static let iso = DateFormat(pieces: [.year4, .literal(45), .month, .literal(45), .day], text: "%Y-%m-%d")

    init(pieces: [Piece], text: String) {
        self.pieces = pieces
        self.text = text
    }

    public init(_ text: String) throws {
        var pieces: [Piece] = []
        var bytes = Array(text.utf8)[...]
        while let b = bytes.popFirst() {
            guard b == UInt8(ascii: "%") else { pieces.append(.literal(b)); continue }
            guard let code = bytes.popFirst() else { throw TensorError("date_format '\(text)' ends with a lone %") }
            switch code {
            case UInt8(ascii: "Y"): pieces.append(.year4)
            case UInt8(ascii: "y"): pieces.append(.year2)
            case UInt8(ascii: "m"): pieces.append(.month)
            case UInt8(ascii: "d"): pieces.append(.day)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): pieces.append(.monthName)
            case UInt8(ascii: "H"), UInt8(ascii: "M"), UInt8(ascii: "S"): pieces.append(.ignoredNumber)
            case UInt8(ascii: "%"): pieces.append(.literal(code))
            default:
                throw TensorError("date_format '\(text)': %\(Character(Unicode.Scalar(code))) is not supported; use %Y %y %m %d %b %B %H %M %S %%")
            }
        }
        let fields = pieces.filter { [.year4, .year2].contains($0) }.count
        guard fields == 1, pieces.contains(.day), pieces.contains(.month) || pieces.contains(.monthName) else {
            throw TensorError("date_format '\(text)' must give a year (%Y or %y), a month (%m or %b) and a day (%d)")
        }
        self.text = text
        self.pieces = pieces
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july",
                             "august", "september", "october", "november", "december"].map { Array($0.utf8) }

    public func parse(_ text: String) -> Int32? {
        var copy = text
        return copy.withUTF8 { parse(UnsafeBufferPointer(rebasing: $0[...])) }
    }

    /// Parses the whole of `bytes`; nil when they do not match the format.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var i = 0, year = 0, month = 0, day = 0
        func digits(min: Int, max: Int) -> Int? {
            var value = 0, count = 0
            while count < max, i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                value = value * 10 + Int(bytes[i] - 48)
                i += 1; count += 1
            }
            return count >= min ? value : nil
        }
        for piece in pieces {
            switch piece {
            case .year4: guard let v = digits(min: 4, max: 4) else { return nil }; year = v
            case .year2: guard let v = digits(min: 2, max: 2) else { return nil }; year = v < 69 ? 2000 + v : 1900 + v
            case .month: guard let v = digits(min: 1, max: 2) else { return nil }; month = v
            case .day: guard let v = digits(min: 1, max: 2) else { return nil }; day = v
            case .ignoredNumber: guard digits(min: 1, max: 2) != nil else { return nil }
            case .monthName:
                var word: [UInt8] = []
                while i < bytes.count, (bytes[i] | 0x20) >= 97, (bytes[i] | 0x20) <= 122 { word.append(bytes[i] | 0x20); i += 1 }
                guard word.count >= 3, let m = DateFormat.monthNames.firstIndex(where: {
                    word == $0 || (word.count == 3 && Array($0.prefix(3)) == word)
                }) else { return nil }
                month = m + 1
            case .literal(let c):
                guard i < bytes.count, bytes[i] == c else { return nil }
                i += 1
            }
        }
        guard i == bytes.count else { return nil }
        return Dates.days(year: year, month: month, day: day)
    }

    /// The formats tried on a text column that looks like dates when no format is given.
    /// Day-first and month-first orders are both listed: when both fit every value the
    /// column is ambiguous and reading it is an error.
    static let candidates: [DateFormat] = ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y",
                                           "%d-%m-%Y", "%m-%d-%Y"].compactMap { try? DateFormat($0) }
}
