import CLua
import DataKit
import Foundation
import PlotKit
import TensorKit

/// `plot.*`: charts from lists, tensors, Columns and Frames, as Chart objects that save
/// as SVG, return their SVG text, or draw themselves with text in the terminal.
enum Plots {
    static let chartType = ObjectType<Chart>(name: "Chart")

    /// Options every chart takes.
    static let styleOptions = ["title", "x_label", "y_label", "labels", "legend", "width", "height", "colors"]

    static let styleDoc = "Options: title, x_label, y_label, labels (series names, in order), legend (true, false, \"auto\", \"top-left\", \"top-right\", \"bottom-left\", \"bottom-right\"), width and height (pixels, default 640 x 400), colors (CSS colours, in order)."

    static let data = "local y = {3, 5, 4, 6, 8, 7, 9}; "
    static let scored = "local y = {0, 0, 1, 1, 0, 1, 0, 1, 1, 0}; local p = {0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.5, 0.9, 0.6, 0.3}; "

    /// Fills the global `plot` table and makes the Chart metatable.
    static func register(_ L: OpaquePointer) {
        registerChart(L)
        ml_getglobal(L, "plot")
        defer { ml_pop(L, 1) }
        let plot = Library(L, table: -1, prefix: "plot.")
        plot.function("line", "Line chart of one or more series. Forms: plot.line(y), plot.line(x, y), plot.line{x = ..., y = {train, valid}, labels = {\"train\", \"valid\"}} or plot.line(frame, {x = \"date\", y = {\"revenue\", \"cost\"}}). y is one sequence or a list of them (one line each); x is shared, or a list with one sequence per line, and holds numbers, names (one tick each) or dates (a date Column or \"2024-03-05\" strings). Sequences are Lua lists, tensors or Columns. Lines of up to 30 points get dots ({markers = true/false} decides). " + styleDoc,
                      example: data + "local chart = plot.line(y, {title = 'Weekly orders', x_label = 'week'}); print(chart)") { a in
            try push(a) { inputs, o in
                let form = try xyForm(a, &inputs, extra: ["markers"])
                return try inputs.run { try Chart.line(x: form.x, y: form.y, style: form.style, markers: try form.options.bool("markers")) }
            }
        }
        plot.function("scatter", "Scatter plot of y against x. Forms: plot.scatter(x, y), plot.scatter{x = ..., y = ...} or plot.scatter(frame, {x = \"tenure\", y = \"spend\"}); y may be a list of sequences (one colour each, x shared or one per sequence). " + styleDoc,
                      example: "print(plot.scatter({1, 2, 3, 4}, {2.5, 3.1, 2.2, 4.8}, {x_label = 'visits', y_label = 'spend'}))") { a in
            try push(a) { inputs, _ in
                let form = try xyForm(a, &inputs, extra: [])
                return try inputs.run { try Chart.scatter(x: form.x, y: form.y, style: form.style) }
            }
        }
        plot.function("bar", "Bar chart of values per category. Forms: plot.bar(values), plot.bar(categories, values) or plot.bar(frame, {x = \"segment\", y = \"revenue\" or {\"2023\", \"2024\"}}). values may be a list of sequences: grouped bars, one colour per sequence, named by labels. lower and upper (both or neither) give each bar an interval drawn as a whisker, such as a confidence interval: sequences shaped as values (with a Frame, column names), the interval's ends themselves, not distances from the value. The value axis starts at 0. " + styleDoc,
                      example: "print(plot.bar({'Champions', 'Loyal', 'At risk'}, {120, 80, 30}, {title = 'Customers by segment'}))") { a in
            try push(a) { inputs, _ in
                let form = try xyForm(a, &inputs, extra: ["lower", "upper"], xName: "categories", yName: "values")
                let intervals = try readIntervals(a, inputs, form.options)
                var categories: [String]?
                if let x = form.x.first {
                    guard form.x.count == 1 else { throw LuaScriptError("\(a.function): \(inputs.label("categories")): expected one list of category names, got \(form.x.count)") }
                    switch x {
                    case .categories(let names): categories = names
                    case .numbers(let v), .dates(let v): categories = v.map { formatReadable($0) }
                    }
                }
                return try inputs.run { try Chart.bar(categories: categories, values: form.y, intervals: intervals, style: form.style) }
            }
        }
        plot.function("hist", "Histogram: counts of values in equal-width bins over their range. Bins are closed on the left, the last also on the right, as numpy: plot.hist(values [, {bins = 10}]) or plot.hist(frame, {x = \"spend\"}). bins is a count or a list of edges (values outside the edges are not counted). A list of sequences draws overlaid histograms over the same bins. " + styleDoc,
                      example: "print(plot.hist({1, 2, 2, 3, 3, 3, 4, 4, 5}, {bins = 5, x_label = 'orders'}))") { a in
            try push(a) { inputs, _ in
                let form = try xyForm(a, &inputs, extra: ["bins"], yName: "values", single: true)
                let bins = try readBins(a, form.options, inputs, defaultCount: 10)
                return try inputs.run { try Chart.histogram(values: form.y, bins: bins, style: form.style) }
            }
        }
        registerMetricCharts(plot)
        plot.function("loss_curve", "Loss per epoch for one or more training histories. Forms: plot.loss_curve(history) with history a list of losses, or a table of named lists such as {train = {...}, valid = {...}} (train first, then valid/validation/val/test, then the rest by name). " + styleDoc,
                      example: "print(plot.loss_curve({train = {0.9, 0.6, 0.45, 0.4}, valid = {0.95, 0.7, 0.6, 0.62}}))") { a in
            try push(a) { inputs, o in
                inputs.argument(1, "history")
                let histories = try lossHistories(a, inputs)
                let style = try readStyle(a, o(2, []))
                return try inputs.run { try Chart.lossCurve(histories: histories, style: style) }
            }
        }
    }

