/// The Lua chunk "=marketlab.marketing.clv": this part holds what both CLV models share
/// (reading a summary Frame, checking options, maximum likelihood from several starts
/// with optim.LBFGS, the convergence report); Marketing+CLVModels.swift holds BG/NBD and
/// Gamma-Gamma. The parts are one chunk, so they share these locals.
let marketingCLVSource = clvFitSource + clvBGNBDSource + clvGammaGammaSource

/// Lua string literal text of `s` (for docs written once in Swift and reused in Lua).
private func luaQuoted(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
        switch ch {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out + "\""
}

private let clvFitSource = #"""
local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal, checked_options = ...

-- The time unit of each summary made here (weak keys: summaries are collected as
-- usual), so a fit knows how many of its periods make a month for clv.
local summary_units = setmetatable({}, { __mode = "k" })
local periods_per_month = { D = 30, W = 4.345, M = 1 }   -- lifetimes' customer_lifetime_value factors

local summarize = marketing.summary_from_transactions
function marketing.summary_from_transactions(tx, options)
  local ok, summary = pcall(summarize, tx, options)
  -- Report the mistake at the caller's line, not at this wrapper's.
  if not ok then error((tostring(summary):gsub("^[^:\n]*:%d+: ", "")), 2) end
  summary_units[summary] = type(options) == "table" and options.unit or "D"
  return summary
end
document(marketing.summary_from_transactions, "marketing.summary_from_transactions", \#(luaQuoted(MarketingBindings.summaryDoc)),
         \#(luaQuoted(MarketingBindings.summaryExample)))

local function is_frame(value)
  local meta = type(value) == "userdata" and getmetatable(value)
  return meta and meta.__name == "Frame" or false
end

local function describe(value)
  if torch.is_tensor(value) then return "a tensor" end
  if is_frame(value) then return "a Frame" end
  return type(value)
end

-- An option's number (or the default); a bad value is an error blamed `level` frames
-- above the caller, as for error (default 2: the caller's caller).
local function number_option(fn, options, name, default, low, high, level)
  local value = options[name]
  if value == nil then return default end
  if type(value) ~= "number" or value ~= value or (low and value < low) or (high and value > high) then
    local range = low and high and string.format(" in [%g, %g]", low, high) or (low and string.format(" >= %g", low) or "")
    error(string.format("%s: option '%s' must be a number%s, got %s", fn, name, range, tostring(value)), (level or 2) + 1)
  end
  return value
end

local function integer_option(fn, options, name, default, low, level)
  local value = options[name]
  if value == nil then return default end
  if math.type(value) ~= "integer" and not (type(value) == "number" and value == math.floor(value)) or value < low then
    error(string.format("%s: option '%s' must be an integer >= %d, got %s", fn, name, low, tostring(value)), (level or 2) + 1)
  end
  return math.tointeger(value)
end

-- The model's columns of a summary Frame as float64 tensors [n]. A calibration summary
-- (marketing.summary_from_transactions with calibration_end) is read through its *_cal
-- columns, which are the ones a model is fitted on. Called through bgnbd_data or
-- spend_data by the user-facing functions, so its errors blame the script three frames up.
local function summary_columns(fn, summary, names, position)
  if not is_frame(summary) then
    error(string.format("%s: bad argument #%d (summary): expected a Frame from marketing.summary_from_transactions, got %s",
      fn, position, describe(summary)), 4)
  end
  local present = {}
  for _, name in ipairs(summary.columns) do present[name] = true end
  local suffix = (not present[names[1]] and present[names[1] .. "_cal"]) and "_cal" or ""
  local wanted = {}
  for i, name in ipairs(names) do
    wanted[i] = name .. suffix
    if not present[wanted[i]] then
      error(string.format("%s: the summary has no column '%s'%s (it has %s); make it with marketing.summary_from_transactions",
        fn, wanted[i], did_you_mean(wanted[i], summary.columns), table.concat(summary.columns, ", ")), 4)
    end
  end
  if #summary == 0 then error(fn .. ": the summary has no customers", 4) end
  local ok, X = pcall(summary.to_tensor, summary, wanted, { dtype = "float64" })
  if not ok then error(fn .. ": " .. tostring(X):gsub("^[^:]*:%d+: ", ""), 4) end
  local out = {}
  for i, name in ipairs(names) do out[name] = X:select(2, i):contiguous() end
  return out, wanted
end

-- A label for row i of a summary in messages: its customer key (the first column when
-- it is not a model column), else the row number.
local function customer_label(summary, i)
  local first = summary.columns[1]
  if first and not first:match("^frequency") and not first:match("^recency") and not first:match("^T") then
    return string.format("%s '%s' (row %d)", first, tostring(summary[first]:tolist()[i]), i)
  end
  return "row " .. i
end

-- Customers with the same history add the same term to the likelihood, so a fit sums
-- each distinct history once, weighted by how many customers share it (CDNOW in weeks:
-- 23,570 customers, 4,681 histories), and predictions are made once per history.
-- Returns the distinct rows of `names` as float64 tensors, their counts (sums of
-- `weights` when rows already stand for several) and each row's history (an int64
-- tensor of 1-based positions, for index_select back to rows).
local function distinct_histories(columns, names, weights)
  local lists = {}
  for i, name in ipairs(names) do lists[i] = columns[name]:tolist() end
  local weight = weights and weights:tolist()
  local slot, rows, counts, positions = {}, {}, {}, {}
  local values = {}
  for row = 1, #lists[1] do
    for i = 1, #names do values[i] = lists[i][row] end
    local key = string.pack(string.rep("d", #names), table.unpack(values, 1, #names))
    local k = slot[key]
    if k == nil then
      k = #counts + 1
      slot[key] = k
      counts[k] = 0
      rows[k] = table.move(values, 1, #names, 1, {})
    end
    counts[k] = counts[k] + (weight and weight[row] or 1)
    positions[row] = k
  end
  local out = {}
  for i, name in ipairs(names) do
    local column = {}
    for k = 1, #rows do column[k] = rows[k][i] end
    out[name] = torch.tensor(column, { dtype = "float64" })
  end
  return out, torch.tensor(counts, { dtype = "float64" }), torch.tensor(positions, { dtype = "int64" })
end

-- Start points for the log-parameters: lifetimes' 0.1 for every parameter first, then
-- draws uniform in [-2, 2] from a small generator of our own (seeded; torch's stream is
-- left alone).
local function start_points(count, size, seed)
  local state = seed % 2147483647
  if state <= 0 then state = state + 2147483646 end
  local function uniform()
    state = state * 48271 % 2147483647   -- Park-Miller
    return state / 2147483647
  end
  local starts = {}
  for s = 1, count do
    starts[s] = {}
    for i = 1, size do starts[s][i] = s == 1 and 0.1 or -2 + 4 * uniform() end
  end
  return starts
end

local STEP_TOLERANCE = 1e-4   -- largest change of a log-parameter in the last L-BFGS step

-- Minimises objective(params) (a scalar tensor; params are float64 tensors [1] holding
-- log-parameters) with optim.LBFGS and strong-Wolfe line search from each start.
-- A start has converged when the gradient's largest component is <= tol and its last
-- step moved no log-parameter by more than STEP_TOLERANCE (a fit drifting towards a
-- boundary keeps moving on a flat likelihood). Returns the best start (lowest objective,
-- converged ones first) and every start's outcome.
local function minimise(objective, names, options)
  local size = #names
  local outcomes = {}
  for s, start in ipairs(start_points(options.starts, size, options.seed)) do
    local params = {}
    for i = 1, size do params[i] = torch.tensor({ start[i] }, { dtype = "float64", requires_grad = true }) end
    local opt = optim.LBFGS(params, { max_iter = options.max_iter, max_eval = options.max_iter * 2,
      tolerance_grad = options.tol, tolerance_change = 1e-15, history_size = 20, line_search_fn = "strong_wolfe" })
    local function closure()
      opt:zero_grad()
      local loss = objective(params)
      local value = loss:item()
      -- A trial step into overflow: a large finite value sends the line search back.
      if value ~= value or value == math.huge or value == -math.huge then return 1e10 end
      loss:backward()
      return value
    end
    local ok, failure = pcall(opt.step, opt, closure)
    local outcome = { start = start, iterations = opt.state.n_iter, evaluations = opt.state.func_evals }
    if ok then
      local value = closure()
      local gradient = 0
      for i = 1, size do
        local g = params[i].grad
        gradient = math.max(gradient, g and math.abs(g[1]) or math.huge)
      end
      local step = (opt.state.d and opt.state.t) and (opt.state.d * opt.state.t):abs():max():item() or 0
      outcome.value, outcome.gradient, outcome.step = value, gradient, step
      outcome.log_params = {}
      for i = 1, size do outcome.log_params[i] = params[i]:detach()[1] end
      outcome.finite = value == value and value < 1e10
      outcome.converged = outcome.finite and gradient <= options.tol and step <= STEP_TOLERANCE
      if not outcome.finite then
        outcome.reason = "the likelihood is not finite at the parameters reached"
      elseif gradient > options.tol then
        outcome.reason = string.format("gradient %.3g > tol %.3g after %d L-BFGS iterations", gradient, options.tol, outcome.iterations)
      elseif not outcome.converged then
        outcome.reason = string.format("the parameters still moved by %.3g in the last step (drifting to a boundary?)", step)
      end
      -- Parameters past e^±20 mean the likelihood rises towards an edge of the model.
      local edges = {}
      for i = 1, size do
        local v = outcome.log_params[i]
        if v > 20 or v < -20 then edges[#edges + 1] = names[i] .. (v > 0 and " -> infinity" or " -> 0") end
      end
      if not outcome.converged and #edges > 0 then
        outcome.reason = table.concat(edges, ", ") .. ": the likelihood keeps rising towards an edge of the model, so it has no maximum inside"
      end
    else
      outcome.value, outcome.gradient, outcome.finite, outcome.converged = math.huge, math.huge, false, false
      outcome.reason = "the optimiser failed: " .. tostring(failure)
    end
    outcomes[s] = outcome
  end
  local best
  for _, o in ipairs(outcomes) do
    if o.finite and (best == nil or (o.converged and not best.converged)
        or (o.converged == best.converged and o.value < best.value)) then
      best = o
    end
  end
  -- Starts agree when they converged to the best objective and parameters.
  local agreeing = 0
  if best then
    for _, o in ipairs(outcomes) do
      local same = o.converged and math.abs(o.value - best.value) <= 1e-9 * math.max(1, math.abs(best.value))
      for i = 1, size do
        same = same and math.abs(o.log_params[i] - best.log_params[i]) <= 1e-3
      end
      if same then agreeing = agreeing + 1 end
    end
  end
  return best, outcomes, agreeing
end

-- The options every fit takes, checked, with their defaults.
local fit_defaults = { starts = 5, penalizer = 0, max_iter = 200, tol = 1e-7, seed = 1, verbose = false }

local function fit_options(fn, options, extra)
  local allowed = { "max_iter", "penalizer", "seed", "starts", "tol", "verbose" }
  for _, name in ipairs(extra or {}) do allowed[#allowed + 1] = name end
  table.sort(allowed)
  -- Called by the fit functions: errors are blamed on their caller, two frames up.
  options = checked_options(fn, options, allowed, 2, 3)
  local out = {
    starts = integer_option(fn, options, "starts", fit_defaults.starts, 1, 3),
    penalizer = number_option(fn, options, "penalizer", fit_defaults.penalizer, 0, nil, 3),
    max_iter = integer_option(fn, options, "max_iter", fit_defaults.max_iter, 1, 3),
    tol = number_option(fn, options, "tol", fit_defaults.tol, 0, nil, 3),
    seed = integer_option(fn, options, "seed", fit_defaults.seed, 0, 3),
    verbose = options.verbose,
  }
  if out.verbose ~= nil and type(out.verbose) ~= "boolean" then
    error(fn .. ": option 'verbose' must be a boolean, got " .. type(out.verbose), 3)
  end
  return out, options
end

-- Prints each start's outcome (verbose fits) and warns on stderr when none converged.
local function report_starts(fn, outcomes, best, verbose, advice)
  if verbose then
    for s, o in ipairs(outcomes) do
      io.stderr:write(string.format("%s: start %d: objective %.10g, gradient %.3g, %d iterations%s\n", fn, s,
        o.value, o.gradient, o.iterations or 0, o.converged and ", converged" or (", not converged: " .. (o.reason or "?"))))
    end
  end
  if best and not best.converged then
    io.stderr:write(string.format("%s: warning: no start converged (best: %s); the parameters are the best found, not a maximum of the likelihood. %s\n",
      fn, best.reason or "?", advice))
  end
end

-- A fit's record: the best start's outcome, the fit's options and model-specific fields.
local function fit_record(best, o, agreeing, n, fields)
  local record = {
    converged = best.converged, reason = best.reason, iterations = best.iterations,
    gradient = best.gradient, starts = o.starts, starts_agreeing = agreeing, n_customers = n, penalizer = o.penalizer,
  }
  for k, v in pairs(fields) do record[k] = v end
  return record
end

-- The convergence line of a fit's tostring.
local function convergence_text(fit)
  if fit.converged then
    return string.format("converged: yes (gradient %.2g, %d L-BFGS iterations; %d of %d starts agree)",
      fit.gradient, fit.iterations, fit.starts_agreeing, fit.starts)
  end
  return string.format("converged: NO (%s; %d of %d starts agree)", fit.reason or "?", fit.starts_agreeing, fit.starts)
end

-- The doc examples' customers: 200 simulated by the story the models tell (each buys
-- at a weekly rate of their own, may drop out after each purchase, and spends around a
-- mean of their own), so the fits are quick and converge.
local example_customers = "math.randomseed(7); local rows = {}; for i = 1, 200 do local rate, churn, mean, T = -math.log(math.random()) * 0.3, math.random() ^ 2 * 0.5, 15 + 30 * math.random(), 20 + i % 30; local x, last, spend, alive = 0, 0, 0, true; for week = 1, T do if alive and math.random() < rate then x, last, spend = x + 1, week, spend + mean * (0.5 + math.random()); alive = math.random() > churn end end; rows[i] = {x, last, T, x == 0 and 0 or spend / x} end; local s = data.from_tensor(torch.tensor(rows), {'frequency', 'recency', 'T', 'monetary_value'}); "

local function thousands(n)
  local s = tostring(math.tointeger(n) or n)
  return (s:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", ""))
end
"""#
