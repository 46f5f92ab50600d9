import CLua
import DataKit
import Foundation
import TensorKit

/// marketing: the clustering part (Swift functions and the Lua chunk "=marketlab.marketing.clustering").
/// marketing.kmeans and the silhouette run DataKit's kernels (KMeans, Silhouette); the
/// cluster profile is Lua on top of the Frame operations.
extension MarketingBindings {
    static func registerClustering(_ lib: Library) {
        makeKMeansMetatable(lib.L)
        registerKMeans(lib)
        registerSilhouette(lib)
    }

    static let kmeansOptions = ["k", "n_init", "max_iter", "tol", "seed", "init", "columns"]
    static let kmeansFields = ["labels", "centers", "inertia", "n_iter", "k", "sizes", "columns", "predict"]
    static let surveyExample = "local df = data.read_csv('examples/data/bayesm-customerSat.csv'):head(200); "

    static func registerKMeans(_ lib: Library) {
        lib.function("kmeans", "Groups rows into k clusters of similar customers (k-means, as scikit-learn's KMeans with algorithm \"lloyd\"): marketing.kmeans(X, {k, n_init = \(KMeans.defaultRuns), max_iter = \(KMeans.defaultMaxIterations), tol = \(KMeans.defaultTolerance), seed, init = \"k-means++\" | \"random\" | centers, columns}). X is a tensor [n, d] or a Frame (its numeric columns, or those listed in columns); scale the features first (data.StandardScaler), since distances mix them. Each of n_init runs starts from greedy k-means++ centres (or k random rows, or the [k, d] tensor given as init, which makes one run), then moves each centre to the mean of its rows until no row changes cluster or the centres move less than tol times the mean variance of the features; the run with the smallest inertia wins (a cluster that loses all its rows takes the row farthest from its centre; with fewer distinct rows than k some clusters stay empty, size 0). seed makes the result reproducible (default: the global generator, torch.manual_seed). Returns a result with labels (int64 tensor [n]; clusters are numbered 1..k, Lua style), centers (float64 [k, d], in X's units), inertia (sum of squared distances to the centres), n_iter, k, sizes (rows per cluster), columns (for a Frame) and result:predict(X_new) (the nearest centre of new rows).",
                     example: surveyExample + "local X = data.StandardScaler(df.columns):fit_transform(df); local km = marketing.kmeans(X, {k = 3, n_init = 4, seed = 1}); print(km); print(km.labels:narrow(1, 1, 5), km:predict(X):eq(km.labels):all())") { a in
            let o = try a.options(2, allowed: kmeansOptions)
            let points = try clusterPoints(a, 1, columns: try o.stringList("columns"))
            let x = points.matrix
            var k = try clusterCount(a, o, rows: x.rows)
            var initialization = KMeans.Initialization.plusPlus
            if MetricsBindings.pushOption(a, 2, "init") {
                defer { ml_pop(a.L, 1) }
                let top = lua_gettop(a.L)
                if let t = Tensors.type.get(a.L, top) {
                    let rows = t.rank == 2 ? t.shape[0] : -1
                    let expectedRows = k ?? rows
                    guard t.rank == 2, t.shape[0] == expectedRows, t.shape[1] == x.columns, rows >= 1 else {
                        throw LuaScriptError("\(a.function): option 'init' must be a tensor of starting centres [k, d] = [\(k.map(String.init) ?? "k"), \(x.columns)], got shape \(describeShape(t.shape))")
                    }
                    let centers = doubles(t)
                    if let bad = centers.firstIndex(where: { !$0.isFinite }) {
                        throw LuaScriptError("\(a.function): option 'init' holds \(describeNumber(centers[bad])) at row \(bad / x.columns + 1), column \(bad % x.columns + 1)")
                    }
                    if k == nil { k = rows; try checkClusterCount(a, rows, rows: x.rows) }
                    initialization = .centers(centers)
                } else if lua_type(a.L, top) == LUA_TSTRING {
                    let name = String(cString: ml_tostring(a.L, top))
                    switch name {
                    case "k-means++": initialization = .plusPlus
                    case "random": initialization = .random
                    default: throw LuaScriptError("\(a.function): option 'init' must be \"k-means++\", \"random\" or a [k, d] tensor of centres, got '\(name)'\(didYouMean(name, ["k-means++", "random"]))")
                    }
                } else {
                    throw LuaScriptError("\(a.function): option 'init' must be \"k-means++\", \"random\" or a [k, d] tensor of centres, got \(a.describe(top))")
                }
            }
            guard let clusters = k else {
                throw LuaScriptError("\(a.function): option 'k' is required: the number of clusters, e.g. marketing.kmeans(X, {k = 4})")
            }
            var options = KMeans.Options(clusters: clusters)
            options.initialization = initialization
            options.runs = try positiveInteger(a, o, "n_init") ?? options.runs
            options.maxIterations = try positiveInteger(a, o, "max_iter") ?? options.maxIterations
            if let tol = try o.number("tol") {
                guard tol >= 0 && tol.isFinite else { throw LuaScriptError("\(a.function): option 'tol' must be a finite number >= 0, got \(tol)") }
                options.tolerance = tol
            }
            let generator = try seededGenerator(a, o)
            let result = try KMeans.fit(x, options, generator: generator, function: a.function)
            pushKMeansResult(a.L, result, columns: x.columns, names: points.columns)
            return 1
        }
    }