    /// The ROC, PR, gains, lift, calibration and Qini charts: labels and scores in.
    static func registerMetricCharts(_ plot: Library) {
        let scoresDoc = "y holds 0/1 labels (or booleans); scores is one sequence or a list of them (one curve per model, named by labels). "
        let metric: [(String, String, String, [String])] = [
            ("roc", "ROC curve with each model's AUC in the legend, against the diagonal of random ranking. It draws true against false positive rate at the points scikit-learn's roc_curve returns: plot.roc(y, scores [, options]). ", "", []),
            ("pr", "Precision-recall curve with each model's average precision, against the positive rate of random ranking. Points as scikit-learn's precision_recall_curve, drawn as steps: plot.pr(y, scores [, options]). ", "", []),
            ("gains", "Cumulative gains chart: the share of all responders reached when targeting the top-scored share of customers. Random targeting and a perfect model are drawn for comparison: plot.gains(y, scores [, options]). ", "", []),
            ("lift", "Lift chart: the responder rate among the top-scored customers over the overall rate (1 = random). Points at 10%, 20%, ... of customers: plot.lift(y, scores [, {bins = 10, cumulative = true}]). With cumulative = false each point is the rate within its slice alone. ", "", ["bins", "cumulative"]),
            ("calibration", "Calibration chart (reliability diagram): the observed positive rate against the mean predicted probability per bin, as scikit-learn's calibration_curve, with the diagonal of perfect calibration. Form: plot.calibration(y, probabilities [, {bins = 10, strategy = \"uniform\" or \"quantile\"}]). Probabilities must lie in [0, 1]; empty bins are left out. ", "", ["bins", "strategy"]),
        ]
        for (name, doc, _, extra) in metric {
            plot.function(name, doc + scoresDoc + styleDoc, example: scored + "print(plot.\(name)(y, p, {title = 'Response model'}))") { a in
                try push(a) { inputs, o in
                    inputs.argument(1, "y")
                    inputs.argument(2, "scores")
                    let y = try inputs.numbers(1, "y")
                    let scores = try inputs.numberSeries(2, "scores")
                    let options = try o(3, extra)
                    let style = try readStyle(a, options)
                    switch name {
                    case "roc": return try inputs.run { try Chart.roc(y: y, scores: scores, style: style) }
                    case "pr": return try inputs.run { try Chart.precisionRecall(y: y, scores: scores, style: style) }
                    case "gains": return try inputs.run { try Chart.gains(y: y, scores: scores, style: style) }
                    case "lift":
                        let bins = try options.integer("bins") ?? 10
                        let cumulative = try options.bool("cumulative") ?? true
                        return try inputs.run { try Chart.lift(y: y, scores: scores, bins: bins, cumulative: cumulative, style: style) }
                    default:
                        let bins = try options.integer("bins") ?? 10
                        let strategy = try options.string("strategy") ?? "uniform"
                        guard strategy == "uniform" || strategy == "quantile" else {
                            throw LuaScriptError("\(a.function): option 'strategy' must be \"uniform\" or \"quantile\", got '\(strategy)'\(didYouMean(strategy, ["uniform", "quantile"]))")
                        }
                        return try inputs.run { try Chart.calibration(y: y, scores: scores, bins: bins, quantile: strategy == "quantile", style: style) }
                    }
                }
            }
        }
        plot.function("qini", "Qini curve of one or more uplift models against random targeting. Points as scikit-uplift's qini_curve: incremental responders (treated responders minus control responders scaled to the treated count) as more customers are targeted by descending uplift score, against random targeting: plot.qini(y, uplift, treatment [, options]). y and treatment hold 0/1 values; uplift is one sequence or a list of them (one curve per model). " + styleDoc,
                      example: scored + "local t = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0}; print(plot.qini(y, p, t))") { a in
            try push(a) { inputs, o in
                inputs.argument(1, "y")
                inputs.argument(2, "scores")
                inputs.argument(3, "treatment")
                let y = try inputs.numbers(1, "y")
                let scores = try inputs.numberSeries(2, "scores")
                let treatment = try inputs.numbers(3, "treatment")
                let style = try readStyle(a, o(4, []))
                return try inputs.run { try Chart.qini(y: y, scores: scores, treatment: treatment, style: style) }
            }
        }
    }

