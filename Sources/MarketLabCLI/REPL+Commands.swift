import Foundation
import LuaBridge
import TensorKit

/// The session's own commands, which start with `:` (never valid Lua), and `?name`.
extension REPL {
    static let commands: [(name: String, usage: String, summary: String)] = [
        ("time", ":time", "toggle timing of each entry"),
        ("who", ":who", "list the variables you defined"),
        ("load", ":load FILE", "run a Lua file in this session (its top-level locals stay)"),
        ("help", ":help", "this text"),
        ("quit", ":quit", "leave the session (or Ctrl-D)"),
    ]

    static var helpText: String {
        let width = commands.map(\.usage.count).max() ?? 0
        let list = commands.map { "  " + $0.usage.padding(toLength: width + 3, withPad: " ", startingAt: 0) + $0.summary }
        return """
        Commands:
        \(list.joined(separator: "\n"))
        Help: help(x) or ?x shows the doc and example of a function or class (help(t.sum) for
        a tensor method); help() lists the namespaces, help(nn) one namespace.
        Entries: an expression's value is printed (a trailing ; hides it) and kept in _;
        top-level locals stay defined for later entries; unfinished input continues on '>>'.
        Keys: Tab completes names, fields, methods and file names in strings; Up/Down walk
        the history; Ctrl-C stops running code or clears the line; Ctrl-D leaves.
        """
    }

    /// Runs a `:command` or `?name` line; false when the session should end.
    func command(_ line: String) -> Bool {
        if line.hasPrefix("?") {
            let name = line.dropFirst().trimmingCharacters(in: .whitespaces)
            evaluate("help(\(name))")
            return true
        }
        let words = line.dropFirst().split(separator: " ", maxSplits: 1).map(String.init)
        let name = words.first ?? ""
        let argument = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case "time":
            timing.toggle()
            write(timing ? "timing on: each entry reports its wall-clock time\n" : "timing off\n")
        case "who":
            listUserGlobals()
        case "load":
            load(argument)
        case "help":
            write(REPL.helpText + "\n")
        case "quit", "q", "exit":
            return false
        default:
            failed = true
            let hint = didYouMean(":" + name, REPL.commands.map { ":" + $0.name })
            writeError(paintError("unknown command ':\(name)'\(hint); :help lists the commands") + "\n")
        }
        fflush(stdout)
        return true
    }

    /// `:who`: the globals the user's code created, with a one-line description each.
    func listUserGlobals() {
        let names = runtime.globalNames().subtracting(startupGlobals).subtracting(["_"]).sorted()
        guard !names.isEmpty else { write("no variables defined yet\n"); return }
        let width = min(names.map(\.count).max() ?? 0, 24)
        for (name, description) in runtime.describeGlobals(names) {
            write(name.padding(toLength: max(width, name.count) + 2, withPad: " ", startingAt: 0) + description + "\n")
        }
    }

    /// `:load FILE`: runs the file in the session; quotes around the name and a leading
    /// `~/` are understood.
    func load(_ argument: String) {
        var path = argument
        if path.count >= 2, let first = path.first, first == "\"" || first == "'", path.last == first {
            path = String(path.dropFirst().dropLast())
        }
        guard !path.isEmpty else { failed = true; writeError(paintError(":load needs a file name: :load analysis.lua") + "\n"); return }
        path = expandingTilde(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            failed = true
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            writeError(paintError(":load: cannot open '\(path)': \(reason)") + "\n")
            return
        }
        runtime.clearInterrupt()
        report(runtime.runInSession(source: stripShebang(Array(data)), chunkName: "@" + path), elapsed: nil)
    }
}

/// `~/x` as `$HOME/x`; other paths unchanged.
func expandingTilde(_ path: String) -> String {
    guard path == "~" || path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
    return home + path.dropFirst()
}
