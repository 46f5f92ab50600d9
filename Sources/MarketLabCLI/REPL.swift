import CInterrupt
import Foundation
import LuaBridge

/// The interactive session: reads entries (continuing while one is incomplete), runs
/// each once, prints its results, and keeps the session alive through errors and Ctrl-C.
/// On a terminal it edits lines with libedit and keeps history; from a pipe it prints
/// neither prompts nor colours, only results, so it can be scripted.
public final class REPL {
    let runtime: Runtime
    let lines: LineSource
    /// Prompts and a banner (stdin is a terminal).
    let interactive: Bool
    /// ANSI colours in results and prompts (interactive, stdout a terminal), and in errors
    /// (stderr a terminal too).
    let colours: Bool
    let errorColours: Bool
    /// Globals that existed before the user's code ran, left out of `:who`.
    let startupGlobals: Set<String>
    var timing = false
    var failed = false

    public init(runtime: Runtime) {
        self.runtime = runtime
        startupGlobals = runtime.globalNames()
        interactive = isatty(STDIN_FILENO) == 1
        let environment = ProcessInfo.processInfo.environment
        colours = interactive && isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        errorColours = colours && isatty(STDERR_FILENO) == 1
        var editor: LineEditor? = nil
        if interactive {
            let completer = Completer(runtime: runtime)
            editor = LineEditor(historyPath: REPL.historyPath(environment),
                                output: isatty(STDOUT_FILENO) == 1 ? stdout : stderr,
                                completer: completer.complete)
        }
        lines = editor ?? PipedLines()
    }

    /// `MARKETLAB_HISTORY` (empty: no history), else `~/.marketlab_history`.
    static func historyPath(_ environment: [String: String]) -> String? {
        if let path = environment["MARKETLAB_HISTORY"] { return path.isEmpty ? nil : path }
        return environment["HOME"].map { $0 + "/.marketlab_history" }
    }

    /// Runs the startup file and `script` (for `marketlab -i`), then the session until
    /// Ctrl-D, `:quit` or the end of input. Returns the exit status: 0, or 1 when input
    /// was piped and an entry failed.
    public func run(script: (source: [UInt8], chunkName: String)? = nil) -> Int32 {
        runtime.beginSession()
        if interactive {
            write("MarketLab \(marketlabVersion) (Lua 5.4): help() for docs, ?name for one function, :help for commands, Ctrl-D to quit\n")
        }
        if let home = ProcessInfo.processInfo.environment["HOME"] {
            let rc = home + "/.marketlabrc.lua"
            if let source = FileManager.default.contents(atPath: rc) {
                report(runtime.runInSession(source: Array(source), chunkName: "@" + rc), elapsed: nil)
            }
        }
        if let script {
            report(runtime.runInSession(source: script.source, chunkName: script.chunkName), elapsed: nil)
        }
        var quit = false
        while !quit, let entry = readEntry() {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            lines.remember(entry)
            if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") {
                quit = !command(trimmed)
            } else {
                evaluate(entry)
            }
        }
        if interactive && !quit { write("\n") }   // Ctrl-D left the cursor after the prompt
        fflush(stdout)
        return !interactive && failed ? 1 : 0
    }

    /// Reads lines until they form a complete entry (or a command); nil at the end.
    func readEntry() -> String? {
        var pending: [String] = []
        while true {
            // The space stays outside the colour: libedit drops an escape that ends a prompt.
            let prompt = (pending.isEmpty ? paint(">", "1;32", prompt: true) : paint(">>", "32", prompt: true)) + " "
            switch lines.readLine(prompt: interactive ? prompt : "") {
            case .end:
                return pending.isEmpty ? nil : pending.joined(separator: "\n")   // reported as incomplete
            case .interrupted:
                runtime.clearInterrupt()
                write("^C\n")
                pending = []
            case .line(let line):
                if pending.isEmpty {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    if trimmed.isEmpty { continue }
                    if trimmed.hasPrefix(":") || trimmed.hasPrefix("?") { return line }
                }
                pending.append(line)
                let entry = pending.joined(separator: "\n")
                if runtime.entryStatus(entry) == .complete { return entry }
            }
        }
    }

    /// Runs one entry and prints its results, error and (with `:time`) its duration.
    func evaluate(_ entry: String) {
        runtime.clearInterrupt()
        let start = DispatchTime.now().uptimeNanoseconds
        let result = runtime.runEntry(entry, colours: colours)
        report(result, elapsed: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Prints what an entry or file gave.
    func report(_ result: Runtime.EntryResult, elapsed: Double?) {
        switch result {
        case .success(let display):
            if let display { write(display + "\n") }
        case .failure(let message, let traceback):
            failed = true
            fflush(stdout)
            if interactive && message.hasSuffix("interrupted") { writeError("\n") }   // after the terminal's ^C
            writeError(paintError(message) + "\n" + (traceback.isEmpty ? "" : paintError(traceback, "2") + "\n"))
        }
        if timing, let elapsed {
            let text = elapsed < 1 ? String(format: "%.3g ms", elapsed * 1000) : String(format: "%.3f s", elapsed)
            write(paint("time: " + text, "2") + "\n")
        }
        fflush(stdout)
    }

    /// `text` in an ANSI colour when colours are on; in a prompt, the escapes are bracketed
    /// by \u{1} so libedit knows they take no room.
    func paint(_ text: String, _ code: String, prompt: Bool = false) -> String {
        guard colours else { return text }
        let mark = prompt ? "\u{1}" : ""
        return mark + "\u{1b}[\(code)m" + mark + text + mark + "\u{1b}[0m" + mark
    }

    /// An error message in red (or `code`) when stderr shows colours.
    func paintError(_ text: String, _ code: String = "31") -> String {
        errorColours ? "\u{1b}[\(code)m" + text + "\u{1b}[0m" : text
    }

    func write(_ text: String) { fputs(text, stdout) }
    func writeError(_ text: String) { fputs(text, stderr) }
}