    /// Runs a chart builder and pushes the chart. `body` gets the input reader and a
    /// function that reads the options table at an index (style options plus `extra`).
    static func push(_ a: Arguments, _ body: (inout PlotInputs, (Int32, [String]) throws -> Options) throws -> Chart) throws -> Int32 {
        var inputs = PlotInputs(a)
        for name in styleOptions + ["bins", "cumulative", "strategy", "markers", "lower", "upper"] { inputs.option(name) }
        let chart = try body(&inputs) { index, extra in try a.options(index, allowed: styleOptions + extra) }
        chartType.push(a.L, chart)
        return 1
    }

    /// The data of line, scatter, bar and hist in any of their forms, with the options.
    struct XYForm {
        var x: [PlotValues]
        var y: [[Double]]
        var style: Chart.Style
        var options: Options
    }

    /// plot.f(y), plot.f(x, y), plot.f{x = ..., y = ...} or plot.f(frame, {x = "col",
    /// y = "col" or {...}}), each with a trailing options table. `single` charts (hist)
    /// take only their values: plot.hist(values) or plot.hist(frame, {x = "col"}).
    static func xyForm(_ a: Arguments, _ inputs: inout PlotInputs, extra: [String], xName: String = "x", yName: String = "y", single: Bool = false) throws -> XYForm {
        let L = a.L
        // A frame with column names.
        if let frame = DataFrames.frameType.get(L, 1) {
            let o = try a.options(2, allowed: styleOptions + extra + (single ? ["x"] : ["x", "y"]))
            inputs.option("x")
            inputs.option("y")
            var style = try readStyle(a, o)
            func columns(_ key: String) throws -> [Column] { try frameColumns(a, frame, o, key) }
            let yColumns = try columns(single ? "x" : "y")
            let y = try yColumns.map { try inputs.numbers(inputs.values(of: $0, single ? "x" : "y"), single ? "x" : "y") }
            if yColumns.count > 1 && style.labels == nil { style.labels = yColumns.map(\.name) }
            var x: [PlotValues] = []
            if single {
                if yColumns.count == 1 && style.xLabel == nil { style.xLabel = yColumns[0].name }
            } else {
                if yColumns.count == 1 && style.yLabel == nil { style.yLabel = yColumns[0].name }
                if o.has("x") {
                    let xColumn = try columns("x")
                    guard xColumn.count == 1 else { throw LuaScriptError("\(a.function): option 'x' names one column, got \(xColumn.count)") }
                    x = [try inputs.values(of: xColumn[0], "x")]
                    if style.xLabel == nil { style.xLabel = xColumn[0].name }
                }
            }
            return XYForm(x: x, y: y, style: style, options: o)
        }
        // One table holding the data and the options.
        if !single && a.isOptionsTable(1) && a.count <= 1 {
            let o = try a.options(1, allowed: styleOptions + extra + [xName, yName].map(tableKey))
            func field(_ key: String, _ read: (Int32) throws -> Void) throws {
                lua_pushstring(L, key)
                lua_rawget(L, 1)
                defer { ml_pop(L, 1) }
                inputs.option(key)
                if lua_type(L, -1) != LUA_TNIL { try read(lua_gettop(L)) }
            }
            var x: [PlotValues] = [], y: [[Double]] = []
            try field(tableKey(yName)) { y = try inputs.numberSeries($0, tableKey(yName)) }
            guard !y.isEmpty else { throw LuaScriptError("\(a.function): the table form needs y = values (a sequence or a list of them)") }
            try field(tableKey(xName)) { x = try inputs.seriesList($0, tableKey(xName)) }
            return XYForm(x: x, y: y, style: try readStyle(a, o), options: o)
        }
        // Positional values, then options.
        let last = a.count
        let hasOptions = last >= 1 && (a.isOptionsTable(last) || lua_type(L, last) == LUA_TNIL)
        let values = hasOptions ? last - 1 : last
        guard values >= 1 else { throw LuaScriptError("\(a.function): bad argument #1 (\(yName)): expected values to plot, got nothing") }
        guard values <= (single ? 1 : 2) else {
            throw LuaScriptError("\(a.function): expected \(single ? "(values [, options])" : "(\(yName) [, options]) or (\(xName), \(yName) [, options])"), got \(values) values before the options; put options in one table at the end")
        }
        let yIndex: Int32 = values == 2 ? 2 : 1
        inputs.argument(yIndex, yName)
        let y = try inputs.numberSeries(yIndex, yName)
        var x: [PlotValues] = []
        if values == 2 {
            inputs.argument(1, xName)
            x = try inputs.seriesList(1, xName)
        }
        let o = try a.options(values + 1, allowed: styleOptions + extra)
        return XYForm(x: x, y: y, style: try readStyle(a, o), options: o)
    }

