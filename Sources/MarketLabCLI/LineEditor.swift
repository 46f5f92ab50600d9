import CEdit
import CInterrupt
import Foundation

/// What reading a line gave.
enum LineRead: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: the line typed so far is dropped.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case end
}

/// Where the REPL's lines come from: a terminal (libedit) or a pipe.
protocol LineSource: AnyObject {
    func readLine(prompt: String) -> LineRead
    /// Records a whole entry (several lines kept as one) in the history.
    func remember(_ entry: String)
}

/// Line editing on a terminal with libedit: emacs keys, history kept in a file, and Tab
/// bound to `completer`, which maps the line up to the cursor to the word being completed
/// and its candidates.
final class LineEditor: LineSource {
    typealias Completer = (_ lineBeforeCursor: String) -> (partial: String, candidates: [String])

    /// The editor whose completer libedit's C callback calls (there is one per process).
    fileprivate static var active: LineEditor?

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?
    fileprivate let output: UnsafeMutablePointer<FILE>
    fileprivate let completer: Completer
    private var prompt: UnsafeMutablePointer<CChar>?

    /// Opens the editor, loading the history file at `historyPath` when it exists. The
    /// prompt and the edited line go to `output`.
    init?(historyPath: String?, output: UnsafeMutablePointer<FILE>, completer: @escaping Completer) {
        // libedit decodes input with the C library's multibyte functions.
        if let locale = setlocale(LC_CTYPE, ""), ["C", "POSIX"].contains(String(cString: locale)) {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        guard let history = ml_history_open(1000) else { return nil }
        guard let editor = ml_edit_open("marketlab", output, history, completeKey, readKey) else {
            history_end(history)
            return nil
        }
        self.editor = editor
        self.history = history
        self.historyPath = historyPath
        self.output = output
        self.completer = completer
        if let historyPath { _ = ml_history_load(history, historyPath) }
        LineEditor.active = self
    }

    deinit {
        el_end(editor)
        history_end(history)
        free(prompt)
    }

    func readLine(prompt text: String) -> LineRead {
        free(prompt)
        prompt = strdup(text)
        ml_edit_begin_line(editor, prompt)
        var count: Int32 = 0
        guard let line = el_gets(editor, &count) else {
            // -1: the read failed, which our reader does when a signal (Ctrl-C) arrives.
            return count == -1 && (ml_interrupt_pending() != 0 || errno == EINTR) ? .interrupted : .end
        }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    /// Adds the entry and rewrites the history file through a temporary file, so a session
    /// that dies leaves the previous history whole.
    func remember(_ entry: String) {
        _ = ml_history_enter(history, entry)
        guard let historyPath else { return }
        let temporary = historyPath + ".tmp\(getpid())"
        if ml_history_save(history, temporary) >= 0 {
            rename(temporary, historyPath)
        } else {
            unlink(temporary)
        }
    }

    /// Tab: inserts what all candidates share beyond the typed part; when that is nothing
    /// and there are several, lists them under the line.
    fileprivate func complete(_ editor: OpaquePointer) -> UInt8 {
        guard let info = el_line(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor else { return UInt8(CC_ERROR) }
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: cursor - buffer), as: UTF8.self)
        let (partial, candidates) = completer(before)
        guard let first = candidates.first else { return UInt8(CC_REFRESH_BEEP) }
        let shared = candidates.dropFirst().reduce(first) { commonPrefix($0, $1) }
        if shared.count > partial.count && shared.hasPrefix(partial) {
            return el_insertstr(editor, String(shared.dropFirst(partial.count))) == 0 ? UInt8(CC_REFRESH) : UInt8(CC_ERROR)
        }
        guard candidates.count > 1 else { return UInt8(CC_NORM) }
        fputs("\n" + columns(candidates) + "\n", output)
        return UInt8(CC_REDISPLAY)
    }

    /// Candidates in columns across the terminal's width (at most 200 of them).
    private func columns(_ candidates: [String]) -> String {
        var size = winsize()
        let width = ioctl(fileno(output), UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        let shown = Array(candidates.prefix(200))
        let cell = (shown.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / cell)
        var lines: [String] = []
        for start in stride(from: 0, to: shown.count, by: perRow) {
            let row = shown[start..<min(start + perRow, shown.count)]
            lines.append(row.map { $0.padding(toLength: cell, withPad: " ", startingAt: 0) }.joined().trimmingCharacters(in: .whitespaces))
        }
        if candidates.count > shown.count { lines.append("... and \(candidates.count - shown.count) more") }
        return lines.joined(separator: "\n")
    }
}

private func commonPrefix(_ a: String, _ b: String) -> String {
    String(zip(a, b).prefix { $0 == $1 }.map(\.0))
}

/// libedit's Tab callback. A C function pointer: it reaches Swift state through
/// `LineEditor.active` and only reads Lua tables (it never runs Lua code or raises).
private let completeKey: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { editor, _ in
    guard let editor, let lineEditor = LineEditor.active else { return UInt8(CC_ERROR) }
    return lineEditor.complete(editor)
}

/// libedit's key reader: one character from stdin, decoded from the locale's multibyte
/// encoding. It waits with `ml_interrupt_wait_readable`, so Ctrl-C ends the wait (-1 with
/// errno EINTR, and el_gets returns) even when it lands just before the read. 0 is the end
/// of input.
private let readKey: @convention(c) (OpaquePointer?, UnsafeMutablePointer<wchar_t>?) -> Int32 = { _, character in
    guard let character else { return -1 }
    character.pointee = 0
    var bytes = [CChar](repeating: 0, count: 8)
    var count = 0
    while true {
        switch ml_interrupt_wait_readable(STDIN_FILENO) {
        case 1: break
        case 0: errno = EINTR; return -1
        default: return -1
        }
        let n = read(STDIN_FILENO, &bytes[count], 1)
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return -1 }
        if n == 0 { return 0 }
        count += 1
        var state = mbstate_t()
        let decoded = mbrtowc(character, bytes, count, &state)
        if decoded == -2 && count < bytes.count { continue }    // a sequence still incomplete
        if decoded < 0 { count = 0; continue }                  // invalid: dropped
        return 1
    }
}

/// Lines from a pipe or file: no editing, no history, and a prompt only when one is asked
/// for (on a terminal libedit could not open).
final class PipedLines: LineSource {
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false

    func readLine(prompt: String) -> LineRead {
        if !prompt.isEmpty {
            fputs(prompt.replacingOccurrences(of: "\u{1}", with: ""), stdout)
            fflush(stdout)
        }
        while true {
            if let newline = buffer[position...].firstIndex(of: 10) {
                defer { position = newline + 1 }
                return .line(String(decoding: buffer[position..<newline], as: UTF8.self))
            }
            if finished {
                guard position < buffer.count else { return .end }
                defer { position = buffer.count }
                return .line(String(decoding: buffer[position...], as: UTF8.self))
            }
            buffer.removeFirst(position)
            position = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(STDIN_FILENO, &chunk, chunk.count)
            if n > 0 {
                buffer += chunk[..<n]
            } else if n < 0 && errno == EINTR {
                ml_interrupt_clear()   // Ctrl-C while waiting for input: nothing to stop
            } else {
                finished = true
            }
        }
    }

    func remember(_ entry: String) {}
}