    /// Option k: a whole number from 1 to the rows of X (nil when absent).
    static func clusterCount(_ a: Arguments, _ o: Options, rows: Int) throws -> Int? {
        guard let value = try o.number("k") else { return nil }
        guard value == value.rounded(), abs(value) < 1e15 else {
            throw LuaScriptError("\(a.function): option 'k' must be a whole number of clusters, got \(value)")
        }
        try checkClusterCount(a, Int(value), rows: rows)
        return Int(value)
    }

    static func checkClusterCount(_ a: Arguments, _ k: Int, rows: Int) throws {
        guard k >= 1 else { throw LuaScriptError("\(a.function): k = \(k) clusters; k must be at least 1") }
        guard k <= rows else { throw LuaScriptError("\(a.function): k = \(k) is larger than the \(rows) rows of X") }
    }

    static func positiveInteger(_ a: Arguments, _ o: Options, _ key: String) throws -> Int? {
        guard let value = try o.number(key) else { return nil }
        guard value == value.rounded(), value >= 1, value < 1e9 else {
            throw LuaScriptError("\(a.function): option '\(key)' must be a whole number >= 1, got \(value)")
        }
        return Int(value)
    }

    /// A generator seeded by option `seed`, or MarketLab's global one (torch.manual_seed).
    static func seededGenerator(_ a: Arguments, _ o: Options) throws -> Generator {
        guard let seed = try o.number("seed") else { return Generator.shared }
        guard seed == seed.rounded(), seed >= 0, seed < 1.8e19 else {
            throw LuaScriptError("\(a.function): option 'seed' must be a whole number >= 0, got \(seed)")
        }
        return Generator(seed: UInt64(seed))
    }

    // MARK: the result object

    static var kmeansMetatable: Int32 = LUA_NOREF

    /// The result table: fields, plus a metatable giving predict, a readable tostring and
    /// a helpful error for a misspelt field.
    static func pushKMeansResult(_ L: OpaquePointer, _ result: KMeans.Result, columns d: Int, names: [String]?) {
        let k = result.centers.count / max(d, 1)
        var sizes = [Int](repeating: 0, count: k)
        for label in result.labels { sizes[label] += 1 }
        lua_createtable(L, 0, 8)
        _ = Tensors.push(L, Tensor(result.labels.map { Int64($0 + 1) }, shape: [result.labels.count]))
        lua_setfield(L, -2, "labels")
        _ = Tensors.push(L, Tensor(result.centers, shape: [k, d]))
        lua_setfield(L, -2, "centers")
        lua_pushnumber(L, result.inertia); lua_setfield(L, -2, "inertia")
        lua_pushinteger(L, lua_Integer(result.iterations)); lua_setfield(L, -2, "n_iter")
        lua_pushinteger(L, lua_Integer(k)); lua_setfield(L, -2, "k")
        pushList(L, sizes.map { lua_Integer($0) }) { lua_pushinteger(L, $0) }
        lua_setfield(L, -2, "sizes")
        if let names {
            pushList(L, names) { lua_pushstring(L, $0) }
            lua_setfield(L, -2, "columns")
        }
        lua_rawgeti(L, ml_registryindex(), lua_Integer(kmeansMetatable))
        lua_setmetatable(L, -2)
    }

    static func pushList<T>(_ L: OpaquePointer, _ values: [T], _ push: (T) -> Void) {
        lua_createtable(L, Int32(values.count), 0)
        for (i, v) in values.enumerated() { push(v); lua_rawseti(L, -2, lua_Integer(i + 1)) }
    }

