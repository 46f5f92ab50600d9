/// A token of Lua 5.4 source, as far as the REPL needs to know: where names, keywords,
/// strings and comments are. Offsets are UTF-8 byte offsets into the source.
public struct LuaToken: Equatable {
    public enum Kind: Equatable {
        case name, keyword, number, symbol
        /// A quoted or long string; `closed` is false when the source ends inside it.
        case string(closed: Bool)
        case comment(closed: Bool)
    }

    public let kind: Kind
    public let range: Range<Int>
    public let text: String
}

/// Lua's reserved words.
public let luaKeywords: Set<String> = [
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
]

/// Splits Lua source into tokens. It never fails: malformed input ends in a token that
/// says so (an unclosed string or comment), which the compiler then reports properly.
public func luaTokens(_ source: [UInt8]) -> [LuaToken] {
    var tokens: [LuaToken] = []
    var i = 0
    let n = source.count
    func byte(_ k: Int) -> UInt8 { k < n ? source[k] : 0 }
    func isNameStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 }
    func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    func add(_ kind: LuaToken.Kind, _ start: Int) {
        tokens.append(LuaToken(kind: kind, range: start..<i, text: String(decoding: source[start..<i], as: UTF8.self)))
    }
    /// At `[`: the level of a long bracket `[==[` (number of '='), or nil.
    func longBracketLevel(at k: Int) -> Int? {
        guard byte(k) == 91 else { return nil }
        var j = k + 1
        while byte(j) == 61 { j += 1 }
        return byte(j) == 91 ? j - k - 1 : nil
    }
    /// Skips a long bracket body starting at `i` (just after the opening); true if closed.
    func skipLongBracket(level: Int) -> Bool {
        while i < n {
            if source[i] == 93 {
                var j = i + 1
                while byte(j) == 61 { j += 1 }
                if byte(j) == 93 && j - i - 1 == level {
                    i = j + 1
                    return true
                }
            }
            i += 1
        }
        return false
    }

    while i < n {
        let c = source[i]
        let start = i
        if c == 32 || c == 9 || c == 10 || c == 13 || c == 11 || c == 12 {
            i += 1
        } else if c == 45 && byte(i + 1) == 45 {                       // -- comment
            i += 2
            if let level = longBracketLevel(at: i) {
                i += level + 2
                let closed = skipLongBracket(level: level)
                add(.comment(closed: closed), start)
            } else {
                while i < n && source[i] != 10 { i += 1 }
                add(.comment(closed: true), start)
            }
        } else if c == 34 || c == 39 {                                  // "..." or '...'
            i += 1
            var closed = false
            while i < n {
                let d = source[i]
                if d == 92 && byte(i + 1) == 122 {                       // \z skips spaces and newlines
                    i += 2
                    while i < n && [32, 9, 10, 13, 11, 12].contains(source[i]) { i += 1 }
                    continue
                }
                if d == 92 { i += 2; continue }                          // an escape
                if d == 10 { break }                                     // unfinished at the line end
                i += 1
                if d == c { closed = true; break }
            }
            i = min(i, n)
            add(.string(closed: closed), start)
        } else if let level = longBracketLevel(at: i) {                 // [[...]]
            i += level + 2
            let closed = skipLongBracket(level: level)
            add(.string(closed: closed), start)
        } else if isNameStart(c) {
            while i < n && (isNameStart(source[i]) || isDigit(source[i])) { i += 1 }
            let text = String(decoding: source[start..<i], as: UTF8.self)
            tokens.append(LuaToken(kind: luaKeywords.contains(text) ? .keyword : .name, range: start..<i, text: text))
        } else if isDigit(c) || (c == 46 && isDigit(byte(i + 1))) {
            // Digits, letters (hex, exponents), dots, and a sign right after an exponent.
            i += 1
            while i < n {
                let d = source[i]
                if isDigit(d) || isNameStart(d) || d == 46 { i += 1; continue }
                if (d == 43 || d == 45) && [69, 101, 80, 112].contains(source[i - 1]) { i += 1; continue }
                break
            }
            add(.number, start)
        } else {
            let three = i + 3 <= n ? String(decoding: source[i..<(i + 3)], as: UTF8.self) : ""
            let two = i + 2 <= n ? String(decoding: source[i..<(i + 2)], as: UTF8.self) : ""
            if three == "..." {
                i += 3
            } else if ["..", "::", "<=", ">=", "==", "~=", "//", "<<", ">>"].contains(two) {
                i += 2
            } else {
                i += 1
            }
            add(.symbol, start)
        }
    }
    return tokens
}
