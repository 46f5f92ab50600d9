-- marketing.summary_from_transactions, marketing.bgnbd and marketing.gamma_gamma on the
-- CDNOW transactions, checked against the Python package lifetimes
-- (Tests/fixtures/clv.lua, written by scripts/gen_clv_fixtures.py), plus the messages
-- for bad input and the convergence report.
local fails = dofile(TESTS .. "/lua/support/spec.lua").fails
local F = dofile(FIXTURES .. "/clv.lua")
local tx = data.read_csv(TESTS .. "/../examples/data/lifetimes-CDNOW_master.csv", { date_format = "%Y%m%d" })
local base = { customer = "customer_id", date = "date", amount = "dollar_value", snapshot = F.snapshot }

local function with(options)
  local out = {}
  for k, v in pairs(base) do out[k] = v end
  for k, v in pairs(options) do out[k] = v end
  return out
end

local function close(actual, expected, rtol, what)
  if expected == math.huge or expected == -math.huge then
    assert(actual == expected, string.format("%s: %s, expected %s", what, tostring(actual), tostring(expected)))
    return
  end
  local err = math.abs(actual - expected)
  assert(err <= rtol * math.max(math.abs(expected), 1e-300),
    string.format("%s: %.17g, expected %.17g (relative error %.3g > %.3g)", what, actual, expected, err / math.abs(expected), rtol))
end

-- The chosen customers' values of a per-customer tensor.
local function rows_of(t, positions)
  local out = {}
  for i, p in ipairs(positions) do out[i] = t[p] end
  return out
end

