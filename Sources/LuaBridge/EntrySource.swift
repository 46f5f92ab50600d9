/// What the REPL reads from an entry's source text before compiling it: top-level locals
/// to keep, a trailing `;`, and the name or file name being completed.
public enum EntrySource {
    /// Rewrites the entry's top-level `local` declarations as global assignments, so a
    /// later entry still sees them (each entry is its own chunk, where a local would end
    /// with the chunk): `local x, y = 1` becomes `x, y = 1`, `local x` becomes `x = nil`,
    /// `local function f` becomes `function f`, and attributes such as `<const>` are dropped.
    /// Locals inside functions and blocks stay local, and so does a `<close>` local, which
    /// only means something as one. Only characters within lines change, so error messages
    /// keep their line numbers.
    public static func globalizingTopLevelLocals(_ source: String) -> String {
        let bytes = Array(source.utf8)
        let code = luaTokens(bytes).filter { if case .comment = $0.kind { return false } else { return true } }
        var edits: [(range: Range<Int>, replacement: String)] = []
        var depth = 0
        for (k, token) in code.enumerated() where token.kind == .keyword {
            switch token.text {
            case "function", "do", "if", "repeat": depth += 1
            case "end", "until": depth = max(0, depth - 1)
            case "local" where depth == 0: edits += localDeclarationEdits(code, at: k)
            default: break
            }
        }
        var result = bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            result.replaceSubrange(edit.range, with: Array(edit.replacement.utf8))
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The edits that turn the `local` statement at `code[k]` into a global one, or none
    /// when it is malformed (the compiler will say why) or declares a `<close>` variable.
    private static func localDeclarationEdits(_ code: [LuaToken], at k: Int) -> [(range: Range<Int>, replacement: String)] {
        guard k + 1 < code.count else { return [] }
        let keyword = code[k]
        if code[k + 1].text == "function" { return [(keyword.range, "")] }
        var edits: [(range: Range<Int>, replacement: String)] = [(keyword.range, "")]
        var j = k + 1
        var declarationEnd = keyword.range.upperBound
        var assigns = false
        while true {
            guard j < code.count, code[j].kind == .name else { return [] }
            declarationEnd = code[j].range.upperBound
            j += 1
            // An attribute: `<const>`, or `<const>=` where the lexer joined `>` and `=`.
            if j + 2 < code.count, code[j].text == "<", code[j + 1].kind == .name, [">", ">="].contains(code[j + 2].text) {
                guard code[j + 1].text != "close" else { return [] }
                let close = code[j + 2]
                edits.append((code[j].range.lowerBound..<(close.range.lowerBound + 1), ""))
                declarationEnd = close.range.lowerBound + 1
                if close.text == ">=" { assigns = true; break }
                j += 3
            }
            if j < code.count, code[j].text == "," { j += 1; continue }
            break
        }
        if !assigns && !(j < code.count && code[j].text == "=") {
            edits.append((declarationEnd..<declarationEnd, " = nil"))
        }
        return edits
    }

    /// True when the last token (comments aside) is `;`: the REPL then prints nothing.
    public static func endsWithSemicolon(_ source: String) -> Bool {
        let tokens = luaTokens(Array(source.utf8)).filter { if case .comment = $0.kind { return false } else { return true } }
        return tokens.last.map { $0.kind == .symbol && $0.text == ";" } ?? false
    }

    /// What Tab should complete at the end of `text` (the line up to the cursor).
    public enum Completion: Equatable {
        /// A name: `partial` is the part typed, after `path` (names joined by `.`) and the
        /// `separator` ("." or ":"; empty for a global). `start` is the byte offset of `partial`.
        case name(path: [String], separator: String, partial: String, start: Int)
        /// A file name inside an unclosed string literal; `partial` starts at byte `start`.
        case fileName(partial: String, start: Int)
        case nothing
    }

    public static func completion(before text: String) -> Completion {
        let bytes = Array(text.utf8)
        let tokens = luaTokens(bytes)
        guard let last = tokens.last else { return .nothing }
        switch last.kind {
        case .string(closed: false):
            let opening = last.text.hasPrefix("[") ? last.text.prefix { $0 == "[" || $0 == "=" }.utf8.count : 1
            let start = last.range.lowerBound + opening
            return .fileName(partial: String(decoding: bytes[start...], as: UTF8.self), start: start)
        case .comment, .string, .number:
            return .nothing
        default:
            break
        }
        guard last.range.upperBound == bytes.count else { return .nothing }   // Tab after a space
        // Walk back over `name (. name)* [.|:] [partial]` made of adjacent tokens.
        var k = tokens.count - 1
        var partial = "", start = bytes.count
        if tokens[k].kind == .name || tokens[k].kind == .keyword {
            partial = tokens[k].text
            start = tokens[k].range.lowerBound
            k -= 1
        }
        var separator = "", path: [String] = []
        func adjacent(_ a: Int, _ b: Int) -> Bool { tokens[a].range.upperBound == tokens[b].range.lowerBound }
        if k >= 0, [".", ":"].contains(tokens[k].text), k + 1 == tokens.count || adjacent(k, k + 1) {
            separator = tokens[k].text
            while k >= 0, [".", ":"].contains(tokens[k].text) {
                guard k >= 1, tokens[k - 1].kind == .name, adjacent(k - 1, k) else { return .nothing }
                if tokens[k].text == ":" && !path.isEmpty { return .nothing }   // `a:b.c` is not a name
                path.insert(tokens[k - 1].text, at: 0)
                k -= 2
                guard k >= 0, adjacent(k, k + 1), [".", ":"].contains(tokens[k].text) else { break }
            }
        } else if partial.isEmpty {
            return .nothing
        }
        return .name(path: path, separator: separator, partial: partial, start: start)
    }
}