    /// The metatable of k-means results, kept in the registry.
    static func makeKMeansMetatable(_ L: OpaquePointer) {
        lua_createtable(L, 0, 4)
        let metatable = lua_gettop(L)
        lua_pushstring(L, "KMeans"); lua_setfield(L, metatable, "__name")
        lua_createtable(L, 0, 1)
        let methods = Library(L, table: -1, prefix: "KMeans:")
        methods.function("predict", "The cluster (1..k) of each row of new data: the nearest centre. km:predict(X) takes a tensor [n, d] or a Frame (the columns the model was fitted on). Returns an int64 tensor [n].",
                         example: surveyExample + "local X = data.StandardScaler(df.columns):fit_transform(df); local km = marketing.kmeans(X, {k = 2, seed = 1}); print(km:predict(X:head(3)))") { a in
            let (centers, names) = try kmeansModel(a)
            let points = try clusterPoints(a, 2, columns: names.flatMap { DataFrames.frameType.get(a.L, 2) != nil ? $0 : nil })
            let d = centers.shape[1]
            guard points.matrix.columns == d else {
                throw LuaScriptError("\(a.function): X has \(points.matrix.columns) features but the model was fitted on \(d)")
            }
            let labels = KMeans.predict(points.matrix, centers: doubles(centers))
            return Tensors.push(a.L, Tensor(labels.map { Int64($0 + 1) }, shape: [labels.count]))
        }
        // A misspelt field is an error with a suggestion, not a silent nil; a field the
        // result may lack (columns, for a tensor fit) reads as nil.
        lua_createtable(L, 0, 1)
        pushFunction(L) { L in
            let key = lua_type(L, 2) == LUA_TSTRING ? String(cString: ml_tostring(L, 2)) : Arguments(L, "KMeans").describe(2)
            if kmeansFields.contains(key) {
                lua_pushnil(L)
                return 1
            }
            throw LuaScriptError("KMeans result has no field '\(key)'\(didYouMean(key, kmeansFields)); fields: \(kmeansFields.joined(separator: ", "))")
        }
        lua_setfield(L, -2, "__index")
        lua_setmetatable(L, methods.table)
        Docs.attach(L, methods.table, name: "KMeans", doc: "The result of marketing.kmeans: fields labels (1..k per row), centers [k, d], inertia, n_iter, k, sizes, columns (when fitted on a Frame) and the method predict(X).",
                    example: "local km = marketing.kmeans(torch.tensor({{0.0, 0}, {0, 1}, {9, 9}, {9, 8}}), {k = 2, seed = 1}); print(km.sizes[1], km.k)")
        lua_setfield(L, metatable, "__index")
        pushFunction(L) { L in
            let a = Arguments(L, "KMeans:__tostring")
            lua_pushstring(L, try kmeansSummary(a))
            return 1
        }
        lua_setfield(L, metatable, "__tostring")
        kmeansMetatable = luaL_ref(L, ml_registryindex())
    }

    /// The centres and the fitted Frame columns of the result at argument 1.
    static func kmeansModel(_ a: Arguments) throws -> (Tensor, [String]?) {
        guard a.type(1) == LUA_TTABLE else { throw a.error(1, "self", expected: "a k-means result (call it as km:predict(X))") }
        lua_pushstring(a.L, "centers")
        lua_rawget(a.L, 1)
        defer { ml_pop(a.L, 1) }
        guard let centers = Tensors.type.get(a.L, -1), centers.rank == 2, centers.shape[0] >= 1 else {
            throw LuaScriptError("\(a.function): the result has no centers tensor [k, d]")
        }
        lua_pushstring(a.L, "columns")
        lua_rawget(a.L, 1)
        defer { ml_pop(a.L, 1) }
        let names = a.type(-1) == LUA_TTABLE ? try a.stringList(lua_gettop(a.L), "columns") : nil
        return (centers, names)
    }

    /// "KMeans(k = 3, inertia = 9854.3, n_iter = 7, sizes = {602, 611, 598})".
    static func kmeansSummary(_ a: Arguments) throws -> String {
        guard a.type(1) == LUA_TTABLE else { return "KMeans" }
        func field(_ name: String) -> String {
            lua_pushstring(a.L, name)
            lua_rawget(a.L, 1)
            defer { ml_pop(a.L, 1) }
            if lua_type(a.L, -1) == LUA_TNUMBER {
                return ml_isinteger(a.L, -1) != 0 ? "\(lua_tointegerx(a.L, -1, nil))" : formatGeneral(lua_tonumberx(a.L, -1, nil))
            }
            if lua_type(a.L, -1) == LUA_TTABLE {
                let numbers = (try? a.integerList(lua_gettop(a.L), name)) ?? []
                return "{" + numbers.map(String.init).joined(separator: ", ") + "}"
            }
            return "?"
        }
        return "KMeans(k = \(field("k")), inertia = \(field("inertia")), n_iter = \(field("n_iter")), sizes = \(field("sizes")))"
    }

    /// A number with 6 significant digits, as %g.
    static func formatGeneral(_ v: Double) -> String {
        String(format: "%.6g", v)
    }
}

/// marketing.cluster_profile, in Lua on top of the Frame operations: one row per cluster
/// with its size, its share of the rows and the mean of each numeric column.
let marketingClusteringSource = #"""
local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal = ...

local function kind_of(value)
  local mt = getmetatable(value)
  return type(mt) == "table" and mt.__name or type(value)
end

