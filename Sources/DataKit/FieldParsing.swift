import Foundation

/// Parses one CSV field's bytes as an integer, number, bool or ISO date without
/// allocating. The rules are those of type inference: an integer has an optional sign and
/// no leading zero ("007" is an id and stays text), a number is decimal with an optional
/// exponent, a bool is true/false in any letter case.
struct FieldParser {
    /// The decimal mark ('.' or ',') and the optional thousands separator.
    var decimal = UInt8(ascii: ".")
    /// 0xFF (never a byte of UTF-8 text) when there is none.
    var thousands: UInt8 = 0xFF

    static let digit0: UInt8 = 48

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

    func integer(_ f: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = f.count
        guard n > 0, let p = f.baseAddress else { return nil }
        var i = 0
        let negative = p[0] == UInt8(ascii: "-")
        if negative || p[0] == UInt8(ascii: "+") { i = 1 }
        guard i < n, FieldParser.isDigit(p[i]) else { return nil }
        if p[i] == FieldParser.digit0 && i + 1 < n { return nil }   // leading zero: an id
        var value: UInt64 = 0
        var digits = 0
        while i < n {
            let d = p[i] &- 48
            if d < 10 {
                digits &+= 1
                value = value &* 10 &+ UInt64(d)
            } else if !(thousands == p[i] && digits > 0 && i + 1 < n) {
                return nil
            }
            i &+= 1
        }
        if digits > 18 {
            // Near the limits of Int64: check exactly.
            guard digits <= 19 else { return nil }
            return Int64(String(decoding: f.filter { $0 != thousands }, as: UTF8.self))
        }
        return negative ? -Int64(value) : Int64(value)
    }

    /// 10^e for 0 ≤ e ≤ 22, the powers of ten that are exact doubles.
    @inline(__always)
    static func exactPower(_ e: Int) -> Double {
        switch e {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// A decimal number ("1.5", "-2e3", ".5", "1,5" with decimal ","); a leading-zero
    /// integer part such as "007" is not a number.
    func number(_ f: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = f.count
        guard n > 0, let p = f.baseAddress else { return nil }
        var i = 0
        let negative = p[0] == UInt8(ascii: "-")
        if negative || p[0] == UInt8(ascii: "+") { i = 1 }
        guard i < n else { return nil }
        if p[i] == FieldParser.digit0 && i + 1 < n && FieldParser.isDigit(p[i + 1]) { return nil }
        var mantissa: UInt64 = 0
        var exponent = 0, digits = 0
        while i < n {
            let d = p[i] &- 48
            if d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                digits &+= 1
            } else if !(thousands == p[i] && digits > 0) {
                break
            }
            i &+= 1
        }
        if i < n && p[i] == decimal {
            i &+= 1
            while i < n {
                let d = p[i] &- 48
                guard d < 10 else { break }
                mantissa = mantissa &* 10 &+ UInt64(d)
                digits &+= 1
                exponent &-= 1
                i &+= 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n && (p[i] | 0x20) == UInt8(ascii: "e") {
            i &+= 1
            var expNegative = false
            if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { expNegative = p[i] == UInt8(ascii: "-"); i &+= 1 }
            guard i < n else { return nil }
            var e = 0
            while i < n, FieldParser.isDigit(p[i]) {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }
                i &+= 1
            }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        // Exact fast path: the mantissa and the power of ten are both exact doubles, so
        // one multiplication or division rounds correctly.
        if digits <= 15 && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent >= 0 ? m * FieldParser.exactPower(exponent) : m / FieldParser.exactPower(-exponent)
            return negative ? -v : v
        }
        return slowNumber(f)
    }

    /// Correctly rounded conversion through strtod, with the decimal mark and thousands
    /// separators normalised first.
    func slowNumber(_ f: UnsafeBufferPointer<UInt8>) -> Double? {
        var text: [CChar] = []
        text.reserveCapacity(f.count + 1)
        for b in f {
            if b == thousands { continue }
            text.append(CChar(bitPattern: b == decimal ? UInt8(ascii: ".") : b))
        }
        text.append(0)
        return text.withUnsafeBufferPointer { p -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(p.baseAddress!, &end)
            guard let end, end == UnsafeMutablePointer(mutating: p.baseAddress! + (text.count - 1)) else { return nil }
            return v
        }
    }

    func bool(_ f: UnsafeBufferPointer<UInt8>) -> Bool? {
        if f.count == 4 && (f[0] | 0x20) == UInt8(ascii: "t") && (f[1] | 0x20) == UInt8(ascii: "r")
            && (f[2] | 0x20) == UInt8(ascii: "u") && (f[3] | 0x20) == UInt8(ascii: "e") { return true }
        if f.count == 5 && (f[0] | 0x20) == UInt8(ascii: "f") && (f[1] | 0x20) == UInt8(ascii: "a")
            && (f[2] | 0x20) == UInt8(ascii: "l") && (f[3] | 0x20) == UInt8(ascii: "s") && (f[4] | 0x20) == UInt8(ascii: "e") { return false }
        return nil
    }

    /// "YYYY-MM-DD" exactly.
    func isoDate(_ f: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard f.count == 10, f[4] == UInt8(ascii: "-"), f[7] == UInt8(ascii: "-") else { return nil }
        var year = 0, month = 0, day = 0
        for k in 0..<4 { guard FieldParser.isDigit(f[k]) else { return nil }; year = year * 10 + Int(f[k] &- 48) }
        for k in 5..<7 { guard FieldParser.isDigit(f[k]) else { return nil }; month = month * 10 + Int(f[k] &- 48) }
        for k in 8..<10 { guard FieldParser.isDigit(f[k]) else { return nil }; day = day * 10 + Int(f[k] &- 48) }
        return Dates.days(year: year, month: month, day: day)
    }
}

/// A field the scanner recognised while splitting the line: an optional sign, digits
/// (no leading zero), and optionally the decimal mark with more digits, at most 18 digits
/// in all. Such fields (most numeric cells) need no second pass to become numbers.
struct PlainNumber {
    var mantissa: UInt64 = 0
    /// Digits after the decimal mark; 0 for an integer; -1 when the field is not plain.
    var scale: Int = -1
    /// 10^scale (at most 10^18, an exact double): the divisor of the mantissa.
    var power: UInt64 = 1
    var negative = false

    @inline(__always)
    var integer: Int64? {
        guard scale == 0 else { return nil }
        return negative ? -Int64(mantissa) : Int64(mantissa)
    }

    @inline(__always)
    var number: Double? {
        guard scale >= 0, mantissa <= 1 << 53 else { return nil }
        let v = Double(Int64(bitPattern: mantissa)) / Double(Int64(bitPattern: power))
        return negative ? -v : v
    }
}

/// UTF-8 validation of a field that has bytes at or above 0x80.
func isValidUTF8(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = f.count
    while i < n {
        let b = f[i]
        if b < 0x80 { i += 1; continue }
        let length: Int
        var minimum: UInt32
        var scalar: UInt32
        switch b {
        case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
        default: return false
        }
        guard i + length <= n else { return false }
        for k in 1..<length {
            let c = f[i + k]
            guard c & 0xC0 == 0x80 else { return false }
            scalar = scalar << 6 | UInt32(c & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
        i += length
    }
    return true
}
