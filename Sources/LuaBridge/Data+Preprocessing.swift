import CLua
import DataKit
import TensorKit

/// A transformer as Lua holds it (the core's transformers are protocol values).
final class TransformerBox {
    let value: Transformer
    init(_ value: Transformer) { self.value = value }
}

/// data.StandardScaler, MinMaxScaler, OneHotEncoder, TargetEncoder, SimpleImputer,
/// KBinsDiscretizer, data.Pipeline and data.load_pipeline, and the methods they share
/// (fit, transform, fit_transform, feature_names, save). Options are read into JSON and
/// checked by the core, the same reader that checks a saved file.
enum DataPreprocessing {
    static let type = ObjectType<TransformerBox>(name: "Transformer")

    /// A small frame for the doc examples: plan (text), spend (a gap), visits, churn.
    static let sample = "local p = os.tmpname(); local f = io.open(p, 'w'); f:write('plan,spend,visits,churn\\nbasic,12.5,3,yes\\npro,40,8,no\\nbasic,,2,yes\\npro,35,7,no\\nbasic,10,1,no\\npro,50,9,yes\\n'); f:close(); local df = data.read_csv(p); "

    static let constructors: [(name: String, doc: String, example: String)] = [
        ("StandardScaler", "Centres and scales numeric columns to (x - mean) / std, as scikit-learn: population std (ddof = 0), a constant column gets scale 1, missing values are left out of the fit and stay missing. data.StandardScaler(cols [, {with_mean, with_std}]). Fitted: mean_, var_, scale_, n_samples_seen_ (one per column).",
         "local s = data.StandardScaler({'spend', 'visits'}); print(s:fit_transform(df)); print(s.mean_[1])"),
        ("MinMaxScaler", "Scales numeric columns onto feature_range (default {0, 1}) as scikit-learn: x * scale_ + min_. clip = true holds new values inside the range. Missing values are left out of the fit and stay missing. Fitted: data_min_, data_max_, data_range_, scale_, min_.",
         "print(data.MinMaxScaler({'spend'}, {feature_range = {-1, 1}}):fit_transform(df))"),
        ("OneHotEncoder", "One 0/1 column per category, named <col>_<value> in sorted order and inserted where the column stood; a missing value is its own category <col>_nan. handle_unknown: \"error\" (an unseen value is an error naming it), \"ignore\" (all zeros) or \"infrequent_if_exist\"; min_frequency (a row count, or a fraction in (0, 1)) and max_categories group rare categories into <col>_infrequent (scikit-learn: <col>_infrequent_sklearn); drop = \"first\" or \"if_binary\". Text, integer and bool columns. Fitted: categories_, infrequent_categories_.",
         "local enc = data.OneHotEncoder({'plan'}, {drop = 'if_binary'}); print(enc:fit_transform(df)); print(table.concat(enc:feature_names(), ', '))"),
        ("TargetEncoder", "Replaces each category by a smoothed mean of the target in it, as scikit-learn 1.3+: target = \"col\" (binary: two values, the later one in sorted order counts as 1; or continuous). smooth = \"auto\" or a weight; fit_transform cross-fits with cv folds (stratified for a binary target; shuffle = false keeps scikit-learn's unshuffled folds, seed repeats a shuffle); fit then transform uses all rows. Unseen categories get target_mean_. Fitted: categories_, encodings_, target_mean_, target_type_, classes_.",
         "local te = data.TargetEncoder({'plan'}, {target = 'churn', cv = 2, shuffle = false}); print(te:fit_transform(df)); print(te.encodings_[1][1])"),
        ("SimpleImputer", "Fills missing values with a statistic learnt at fit, as scikit-learn: strategy = \"mean\" or \"median\" (numbers; gives a number column), \"most_frequent\" (any column, keeps its type; ties go to the smallest) or \"constant\" (fill_value; default 0, \"missing_value\" for text). add_indicator = true adds a 0/1 column missingindicator_<col> right after each column that had gaps at fit. A column with no values at all is an error. Fitted: statistics_.",
         "print(data.SimpleImputer({'spend'}, {strategy = 'median', add_indicator = true}):fit_transform(df))"),
        ("KBinsDiscretizer", "Cuts numeric columns into n_bins bins (one count, or a list per column), as scikit-learn: strategy = \"quantile\" (numpy's averaged_inverted_cdf; bins narrower than 1e-8 are dropped) or \"uniform\"; encode = \"onehot\" (columns <col>_0.0, <col>_1.0, ...) or \"ordinal\" (the 0-based bin number). Missing values are an error: impute first. Fitted: bin_edges_, n_bins_.",
         "print(data.KBinsDiscretizer({'visits'}, {n_bins = 3, encode = 'ordinal'}):fit_transform(df))"),
    ]

