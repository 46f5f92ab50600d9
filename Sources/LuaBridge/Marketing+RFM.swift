/// marketing.rfm, written in Lua on top of the Frame operations: recency, frequency and
/// monetary value per customer from transactions, 1-5 scores and named segments.
let marketingRFMSource = #"""
local torch, data, marketing, document, did_you_mean = ...

-- The segments a marketer starts from, tested in order (the first that matches names
-- the customer); r, f and m are the 1-5 scores, 5 the best.
local default_segments = {
  { name = "Champions", rule = function(r, f, m) return r >= 4 and f >= 4 and m >= 4 end },
  { name = "Loyal", rule = function(r, f, m) return r >= 3 and f >= 4 end },
  { name = "Big spenders", rule = function(r, f, m) return m >= 5 end },
  { name = "New", rule = function(r, f, m) return r >= 4 and f <= 2 end },
  { name = "Promising", rule = function(r, f, m) return r >= 3 and f <= 3 end },
  { name = "At risk", rule = function(r, f, m) return r <= 2 and f >= 3 end },
  { name = "Hibernating", rule = function(r, f, m) return r <= 2 and f <= 2 and m >= 2 end },
  { name = "Lost", rule = function(r, f, m) return true end },
}
marketing.rfm_segments = default_segments

-- Scores 1..5 from ranks: the n values in order (ties in row order), cut into five
-- groups of equal size; `higher` says whether large values score 5.
local function scores(values, higher)
  local n = #values
  local order = {}
  for i = 1, n do order[i] = i end
  table.sort(order, function(a, b)
    if values[a] ~= values[b] then
      if higher then return values[a] < values[b] end
      return values[a] > values[b]
    end
    return a < b
  end)
  local out = {}
  for rank, i in ipairs(order) do out[i] = (rank - 1) * 5 // n + 1 end
  return out
end

local function column_of(list, name)
  local t = torch.tensor(list):double():reshape(#list, 1)
  return data.from_tensor(t, { name })[name]:astype("integer")
end

local allowed = { customer = true, date = true, amount = true, snapshot = true, segments = true }

function marketing.rfm(tx, options)
  local fn = "marketing.rfm"
  if type(options) ~= "table" then error(fn .. ": bad argument #2 (options): expected {customer, date, amount, snapshot}, got " .. type(options), 2) end
  for k in pairs(options) do
    if not allowed[k] then error(fn .. ": unknown option '" .. tostring(k) .. "'" .. did_you_mean(tostring(k), { "amount", "customer", "date", "segments", "snapshot" }) .. "; valid: amount, customer, date, segments, snapshot", 2) end
  end
  for _, k in ipairs({ "customer", "date", "amount", "snapshot" }) do
    if type(options[k]) ~= "string" then error(fn .. ": option '" .. k .. "' is required (a " .. (k == "snapshot" and "date written YYYY-MM-DD: the day the analysis looks back from, never 'today'" or "column name") .. "), got " .. type(options[k]), 2) end
  end
  local dtypes = tx:dtypes()
  for _, k in ipairs({ "customer", "date", "amount" }) do
    if dtypes[options[k]] == nil then error(fn .. ": option '" .. k .. "' names column '" .. options[k] .. "', which the frame lacks" .. did_you_mean(options[k], tx.columns), 2) end
  end
  if dtypes[options.date] ~= "date" then
    error(fn .. ": column '" .. options.date .. "' holds " .. dtypes[options.date] .. " values; read it as dates (data.read_csv(path, {date_format = \"%Y%m%d\"}) or col:astype(\"date\"))", 2)
  end
  if dtypes[options.amount] ~= "number" and dtypes[options.amount] ~= "integer" then
    error(fn .. ": column '" .. options.amount .. "' holds " .. dtypes[options.amount] .. " values; the amount must be numeric", 2)
  end
  local dates = tx[options.date]
  local missing = dates:isna():sum() + tx[options.customer]:isna():sum() + tx[options.amount]:isna():sum()
  if missing > 0 then error(fn .. ": " .. missing .. " missing customer, date or amount values; drop or fill them first", 2) end
  local ok, after = pcall(function() return dates:gt(options.snapshot):sum() end)
  if not ok then error(fn .. ": option 'snapshot' must be a date written YYYY-MM-DD, got '" .. options.snapshot .. "'", 2) end
  if after > 0 then
    error(fn .. ": " .. after .. " transaction(s) are dated after the snapshot " .. options.snapshot .. "; pick a snapshot after the last purchase", 2)
  end
  local segments = options.segments or default_segments
  if type(segments) ~= "table" then error(fn .. ": option 'segments' must be a list of {name = ..., rule = function(r, f, m) ... end}", 2) end
  for i, s in ipairs(segments) do
    if type(s) ~= "table" or type(s.name) ~= "string" or type(s.rule) ~= "function" then
      error(fn .. ": segments[" .. i .. "] must be {name = \"...\", rule = function(r, f, m) return ... end}", 2)
    end
  end

  local agg = {}
  agg[options.date] = { "last", "count" }
  agg[options.amount] = { "sum" }
  local g = tx:sort(options.date):groupby(options.customer):agg(agg)
  local out = g:select({ options.customer })
  out.recency = g[options.date .. "_last"]:days_between(options.snapshot)
  out.frequency = g[options.date .. "_count"]
  out.monetary = g[options.amount .. "_sum"]
  -- Returns can net a customer's spend to zero or below: allowed (they score m = 1), but said.
  local unpaid = out.monetary:le(0):sum()
  if unpaid > 0 then
    io.stderr:write(string.format("%s: warning: %d customer(s) have a total %s <= 0 (returns or refunds netting out their purchases?); they get the lowest monetary score, m = 1\n",
      fn, unpaid, options.amount))
  end
  local r = scores(out.recency:tolist(), false)
  local f = scores(out.frequency:tolist(), true)
  local m = scores(out.monetary:tolist(), true)
  out.r = column_of(r, "r")
  out.f = column_of(f, "f")
  out.m = column_of(m, "m")
  local code = out.r * 100 + out.f * 10 + out.m
  out.rfm = code:astype("string")
  out.segment = code:map(function(c)
    local rs, fs, ms = c // 100, c // 10 % 10, c % 10
    for _, s in ipairs(segments) do
      if s.rule(rs, fs, ms) then return s.name end
    end
    return "Other"
  end)
  return out
end

document(marketing.rfm, "marketing.rfm", "Recency, frequency and monetary value per customer from transactions: marketing.rfm(tx, {customer = \"id\", date = \"date\", amount = \"spend\", snapshot = \"1998-07-01\"}) returns a Frame with recency (days from the last purchase to the snapshot), frequency (purchases), monetary (total), 1-5 scores r, f, m (quintiles of the ranks, 5 the best: most recent, most frequent, highest spend; ties in row order), the code rfm (\"545\") and a named segment. The snapshot is required (never today); a transaction after it is an error. Negative amounts (returns) are summed in; customers whose total is <= 0 are warned about on stderr and score m = 1. Segments come from marketing.rfm_segments, a list of {name, rule = function(r, f, m)} tested in order; pass {segments = ...} to use your own.",
         "local tx = data.read_csv('examples/data/lifetimes-CDNOW_master.csv', {date_format = '%Y%m%d'}); local rfm = marketing.rfm(tx, {customer = 'customer_id', date = 'date', amount = 'dollar_value', snapshot = '1998-07-01'}); print(rfm:head(3))")
"""#
