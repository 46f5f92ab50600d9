import CInterrupt
import CLua
import Foundation
import LuaShim

/// The REPL's evaluation steps, after lua.c's: an entry is first tried as an expression
/// (`return ` + entry), then as statements; a syntax error at `<eof>` means the entry is
/// incomplete and needs more lines. An entry is compiled before it runs, and runs once.
extension Runtime {
    /// Whether an entry can run yet.
    public enum EntryStatus: Equatable {
        case complete
        /// The source ends inside a statement, string or comment: read another line.
        case incomplete
    }

    /// What running an entry gave.
    public enum EntryResult: Equatable {
        /// The entry ran; `display` is the text of its results (nil when there were none,
        /// or when printing was suppressed by a trailing `;`).
        case success(display: String?)
        /// A syntax or runtime error: the message (`stdin:1: ...`) and the traceback lines
        /// worth showing (empty when the error came straight from the entry).
        case failure(message: String, traceback: String)
    }

    /// Whether `entry` is complete, without running anything.
    public func entryStatus(_ entry: String) -> EntryStatus {
        let before = lua_gettop(L)
        defer { lua_settop(L, before) }
        if case .incomplete = compile(entry, chunkName: "=stdin") { return .incomplete }
        return .complete
    }

    /// Compiles and runs one entry. Its results (an expression's values, or what a
    /// `return` gave) are shown through the display functions (colours when `colours`),
    /// and the first one is stored in the global `_`.
    /// An incomplete entry is reported as the syntax error it is.
    public func runEntry(_ entry: String, chunkName: String = "=stdin", colours: Bool = false) -> EntryResult {
        let before = lua_gettop(L)
        defer { lua_settop(L, before) }
        switch compile(entry, chunkName: chunkName) {
        case .function: break
        case .incomplete(let message), .error(let message): return .failure(message: message, traceback: "")
        }
        let status = callWatchingInterrupts(arguments: 0, results: LUA_MULTRET)
        guard status == LUA_OK else { return popEntryFailure() }
        // An expression's values, or those of statements ending in `return`, as lua.c.
        let count = lua_gettop(L) - before
        guard count > 0 else { return .success(display: nil) }
        lua_rawgeti(L, ml_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        lua_pushstring(L, "_")
        lua_pushvalue(L, before + 1)
        lua_rawset(L, -3)                 /* _ = first result, past any __newindex of _G */
        ml_pop(L, 1)
        if EntrySource.endsWithSemicolon(entry) { return .success(display: nil) }
        return display(count: count, colours: colours)
    }

    /// Runs a file or startup code in the session (`:load`, `marketlab -i`, the startup
    /// file): top-level locals become globals as in entries; nothing is printed.
    public func runInSession(source: [UInt8], chunkName: String) -> EntryResult {
        let text = EntrySource.globalizingTopLevelLocals(String(decoding: source, as: UTF8.self))
        let before = lua_gettop(L)
        defer { lua_settop(L, before) }
        guard load(text, chunkName: chunkName) == LUA_OK else { return popEntryFailure() }
        guard callWatchingInterrupts(arguments: 0, results: 0) == LUA_OK else { return popEntryFailure() }
        return .success(display: nil)
    }

    /// Readies the state for a session: loads the display functions before any user code
    /// (the startup file included) can change the libraries they use, and installs the
    /// Ctrl-C handler, which stays installed so that Ctrl-C never ends the process.
    public func beginSession() {
        let before = lua_gettop(L)
        _ = REPLDisplay.push(L)
        lua_settop(L, before)
        ml_watch_interrupts(L)
        clearInterrupt()
    }

    /// Forgets a Ctrl-C that arrived while no Lua code ran (at the prompt).
    public func clearInterrupt() {
        ml_interrupt_clear()
        ml_clear_interrupt_hook(L)
    }

    // MARK: - Steps

    private enum Compiled {
        /// The chunk is on the stack.
        case function
        case incomplete(String)
        case error(String)
    }

    /// Compiles `entry` as an expression, else as statements, leaving the function on the
    /// stack; nothing is pushed when it fails.
    private func compile(_ entry: String, chunkName: String) -> Compiled {
        let source = EntrySource.globalizingTopLevelLocals(entry)
        if load("return " + source, chunkName: chunkName) == LUA_OK { return .function }
        let expressionIncomplete = popMessage().hasSuffix("<eof>")
        if load(source, chunkName: chunkName) == LUA_OK { return .function }
        let message = popMessage()
        // `{1,` is an unfinished expression although it is no statement at all.
        return message.hasSuffix("<eof>") || expressionIncomplete ? .incomplete(message) : .error(message)
    }

    private func load(_ source: String, chunkName: String) -> Int32 {
        let bytes = Array(source.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { ml_loadbuffer(L, $0.baseAddress, $0.count, chunkName) }
        }
    }

    private func popMessage() -> String {
        let text = ml_tostring(L, -1).map { String(cString: $0) } ?? ""
        ml_pop(L, 1)
        return text
    }

    /// Calls the function below `arguments` values with Ctrl-C armed (it raises
    /// "interrupted" in Lua code and stops kernels that poll the flag).
    private func callWatchingInterrupts(arguments: Int32, results: Int32) -> Int32 {
        ml_watch_interrupts(L)
        let status = ml_pcall_traceback(L, arguments, results)
        ml_clear_interrupt_hook(L)
        return status
    }

    /// Renders the `count` values on top of the stack with the display chunk.
    private func display(count: Int32, colours: Bool) -> EntryResult {
        let first = lua_gettop(L) - count + 1
        guard REPLDisplay.push(L) else { return popEntryFailure() }
        lua_getfield(L, -1, "display")
        lua_pushboolean(L, colours ? 1 : 0)
        lua_pushinteger(L, lua_Integer(count))
        for i in 0..<count { lua_pushvalue(L, first + i) }
        guard callWatchingInterrupts(arguments: count + 2, results: 1) == LUA_OK else { return popEntryFailure() }
        return .success(display: ml_tostring(L, -1).map { String(cString: $0) } ?? "")
    }

    /// Pops an error into a failure, keeping only traceback lines that point into code the
    /// user wrote in an earlier entry or a file (not the entry's own chunk, nor C).
    private func popEntryFailure() -> EntryResult {
        let text = popMessage()
        guard let range = text.range(of: "\nstack traceback:\n") else { return .failure(message: text, traceback: "") }
        let frames = text[range.upperBound...].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let useful = frames.filter { !$0.hasPrefix("[C]") && !$0.hasSuffix("in main chunk") && !$0.contains("(...tail calls...)") && !$0.hasPrefix("[string \"marketlab.") && !$0.hasPrefix("marketlab.") }
        let traceback = useful.isEmpty ? "" : "stack traceback:\n" + useful.map { "\t" + $0 }.joined(separator: "\n")
        return .failure(message: String(text[..<range.lowerBound]), traceback: traceback)
    }

    // MARK: - Globals

    /// Names of the global variables (string keys of _G).
    public func globalNames() -> Set<String> {
        lua_rawgeti(L, ml_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        defer { ml_pop(L, 1) }
        var names = Set<String>()
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            if lua_type(L, -2) == LUA_TSTRING { names.insert(String(cString: ml_tostring(L, -2))) }
            ml_pop(L, 1)
        }
        return names
    }

    /// A one-line description of each named global (for `:who`), in the order given.
    public func describeGlobals(_ names: [String]) -> [(name: String, description: String)] {
        let before = lua_gettop(L)
        defer { lua_settop(L, before) }
        guard REPLDisplay.push(L) else { return [] }
        let repl = lua_gettop(L)
        lua_rawgeti(L, ml_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        let globals = lua_gettop(L)
        return names.map { name in
            lua_getfield(L, repl, "brief")
            lua_pushstring(L, name)
            lua_rawget(L, globals)
            let status = callWatchingInterrupts(arguments: 1, results: 1)
            let text = ml_tostring(L, -1).map { String(cString: $0) } ?? ""
            ml_pop(L, 1)
            return (name, status == LUA_OK ? text : "(cannot describe: \(text))")
        }
    }
}