    static func register(_ L: OpaquePointer, data: Library) {
        registerMetatable(L)
        for (name, doc, example) in constructors {
            let options = (Preprocessing.kinds[name]?.defaults ?? []).map { "\($0.key) = \(Preprocessing.luaText($0.value))" }
            let full = doc + " Options (defaults): " + options.joined(separator: ", ") + ". Methods: fit(df), transform(df), fit_transform(df), feature_names(), save(path)."
            data.function(name, full, example: sample + example) { a in
                guard let kind = Preprocessing.kinds[name] else { throw LuaScriptError("\(a.function): unknown transformer") }
                let columns = try columnList(a, 1)
                let options = try optionsValue(a, 2)
                push(a.L, try kind.init(columns: columns, options: JSONNode(options, context: a.function, origin: .options)))
                return 1
            }
        }
        data.function("Pipeline", "Transformers applied in order, each to the previous one's output, as scikit-learn's Pipeline: data.Pipeline{step1, step2, ...}. fit(df) fit-transforms every step but the last and fits the last; fit_transform(df) and transform(df) run every step; feature_names() is the last step's; save(path) writes the whole pipeline as JSON (data.load_pipeline reads it back); p.steps lists the steps.",
                      example: sample + "local p = data.Pipeline{data.SimpleImputer({'spend'}, {strategy = 'median'}), data.StandardScaler({'spend', 'visits'}), data.OneHotEncoder({'plan'})}; print(p:fit_transform(df)); print(p)") { a in
            var steps: [Transformer] = []
            if a.type(1) == LUA_TTABLE && type.get(a.L, 1) == nil {
                let n = lua_rawlen(a.L, 1)
                for i in 0..<Int(n) {
                    lua_rawgeti(a.L, 1, lua_Integer(i + 1))
                    defer { ml_pop(a.L, 1) }
                    guard let box = type.get(a.L, -1) else {
                        throw LuaScriptError("\(a.function): step \(i + 1) must be a transformer (data.StandardScaler(...), ...), got \(Arguments(a.L, a.function).describe(-1))")
                    }
                    steps.append(box.value)
                }
            } else {
                for i in 1...max(a.count, 1) {
                    guard let box = type.get(a.L, i) else { throw a.error(i, "step \(i)", expected: "a transformer or a list of transformers ({step1, step2})") }
                    steps.append(box.value)
                }
            }
            push(a.L, try Pipeline(steps: steps, context: a.function))
            return 1
        }
        data.function("load_pipeline", "Reads a pipeline or a single transformer saved with :save(path) (JSON); the result transforms new data exactly as the saved one did. A malformed file is an error naming the file and the field.",
                      example: sample + "local s = data.StandardScaler({'visits'}):fit(df); local path = os.tmpname(); s:save(path); print(data.load_pipeline(path):transform(df))") { a in
            push(a.L, try Preprocessing.load(path: try a.string(1, "path"), context: a.function))
            return 1
        }
    }

    static func push(_ L: OpaquePointer, _ transformer: Transformer) { type.push(L, TransformerBox(transformer)) }

    static func transformer(_ a: Arguments) throws -> Transformer {
        guard let box = type.get(a.L, 1) else { throw a.error(1, "self", expected: "a transformer (call methods with ':')") }
        return box.value
    }

    /// Column names: one string or a list of strings.
    static func columnList(_ a: Arguments, _ i: Int32) throws -> [String] {
        if a.type(i) == LUA_TSTRING { return [try a.string(i, "columns")] }
        guard a.type(i) == LUA_TTABLE else { throw a.error(i, "columns", expected: "a column name or a list of column names") }
        return try a.stringList(i, "columns")
    }