    /// The columns an option names with a Frame: one name or a list of them.
    static func frameColumns(_ a: Arguments, _ frame: Frame, _ o: Options, _ key: String) throws -> [Column] {
        let names: [String]
        if let one = try? o.string(key) { names = [one] } else if let list = try o.stringList(key) { names = list } else {
            throw LuaScriptError("\(a.function): with a Frame, option '\(key)' names the columns to plot (a name or a list of names)")
        }
        guard !names.isEmpty else { throw LuaScriptError("\(a.function): option '\(key)' lists no columns") }
        return try names.map { try frame.requireColumn($0, a.function) }
    }

    /// plot.bar's lower and upper options, the two ends of each bar's interval: sequences
    /// shaped as the values, or with a Frame the names of their columns.
    static func readIntervals(_ a: Arguments, _ inputs: PlotInputs, _ o: Options) throws -> (lower: [[Double]], upper: [[Double]])? {
        guard o.has("lower") || o.has("upper") else { return nil }
        guard o.has("lower") && o.has("upper") else {
            throw LuaScriptError("\(a.function): options 'lower' and 'upper' go together (the two ends of each interval), got only '\(o.has("lower") ? "lower" : "upper")'")
        }
        func bounds(_ key: String) throws -> [[Double]] {
            if let frame = DataFrames.frameType.get(a.L, 1) {
                return try frameColumns(a, frame, o, key).map { try inputs.numbers(inputs.values(of: $0, key), key) }
            }
            lua_pushstring(a.L, key)
            lua_rawget(a.L, o.index)
            defer { ml_pop(a.L, 1) }
            return try inputs.numberSeries(lua_gettop(a.L), key)
        }
        return (try bounds("lower"), try bounds("upper"))
    }

