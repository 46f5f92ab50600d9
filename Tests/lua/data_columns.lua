-- Column quantile, cut, qcut and date parts against pandas (Tests/fixtures/data_columns.lua,
-- written by scripts/gen_column_fixtures.py), plus their errors.
local DATA = TESTS .. "/../examples/data/"
local F = dofile(FIXTURES .. "/data_columns.lua")
local churn = data.read_csv(DATA .. "modeldata-wa_churn.csv")
local cdnow = data.read_csv(DATA .. "lifetimes-CDNOW_master.csv", { date_format = "%Y%m%d" })

local function close(a, b) return math.abs(a - b) <= 1e-9 * math.max(1, math.abs(b)) end

local fails = dofile(TESTS .. "/lua/support/spec.lua").fails

test("quantile matches pandas (linear interpolation), one level or a list", function()
  for _, e in ipairs(F.quantiles) do
    local got = churn[e.column]:quantile(e.q)
    assert(close(got, e.value), string.format("%s q=%g: expected %.17g, got %.17g", e.column, e.q, e.value, got))
  end
  local list = churn.tenure:quantile({ 0.25, 0.5 })
  assert(#list == 2 and list[1] == 9 and list[2] == 29)
end)

-- Per-bin counts of a binned column, in bin order, from bin numbers (labels = false).
local function counts_of(codes, bins, rows)
  local counts = {}
  for i = 1, bins do counts[i] = 0 end
  local missing = 0
  for i = 1, rows do
    local c = codes[i]
    if c == nil then missing = missing + 1 else counts[c] = counts[c] + 1 end
  end
  return counts, missing
end

test("cut and qcut put the same rows in the same bins as pandas", function()
  for _, e in ipairs(F.bins) do
    local col = churn[e.column]
    local what = string.format("%s:%s(%s)", e.column, e.kind, e.n or table.concat(e.edges or e.levels, ","))
    local codes
    if e.kind == "cut" then
      codes = col:cut(e.n or e.edges, { right = e.right, include_lowest = e.edges and e.include_lowest or nil, labels = false })
    else
      codes = col:qcut(e.n or e.levels, { labels = false })
    end
    assert(codes.dtype == "integer", what .. ": bin numbers are integers")
    local list = {}
    for i, v in pairs(codes:tolist()) do list[i] = v end
    local counts, missing = counts_of(list, #e.counts, #churn)
    for i = 1, #e.counts do
      assert(counts[i] == e.counts[i], string.format("%s bin %d: expected %d rows, got %d", what, i, e.counts[i], counts[i]))
    end
    assert(missing == e.missing + 0 and missing == #churn - (function() local n = 0 for _, c in ipairs(counts) do n = n + c end return n end)(),
      what .. ": missing " .. missing)
    if e.labels then
      local binned = col:cut(e.edges, { right = e.right, include_lowest = e.include_lowest })
      assert(binned.dtype == "category", what .. ": interval labels make a category column")
      local seen = {}
      for _, v in pairs(binned:tolist()) do seen[v] = true end
      for _, label in ipairs(e.labels) do assert(seen[label], what .. ": no row labelled " .. label) end
    end
  end
end)

test("bins take names, and values outside the edges are missing", function()
  local named = churn.tenure:cut({ 0, 12, 72 }, { labels = { "new", "loyal" }, include_lowest = true })
  local v = named:value_counts()
  assert(named.dtype == "category" and #v == 2)
  local outside = churn.tenure:cut({ 10, 20 })
  assert(outside:isna():sum() == #churn - churn.tenure:gt(10):eq(true):sum() + churn.tenure:gt(20):sum())
  local q = churn.monthly_charges:qcut(2, { labels = { "low", "high" } }):value_counts()
  assert(q.count:sum() == #churn)
end)

test("binning errors name the problem", function()
  fails(function() churn.tenure:cut({ 10, 5 }) end, "Column:cut: bin edges must increase strictly")
  fails(function() churn.tenure:cut({ 1, 2, 3 }, { labels = { "a" } }) end, "1 labels for 2 bins")
  fails(function() churn.contract:cut(3) end, "column 'contract' holds text; bins need numbers")
  fails(function() churn.senior_citizen:qcut(10) end, "Column:qcut: bin edges must increase strictly")
  fails(function() churn.tenure:quantile(1.5) end, "q must be between 0 and 1")
  fails(function() churn.tenure:cut(0) end, "at least 1")
  fails(function() churn.tenure:cut({ 0, 10 }, { labelz = false }) end, "unknown option 'labelz'")
  fails(function() churn.tenure:cut({ 0, 10 }, { labels = true }) end, "must be a list of names or false")
end)

test("date parts and days_between match pandas on CDNOW", function()
  local d = F.dates
  assert(cdnow.date.dtype == "date" and #cdnow == d.rows)
  for _, part in ipairs({ "year", "month", "day", "weekday", "quarter", "dayofyear" }) do
    local got = cdnow.date[part](cdnow.date):sum()
    assert(got == d[part], string.format("%s: expected sum %d, got %s", part, d[part], tostring(got)))
  end
  local dates = cdnow.date:tolist()
  assert(dates[1] == d.first and dates[#dates] == d.last)
  local recency = cdnow.date:days_between("1998-07-01")
  assert(recency:sum() == d.recency_sum and recency:min() == d.recency_min and recency:max() == d.recency_max)
  local zero = cdnow.date:days_between(cdnow.date)
  assert(zero:min() == 0 and zero:max() == 0)
end)

test("date parts need a date column; days_between needs a date", function()
  fails(function() churn.tenure:year() end, "Column:year: column 'tenure' holds integer values; date parts need a date column")
  fails(function() cdnow.date:days_between("July 1") end, "expected a date written YYYY-MM-DD")
  fails(function() cdnow.date:days_between(42) end, "expected a date written YYYY-MM-DD or a date column, got integer 42")
  fails(function() cdnow.date:days_between(churn.tenure) end, "rows")
end)

test("dates compare, sort, fill and print as ISO text", function()
  local late = cdnow:filter(cdnow.date:ge("1998-01-01"))
  assert(#late > 0 and #late < #cdnow)
  local sorted = cdnow:sort("date", { descending = true })
  assert(sorted.date:tolist()[1] == F.dates.last or sorted.date:tolist()[1] >= F.dates.last)
  assert(tostring(cdnow:head(1)):find("1997-01-01", 1, true))
  local g = cdnow:groupby("customer_id"):agg({ date = { "first", "last", "count" } })
  assert(g.date_first.dtype == "date" and #g == 23570)
end)
