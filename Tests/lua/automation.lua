-- Unattended runs: frames built from Lua values, typed params, input validation and
-- marketing.score's CRM list.
local spec = dofile(TESTS .. "/lua/support/spec.lua")
local fails = spec.fails

test("data.frame keeps the listed order and types each column", function()
  local df = data.frame{ { "id", { "a", "b", "c" } }, { "score", torch.tensor({ 0.9, 0.2, 0.5 }) }, { "n", { 1, 2, 3 } },
    { "flag", { true, false, true } }, { "x", { 1, 2.5, 3 } } }
  assert(table.concat(df.columns, ",") == "id,score,n,flag,x")
  local types = df:dtypes()
  assert(types.id == "string" and types.score == "number" and types.n == "integer" and types.flag == "bool" and types.x == "number")
  local named = data.frame({ b = { 1, 2 }, a = { "x", "y" } })
  assert(table.concat(named.columns, ",") == "a,b", "a map is ordered by name")
  local ordered = data.frame({ b = { 1, 2 }, a = { "x", "y" } }, { columns = { "b", "a" } })
  assert(table.concat(ordered.columns, ",") == "b,a")
  assert(#data.frame{ { "empty", {} } } == 0)
end)

test("a tensor or a list assigned to a frame becomes a column", function()
  local df = data.frame{ { "id", { "a", "b", "c" } } }
  df.score = torch.tensor({ { 0.1 }, { 0.7 }, { 0.4 } })
  df.count = torch.tensor({ 1, 2, 3 })
  df.hit = torch.tensor({ 1, 0, 1 }):gt(0)
  df.label = { "x", "y", "z" }
  local types = df:dtypes()
  assert(types.score == "number" and types.count == "integer" and types.hit == "bool" and types.label == "string")
  assert(df.score:tolist()[2] == 0.7 and df.label:tolist()[3] == "z")
end)

test("data.frame and assignment refuse what cannot be a column", function()
  fails(function() data.frame{ { "a", { 1, "x" } } } end, "value 2 is a string but the list holds numbers")
  fails(function() data.frame{ { "a", { 1, 2 } }, { "b", { 1 } } } end, "column 'b' has 1 values, column 'a' has 2")
  fails(function() data.frame({ a = { 1 } }, { columns = { "a", "b" } }) end, "must list each column once")
  fails(function() data.frame{ { "a", torch.ones(2, 2) } } end, "must be a 1-D tensor (or [n, 1])")
  fails(function() data.frame(5) end, "data.frame")
  local df = data.frame{ { "a", { 1, 2 } } }
  fails(function() df.b = torch.ones(3) end, "cannot assign 3 values to 'b' of a frame with 2 rows")
end)

test("params{defaults} converts --param strings to the defaults' types", function()
  params.top = "20"; params.rate = "0.25"; params.dry_run = "yes"
  local p = params{ input = "x.csv", top = 500, rate = 0.5, dry_run = false }
  assert(p.input == "x.csv" and p.top == 20 and math.type(p.top) == "integer" and p.rate == 0.25 and p.dry_run == true)
  params.top = "2.5"; params.rate = nil; params.dry_run = nil
  fails(function() params{ top = 500 } end, "--param top=2.5 must be a whole number (the default is 500)")
  params.top = "many"
  fails(function() params{ top = 500 } end, "--param top=many is not a number")
  params.top = nil; params.dry_run = "maybe"
  fails(function() params{ dry_run = false } end, "--param dry_run=maybe is not a boolean")
  params.dry_run = nil; params.topp = "3"
  fails(function() params{ top = 500 } end, "unknown parameter 'topp' (did you mean 'top'?); this script takes: top")
  params.topp = nil
  assert(params{ top = 500 }.top == 500, "the default when nothing was given")
end)

local churn_path = TESTS .. "/../examples/data/modeldata-wa_churn.csv"

test("data.validate passes a conforming frame through", function()
  local df = data.read_csv(churn_path)
  local schema = {
    churn = { type = "category", values = { "Yes", "No" }, missing = false },
    tenure = { type = "integer", min = 0, max = 72 },
    monthly_charges = "number",
    senior_citizen = { type = "integer", values = { 0, 1 } },
    contract = "string",
  }
  assert(data.validate(df, schema) == df)
  assert(#data.read_csv(churn_path, { expect = schema }) == 7043)
end)

test("data.validate lists every problem of a drifted export at once", function()
  local df = data.read_csv(churn_path)
  local ok, message = pcall(data.validate, df, {
    contract = { values = { "Month-to-month", "One year" } },
    customer_id = { type = "string", unique = true },
    monthly_charges = { type = "number", min = 20 },
    total_charges = { type = "number", missing = false },
    tenure = "date",
    optional = { type = "number", required = false },
  }, { source = "march_export.csv" })
  assert(not ok)
  for _, part in ipairs({
    "march_export.csv does not match what the script expects (5 problems):",
    "column 'contract': 1695 values outside {Month-to-month, One year}: \"Two year\" (1695 rows, first row 12)",
    "column 'customer_id' (string) is missing",
    "column 'monthly_charges': 613 values below the minimum 20: 18.95 (row 12)",
    "column 'total_charges': 11 missing values (rows 489, 754, 937, 1083, 1341 and 6 more), none allowed",
    "column 'tenure': expected date, found integer",
    "columns found: churn (category), female (integer)",
  }) do
    assert(message:find(part, 1, true), "missing from the report: " .. part .. "\n" .. message)
  end
  assert(not message:find("optional", 1, true), "a column that is not required may be absent")
end)

test("validation names renamed columns, text where numbers were expected and repeats", function()
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write("customer,spend,plan\nc1,\"12,5\",basic\nc2,3,basic\nc1,4,pro\n")
  f:close()
  local ok, message = pcall(data.read_csv, path, { expect = {
    customer_id = "string", spend = "number", customer = { unique = true } } })
  assert(not ok)
  assert(message:find("column 'customer_id' (string) is missing (did you mean 'customer'?)", 1, true), message)
  assert(message:find("column 'spend': expected number, found string (\"12,5\" in row 1: a decimal comma? read with {decimal = \",\"})", 1, true), message)
  assert(message:find("column 'customer': 1 repeated value where each must be unique: \"c1\" (row 3)", 1, true), message)
  local df = data.read_csv(path)
  fails(function() data.validate(df, { customer = "text" }) end, "schema.customer = 'text' is not a column type")
  fails(function() data.validate(df, { customer = { kind = "string" } }) end, "unknown option 'kind'")
  fails(function() data.validate(df, {}, { extra = false }) end, "unexpected columns 'customer', 'spend', 'plan'")
  fails(function() data.validate(df, {}, { min_rows = 10 }) end, "3 rows, at least 10 expected")
  os.remove(path)
end)

test("marketing.score: id, probability and decile, highest first", function()
  local df = data.frame{ { "customer_id", { "a", "b", "c", "d", "e" } }, { "x", { 1, 5, 3, 2, 4 } } }
  local model = nn.Linear(1, 1)
  torch.no_grad(function()
    model.weight:fill_(1)
    model.bias:fill_(-3)
  end)
  local scored = marketing.score(model, nil, df, { bins = 2 })
  assert(table.concat(scored.columns, ",") == "customer_id,score,decile")
  assert(table.concat(scored.customer_id:tolist(), ",") == "b,e,c,d,a")
  local s = scored.score:tolist()
  assert(math.abs(s[1] - 1 / (1 + math.exp(-2))) < 1e-6, "a single logit goes through a sigmoid")
  assert(table.concat(scored.decile:tolist(), ",") == "1,1,1,2,2", "the first bins take the extra row")
  local probabilities = nn.Sequential(nn.Linear(1, 1), nn.Sigmoid())
  local direct = marketing.score(probabilities, nil, df, { sort = false })
  local expected = probabilities(df:to_tensor({ "x" })):view(-1):tolist()
  for i, v in ipairs(direct.score:tolist()) do assert(math.abs(v - expected[i]) < 1e-6, "a final Sigmoid is kept") end
end)

test("marketing.score runs the pipeline and checks the features", function()
  local df = data.read_csv(churn_path)
  local prep = data.Pipeline{ data.SimpleImputer({ "total_charges" }, { strategy = "median" }),
    data.StandardScaler({ "tenure", "monthly_charges", "total_charges" }) }
  prep:fit(df)
  torch.manual_seed(3)
  local model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
  local features = { "tenure", "monthly_charges", "total_charges" }
  local scored = marketing.score(model, prep, df, { features = features })
  assert(#scored == 7043)
  local counts = scored.decile:value_counts()
  assert(#counts == 10 and counts.count:max() == 705 and counts.count:min() == 704)
  local by_hand = model(prep:transform(df):to_tensor(features)):sigmoid():view(-1):max():item()
  assert(math.abs(scored.score:tolist()[1] - by_hand) < 1e-6)
  assert(model.training, "the model is back in training mode")
  fails(function() marketing.score(model, prep, df) end, "the model takes 3 inputs but 9 features were found")
  fails(function() marketing.score(model, prep, df, { features = { "tenur" } }) end, "feature 'tenur' is not in the prepared frame (did you mean 'tenure'?)")
  fails(function() marketing.score(model, prep, df, { id = "customer" }) end, "option 'id': no column 'customer'")
  fails(function() marketing.score(model, prep, df, { feature = 1 }) end, "unknown option 'feature' (did you mean 'features'?)")
  fails(function() marketing.score("model", prep, df) end, "bad argument #1 (model)")
  fails(function() marketing.score(model, prep, {}) end, "bad argument #3 (frame): expected a Frame")
end)