    /// In the table form bar data is given as x (categories) and y (values).
    static func tableKey(_ name: String) -> String { name == "categories" ? "x" : name == "values" ? "y" : name }

    /// The style options.
    static func readStyle(_ a: Arguments, _ o: Options) throws -> Chart.Style {
        var style = Chart.Style()
        style.title = try o.string("title") ?? ""
        style.xLabel = try o.string("x_label")
        style.yLabel = try o.string("y_label")
        style.labels = try o.stringList("labels")
        style.colors = try o.stringList("colors") ?? []
        style.width = try o.integer("width") ?? style.width
        style.height = try o.integer("height") ?? style.height
        if o.has("legend") {
            if let shown = try? o.bool("legend") {
                style.legend = shown ? .automatic : .none
            } else {
                let name = try o.string("legend") ?? ""
                let valid = Chart.LegendPlacement.allCases.map(\.rawValue)
                guard let placement = Chart.LegendPlacement(rawValue: name) else {
                    throw LuaScriptError("\(a.function): option 'legend' must be true, false or one of \(valid.map { "\"\($0)\"" }.joined(separator: ", ")), got '\(name)'\(didYouMean(name, valid))")
                }
                style.legend = placement
            }
        }
        return style
    }

    /// bins: a count or a list of edges.
    static func readBins(_ a: Arguments, _ o: Options, _ inputs: PlotInputs, defaultCount: Int) throws -> Chart.Bins {
        guard o.has("bins") else { return .count(defaultCount) }
        if let count = try? o.integer("bins") { return .count(count) }
        lua_pushstring(a.L, "bins")
        lua_rawget(a.L, o.index)
        defer { ml_pop(a.L, 1) }
        guard lua_type(a.L, -1) == LUA_TTABLE else {
            throw LuaScriptError("\(a.function): option 'bins' must be a number of bins or a list of edges, got \(a.describe(-1))")
        }
        return .edges(try inputs.numbers(lua_gettop(a.L), "bins"))
    }

    /// A list of losses, or a table of named lists in a stable order.
    static func lossHistories(_ a: Arguments, _ inputs: PlotInputs) throws -> [(name: String, losses: [Double])] {
        let L = a.L
        if Tensors.type.get(L, 1) != nil || DataFrames.columnType.get(L, 1) != nil || (lua_type(L, 1) == LUA_TTABLE && !a.isOptionsTable(1)) {
            if inputs.isSeriesList(1) {
                return try inputs.numberSeries(1, "history").enumerated().map { ("series \($0.offset + 1)", $0.element) }
            }
            return [("loss", try inputs.numbers(1, "history"))]
        }
        guard lua_type(L, 1) == LUA_TTABLE else { throw inputs.wrong(1, "history", "a list of losses or a table {train = {...}, valid = {...}}") }
        var named: [(String, [Double])] = []
        lua_pushnil(L)
        while lua_next(L, 1) != 0 {
            defer { ml_pop(L, 1) }
            guard lua_type(L, -2) == LUA_TSTRING else {
                ml_pop(L, 1)
                throw LuaScriptError("\(a.function): bad argument #1 (history): expected a list of losses or a table of named lists such as {train = {...}, valid = {...}}")
            }
            let name = String(cString: ml_tostring(L, -2))
            do { named.append((name, try inputs.numbers(lua_gettop(L), "history"))) } catch let e as LuaScriptError {
                ml_pop(L, 1)
                throw LuaScriptError(e.message.replacingOccurrences(of: "bad argument #1 (history): ", with: "bad argument #1 (history.\(name)): "))
            }
        }
        let order = ["train", "training", "valid", "validation", "val", "test"]
        return named.sorted { lhs, rhs in
            let (l, r) = (order.firstIndex(of: lhs.0) ?? order.count, order.firstIndex(of: rhs.0) ?? order.count)
            return l != r ? l < r : lhs.0 < rhs.0
        }.map { (name: $0.0, losses: $0.1) }
    }
}