    /// The options table at `i` as JSON (null when absent); values may be numbers,
    /// strings, booleans or lists of those.
    static func optionsValue(_ a: Arguments, _ i: Int32) throws -> JSONValue {
        if a.isNone(i) || a.type(i) == LUA_TNIL { return .null }
        guard a.type(i) == LUA_TTABLE else { throw a.error(i, "options", expected: "an options table") }
        let index = lua_absindex(a.L, i)
        var fields: [(key: String, value: JSONValue)] = []
        lua_pushnil(a.L)
        while lua_next(a.L, index) != 0 {
            defer { ml_pop(a.L, 1) }
            guard lua_type(a.L, -2) == LUA_TSTRING else {
                ml_pop(a.L, 1)
                throw LuaScriptError("\(a.function): options must be given by name ({name = value, ...})")
            }
            let key = String(cString: ml_tostring(a.L, -2))
            fields.append((key, try value(a, key, lua_gettop(a.L), nested: false)))
        }
        return .object(fields.sorted { $0.key < $1.key })
    }

    /// The option value at `index` as JSON.
    static func value(_ a: Arguments, _ key: String, _ index: Int32, nested: Bool) throws -> JSONValue {
        switch lua_type(a.L, index) {
        case LUA_TBOOLEAN: return .bool(lua_toboolean(a.L, index) != 0)
        case LUA_TSTRING: return .string(String(cString: ml_tostring(a.L, index)))
        case LUA_TNUMBER:
            if ml_isinteger(a.L, index) != 0 { return .integer(Int64(lua_tointegerx(a.L, index, nil))) }
            return .number(lua_tonumberx(a.L, index, nil))
        case LUA_TTABLE where !nested:
            let n = Int64(lua_rawlen(a.L, index))
            var items: [JSONValue] = []
            var keys = 0
            lua_pushnil(a.L)
            while lua_next(a.L, index) != 0 { keys += 1; ml_pop(a.L, 1) }
            guard keys == n else { throw LuaScriptError("\(a.function): option '\(key)' must be a list ({a, b, ...}), got a table with named keys") }
            if n > 0 {
                for k in 1...n {
                    lua_rawgeti(a.L, index, k)
                    defer { ml_pop(a.L, 1) }
                    items.append(try value(a, key, lua_gettop(a.L), nested: true))
                }
            }
            return .array(items)
        default:
            throw LuaScriptError("\(a.function): option '\(key)' must be a number, a string, a boolean\(nested ? "" : " or a list"), got \(String(cString: lua_typename(a.L, lua_type(a.L, index))))")
        }
    }

