import CLua
import Foundation
import PlotKit
import TensorKit

/// The Chart object: chart:save(path), chart:svg(), chart:show(), chart:text() and a
/// one-line tostring.
extension Plots {
    static let chart = "local chart = plot.line({1, 3, 2, 5}, {title = 'Orders'}); "

    static func registerChart(_ L: OpaquePointer) {
        chartType.createMetatable(L)
        let metatable = lua_gettop(L)
        lua_createtable(L, 0, 4)
        let lib = Library(L, table: -1, prefix: "Chart:")
        lib.function("save", "Writes the chart as a standalone SVG file, atomically (a temporary file, then a rename): chart:save(\"chart.svg\"). Returns the path.",
                     example: chart + "chart:save(os.tmpname() .. '.svg')") { a in
            let c = try self.chart(a)
            let path = try a.string(2, "path")
            guard path.lowercased().hasSuffix(".svg") else {
                throw LuaScriptError("\(a.function): bad argument #2 (path): expected a path ending in .svg (charts are saved as SVG), got '\(path)'")
            }
            do { try AtomicFile.write(Data(c.svg().utf8), to: path) } catch let e as TensorError { throw LuaScriptError("\(a.function): \(e.message)") }
            lua_pushstring(a.L, path)
            return 1
        }
        lib.function("svg", "The chart as SVG text (what chart:save writes).", example: chart + "print(#chart:svg() > 0)") { a in
            lua_pushstring(a.L, try self.chart(a).svg())
            return 1
        }
        let textDoc = "Options: width and height in characters, ascii = true for plain ASCII (the default on a terminal that is not UTF-8), color = true or false (the default: on a terminal, unless NO_COLOR is set)."
        lib.function("show", "Draws the chart with text on standard output: braille dots for lines and points, block characters for bars and histograms, axes with tick labels and a legend. " + textDoc,
                     example: chart + "chart:show({width = 60, height = 12})") { a in
            let c = try self.chart(a)
            var text = c.text(try textOptions(a, forTerminal: true))
            text.withUTF8 { bytes in _ = fwrite(bytes.baseAddress, 1, bytes.count, stdout) }
            fflush(stdout)
            return 0
        }
        lib.function("text", "The text drawing chart:show() prints, as a string (no colour unless {color = true}). " + textDoc,
                     example: chart + "print(chart:text({width = 50, height = 10, ascii = true}))") { a in
            let c = try self.chart(a)
            lua_pushstring(a.L, c.text(try textOptions(a, forTerminal: false)))
            return 1
        }
        installMethods(L, metatable: metatable, name: "Chart", methods: ["save", "svg", "show", "text"],
                       doc: "A chart from plot.line, plot.roc, ...: chart:save(path) writes SVG, chart:svg() returns it, chart:show() draws it in the terminal, chart:text() returns that drawing.",
                       example: chart + "help(chart)")
        pushFunction(L) { L in lua_pushstring(L, try chart(Arguments(L, "tostring")).summary); return 1 }
        lua_setfield(L, metatable, "__tostring")
        ml_pop(L, 1)
    }

    /// Makes the method table on top of the stack the `__index` of `metatable` (popping
    /// it), documented as `name` so that help(object) lists the methods; reading a name
    /// the object lacks is an error with a suggestion.
    static func installMethods(_ L: OpaquePointer, metatable: Int32, name: String, methods: [String], doc: String, example: String) {
        lua_createtable(L, 0, 1)
        pushFunction(L) { L in
            let key = lua_type(L, 2) == LUA_TSTRING ? String(cString: ml_tostring(L, 2)) : Arguments(L, name).describe(2)
            throw LuaScriptError("\(name) has no method or field '\(key)'\(didYouMean(key, methods)); methods: \(methods.joined(separator: ", "))")
        }
        lua_setfield(L, -2, "__index")
        lua_setmetatable(L, -2)
        Docs.attach(L, -1, name: name, doc: doc, example: example)
        lua_setfield(L, metatable, "__index")
    }

    static func chart(_ a: Arguments) throws -> Chart {
        guard let c = chartType.get(a.L, 1) else { throw a.error(1, "self", expected: "a Chart (call it as chart:method())") }
        return c
    }

    /// Text options from the table at 2; on a terminal the defaults follow it (its width,
    /// a UTF-8 locale, colours unless NO_COLOR).
    static func textOptions(_ a: Arguments, forTerminal: Bool) throws -> Chart.TextOptions {
        let o = try a.options(2, allowed: ["width", "height", "ascii", "color"])
        var options = Chart.TextOptions()
        let environment = ProcessInfo.processInfo.environment
        if forTerminal {
            var size = winsize()
            if isatty(1) != 0, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 30 {
                options.width = Swift.min(Int(size.ws_col) - 1, 100)
            }
            let locale = ["LC_ALL", "LC_CTYPE", "LANG"].compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
            options.unicode = locale.lowercased().replacingOccurrences(of: "-", with: "").contains("utf8")
            options.color = isatty(1) != 0 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        }
        if let width = try o.integer("width") {
            guard (30...400).contains(width) else { throw LuaScriptError("\(a.function): option 'width' must be between 30 and 400 characters, got \(width)") }
            options.width = width
        }
        if let height = try o.integer("height") {
            guard (6...200).contains(height) else { throw LuaScriptError("\(a.function): option 'height' must be between 6 and 200 lines, got \(height)") }
            options.height = height
        }
        if try o.bool("ascii") == true { options.unicode = false }
        if let color = try o.bool("color") { options.color = color }
        return options
    }
}
