import CLua
import DataKit
import TensorKit

/// Column quantiles, bins (cut, qcut) and date parts. Registered from
/// `FrameOps.registerColumnMethods`.
enum ColumnDerived {
    static let sample = DataFrames.sample
    static let dates = "local p = os.tmpname(); local f = io.open(p, 'w'); f:write('customer,first,last\\n1,2023-01-15,2024-03-01\\n2,2023-11-30,2023-12-24\\n'); f:close(); local df = data.read_csv(p); "
    static let binOptions = ["labels", "right", "include_lowest"]

    /// labels = {"low", "high"} names the bins, labels = false gives bin numbers 1..n.
    static func labels(_ a: Arguments, _ o: Options) throws -> Column.BinLabels {
        guard o.has("labels") else { return .intervals }
        if let codes = try? o.bool("labels") {
            guard codes == false else { throw LuaScriptError("\(a.function): option 'labels' must be a list of names or false (bin numbers), got true") }
            return .codes
        }
        guard let names = try o.stringList("labels") else { return .intervals }
        return .names(names)
    }

    static func register(_ lib: Library) {
        lib.function("quantile", "The q-quantile (0 <= q <= 1) of the non-missing values, interpolated linearly as pandas does: col:quantile(0.9); a list of levels gives a list.",
                     example: sample + "print(df.spend:quantile(0.5))") { a in
            let c = try DataFrames.column(a)
            if a.type(2) == LUA_TTABLE {
                let levels = try a.numberList(2, "q")
                lua_createtable(a.L, Int32(levels.count), 0)
                for (k, q) in levels.enumerated() {
                    lua_pushnumber(a.L, try c.quantile(q))
                    lua_rawseti(a.L, -2, lua_Integer(k + 1))
                }
                return 1
            }
            guard let q = try a.optionalNumber(2, "q") else { throw a.error(2, "q", expected: "a number between 0 and 1 or a list of them") }
            lua_pushnumber(a.L, try c.quantile(q))
            return 1
        }
        lib.function("cut", "Bins the values: col:cut(n) makes n equal-width bins over the range, col:cut({0, 10, 50, 100}) uses those edges. Bins are (a, b] (or [a, b) with {right = false}; include_lowest = true closes the first one). The result is a category column labelled like \"(10, 50]\"; {labels = {\"low\", \"mid\", \"high\"}} names the bins and {labels = false} gives bin numbers 1..n. Values outside every bin are missing.",
                     example: sample + "print(df.spend:cut({0, 10, 100}):tolist()[1])") { a in
            let c = try DataFrames.column(a)
            let o = try a.options(3, allowed: binOptions)
            let right = try o.bool("right") ?? true
            let labels = try labels(a, o)
            let result: Column
            if a.type(2) == LUA_TTABLE {
                result = try c.cut(edges: try a.numberList(2, "bins"), right: right, includeLowest: try o.bool("include_lowest") ?? false, labels: labels)
            } else {
                guard o.has("include_lowest") == false else { throw LuaScriptError("\(a.function): option 'include_lowest' applies to explicit edges; equal-width bins already hold every value") }
                result = try c.cut(count: try a.integer(2, "bins"), right: right, labels: labels)
            }
            DataFrames.columnType.push(a.L, result)
            return 1
        }
        lib.function("qcut", "Bins at quantiles: col:qcut(4) gives quartiles (bins of about equal size), col:qcut({0, 0.5, 0.9, 1}) bins between those levels. Labels as in cut ({labels = {...}} or {labels = false} for bin numbers 1..n). Tied data that makes two edges equal is an error: use fewer bins.",
                     example: "local spend = data.from_tensor(torch.arange(1, 9):double():reshape(8, 1), {'spend'}).spend; print(spend:qcut(2, {labels = {'low', 'high'}}):tolist()[1])") { a in
            let c = try DataFrames.column(a)
            let o = try a.options(3, allowed: ["labels"])
            let labels = try labels(a, o)
            let result = a.type(2) == LUA_TTABLE
                ? try c.qcut(levels: try a.numberList(2, "q"), labels: labels)
                : try c.qcut(count: try a.integer(2, "q"), labels: labels)
            DataFrames.columnType.push(a.L, result)
            return 1
        }
        for part in Column.DatePart.allCases {
            let meaning: String
            switch part {
            case .year: meaning = "The year of each date"
            case .month: meaning = "The month of each date (1-12)"
            case .day: meaning = "The day of the month of each date (1-31)"
            case .weekday: meaning = "The weekday of each date, Monday = 0 ... Sunday = 6 (as pandas)"
            case .quarter: meaning = "The quarter of each date (1-4)"
            case .dayofyear: meaning = "The day of the year of each date (1-366)"
            }
            lib.function(part.rawValue, "\(meaning), as an integer column (missing stays missing). Needs a date column.",
                         example: dates + "print(df.first:\(part.rawValue)():tolist()[1])") { a in
                DataFrames.columnType.push(a.L, try DataFrames.column(a).datePart(part))
                return 1
            }
        }
        lib.function("days_between", "Days from each date to another date column or a date \"YYYY-MM-DD\" (positive when the other is later): recency = df.last:days_between(\"2024-06-30\").",
                     example: dates + "print(df.first:days_between(df.last):tolist()[1])") { a in
            DataFrames.columnType.push(a.L, try DataFrames.column(a).daysBetween(try FrameOps.operand(a, 2, "other")))
            return 1
        }
    }
}
