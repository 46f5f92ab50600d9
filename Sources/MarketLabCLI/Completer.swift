import Foundation
import LuaBridge

/// What Tab offers for the line up to the cursor: Lua names (globals, fields, methods
/// through metatables, from the session's live values), file names inside a string or
/// after `:load`, and the session's commands after `:`.
struct Completer {
    let runtime: Runtime

    func complete(_ line: String) -> (partial: String, candidates: [String]) {
        if line.hasPrefix(":") {
            if line.hasPrefix(":load ") {
                let partial = String(line.dropFirst(":load ".count).drop { $0 == " " })
                return (partial, fileNames(completing: partial))
            }
            guard !line.contains(" ") else { return ("", []) }
            return (line, REPL.commands.map { ":" + $0.name }.filter { $0.hasPrefix(line) })
        }
        switch EntrySource.completion(before: line) {
        case .name(let path, let separator, let partial, _):
            return (partial, runtime.completions(path: path, separator: separator, partial: partial))
        case .fileName(let partial, _):
            return (partial, fileNames(completing: partial))
        case .nothing:
            return ("", [])
        }
    }

    /// Paths that extend `partial` (as typed, so `~/` stays), directories with a `/`.
    /// Hidden files only when the typed name starts with a dot.
    func fileNames(completing partial: String) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let directoryPart = slash.map { String(partial[...$0]) } ?? ""
        let namePart = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        let directory = directoryPart.isEmpty ? "." : expandingTilde(directoryPart)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.filter { $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) }.map { name in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
            return directoryPart + name + (isDirectory.boolValue ? "/" : "")
        }.sorted()
    }
}