-- A copy of a fit with other parameters (to check the formulas at lifetimes' own).
local function with_params(fit, params)
  local copy = {}
  for k, v in pairs(fit) do copy[k] = v end
  copy.params = params
  return setmetatable(copy, getmetatable(fit))
end

local summaries = {}
local function summary(unit)
  summaries[unit] = summaries[unit] or marketing.summary_from_transactions(tx, with({ unit = unit }))
  return summaries[unit]
end

-- Every column's sum and the chosen rows equal lifetimes' (counts exactly).
local function check_table(frame, expected, label)
  assert(#frame == expected.n, label .. ": " .. #frame .. " rows, expected " .. expected.n)
  local names = { "customer_id" }
  for _, c in ipairs(expected.columns) do names[#names + 1] = c end
  assert(table.concat(frame.columns, ",") == table.concat(names, ","), label .. ": columns " .. table.concat(frame.columns, ","))
  local ids = frame.customer_id:tolist()
  for i, p in ipairs(expected.positions) do
    assert(ids[p] == expected.ids[i], label .. ": row " .. p .. " is customer " .. ids[p] .. ", expected " .. expected.ids[i])
  end
  for _, c in ipairs(expected.columns) do
    local values = frame[c]:tolist()
    local exact = not c:match("^monetary")
    if exact then assert(frame:dtypes()[c] == "integer", label .. ": " .. c .. " is " .. frame:dtypes()[c]) end
    close(frame[c]:sum(), expected.sums[c], exact and 0 or 1e-12, label .. " sum of " .. c)
    for i, p in ipairs(expected.positions) do
      close(values[p], expected.rows[c][i], exact and 0 or 1e-12, label .. " " .. c .. " of customer " .. expected.ids[i])
    end
  end
end

for _, unit in ipairs({ "D", "W" }) do
  test("summary in unit " .. unit .. " equals lifetimes' summary_data_from_transaction_data", function()
    check_table(summary(unit), F.summaries[unit], "summary " .. unit)
  end)
  test("calibration/holdout in unit " .. unit .. " equals lifetimes' calibration_and_holdout_data", function()
    local cal = marketing.summary_from_transactions(tx, with({ unit = unit, calibration_end = F.calibration_end }))
    check_table(cal, F.calibration[unit], "calibration " .. unit)
  end)
end

test("summary in calendar months equals pandas' monthly periods", function()
  check_table(summary("M"), F.summaries.M, "summary M")
end)

test("summary without amount has no monetary column; same-day purchases count once", function()
  local s = marketing.summary_from_transactions(tx, { customer = "customer_id", date = "date", snapshot = F.snapshot })
  assert(table.concat(s.columns, ",") == "customer_id,frequency,recency,T")
  -- Customer 00002 bought twice on 1997-01-12: one purchase day, no repeat.
  assert(s.frequency:tolist()[2] == 0 and s.T:tolist()[2] == 534)
end)

test("hyp2f1 equals scipy.special.hyp2f1", function()
  for _, c in ipairs(F.hyp2f1) do
    close(marketing.hyp2f1(c.a, c.b, c.c, c.z), c.value, 1e-12, string.format("hyp2f1(%g, %g, %g, %g)", c.a, c.b, c.c, c.z))
  end
  local t = marketing.hyp2f1(torch.tensor({ 1.0, 0.5 }), 1, 2, torch.tensor({ 0.5, 0.0 }))
  assert(t.dtype == "float64" and math.abs(t[1] - 2 * math.log(2)) < 1e-14 and t[2] == 1)
  fails(function() marketing.hyp2f1(1, 1, 2, 1 - 1e-9) end, "did not converge")
  fails(function() marketing.hyp2f1(1, "b", 2, 0.5) end, "bad argument #2 (b): expected a tensor or a number")
end)

-- BG/NBD: parameters and log-likelihood of our fit against lifetimes', then predictions
-- at our parameters (rel 1e-5) and, with lifetimes' parameters set, the formulas alone.
local function check_bgnbd(fit, expected, rtol)
  for _, k in ipairs({ "r", "alpha", "a", "b" }) do close(fit.params[k], expected[k], rtol, "BG/NBD " .. k) end
  close(fit.log_likelihood, expected.log_likelihood, 1e-6, "BG/NBD log-likelihood")
  assert(fit.converged == true, "not converged: " .. tostring(fit.reason))
end

local fits = {}
for _, case in ipairs({ { unit = "W", starts = 5 }, { unit = "D", starts = 2 } }) do
  local unit = case.unit
  test("BG/NBD in unit " .. unit .. " matches lifetimes' BetaGeoFitter", function()
    local s = summary(unit)
    local bg = marketing.bgnbd(s, { starts = case.starts })
    local ref = F.fits[unit]
    check_bgnbd(bg, ref.bgnbd, 1e-4)
    assert(bg.starts == case.starts and bg.starts_agreeing == case.starts and bg.n_customers == 23570 and bg.unit == unit)
    assert(tostring(bg):find("BG/NBD fit: 23,570 customers, time unit " .. unit, 1, true), tostring(bg))
    assert(tostring(bg):find("converged: yes", 1, true), tostring(bg))
    local P = F.summaries[unit].positions
    local function compare(fit, rtol, label)
      local expected_purchases = rows_of(fit:expected_purchases(ref.t), P)
      local p_alive = rows_of(fit:p_alive(), P)
      for i = 1, #P do
        close(expected_purchases[i], ref.expected_purchases[i], rtol, label .. " expected_purchases of row " .. P[i])
        close(p_alive[i], ref.p_alive[i], rtol, label .. " p_alive of row " .. P[i])
      end
      close(fit:expected_purchases_new(ref.t), ref.expected_purchases_new, rtol, label .. " expected_purchases_new")
    end
    compare(bg, 1e-5, "fitted")
    compare(with_params(bg, { r = ref.bgnbd.r, alpha = ref.bgnbd.alpha, a = ref.bgnbd.a, b = ref.bgnbd.b }), 1e-10, "lifetimes' params")
    fits[unit] = bg
  end)

  test("Gamma-Gamma and CLV in unit " .. unit .. " match lifetimes", function()
    local s = summary(unit)
    local bg = assert(fits[unit], "the BG/NBD test must run first")
    -- lifetimes refuses repeat customers with no spend; so does MarketLab (tested below).
    local spenders = s:filter((s.frequency:eq(0) + s.monetary_value:gt(0)):gt(0))
    local gg = marketing.gamma_gamma(spenders)
    local ref = F.fits[unit]
    for _, k in ipairs({ "p", "q", "v" }) do close(gg.params[k], ref.gamma_gamma[k], 1e-4, "Gamma-Gamma " .. k) end
    close(gg.log_likelihood, ref.gamma_gamma.log_likelihood, 1e-6, "Gamma-Gamma log-likelihood")
    close(gg.correlation, ref.gamma_gamma.correlation, 1e-9, "frequency-spend correlation")
    assert(gg.converged and gg.n_customers == ref.gamma_gamma.n, tostring(gg))
    local P = F.summaries[unit].positions
    local function compare(bg_fit, gg_fit, rtol, label)
      local value = rows_of(gg_fit:expected_average_value(s), P)
      local clv = rows_of(gg_fit:clv(bg_fit, { horizon = 12, discount = 0.01 }, s), P)
      for i = 1, #P do
        close(value[i], ref.expected_average_value[i], rtol, label .. " expected_average_value of row " .. P[i])
        close(clv[i], ref.clv[i], rtol, label .. " clv of row " .. P[i])
      end
    end
    compare(bg, gg, 1e-5, "fitted")
    compare(with_params(bg, { r = ref.bgnbd.r, alpha = ref.bgnbd.alpha, a = ref.bgnbd.a, b = ref.bgnbd.b }),
            with_params(gg, { p = ref.gamma_gamma.p, q = ref.gamma_gamma.q, v = ref.gamma_gamma.v }), 1e-10, "lifetimes' params")
    -- summary.clv = ... adds the column.
    spenders.clv = gg:clv(bg)
    assert(spenders:dtypes().clv == "number" and #spenders.clv:tolist() == #spenders)
  end)
end

test("a penalised BG/NBD matches lifetimes' penalizer_coef", function()
  local bg = marketing.bgnbd(summary("W"), { penalizer = 0.01, starts = 1 })
  local ref = F.fits.W.bgnbd_penalized
  for _, k in ipairs({ "r", "alpha", "a", "b" }) do close(bg.params[k], ref[k], 1e-4, "penalised " .. k) end
  close(bg.log_likelihood, ref.log_likelihood, 1e-6, "penalised log-likelihood")
  assert(tostring(bg):find("penalizer 0.01", 1, true))
end)

test("a calibration summary is fitted through its _cal columns", function()
  local cal = marketing.summary_from_transactions(tx, with({ unit = "W", calibration_end = F.calibration_end }))
  local bg = marketing.bgnbd(cal, { starts = 1 })
  local ref = F.fits.W.calibration
  assert(bg.converged and bg.n_customers == 23570 and bg.unit == "W")
  for _, k in ipairs({ "r", "alpha", "a", "b" }) do close(bg.params[k], ref[k], 1e-4, "calibration " .. k) end
  local predicted = bg:expected_purchases(cal.duration_holdout:to_tensor():double())
  close(predicted:sum():item(), ref.holdout_predicted, 1e-5, "predicted holdout purchases")
  assert(cal.frequency_holdout:sum() == ref.holdout_actual)
end)

-- A small summary built by hand.
local function small(rows, names)
  return data.from_tensor(torch.tensor(rows, { dtype = "float64" }), names or { "frequency", "recency", "T" })
end

test("p_alive is 1 without repeat purchases and falls with time since the last one", function()
  local bg = fits.W or marketing.bgnbd(summary("W"), { starts = 1 })
  local p = bg:p_alive(small({ { 0, 0, 50 }, { 3, 48, 50 }, { 3, 10, 50 } }))
  assert(p[1] == 1 and p[2] > p[3] and p[3] > 0, tostring(p))
end)

-- Runs fn(...) with io.stderr captured; returns what was written and fn's result.
local function captured(fn, ...)
  local written = {}
  local stderr = io.stderr
  io.stderr = { write = function(_, text) written[#written + 1] = text end }
  local ok, result = pcall(fn, ...)
  io.stderr = stderr
  if not ok then error(result, 0) end
  return table.concat(written), result
end

test("no convergence is reported: converged = false, the reason, a warning on stderr", function()
  local text, bg = captured(marketing.bgnbd, summary("W"), { max_iter = 2, starts = 2 })
  assert(bg.converged == false and bg.reason:find("after 2 L-BFGS iterations", 1, true), tostring(bg.reason))
  assert(tostring(bg):find("converged: NO", 1, true), tostring(bg))
  assert(text:find("marketing.bgnbd: warning: no start converged", 1, true), text)
end)

test("data without dropout: a and b run off to infinity, reported with a finite likelihood", function()
  -- Every customer keeps buying to the end, so nothing says anyone dropped out.
  local rows = {}
  for i = 1, 300 do
    local T, x = 26 + i % 27, (i * 3) % 7
    rows[i] = { x, x == 0 and 0 or math.max(x, T - (i * 37) % (T + 1)), T }
  end
  local text, bg = captured(marketing.bgnbd, small(rows), { starts = 2 })
  assert(not bg.converged and bg.reason:find("a -> infinity, b -> infinity", 1, true), tostring(bg.reason))
  assert(text:find("no sign of customers dropping out", 1, true), text)
  -- The limit is the NBD model: the log-likelihood stays an ordinary negative number.
  assert(bg.log_likelihood < 0 and bg.log_likelihood > -1e4, tostring(bg.log_likelihood))
end)

test("the frequency-spend correlation above 0.3 is warned about", function()
  local text = captured(marketing.gamma_gamma, small({ { 1, 5, 20, 10 }, { 2, 8, 20, 15 }, { 3, 9, 20, 22 }, { 5, 15, 20, 30 },
    { 8, 18, 20, 41 }, { 1, 3, 20, 12 }, { 4, 12, 20, 25 } }, { "frequency", "recency", "T", "monetary_value" }))
  assert(text:find("frequency and monetary_value are correlated (Pearson 0.9", 1, true), text)
end)

test("summary_from_transactions: bad input is named", function()
  local f = function(options) return function() marketing.summary_from_transactions(tx, options) end end
  fails(f(with({ customer = "customer" })), "option 'customer' names column 'customer', which the frame lacks (did you mean 'customer_id'?)")
  fails(f(with({ date = "dat" })), "(did you mean 'date'?)")
  fails(f(with({ snapshot = "1998-06-01" })), "transaction(s) are dated after the snapshot 1998-06-01 (the latest on 1998-06-30)")
  fails(f(with({ snapshot = "30/06/1998" })), "option 'snapshot' must be a date written YYYY-MM-DD, got '30/06/1998'")
  fails(f({ customer = "customer_id", date = "date" }), "option 'snapshot' is required")
  fails(f(with({ calibration_end = "1998-06-30" })), "calibration_end 1998-06-30 must be before the snapshot 1998-06-30")
  fails(f(with({ calibration_end = "1996-01-01" })), "no transaction is dated on or before calibration_end 1996-01-01")
  fails(f(with({ unit = "week" })), "option 'unit' must be \"D\" (days), \"W\" (weeks starting on Monday) or \"M\" (calendar months), got 'week'")
  fails(f(with({ snapshots = "x" })), "unknown option 'snapshots' (did you mean 'snapshot'?)")
  fails(f(with({ amount = "customer_id" })), "column 'customer_id' holds string values; the amount must be numeric")
  local raw = data.read_csv(TESTS .. "/../examples/data/lifetimes-CDNOW_master.csv")
  fails(function() marketing.summary_from_transactions(raw, base) end,
    "column 'date' holds integer values, not dates; read it as dates with data.read_csv(path, {date_format = \"%Y%m%d\"})")
  fails(function() marketing.summary_from_transactions({}, base) end, "bad argument #1 (transactions): expected a Frame")
end)

test("bgnbd and gamma_gamma: bad input is named", function()
  fails(function() marketing.bgnbd(small({ { 0, 0, 10 }, { 0, 0, 12 }, { 0, 0, 7 } })) end,
    "no customer has a repeat purchase (every frequency is 0)")
  fails(function() marketing.bgnbd(small({ { 1, 12, 10 }, { 2, 5, 12 } })) end, "1 customers have recency > T")
  fails(function() marketing.bgnbd(small({ { 1.5, 5, 10 }, { 2, 5, 12 } })) end, "not a whole number")
  fails(function() marketing.bgnbd(small({ { 0, 5, 10 }, { 2, 5, 12 } })) end, "frequency 0 but recency > 0")
  fails(function() marketing.bgnbd(small({ { 1, 5, 10 } }, { "frequency", "recency", "age" })) end,
    "the summary has no column 'T'")
  fails(function() marketing.bgnbd(tx) end, "the summary has no column 'frequency'")
  fails(function() marketing.bgnbd("summary") end, "bad argument #1 (summary): expected a Frame")
  fails(function() marketing.bgnbd(summary("W"), { start = 3 }) end, "unknown option 'start' (did you mean 'starts'?)")
  fails(function() marketing.bgnbd(summary("W"), { penalizer = -1 }) end, "option 'penalizer' must be a number >= 0, got -1")
  -- Option errors name the script line that passed the options, not a line of the library.
  local line = debug.getinfo(1, "l").currentline
  fails(function() marketing.bgnbd(summary("W"), { starts = 0 }) end, "marketing_clv.lua:" .. line + 1 .. ": marketing.bgnbd: option 'starts'")
  fails(function() marketing.bgnbd(summary("W"), { tries = 2 }) end, "marketing_clv.lua:" .. line + 2 .. ": marketing.bgnbd: unknown option 'tries'")
  fails(function() marketing.bgnbd(summary("W"), 5) end, "marketing_clv.lua:" .. line + 3 .. ": marketing.bgnbd: bad argument #2 (options): expected a table, got number")
  fails(function() marketing.bgnbd("summary") end, "marketing_clv.lua:" .. line + 4 .. ": marketing.bgnbd: bad argument #1 (summary)")
  fails(function() marketing.gamma_gamma(tx) end, "marketing_clv.lua:" .. line + 5 .. ": marketing.gamma_gamma: the summary has no column 'frequency'")
  fails(function() marketing.gamma_gamma(summary("W")) end,
    "1 repeat customer(s) have monetary_value <= 0 (the first: customer_id '10244' (row 10244))")
  local bg = fits.W or marketing.bgnbd(summary("W"), { starts = 1 })
  local s = small({ { 2, 30, 40, 21.5 }, { 0, 0, 38, 0 }, { 5, 36, 39, 34 }, { 1, 5, 35, 12 }, { 3, 20, 37, 18.25 } },
    { "frequency", "recency", "T", "monetary_value" })
  local _, gg = captured(marketing.gamma_gamma, s, { starts = 1 })
  local unknown = with_params(bg, bg.params)
  unknown.unit = nil
  fails(function() gg:clv(unknown) end, "the BG/NBD fit does not know its time unit")
  assert(gg:clv(unknown, { periods_per_month = 4.345 }):numel() == 5)
  fails(function() gg:clv(gg) end, "bad argument #1 (bg): expected a fit from marketing.bgnbd")
  fails(function() gg:clv(bg, { horizon = 0 }) end, "option 'horizon' must be an integer >= 1, got 0")
  fails(function() gg:clv(bg, { discount_rate = 0.1 }) end, "unknown option 'discount_rate' (did you mean 'discount'?)")
  fails(function() bg:expected_purchases(-1) end, "bad argument #2 (t): expected a time >= 0, got -1")
  fails(function() bg.expected_purchases(gg, 1) end, "call it on a fit from marketing.bgnbd")
end)
