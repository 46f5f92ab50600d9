-- Fitted preprocessing (StandardScaler, MinMaxScaler, OneHotEncoder, TargetEncoder,
-- SimpleImputer, KBinsDiscretizer, Pipeline) against scikit-learn's fitted attributes and
-- outputs on the real files (Tests/fixtures/data_preprocessing.lua, written by
-- scripts/gen_preprocessing_fixtures.py), plus save/load round trips, new data, and the
-- wording of the errors a script can meet.
local spec = dofile(TESTS .. "/lua/support/spec.lua")
if spec.skip_unless(rawget(data, "StandardScaler"), "data preprocessing not implemented yet (skipped)") then return end

local fixture = dofile(FIXTURES .. "/data_preprocessing.lua")
local DATA = TESTS .. "/../examples/data/"
local RTOL, ATOL = 1e-9, 1e-12

local frames = {}
local function read(file)
  frames[file] = frames[file] or data.read_csv(DATA .. file)
  return frames[file]
end
local churn = read("modeldata-wa_churn.csv")

-- A frame from CSV text (for small, hand-made new data).
local function csv(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  local df = data.read_csv(path)
  os.remove(path)
  return df
end

local function write(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path
end

local function fails(fn, text, what)
  local ok, err = pcall(fn)
  if ok then error((what or text) .. ": expected an error, got none", 2) end
  if not tostring(err):find(text, 1, true) then
    error(string.format("%s: expected an error containing %q, got %q", what or text, text, tostring(err)), 2)
  end
end

-- Deep comparison: numbers within tolerance (NaN equals NaN), everything else exactly.
local function same(actual, expected, where)
  if type(expected) == "table" then
    if type(actual) ~= "table" then error(where .. ": expected a table, got " .. spec.show(actual), 0) end
    if #actual ~= #expected then error(string.format("%s: expected %d entries, got %d", where, #expected, #actual), 0) end
    for i = 1, #expected do same(actual[i], expected[i], where .. "[" .. i .. "]") end
  elseif type(expected) == "number" then
    local bad
    if expected ~= expected then bad = actual == actual
    elseif expected == math.huge or expected == -math.huge then bad = actual ~= expected
    else bad = type(actual) ~= "number" or not (math.abs(actual - expected) <= ATOL + RTOL * math.abs(expected)) end
    if bad then error(string.format("%s: expected %s, got %s", where, spec.show(expected), spec.show(actual)), 0) end
  elseif actual ~= expected then
    error(string.format("%s: expected %s, got %s", where, spec.show(expected), spec.show(actual)), 0)
  end
end

-- The values of `frame`'s column `name` at `rows`, missing as NaN (as the fixture writes).
local function at_rows(frame, name, rows)
  local values = frame[name]:tolist()
  local out = {}
  for i, r in ipairs(rows) do
    local v = values[r]
    if v == nil then v = 0 / 0 end
    out[i] = v
  end
  return out
end

-- Every column of two frames holds the same values (missing in the same places).
local function same_frames(a, b, where)
  same(a.columns, b.columns, where .. " columns")
  for _, name in ipairs(a.columns) do
    local x, y = a[name]:tolist(), b[name]:tolist()
    for r = 1, #a do
      if x[r] ~= y[r] and not (x[r] ~= x[r] and y[r] ~= y[r]) then
        error(string.format("%s: column %s row %d: %s vs %s", where, name, r, spec.show(x[r]), spec.show(y[r])), 0)
      end
    end
  end
end

local function build(step)
  return data[step.transformer](step.columns, step.options)
end

-- Each scikit-learn case: attributes, output names in place, values at the chosen rows,
-- and a save/load round trip that transforms new rows identically.
for _, case in ipairs(fixture.cases) do
  test(case.name, function()
    local df = read(case.file)
    local t = build(case)
    local out
    if case.method == "fit_transform" then out = t:fit_transform(df) else out = t:fit(df):transform(df) end
    for key, expected in pairs(case.attributes) do same(t[key], expected, key) end
    same(t:feature_names(), case.feature_names, "feature_names")
    same(out.columns, case.feature_names, "output columns")
    for name, expected in pairs(case.output) do same(at_rows(out, name, case.rows), expected, name) end

    local path = os.tmpname()
    t:save(path)
    local loaded = data.load_pipeline(path)
    os.remove(path)
    local new_rows = df:tail(200)
    same_frames(loaded:transform(new_rows), t:transform(new_rows), "reloaded transform")
    same(loaded:feature_names(), case.feature_names, "reloaded feature_names")
    assert(tostring(loaded) == tostring(t), tostring(loaded) .. " vs " .. tostring(t))
  end)
end

local function pipeline_from(steps)
  local list = {}
  for i, step in ipairs(steps) do list[i] = build(step) end
  return data.Pipeline(list)
end

test("Pipeline: imputer -> scaler -> one-hot equals scikit-learn run step by step", function()
  local case = fixture.pipeline
  local p = pipeline_from(case.steps)
  local out = p:fit_transform(read(case.file))
  same(out.columns, case.feature_names, "output columns")
  same(p:feature_names(), case.feature_names, "feature_names")
  for name, expected in pairs(case.output) do same(at_rows(out, name, case.rows), expected, name) end
  -- fit then transform gives the same frame when no step cross-fits
  local q = pipeline_from(case.steps)
  same_frames(q:fit(read(case.file)):transform(read(case.file)), out, "fit then transform")
end)

test("Pipeline: saved and reloaded, it transforms new rows exactly as the original", function()
  local train, test = data.train_test_split(churn, { test_size = 0.3, seed = 11 })
  local p = data.Pipeline{
    data.SimpleImputer({ "total_charges" }, { strategy = "median", add_indicator = true }),
    data.StandardScaler({ "tenure", "monthly_charges", "total_charges" }),
    data.OneHotEncoder({ "contract", "payment_method" }, { handle_unknown = "ignore", min_frequency = 0.2 }),
    data.TargetEncoder({ "internet_service" }, { target = "churn", seed = 5 }),
    data.KBinsDiscretizer({ "senior_citizen", "tenure" }, { n_bins = { 2, 4 }, strategy = "uniform", encode = "ordinal" }),
    data.MinMaxScaler({ "monthly_charges" }, { feature_range = { -1, 1 }, clip = true }),
  }
  p:fit(train)
  local path = os.tmpname()
  p:save(path)
  local loaded = data.load_pipeline(path)
  os.remove(path)
  assert(loaded.fitted and #loaded.steps == 6)
  same_frames(loaded:transform(test), p:transform(test), "reloaded pipeline")
  same(loaded:feature_names(), p:feature_names(), "feature_names")
  assert(tostring(loaded) == tostring(p))
  -- and a single step read back from the pipeline behaves as that step
  same(loaded.steps[2].mean_, p.steps[2].mean_, "scaler mean_")
end)

test("Pipeline:fit cross-fits a TargetEncoder for the steps after it (as scikit-learn)", function()
  local te = data.TargetEncoder({ "contract" }, { target = "churn", shuffle = false })
  local scaler = data.StandardScaler({ "contract" })
  data.Pipeline{ te, scaler }:fit(churn)
  local crossfitted = data.TargetEncoder({ "contract" }, { target = "churn", shuffle = false }):fit_transform(churn)
  same(scaler.mean_, { crossfitted.contract:mean() }, "scaler fitted on cross-fitted encodings")
  local full = te:transform(churn)
  assert(math.abs(full.contract:mean() - crossfitted.contract:mean()) > 1e-6, "fit encodings differ from cross-fitted ones")
end)

test("tostring shows columns, changed options and whether it is fitted", function()
  local s = data.StandardScaler({ "tenure", "monthly_charges" })
  assert(tostring(s) == "StandardScaler(tenure, monthly_charges; not fitted)", tostring(s))
  s:fit(churn)
  assert(tostring(s) == "StandardScaler(tenure, monthly_charges; fitted)", tostring(s))
  local enc = data.OneHotEncoder("contract", { handle_unknown = "ignore", min_frequency = 10 })
  assert(tostring(enc) == 'OneHotEncoder(contract; handle_unknown = "ignore", min_frequency = 10; not fitted)', tostring(enc))
  local m = data.MinMaxScaler({ "tenure" }, { feature_range = { -1, 1 } })
  assert(tostring(m) == "MinMaxScaler(tenure; feature_range = {-1, 1}; not fitted)", tostring(m))
  local p = data.Pipeline{ s, enc }
  assert(tostring(p) == 'Pipeline(\n  1: StandardScaler(tenure, monthly_charges; fitted)\n  2: OneHotEncoder(contract; handle_unknown = "ignore", min_frequency = 10; not fitted)\n)', tostring(p))
  assert(not p.fitted and s.fitted and #p.steps == 2)
  assert(tostring(data.Pipeline(s, enc)) == tostring(p), "steps as arguments or as a list")
  same(s.columns, { "tenure", "monthly_charges" }, "columns")
  assert(enc.options.handle_unknown == "ignore" and enc.options.min_frequency == 10)
end)

test("OneHotEncoder on new data: unseen categories are errors, zeros or infrequent", function()
  local train = csv("plan,size,n\nbasic,S,1\npro,M,2\nbasic,S,3\nbasic,L,1\npro,S,2\n")
  local new = csv("plan,size,n\nbasic,XL,1\nenterprise,M,2\n")
  local strict = data.OneHotEncoder({ "plan", "size" }):fit(train)
  fails(function() strict:transform(new) end,
        "OneHotEncoder.transform: column 'plan' has a category 'enterprise' (row 2) that was not seen during fit; known categories: basic, pro", "unknown plan")
  local ignore = data.OneHotEncoder({ "plan", "size" }, { handle_unknown = "ignore" }):fit(train)
  local out = ignore:transform(new)
  same(out.columns, { "plan_basic", "plan_pro", "size_L", "size_M", "size_S", "n" }, "columns")
  same(out.plan_basic:tolist(), { 1.0, 0.0 }, "plan_basic")
  same(out.plan_pro:tolist(), { 0.0, 0.0 }, "unseen plan is all zeros")
  same(out.size_M:tolist(), { 0.0, 1.0 }, "size_M")
  local rare = data.OneHotEncoder({ "size" }, { min_frequency = 2, handle_unknown = "infrequent_if_exist" }):fit(train)
  same(rare:feature_names(), { "plan", "size_S", "size_infrequent", "n" }, "infrequent names")
  same(rare.infrequent_categories_, { { "L", "M" } }, "infrequent_categories_")
  local r = rare:transform(new)
  same(r.size_infrequent:tolist(), { 1.0, 1.0 }, "unseen XL and rare M go to the infrequent column")
  -- a missing value not seen at fit is unknown too (a column with no values at all
  -- is read as numbers, and still counts as missing text here)
  local gap = csv("plan,size,n\n,S,1\n")
  fails(function() strict:transform(gap) end, "column 'plan' has a missing value (row 1) that was not seen during fit")
  -- integer categories match number columns by value
  local ints = data.OneHotEncoder({ "n" }):fit(train)
  same(ints:feature_names(), { "plan", "size", "n_1", "n_2", "n_3" }, "integer category names")
  local as_numbers = csv("plan,size,n\nbasic,S,2.0\n")
  same(ints:transform(as_numbers).n_2:tolist(), { 1.0 }, "2.0 is category 2")
  fails(function() ints:transform(csv("plan,size,n\nbasic,S,two\n")) end,
        "OneHotEncoder.transform: column 'n' holds text but held numbers when fitted")
end)

test("TargetEncoder: unseen categories get the target mean; shuffled folds follow the seed", function()
  local te = data.TargetEncoder({ "contract" }, { target = "churn" }):fit(churn)
  local new = csv("contract,churn\nTen year,No\nMonth-to-month,Yes\n")
  local out = te:transform(new)
  same(out.contract:tolist(), { te.target_mean_, te.encodings_[1][1] }, "unseen -> target_mean_")
  local function crossfit(seed)
    return data.TargetEncoder({ "payment_method", "contract" }, { target = "churn", seed = seed }):fit_transform(churn)
  end
  local a, b, c = crossfit(3), crossfit(3), crossfit(4)
  same(a.payment_method:tolist(), b.payment_method:tolist(), "same seed, same folds")
  local differs = false
  local x, y = a.payment_method:tolist(), c.payment_method:tolist()
  for i = 1, #x do if x[i] ~= y[i] then differs = true end end
  assert(differs, "another seed gives other folds")
  -- cross-fitted values stay near the full-data encodings and within [0, 1]
  local full = te.encodings_[1]
  local values = a.contract:tolist()
  local contracts = churn.contract:tolist()
  local index = { ["Month-to-month"] = 1, ["One year"] = 2, ["Two year"] = 3 }
  for i = 1, #values do
    assert(values[i] >= 0 and values[i] <= 1)
    assert(math.abs(values[i] - full[index[contracts[i]]]) < 0.02, "row " .. i)
  end
  torch.manual_seed(9)
  local d = data.TargetEncoder({ "contract" }, { target = "churn" }):fit_transform(churn)
  torch.manual_seed(9)
  local e = data.TargetEncoder({ "contract" }, { target = "churn" }):fit_transform(churn)
  same(d.contract:tolist(), e.contract:tolist(), "without a seed, torch.manual_seed repeats the folds")
end)

test("SimpleImputer, scalers and the discretizer on new data", function()
  local train = csv("a,b,t\n1,10,x\n2,,y\n3,30,\n4,40,x\n")
  local imp = data.SimpleImputer({ "b", "t" }, { strategy = "most_frequent", add_indicator = true }):fit(train)
  local new = csv("a,b,t\n5,,\n6,20,z\n")
  local out = imp:transform(new)
  same(out.columns, { "a", "b", "missingindicator_b", "t", "missingindicator_t" }, "columns")
  same(out.b:tolist(), { 10, 20 }, "b filled, still integer")
  assert(out.b.dtype == "integer", out.b.dtype)
  same(out.t:tolist(), { "x", "z" }, "t filled")
  same(out.missingindicator_t:tolist(), { 1.0, 0.0 }, "indicator")
  same(imp.statistics_, { 10, "x" }, "statistics_")
  local mean = data.SimpleImputer({ "b" }):fit(train)
  same(mean:transform(new).b:tolist(), { 80 / 3, 20.0 }, "mean fill")
  assert(mean:transform(new).b.dtype == "number")
  -- a column with gaps only at transform is filled but gets no indicator (scikit-learn's "missing-only")
  local late = data.SimpleImputer({ "a" }, { strategy = "median", add_indicator = true }):fit(train)
  local gaps = late:transform(csv("a,z\n,1\n7,2\n"))
  same(gaps.columns, { "a", "z" }, "no indicator for a column without gaps at fit")
  same(gaps.a:tolist(), { 2.5, 7.0 }, "median fill")

  local mm = data.MinMaxScaler({ "a" }, { clip = true }):fit(train)
  same(mm:transform(csv("a\n0\n2.5\n9\n")).a:tolist(), { 0.0, 0.5, 1.0 }, "clip holds new values in range")
  local s = data.StandardScaler({ "a", "b" }):fit(train)
  local scaled = s:transform(csv("a,b\n2.5,\n"))
  same(scaled.a:tolist(), { 0.0 }, "centred")
  assert(scaled.b:tolist()[1] == nil, "a missing value stays missing")
  local constant = data.StandardScaler({ "c" }):fit(csv("c\n3\n3\n3\n"))
  same(constant.scale_, { 1.0 }, "a constant column gets scale 1")
  local kb = data.KBinsDiscretizer({ "a" }, { n_bins = 2, strategy = "uniform" }):fit(train)
  local binned = kb:transform(csv("a\n-5\n2.5\n100\n"))
  same(binned.columns, { "a_0.0", "a_1.0" }, "one-hot bin names")
  same(binned["a_0.0"]:tolist(), { 1.0, 0.0, 0.0 }, "values beyond the edges fall in the end bins")
  local flat = data.KBinsDiscretizer({ "c" }, { encode = "ordinal" }):fit(csv("c\n3\n3\n"))
  same(flat.bin_edges_, { { -math.huge, math.huge } }, "a constant column is one bin")
  same(flat:transform(csv("c\n-1\n8\n")).c:tolist(), { 0.0, 0.0 }, "one bin")
end)

test("columns missing from the frame, and use before fit, are clear errors", function()
  local s = data.StandardScaler({ "tenure", "monthly_charges" })
  fails(function() s:transform(churn) end,
        "StandardScaler.transform: this StandardScaler is not fitted yet; call fit(df) or fit_transform(df) first")
  fails(function() return s.mean_ end, "StandardScaler: mean_ is learnt by fit; call fit(df) first")
  fails(function() s:feature_names() end, "StandardScaler.feature_names: this StandardScaler is not fitted yet")
  s:fit(churn)
  fails(function() s:transform(churn:drop{ "tenure" }) end,
        "StandardScaler.transform: column 'tenure' is missing from the frame (fitted on: tenure, monthly_charges)")
  fails(function() data.StandardScaler({ "tenur" }):fit(churn) end, "StandardScaler.fit: no column 'tenur' (did you mean 'tenure'?)")
  fails(function() return s.mean end, "StandardScaler has no field or method 'mean' (did you mean 'mean_'?)")
  fails(function() s:fit("churn") end, "StandardScaler.fit: bad argument #2 (frame): expected a Frame, got string 'churn'")
  local p = data.Pipeline{ data.SimpleImputer({ "total_charges" }), data.StandardScaler({ "tenure" }) }
  fails(function() p:transform(churn) end, "Pipeline.transform: step 1 (SimpleImputer) is not fitted yet")
  p:fit(churn)
  fails(function() p:transform(churn:drop{ "tenure" }) end,
        "Pipeline step 2 (StandardScaler): StandardScaler.transform: column 'tenure' is missing from the frame (fitted on: tenure)")
end)

test("wrong column types are errors naming the column", function()
  fails(function() data.StandardScaler({ "tenure", "contract" }):fit(churn) end,
        "StandardScaler.fit: column 'contract' holds text; StandardScaler needs numbers (encode text with data.OneHotEncoder or data.TargetEncoder instead)")
  fails(function() data.MinMaxScaler({ "tenure" }):fit(churn):transform(csv("tenure\nlong\n")) end,
        "MinMaxScaler.transform: column 'tenure' holds text; MinMaxScaler needs numbers")
  fails(function() data.SimpleImputer({ "contract" }, { strategy = "median" }):fit(churn) end,
        "SimpleImputer.fit: cannot use strategy \"median\" on column 'contract', which holds text; use \"most_frequent\" or \"constant\"")
  fails(function() data.SimpleImputer({ "x" }):fit(csv("x,y\n,1\n,2\n")) end,
        "SimpleImputer.fit: column 'x' has no values to compute the mean from (every value is missing)")
  fails(function() data.SimpleImputer({ "tenure" }, { strategy = "constant", fill_value = "none" }):fit_transform(churn) end,
        "cannot fill integer column 'tenure' with string 'none'")
  fails(function() data.KBinsDiscretizer({ "total_charges" }):fit(churn) end,
        "KBinsDiscretizer.fit: column 'total_charges' has 11 missing values; fill them first (data.SimpleImputer or df:fillna)")
  fails(function() data.TargetEncoder({ "contract" }, { target = "payment_method" }):fit(churn) end,
        "TargetEncoder.fit: target column 'payment_method' has 4 classes; TargetEncoder needs a binary target (two values) or a continuous one")
  fails(function() data.TargetEncoder({ "contract" }, { target = "total_charges" }):fit(churn) end,
        "TargetEncoder.fit: target column 'total_charges' is missing at row 489 (11 missing in all)")
  fails(function() data.TargetEncoder({ "contract" }, { target = "churn", cv = 3 }):fit_transform(csv("contract,churn\nA,Yes\nB,No\n")) end,
        "TargetEncoder.fit_transform: cv = 3 folds need at least 3 rows, the frame has 2")
  fails(function() data.OneHotEncoder({ "contract" }):fit_transform(csv("contract,contract_One year\nOne year,1\n")) end,
        "OneHotEncoder.transform: output column 'contract_One year' clashes with another column of that name")
  local cdnow = data.read_csv(DATA .. "lifetimes-CDNOW_master.csv")
  fails(function() data.OneHotEncoder({ "customer_id" }):fit_transform(cdnow) end,
        "OneHotEncoder.transform: column 'customer_id' has 23570 categories; one-hot encoding 69659 rows would make 1641862630 cells")
  fails(function() data.KBinsDiscretizer({ "tenure" }, { n_bins = 5000 }) end, "option 'n_bins' must be between 2 and 1000 bins, got 5000")
end)

test("bad options name the option, the expected value and a close match", function()
  fails(function() data.StandardScaler({ "a" }, { with_maen = false }) end,
        "data.StandardScaler: unknown option 'with_maen' (did you mean 'with_mean'?); valid options: with_mean, with_std")
  fails(function() data.StandardScaler({ "a" }, { with_mean = "no" }) end,
        "data.StandardScaler: option 'with_mean' must be a boolean, got string 'no'")
  fails(function() data.OneHotEncoder({ "a" }, { handle_unknown = "ignor" }) end,
        "data.OneHotEncoder: option 'handle_unknown' must be one of \"error\", \"ignore\", \"infrequent_if_exist\", got 'ignor' (did you mean 'ignore'?)")
  fails(function() data.OneHotEncoder({ "a" }, { min_frequency = 0 }) end,
        "data.OneHotEncoder: option 'min_frequency' must be a count of rows (1 or more) or a fraction in (0, 1), got 0.0")
  fails(function() data.OneHotEncoder({ "a" }, { drop = "last" }) end, "option 'drop' must be one of \"first\", \"if_binary\", got 'last'")
  fails(function() data.OneHotEncoder({ "a" }, { max_categories = 0 }) end, "option 'max_categories' must be 1 or more, got 0")
  fails(function() data.MinMaxScaler({ "a" }, { feature_range = { 1, 0 } }) end,
        "data.MinMaxScaler: option 'feature_range' must have its low end below its high end, got {1.0, 0.0}")
  fails(function() data.MinMaxScaler({ "a" }, { feature_range = { 0 } }) end, "option 'feature_range' must have 2 elements, got 1")
  fails(function() data.TargetEncoder({ "a" }) end, "data.TargetEncoder: option 'target' is required: the name of the target column")
  fails(function() data.TargetEncoder({ "a" }, { target = "a" }) end, "option 'target' names 'a', which is also a column to encode")
  fails(function() data.TargetEncoder({ "a" }, { target = "y", smooth = "fast" }) end, "option 'smooth' must be one of \"auto\", got 'fast'")
  fails(function() data.TargetEncoder({ "a" }, { target = "y", smooth = -1 }) end, "option 'smooth' must be \"auto\" or a number >= 0, got -1.0")
  fails(function() data.TargetEncoder({ "a" }, { target = "y", cv = 1 }) end, "option 'cv' must be 2 or more folds, got 1")
  fails(function() data.SimpleImputer({ "a" }, { strategy = "mode" }) end,
        "option 'strategy' must be one of \"mean\", \"median\", \"most_frequent\", \"constant\", got 'mode'")
  fails(function() data.SimpleImputer({ "a" }, { fill_value = 0 }) end,
        "option 'fill_value' is only used with strategy = \"constant\" (strategy is \"mean\")")
  fails(function() data.KBinsDiscretizer({ "a" }, { n_bins = 1 }) end, "option 'n_bins' must be between 2 and 1000 bins, got 1")
  fails(function() data.KBinsDiscretizer({ "a", "b" }, { n_bins = { 3 } }) end, "option 'n_bins' must have 2 elements, got 1")
  fails(function() data.KBinsDiscretizer({ "a" }, { strategy = "kmeans" }) end, "option 'strategy' must be one of \"quantile\", \"uniform\", got 'kmeans'")
  fails(function() data.KBinsDiscretizer({ "a" }, { encode = print }) end, "option 'encode' must be a number, a string, a boolean or a list, got function")
  fails(function() data.StandardScaler({ "a" }, { true }) end, "data.StandardScaler: options must be given by name")
  fails(function() data.StandardScaler({}) end, "data.StandardScaler: the list of columns is empty")
  fails(function() data.StandardScaler({ "a", "a" }) end, "data.StandardScaler: column 'a' is listed twice")
  fails(function() data.StandardScaler(3) end, "data.StandardScaler: bad argument #1 (columns): expected a column name or a list of column names, got integer 3")
  fails(function() data.Pipeline{} end, "data.Pipeline: a Pipeline needs at least one step")
  fails(function() data.Pipeline{ data.StandardScaler("a"), "b" } end, "data.Pipeline: step 2 must be a transformer")
  local s = data.StandardScaler("a")
  fails(function() data.Pipeline{ s, s } end, "data.Pipeline: step 2 is the same StandardScaler as step 1")
end)

test("malformed pipeline files are errors naming the file and the field", function()
  local good = data.StandardScaler({ "tenure" }):fit(churn)
  local path = os.tmpname()
  good:save(path)
  local f = assert(io.open(path))
  local text = f:read("a")
  f:close()
  os.remove(path)
  local function load(content)
    local p = write(content)
    local ok, err = pcall(data.load_pipeline, p)
    os.remove(p)
    assert(not ok, "expected an error")
    return tostring(err), p
  end
  local function check(content, expected)
    local err, p = load(content)
    assert(err:find(expected, 1, true), "expected " .. expected .. ", got " .. err)
    assert(err:find(p, 1, true), "the message names the file: " .. err)
  end
  check('{"format": "marketlab.preprocessing", "version": 1,\n "transformer": {"type": "StandardScaler",}', "is not valid JSON: line 2, column 43: expected a quoted key")
  check("[1, 2]", "is not a saved MarketLab pipeline")
  check('{"format": "marketlab.preprocessing", "version": 7, "transformer": {}}', "was written by a newer MarketLab (format version 7)")
  check(text:gsub('"StandardScaler"', '"StandardScalar"'), "transformer.type names no transformer: 'StandardScalar' (did you mean 'StandardScaler'?)")
  check(text:gsub('"scale": [^,]+', '"scale": "wide"'), "transformer.fitted.columns[1].scale must be a number, got string 'wide'")
  check(text:gsub('"with_std": true', '"with_std": 1'), "transformer.options.with_std must be a boolean, got integer 1")
  check(text:gsub('"n_samples_seen"', '"n_seen"'), "transformer.fitted.columns[1] has an unknown field 'n_seen'")
  check(text:gsub('"input_columns": %[[^%]]*%]', '"input_columns": ["x"]'), "transformer.input_columns does not list column 'tenure'")
  check('{"format": "marketlab.preprocessing", "version": 1, "transformer": {"type": "StandardScaler", "columns": ["tenure"], '
        .. '"options": {}, "input_columns": ["tenure"], "fitted": {"columns": []}}}', "transformer.fitted.columns must have 1 element, got 0")
  local enc = data.OneHotEncoder({ "contract" }, { drop = "first" }):fit(churn)
  enc:save(path)
  f = assert(io.open(path))
  text = f:read("a")
  f:close()
  os.remove(path)
  check(text:gsub('"drop": 0', '"drop": 9'), "transformer.fitted.columns[1].drop must be an output position below 3, got 9")
  check(text:gsub('"One year"', '"Month-to-month"'), "transformer.fitted.columns[1].categories.values lists a category twice")
  check(text:gsub('"infrequent": %[%]', '"infrequent": [5]'), "transformer.fitted.columns[1].infrequent must list distinct category positions in order, each below 3")
  local te = data.TargetEncoder({ "contract" }, { target = "churn" }):fit(churn)
  te:save(path)
  f = assert(io.open(path))
  text = f:read("a")
  f:close()
  os.remove(path)
  check(text:gsub('"encodings": %[[^%]]*%]', '"encodings": [0.5]'), "transformer.fitted.columns[1].encodings must have 3 elements, got 1")
  fails(function() data.load_pipeline("/nonexistent/model.json") end, "data.load_pipeline: cannot read '/nonexistent/model.json': no such file")
  fails(function() good:save("/nonexistent/dir/model.json") end, "StandardScaler.save: cannot write '/nonexistent/dir/model.json'")
end)

test("unfitted transformers and pipelines save and load too", function()
  local p = data.Pipeline{ data.OneHotEncoder({ "contract" }, { drop = "if_binary" }), data.TargetEncoder({ "contract" }, { target = "churn", cv = 3 }) }
  local path = os.tmpname()
  p:save(path)
  local loaded = data.load_pipeline(path)
  os.remove(path)
  assert(not loaded.fitted)
  assert(tostring(loaded) == tostring(p), tostring(loaded))
  same(loaded.steps[2].options.cv, 3, "options survive")
end)