-- The labels as a Column of n values: a Column as it is, a tensor [n] or [n, 1] or a list
-- of numbers through a one-column frame (whole numbers become integers).
local function label_column(labels, n, fn)
  local kind = kind_of(labels)
  local column
  if kind == "Column" then
    column = labels
  elseif kind == "Tensor" or (kind == "table" and type(labels[1]) == "number") then
    local t = kind == "Tensor" and labels or torch.tensor(labels)
    if t:dim() ~= 1 and not (t:dim() == 2 and t:size(2) == 1) then
      error(fn .. ": bad argument #2 (labels): expected one label per row (a tensor [n]), got a tensor of shape [" .. table.concat(t.shape, ", ") .. "]", 3)
    end
    local length = t:size(1)
    if length ~= n then error(fn .. ": labels has " .. length .. " values but the frame has " .. n .. " rows; give one label per row", 3) end
    local whole = t:double()
    column = data.from_tensor(whole:reshape(length, 1), { "cluster" }).cluster
    if whole:eq(whole:round()):all():item() then column = column:astype("integer") end
  else
    error(fn .. ": bad argument #2 (labels): expected a tensor, a Column or a list of numbers (e.g. km.labels), got " .. kind, 3)
  end
  if #column ~= n then error(fn .. ": labels has " .. #column .. " values but the frame has " .. n .. " rows; give one label per row", 3) end
  local missing = column:isna():sum()
  if missing > 0 then error(fn .. ": labels has " .. missing .. " missing value(s); every row needs a cluster", 3) end
  return column
end

local reserved = { cluster = true, size = true, share = true }

function marketing.cluster_profile(frame, labels, options)
  local fn = "marketing.cluster_profile"
  if kind_of(frame) ~= "Frame" then error(fn .. ": bad argument #1 (frame): expected a Frame, got " .. kind_of(frame), 2) end
  options = options or {}
  if type(options) ~= "table" then error(fn .. ": bad argument #3 (options): expected an options table {columns = {...}}, got " .. type(options), 2) end
  for key in pairs(options) do
    if key ~= "columns" then error(fn .. ": unknown option '" .. tostring(key) .. "'" .. did_you_mean(tostring(key), { "columns" }) .. "; valid options: columns", 2) end
  end
  local n = #frame
  if n == 0 then error(fn .. ": bad argument #1 (frame): the frame has no rows", 2) end
  local dtypes = frame:dtypes()
  local columns = options.columns
  if columns == nil then
    columns = {}
    for _, name in ipairs(frame.columns) do
      local t = dtypes[name]
      if (t == "number" or t == "integer" or t == "bool") and not reserved[name] then columns[#columns + 1] = name end
    end
  elseif type(columns) ~= "table" then
    error(fn .. ": option 'columns' must be a list of column names, got " .. type(columns), 2)
  end
  for _, name in ipairs(columns) do
    local t = dtypes[name]
    if t == nil then error(fn .. ": option 'columns' names '" .. tostring(name) .. "', which the frame lacks" .. did_you_mean(tostring(name), frame.columns), 2) end
    if t ~= "number" and t ~= "integer" and t ~= "bool" then error(fn .. ": column '" .. name .. "' holds " .. t .. " values; a profile averages numbers", 2) end
    if reserved[name] then error(fn .. ": column '" .. name .. "' has the name of a profile column (cluster, size, share); rename it first", 2) end
  end
  local work = frame:select(columns)
  work.cluster = label_column(labels, n, fn)
  work.__rows = 1
  local agg = { __rows = { "count" } }
  for _, name in ipairs(columns) do agg[name] = { "mean" } end
  local groups = work:groupby("cluster"):agg(agg)
  local out = groups:select({ "cluster" })
  out.size = groups.__rows_count
  out.share = groups.__rows_count / n
  for _, name in ipairs(columns) do out[name] = groups[name .. "_mean"] end
  return out
end

document(marketing.cluster_profile, "marketing.cluster_profile", "What each cluster looks like, to name the segments: marketing.cluster_profile(frame, labels [, {columns}]) returns a Frame with one row per cluster (sorted by label): cluster, size (rows), share (fraction of all rows) and the mean of each numeric column (bool columns give the share of true; missing values are left out of a mean). labels gives each row's cluster: km.labels from marketing.kmeans, any tensor or list of numbers, or a Column (e.g. a text segment). Pass the frame in its own units (before scaling) so the means read as the data does; columns picks the columns to average (default: every numeric column).",
         "local df = data.read_csv('examples/data/bayesm-customerSat.csv'):head(200); local X = data.StandardScaler(df.columns):fit_transform(df); local km = marketing.kmeans(X, {k = 3, seed = 1}); print(marketing.cluster_profile(df, km.labels, {columns = {'q1', 'q2', 'q3'}}))")
"""#
