import CLua
import Foundation
import NNKit
import LuaShim
import TensorKit

/// One Lua state with MarketLab's namespaces loaded. The CLI and the tests drive scripts
/// through it; it owns the only `lua_State` pointer.
public final class Runtime {
    public let L: OpaquePointer
    /// Namespaces preloaded as globals (and returned by `require`).
    public static let namespaces = ["torch", "nn", "F", "optim", "data", "metrics", "marketing", "plot", "report", "progress"]

    public init?(memoryLimit: Int = 0) {
        guard let state = ml_newstate(memoryLimit) else { return nil }
        L = state
        luaL_openlibs(L)
        GradMode.isEnabled = true   // process-wide; a new session starts recording
        Docs.install(L)
        installNamespaces()
        ml_gc_settle(L)
    }

    deinit { lua_close(L) }

    private func installNamespaces() {
        for name in Runtime.namespaces where name != "F" {
            lua_createtable(L, 0, 32)
            lua_setglobal(L, name)
        }
        // F is nn.functional, one table under two names.
        ml_getglobal(L, "nn")
        lua_createtable(L, 0, 32)
        lua_pushvalue(L, -1)
        lua_setfield(L, -3, "functional")
        lua_setglobal(L, "F")
        ml_pop(L, 1)

        ml_getglobal(L, "torch")
        let torch = lua_gettop(L)
        let torchLib = Library(L, table: torch, prefix: "torch.")
        TorchCreation.register(torchLib)
        TorchFunctions.register(torchLib)
        lua_createtable(L, 0, 4)
        TensorAutograd.registerNamespace(Library(L, table: -1, prefix: "torch.autograd."))
        lua_setfield(L, torch, "autograd")

        // The Tensor metatable and its method table.
        Tensors.type.createMetatable(L)
        let metatable = lua_gettop(L)
        lua_createtable(L, 0, 160)
        let methods = lua_gettop(L)
        let methodLib = Library(L, table: methods, prefix: "Tensor:")
        TensorMath.register(methodLib)
        TensorShape.register(methodLib)
        TensorReductions.register(methodLib)
        TensorAutograd.registerMethods(methodLib)
        TensorMetamethods.register(L, metatable: metatable, methods: methods)
        lua_pushvalue(L, methods)
        lua_setfield(L, torch, "Tensor")

        // Run the prelude with what it needs.
        let code = Array(preludeSource.utf8)
        guard ml_loadbuffer(L, code.map { CChar(bitPattern: $0) }, code.count, "=marketlab.prelude") == LUA_OK else {
            fatalPreludeError()
            return
        }
        lua_pushvalue(L, torch)
        pushFunction(L) { L in
            guard let entry = Docs.lookup(L, 1) else { lua_pushnil(L); return 1 }
            lua_createtable(L, 0, 3)
            lua_pushstring(L, entry.name); lua_setfield(L, -2, "name")
            lua_pushstring(L, entry.doc); lua_setfield(L, -2, "doc")
            lua_pushstring(L, entry.example); lua_setfield(L, -2, "example")
            return 1
        }
        lua_createtable(L, Int32(Runtime.namespaces.count), 0)
        for (i, name) in Runtime.namespaces.enumerated() {
            lua_pushstring(L, name)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
        pushDocumentFunction()
        if ml_pcall(L, 4, 0, 0) != LUA_OK { fatalPreludeError() }
        lua_settop(L, torch - 1)

        installLuaLibraries()
        for name in Runtime.namespaces { guardNamespace(name) }

        // require "torch" (and the others) returns the preloaded tables.
        ml_getglobal(L, "package")
        lua_getfield(L, -1, "loaded")
        for name in Runtime.namespaces {
            ml_getglobal(L, name)
            lua_setfield(L, -2, name)
        }
        ml_pop(L, 2)
    }

    /// F's Swift functions, the optimizer kernels, then nn, optim and data's Lua parts.
    private func installLuaLibraries() {
        ml_getglobal(L, "F")
        NNFunctional.register(Library(L, table: -1, prefix: "F."))
        ml_pop(L, 1)
        ml_getglobal(L, "optim")
        OptimKernels.register(Library(L, table: -1, prefix: "optim."))
        ml_pop(L, 1)
        ml_getglobal(L, "data")
        DataFrames.register(L, data: Library(L, table: -1, prefix: "data."))
        ml_pop(L, 1)
        MetricsBindings.register(L)
        Plots.register(L)
        Reports.register(L)
        MarketingBindings.register(L)
        CrossEntropyWarning.emit = { message in FileHandle.standardError.write((message + "\n").data(using: .utf8)!) }
        var chunks: [(String, String, [String])] = [
            ("=marketlab.nn", nnModulesSource, ["torch", "nn", "F"]),
            ("=marketlab.torch", torchFunctionFormsSource, ["torch", "nn"]),
            ("=marketlab.optim", optimSource, ["torch", "optim"]),
            ("=marketlab.lr_scheduler", schedulerSource, ["torch", "optim"]),
            ("=marketlab.data", dataLoadingSource, ["torch", "data"]),
            ("=marketlab.progress", progressSource, ["torch", "progress"]),
            ("=marketlab.marketing.rfm", marketingRFMSource, ["torch", "data", "marketing"]),
            ("=marketlab.params", parametersSource, []),
        ]
        chunks += MarketingBindings.chunks.map { ($0.0, $0.1, MarketingBindings.chunkGlobals) }
        // checked_options, made once and handed to every chunk.
        guard loadChunk("=marketlab.options", checkedOptionsSource) else { return }
        pushDidYouMean()
        if ml_pcall(L, 1, 1, 0) != LUA_OK { fatalPreludeError(); return }
        let checkedOptions = luaL_ref(L, ml_registryindex())
        defer { luaL_unref(L, ml_registryindex(), checkedOptions) }
        for (name, source, globals) in chunks {
            guard loadChunk(name, source) else { return }
            for g in globals { ml_getglobal(L, g) }
            pushDocumentFunction()
            pushDidYouMean()
            ProgressBar.pushTerminalTest(L)
            lua_rawgeti(L, ml_registryindex(), lua_Integer(checkedOptions))
            if ml_pcall(L, Int32(globals.count + 4), 0, 0) != LUA_OK { fatalPreludeError() }
        }
    }

    /// Loads a chunk of the Lua-written libraries onto the stack; false (after reporting)
    /// when it does not compile.
    private func loadChunk(_ name: String, _ source: String) -> Bool {
        let code = Array(source.utf8)
        guard ml_loadbuffer(L, code.map { CChar(bitPattern: $0) }, code.count, name) == LUA_OK else { fatalPreludeError(); return false }
        return true
    }

    /// did_you_mean(name, candidates): " (did you mean 'x'?)" or "".
    private func pushDidYouMean() {
        pushFunction(L) { L in
            let a = Arguments(L, "did_you_mean")
            let name = try a.string(1, "name")
            lua_pushstring(L, didYouMean(name, try a.stringList(2, "candidates")))
            return 1
        }
    }

    private func pushDocumentFunction() {
        pushFunction(L) { L in
            let a = Arguments(L, "document")
            Docs.attach(L, 1, name: try a.string(2, "name"), doc: try a.string(3, "doc"), example: try a.string(4, "example"))
            return 0
        }
    }

    /// Reading a name a namespace lacks is an error with a suggestion
    /// ("torch has no function 'zero' (did you mean 'zeros'?)"), not a silent nil.
    private func guardNamespace(_ name: String) {
        ml_getglobal(L, name)
        // A namespace that is also callable (progress) keeps its metatable.
        if lua_getmetatable(L, -1) == 0 { lua_createtable(L, 0, 1) }
        pushFunction(L) { L in
            let key = lua_type(L, 2) == LUA_TSTRING ? String(cString: ml_tostring(L, 2)) : "?"
            var names: [String] = []
            lua_pushnil(L)
            while lua_next(L, 1) != 0 {
                if lua_type(L, -2) == LUA_TSTRING { names.append(String(cString: ml_tostring(L, -2))) }
                ml_pop(L, 1)
            }
            let hint = names.isEmpty ? " (this namespace arrives in a later MarketLab release)" : didYouMean(key, names)
            throw LuaScriptError("\(name) has no function or field '\(key)'\(hint)")
        }
        lua_setfield(L, -2, "__index")
        lua_setmetatable(L, -2)
        ml_pop(L, 1)
    }

    /// The prelude is part of MarketLab; failing to load it is our bug, never a script's.
    private func fatalPreludeError() {
        let message = ml_tostring(L, -1).map { String(cString: $0) } ?? "unknown error"
        preconditionFailure("MarketLab prelude failed: \(message)")
    }

    /// The outcome of running a chunk.
    public enum Outcome: Equatable {
        case success
        /// A script error: the message (with file:line) and a traceback.
        case failure(message: String, traceback: String)
    }

    /// Loads and runs a chunk of Lua source named `chunkName` (e.g. "@script.lua").
    public func run(source: [UInt8], chunkName: String, arguments: [String] = []) -> Outcome {
        let status = source.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                ml_loadbuffer(L, $0, buffer.count, chunkName)
            }
        }
        guard status == LUA_OK else { return popFailure() }
        for a in arguments { lua_pushstring(L, a) }
        ml_watch_interrupts(L)
        let callStatus = ml_pcall_traceback(L, Int32(arguments.count), 0)
        ml_clear_interrupt_hook(L)
        return callStatus == LUA_OK ? .success : popFailure()
    }

    /// Pops an error (with the traceback the handler appended) into an Outcome.
    private func popFailure() -> Outcome {
        let text = ml_tostring(L, -1).map { String(cString: $0) } ?? "(error object is not a string)"
        ml_pop(L, 1)
        if let range = text.range(of: "\nstack traceback:") {
            return .failure(message: String(text[..<range.lowerBound]), traceback: String(text[range.lowerBound...]).trimmingPrefix("\n"))
        }
        return .failure(message: text, traceback: "")
    }

    /// Sets a global to a Lua table built from a string list (1-based) plus extra entries
    /// (`arg[0]`, `arg[-1]`).
    public func setGlobalList(_ name: String, _ items: [String], extra: [Int: String] = [:]) {
        lua_createtable(L, Int32(items.count), Int32(extra.count))
        for (i, item) in items.enumerated() {
            lua_pushstring(L, item)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
        for (k, v) in extra {
            lua_pushstring(L, v)
            lua_rawseti(L, -2, lua_Integer(k))
        }
        lua_setglobal(L, name)
    }

    /// Sets a global to a table of string keys and values (values stay strings: '007' is
    /// an id, not 7; scripts convert with tonumber).
    /// Sets string fields of the global table `name` (`params`, which keeps its
    /// metatable), creating the table when there is none.
    public func setGlobalMap(_ name: String, _ entries: [(String, String)]) {
        if ml_getglobal(L, name) != LUA_TTABLE {
            ml_pop(L, 1)
            lua_createtable(L, 0, Int32(entries.count))
            lua_pushvalue(L, -1)
            lua_setglobal(L, name)
        }
        for (k, v) in entries {
            lua_pushstring(L, v)
            lua_setfield(L, -2, k)
        }
        ml_pop(L, 1)
    }
}

private extension String {
    func trimmingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}

extension Runtime {
    /// The value of a global string (nil when it is not a string).
    public func globalString(_ name: String) -> String? {
        ml_getglobal(L, name)
        defer { ml_pop(L, 1) }
        guard lua_type(L, -1) == LUA_TSTRING else { return nil }
        return String(cString: ml_tostring(L, -1))
    }
}
