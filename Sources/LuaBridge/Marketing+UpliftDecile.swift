/// marketing uplift, part 4 of the Lua chunk: marketing.uplift_by_decile, scikit-uplift's
/// uplift_by_percentile table. Assembled in Marketing+Uplift.swift.
let upliftDecileSource = #"""
---------------------------------------------------------------------------------------
-- Uplift by decile: the rows ranked by predicted uplift, high to low, cut into bins of
-- equal size, each with its treated and control counts and response rates, as
-- scikit-uplift's uplift_by_percentile(strategy = "overall", total = False).
---------------------------------------------------------------------------------------

-- Python's round(): halves go to the even neighbour (round(12.5) == 12), so the
-- percentile labels read as scikit-uplift's.
local function round_half_even(x)
  local f = math.floor(x)
  local rest = x - f
  if rest > 0.5 or (rest == 0.5 and f % 2 == 1) then f = f + 1 end
  return math.tointeger(f)
end

marketing.uplift_by_decile = public(function(y, uplift, treatment, options)
  local fn = "marketing.uplift_by_decile"
  options = options or {}
  if type(options) ~= "table" then fail(fn, "bad argument #4 (options): expected a table such as {bins = 10}, got " .. type(options)) end
  for k in pairs(options) do
    if k ~= "bins" then fail(fn, "unknown option '" .. tostring(k) .. "'" .. did_you_mean(tostring(k), { "bins" }) .. "; valid: bins") end
  end
  local y_values = values_of(fn, "y", y)
  local u_values = values_of(fn, "uplift", uplift)
  local t_values = values_of(fn, "treatment", treatment)
  local n = same_length(fn, { { "y", #y_values }, { "uplift", #u_values }, { "treatment", #t_values } })
  local flags = outcomes(fn, "y", y_values, "float64"):tolist()
  local treated = outcomes(fn, "treatment", t_values, "float64"):tolist()
  for i, u in ipairs(u_values) do
    if type(u) ~= "number" or u ~= u then fail(fn, "'uplift' must hold numbers, row " .. i .. " holds " .. show(u)) end
  end
  local bins = options.bins or 10
  if math.type(bins) ~= "integer" and not (type(bins) == "number" and bins == math.floor(bins)) or bins < 1 then
    fail(fn, "option 'bins' must be a whole number >= 1, got " .. tostring(bins))
  end
  bins = math.tointeger(bins)
  if bins >= n then fail(fn, "bins = " .. bins .. " must be smaller than the " .. n .. " rows") end
  -- A stable ascending sort read backwards: equal uplifts rank the last row first, as
  -- scikit-uplift's argsort(kind = "mergesort")[::-1].
  local _, ascending = torch.tensor(u_values, { dtype = "float64" }):sort()
  local order = ascending:tolist()
  local labels, n_t, n_c, rate_t, rate_c, gain = {}, {}, {}, {}, {}, {}
  local base, extra = n // bins, n % bins
  local position = n
  for b = 1, bins do
    local size = base + (b <= extra and 1 or 0)
    local nt, nc, rt, rc = 0, 0, 0, 0
    for _ = 1, size do
      local i = order[position]
      position = position - 1
      if treated[i] == 1 then nt, rt = nt + 1, rt + flags[i] else nc, rc = nc + 1, rc + flags[i] end
    end
    -- An arm absent from a bin has no rate: NaN, as numpy's mean of nothing.
    n_t[b], n_c[b], rate_t[b], rate_c[b] = nt, nc, rt / nt, rc / nc
    gain[b] = rate_t[b] - rate_c[b]
    labels[b] = round_half_even(b * 100 / bins)
  end
  local rows = {}
  for b = 1, bins do rows[b] = { b, n_t[b], n_c[b], rate_t[b], rate_c[b], gain[b] } end
  local out = data.from_tensor(torch.tensor(rows, { dtype = "float64" }),
    { "bin", "n_treatment", "n_control", "response_rate_treatment", "response_rate_control", "uplift" })
  out.n_treatment, out.n_control = out.n_treatment:astype("integer"), out.n_control:astype("integer")
  out.percentile = out.bin:map(function(b)
    b = math.tointeger(b)
    return (b == 1 and 0 or labels[b - 1]) .. "-" .. labels[b]
  end)
  return out:select({ "percentile", "n_treatment", "n_control", "response_rate_treatment", "response_rate_control", "uplift" })
end)

document(marketing.uplift_by_decile, "marketing.uplift_by_decile",
  "Response rates of treated and control rows by bins of predicted uplift, highest first: marketing.uplift_by_decile(y, uplift, treatment [, {bins = 10}]) returns a Frame " ..
  "{percentile (\"0-10\", \"10-20\", ...), n_treatment, n_control, response_rate_treatment, response_rate_control, uplift} equal to scikit-uplift's " ..
  "uplift_by_percentile(y, uplift, treatment, strategy = \"overall\", bins = bins). Rows are ranked by uplift (equal uplifts: the later row first, as scikit-uplift) " ..
  "and cut into bins of equal size (the first n % bins bins one row larger); a bin without treated or control rows has NaN rates. " ..
  "y and treatment hold 0/1 values (tensors, Columns or lists); bins must be smaller than the number of rows. A good model shows uplift falling from the top bin to the bottom.",
  "local y, u, t = torch.tensor({1, 0, 1, 0, 1, 0, 1, 1}), torch.tensor({0.9, 0.1, 0.6, 0.4, 0.6, 0.3, 0.6, 0.1}), torch.tensor({1, 1, 0, 1, 0, 0, 1, 0}); " ..
  "print(marketing.uplift_by_decile(y, u, t, {bins = 2}))")
"""#