    /// Pushes a JSON value as Lua: lists as 1-based tables, objects as tables; null is
    /// nil, or NaN inside a list (a missing category, as scikit-learn's np.nan).
    static func pushJSON(_ L: OpaquePointer, _ value: JSONValue, inList: Bool = false) {
        switch value {
        case .null: if inList { lua_pushnumber(L, .nan) } else { lua_pushnil(L) }
        case .bool(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let i): lua_pushinteger(L, lua_Integer(i))
        case .number(let d): lua_pushnumber(L, d)
        case .string(let s): lua_pushstring(L, s)
        case .array(let items):
            lua_createtable(L, Int32(items.count), 0)
            for (i, item) in items.enumerated() {
                pushJSON(L, item, inList: true)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        case .object(let fields):
            lua_createtable(L, 0, Int32(fields.count))
            for (key, item) in fields {
                lua_pushstring(L, key)
                pushJSON(L, item)
                lua_rawset(L, -3)
            }
        }
    }

    static func pushStrings(_ L: OpaquePointer, _ names: [String]) {
        lua_createtable(L, Int32(names.count), 0)
        for (i, n) in names.enumerated() { lua_pushstring(L, n); lua_rawseti(L, -2, lua_Integer(i + 1)) }
    }

    static let fields = ["columns", "fitted", "options", "steps"]

    static func registerMetatable(_ L: OpaquePointer) {
        type.createMetatable(L)
        let metatable = lua_gettop(L)
        lua_createtable(L, 0, 5)
        let lib = Library(L, table: -1, prefix: "Transformer:")
        let example = sample + "local s = data.StandardScaler({'visits'}); "
        lib.function("fit", "Learns from a Frame (means, categories, bins, ...) and returns the transformer itself: t:fit(df). A named column missing from the frame is an error.",
                     example: example + "print(s:fit(df))") { a in
            let t = try transformer(a)
            try t.fit(try frame(a, t, "fit"))
            lua_pushvalue(a.L, 1)
            return 1
        }
        lib.function("transform", "Applies what fit learnt to a Frame and returns a new Frame: each transformed column replaced where it stood by its outputs, all other columns unchanged: t:transform(df).",
                     example: example + "s:fit(df); print(s:transform(df))") { a in
            let t = try transformer(a)
            DataFrames.frameType.push(a.L, try t.transform(try frame(a, t, "transform")))
            return 1
        }
        lib.function("fit_transform", "fit(df) then transform(df) in one call (a TargetEncoder cross-fits here instead, as scikit-learn): t:fit_transform(df).",
                     example: example + "print(s:fit_transform(df))") { a in
            let t = try transformer(a)
            DataFrames.frameType.push(a.L, try t.fitTransform(try frame(a, t, "fit_transform")))
            return 1
        }
        lib.function("feature_names", "The output frame's column names for the frame seen by fit, as a Lua list (scikit-learn's get_feature_names_out, with the untouched columns in place).",
                     example: sample + "local enc = data.OneHotEncoder({'plan'}):fit(df); print(table.concat(enc:feature_names(), ', '))") { a in
            pushStrings(a.L, try transformer(a).featureNames())
            return 1
        }
        lib.function("save", "Writes the transformer (or pipeline), fitted or not, as JSON, atomically (a temporary file, then a rename): t:save(path). data.load_pipeline(path) reads it back.",
                     example: example + "s:fit(df); s:save(os.tmpname())") { a in
            let t = try transformer(a)
            let path = try Arguments(a.L, "\(t.typeName).save").string(2, "path")
            do { try Preprocessing.save(t, to: path) } catch let e as TensorError { throw LuaScriptError("\(t.typeName).save: \(e.message)") }
            return 0
        }
        pushIndexFunction(L) { L in
            let a = Arguments(L, "Transformer")
            let t = try transformer(a)
            let key = try a.string(2, "field")
            switch key {
            case "columns":
                guard let c = t as? ColumnTransformer else { break }
                pushStrings(L, c.columns)
                return 1
            case "options":
                guard let c = t as? ColumnTransformer else { break }
                pushJSON(L, .object(c.options))
                return 1
            case "steps":
                guard let p = t as? Pipeline else { break }
                lua_createtable(L, Int32(p.steps.count), 0)
                for (i, step) in p.steps.enumerated() { push(L, step); lua_rawseti(L, -2, lua_Integer(i + 1)) }
                return 1
            case "fitted":
                lua_pushboolean(L, t.isFitted ? 1 : 0)
                return 1
            default:
                if let attribute = t.attributes.first(where: { $0.name == key }) {
                    pushJSON(L, attribute.value)
                    return 1
                }
                if t.attributeNames.contains(key) {
                    throw LuaScriptError("\(t.typeName): \(key) is learnt by fit; call fit(df) first")
                }
            }
            let known = ["fit", "transform", "fit_transform", "feature_names", "save", "fitted"]
                + (t is Pipeline ? ["steps"] : ["columns", "options"]) + t.attributeNames
            throw LuaScriptError("\(t.typeName) has no field or method '\(key)'\(didYouMean(key, known))")
        }
        lua_setfield(L, metatable, "__index")
        pushFunction(L) { L in
            lua_pushstring(L, try transformer(Arguments(L, "tostring")).description)
            return 1
        }
        lua_setfield(L, metatable, "__tostring")
        ml_pop(L, 1)
    }

    /// The Frame argument of a method (argument 2).
    static func frame(_ a: Arguments, _ t: Transformer, _ method: String) throws -> Frame {
        guard let df = DataFrames.frameType.get(a.L, 2) else {
            throw Arguments(a.L, "\(t.typeName).\(method)").error(2, "frame", expected: "a Frame")
        }
        return df
    }
}
