import CLua
import DataKit
import Foundation
import PlotKit
import TensorKit

/// `report.new(title)` and the Report object: headings, text, metric cards, tables and
/// charts, saved as one self-contained HTML page with each table as a CSV beside it.
enum Reports {
    static let reportType = ObjectType<Report>(name: "Report")

    static let sample = "local r = report.new('Churn review'); "

    /// Fills the global `report` table and makes the Report metatable.
    static func register(_ L: OpaquePointer) {
        registerReport(L)
        ml_getglobal(L, "report")
        defer { ml_pop(L, 1) }
        let report = Library(L, table: -1, prefix: "report.")
        report.function("new", "Starts an empty report with a title and an optional subtitle. Form: report.new(title [, {subtitle}]). Add headings, text, metrics, tables and charts with its methods (each returns the report, so calls chain), then r:save(\"report.html\").",
                        example: "local r = report.new('Churn review', {subtitle = 'Telco customers, Q3'}); print(r)") { a in
            let title = try a.string(1, "title")
            let o = try a.options(2, allowed: ["subtitle"])
            reportType.push(a.L, Report(title: title, subtitle: try o.string("subtitle")))
            return 1
        }
    }

    static func registerReport(_ L: OpaquePointer) {
        reportType.createMetatable(L)
        let metatable = lua_gettop(L)
        lua_createtable(L, 0, 8)
        let lib = Library(L, table: -1, prefix: "Report:")
        lib.function("heading", "Adds a heading: r:heading(text [, level]) with level 1 (a section, the default), 2 or 3.",
                     example: sample + "r:heading('Model quality'):heading('Deciles', 2)") { a in
            let r = try report(a)
            let text = try a.string(2, "text")
            let level = try a.optionalInteger(3, "level") ?? 1
            var inputs = PlotInputs(a)
            inputs.argument(3, "level")
            try inputs.run { try r.heading(text, level: level) }
            return chain(a)
        }
        lib.function("text", "Adds text, with a little Markdown: paragraphs separated by blank lines, lists (lines starting \"- \" or \"1. \"), **bold**, *italic* and `code`. Everything else is shown as written (HTML is escaped).",
                     example: sample + "r:text('Churn is **26.5%**.\\n\\n- month-to-month contracts churn most\\n- tenure protects')") { a in
            try report(a).text(try a.string(2, "text"))
            return chain(a)
        }
        lib.function("metric", "Adds a metric card; consecutive metrics share a row: r:metric(name, value [, {format, digits, note}]). value is a number or a string; format is \"number\" (default: four significant digits, thousands separated), \"integer\", \"percent\" (0.265 → 26.5%) or a printf pattern with one number (\"%.3f\", \"€%.0f\", \"%d customers\"); digits sets the decimals of number and percent; note is a small line under the value.",
                     example: sample + "r:metric('AUC', 0.8421):metric('Churn rate', 0.2654, {format = 'percent'}):metric('Customers', 7043, {format = 'integer', note = 'scored'})") { a in
            let r = try report(a)
            let name = try a.string(2, "name")
            let o = try a.options(4, allowed: ["format", "digits", "note"])
            let value: String
            switch a.type(3) {
            case LUA_TNUMBER:
                let number = try a.number(3, "value")
                var inputs = PlotInputs(a)
                inputs.option("format")
                inputs.option("digits")
                let format = try inputs.run {
                    try MetricFormat(try o.string("format") ?? "number", digits: try o.integer("digits"))
                }
                value = format.format(number)
            case LUA_TSTRING:
                guard !o.has("format") && !o.has("digits") else { throw LuaScriptError("\(a.function): options 'format' and 'digits' apply to numbers; value is the string '\(try a.string(3, "value"))'") }
                value = try a.string(3, "value")
            default:
                throw a.error(3, "value", expected: "a number or a string")
            }
            r.metric(name, value, note: try o.string("note"))
            return chain(a)
        }
        lib.function("table", "Adds a table of a Frame's first rows: r:table(frame [, {max_rows = 20, caption}]). When saved, the whole frame is also written as CSV beside the report (report_table1.csv, ...) and the table links to it. The frame is taken as it is at this call.",
                     example: DataFrames.sample + sample + "r:table(df, {max_rows = 10, caption = 'Customers'})") { a in
            let r = try report(a)
            guard let frame = DataFrames.frameType.get(a.L, 2) else {
                throw a.error(2, "frame", expected: "a Frame (make one from a tensor with data.from_tensor(t, names))")
            }
            let o = try a.options(3, allowed: ["max_rows", "caption"])
            let maxRows = try o.integer("max_rows") ?? 20
            let caption = try o.string("caption")
            var inputs = PlotInputs(a)
            inputs.option("max_rows")
            inputs.argument(2, "frame")
            try inputs.run { try r.table(frame, maxRows: maxRows, caption: caption) }
            return chain(a)
        }
        lib.function("chart", "Adds a chart (from plot.line, plot.roc, ...), drawn inline as SVG.",
                     example: sample + "r:chart(plot.bar({'A', 'B'}, {3, 5}))") { a in
            let r = try report(a)
            guard let chart = Plots.chartType.get(a.L, 2) else { throw a.error(2, "chart", expected: "a Chart (from plot.line, plot.roc, ...)") }
            r.chart(chart)
            return chain(a)
        }
        lib.function("save", "Writes the report as one self-contained HTML file (inline CSS and SVG; no scripts, no network; prints cleanly) and each table as a CSV file beside it named after the report (report.html → report_table1.csv, ...). Every file is written atomically; nothing is written when the path is wrong. Returns the list of paths written, the HTML file last.",
                     example: sample + "r:heading('Summary'):metric('AUC', 0.84); local paths = r:save(os.tmpname() .. '.html'); print(paths[#paths])") { a in
            let r = try report(a)
            let path = try a.string(2, "path")
            var inputs = PlotInputs(a)
            inputs.argument(2, "path")
            let written = try inputs.run { try r.save(to: path) }
            lua_createtable(a.L, Int32(written.count), 0)
            for (i, p) in written.enumerated() {
                lua_pushstring(a.L, p)
                lua_rawseti(a.L, -2, lua_Integer(i + 1))
            }
            return 1
        }
        Plots.installMethods(L, metatable: metatable, name: "Report", methods: ["heading", "text", "metric", "table", "chart", "save"],
                             doc: "A report from report.new: r:heading, r:text, r:metric, r:table and r:chart add to it in order (each returns r), r:save(path) writes the HTML page and its CSV tables.",
                             example: sample + "help(r)")
        pushFunction(L) { L in lua_pushstring(L, try report(Arguments(L, "tostring")).summary); return 1 }
        lua_setfield(L, metatable, "__tostring")
        ml_pop(L, 1)
    }

    static func report(_ a: Arguments) throws -> Report {
        guard let r = reportType.get(a.L, 1) else { throw a.error(1, "self", expected: "a Report (call it as r:method())") }
        return r
    }

    /// Returns the report itself so that calls chain.
    static func chain(_ a: Arguments) -> Int32 {
        lua_settop(a.L, 1)
        return 1
    }
}
