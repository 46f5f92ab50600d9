/// The Lua chunk "=marketlab.marketing.ab_test": marketing.ab_test, marketing.sample_size and
/// marketing.mde, written in Lua on the distribution functions of marketing.stats
/// (Marketing+ABTest.swift). It is three sources run as one chunk: this one (shared
/// helpers, and reading the arms from counts, summaries, raw values or a frame), the
/// statistics and result object (Marketing+ABTestResult.swift) and the planning functions
/// (Marketing+SampleSize.swift).
let marketingABTestSource = abTestInputsSource + abTestResultSource + sampleSizeSource

/// Helpers and the readers of the arms.
let abTestInputsSource = #"""
local torch, nn, optim, data, metrics, marketing, plot, document, did_you_mean, is_terminal = ...
local stats = marketing.stats
local norm_ppf, norm_sf, norm_cdf = stats.norm_ppf, stats.norm_sf, stats.norm_cdf
local t_ppf, t_sf, t_cdf, chi2_sf = stats.t_ppf, stats.t_sf, stats.t_cdf, stats.chi2_sf
local sqrt, abs, log, exp, huge = math.sqrt, math.abs, math.log, math.exp, math.huge

-- marketing.stats has a fixed set of names: a misspelt one is an error with a suggestion.
do
  local names = {}
  for k in pairs(stats) do names[#names + 1] = k end
  table.sort(names)
  setmetatable(stats, { __index = function(_, key)
    error("marketing.stats has no function '" .. tostring(key) .. "'" .. did_you_mean(tostring(key), names) .. "; it has " .. table.concat(names, ", "), 2)
  end })
end

-- Errors are raised here with level 0 and given the caller's position by `public`, so a
-- mistake deep in a helper still points at the analyst's line.
local function fail(fn, message) error(fn .. ": " .. message, 0) end

local function public(body)
  return function(...)
    local ok, result = pcall(body, ...)
    if not ok then error(result, 2) end
    return result
  end
end

local function show(v)
  if type(v) ~= "number" then return tostring(v) end
  if math.type(v) == "integer" then return tostring(v) end
  if v ~= v then return "nan" end
  return string.format("%.6g", v)
end

-- "10,000"
local function thousands(n)
  local s = tostring(math.tointeger(n) or n)
  local sign, digits = s:match("^(-?)(%d+)$")
  if not digits then return s end
  return sign .. digits:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
end

local function percent(x) return string.format("%.2f%%", 100 * x) end
local function signed_percent(x)
  if x == huge then return "+inf" elseif x == -huge then return "-inf" end
  return string.format("%+.1f%%", 100 * x)
end
local function points(x)
  if x == huge then return "+inf" elseif x == -huge then return "-inf" end
  return string.format("%+.2f", 100 * x)
end
local function plain(x)
  if x == huge then return "+inf" elseif x == -huge then return "-inf" end
  return string.format("%.4g", x)
end
local function signed(x)
  if x == huge then return "+inf" elseif x == -huge then return "-inf" end
  return string.format("%+.4g", x)
end
local function p_text(p)
  if p ~= p then return "nan" end
  return string.format("%.3g", p)
end

local function interval(lower, upper) return { lower, upper, lower = lower, upper = upper } end

-- Checks the keys of an options table (or of an arm's table: noun "field") against the
-- names allowed.
local function check_options(fn, options, allowed, noun)
  noun = noun or "option"
  if type(options) ~= "table" then fail(fn, "expected a table of options {" .. table.concat(allowed, ", ") .. "}, got " .. type(options)) end
  local set = {}
  for _, k in ipairs(allowed) do set[k] = true end
  for k in pairs(options) do
    if type(k) ~= "string" then fail(fn, noun .. "s are given by name ({" .. allowed[1] .. " = ...}), got a value at position " .. tostring(k)) end
    if not set[k] then fail(fn, "unknown " .. noun .. " '" .. k .. "'" .. did_you_mean(k, allowed) .. "; valid " .. noun .. "s: " .. table.concat(allowed, ", ")) end
  end
end

local function probability_option(fn, options, key, default)
  local v = options[key]
  if v == nil then return default end
  if type(v) ~= "number" or not (v > 0 and v < 1) then
    fail(fn, "option '" .. key .. "' must be a number between 0 and 1 (exclusive), got " .. show(v))
  end
  return v
end

local alternative_names = { ["two-sided"] = "two-sided", larger = "larger", smaller = "smaller", greater = "larger", less = "smaller" }

local function alternative_option(fn, options)
  local v = options.alternative
  if v == nil then return "two-sided" end
  if type(v) ~= "string" or not alternative_names[v] then
    fail(fn, "option 'alternative' must be \"two-sided\", \"larger\" (treatment above control) or \"smaller\", got " .. show(v)
      .. (type(v) == "string" and did_you_mean(v, { "two-sided", "larger", "smaller" }) or ""))
  end
  return alternative_names[v]
end

-- The quantile that bounds a (1 - alpha) interval: two-sided or one-sided.
local function critical(alpha, alternative) return norm_ppf(1 - (alternative == "two-sided" and alpha / 2 or alpha)) end

-- p-value of a statistic with survival function sf and cdf.
local function p_value(statistic, alternative, sf, cdf)
  if alternative == "larger" then return sf(statistic) end
  if alternative == "smaller" then return cdf(statistic) end
  return math.min(1, 2 * sf(abs(statistic)))
end

-- ==== reading the arms ====

local function metatable_name(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__name") or nil
end

-- A numeric or bool Column: anything else is an error that says how to make one.
local function check_metric_column(fn, label, v)
  local dtype = v.dtype
  if dtype ~= "bool" and dtype ~= "integer" and dtype ~= "number" then
    fail(fn, label .. ": column '" .. v.name .. "' holds " .. dtype .. " values; the metric must be 0/1, bool or numeric (e.g. df.churn:eq(\"Yes\"))")
  end
end

-- The statistics of marketing.stats.describe, refused when values are missing or infinite.
local function complete(fn, label, s, total, where)
  if s.missing > 0 then
    fail(fn, label .. ": " .. where .. " has " .. s.missing .. " missing value" .. (s.missing == 1 and "" or "s") .. " out of " .. total
      .. "; drop them (df:dropna()) or fill them (df:fillna{...}) first")
  end
  if s.infinite > 0 then fail(fn, label .. ": " .. where .. " has " .. s.infinite .. " infinite value" .. (s.infinite == 1 and "" or "s")) end
  return { n = s.n, sum = s.sum, mean = s.mean, sd = s.sd, binary = s.binary }
end

-- Summary {n, sum, mean, sd, binary} of raw values: a Column, a tensor or a Lua list.
local function summarize(fn, label, v)
  local kind = metatable_name(v)
  if kind == "Column" then
    check_metric_column(fn, label, v)
    return complete(fn, label, stats.describe(v), #v, "column '" .. v.name .. "'")
  elseif kind == "Tensor" then
    local shape = v.shape
    if not (#shape == 1 or (#shape == 2 and shape[2] == 1)) then
      fail(fn, label .. ": expected a 1-D tensor (or [n, 1]), got shape [" .. table.concat(shape, ", ") .. "]")
    end
    local s = stats.describe(v)
    if s.missing > 0 then fail(fn, label .. ": " .. s.missing .. " of " .. v:numel() .. " values are NaN (missing); drop or fill them first") end
    return complete(fn, label, s, v:numel(), "the tensor")
  end
  local n = #v
  if n == 0 then return { n = 0 } end
  local sum, binary = 0, true
  local values = {}
  for i = 1, n do
    local x = v[i]
    if type(x) == "boolean" then x = x and 1 or 0 end
    if type(x) ~= "number" or x ~= x or abs(x) == huge then
      fail(fn, label .. ": element " .. i .. " must be a finite number or a boolean, got " .. show(x))
    end
    values[i] = x
    sum = sum + x
    if x ~= 0 and x ~= 1 then binary = false end
  end
  local mean = sum / n
  local squares = 0
  for i = 1, n do squares = squares + (values[i] - mean) ^ 2 end
  return { n = n, sum = sum, mean = mean, sd = n > 1 and sqrt(squares / (n - 1)) or 0 / 0, binary = binary }
end

local function whole(fn, label, key, v)
  if type(v) ~= "number" or v ~= v or math.floor(v) ~= v or abs(v) == huge then
    fail(fn, label .. ": " .. key .. " must be a whole number, got " .. show(v))
  end
  return math.tointeger(v)
end

-- One arm given in the call: counts {conversions, n}, a summary {mean, sd, n} or raw values.
local function read_arm(fn, label, v)
  local kind = metatable_name(v)
  if kind == "Column" or kind == "Tensor" or (type(v) == "table" and kind == nil and rawget(v, 1) ~= nil) then
    local s = summarize(fn, label, v)
    if s.n == 0 then fail(fn, label .. " is empty (n = 0)") end
    s.form = "values"
    return s
  end
  if type(v) ~= "table" or kind ~= nil then
    fail(fn, label .. ": expected {conversions = ..., n = ...}, {mean = ..., sd = ..., n = ...}, a Column, a tensor or a list of values, got " .. (kind or type(v)))
  end
  if rawget(v, "mean") ~= nil or rawget(v, "sd") ~= nil then
    check_options(fn .. ": " .. label, v, { "mean", "n", "sd" }, "field")
    local n = whole(fn, label, "n", v.n)
    if type(v.mean) ~= "number" or v.mean ~= v.mean or abs(v.mean) == huge then fail(fn, label .. ": mean must be a finite number, got " .. show(v.mean)) end
    if type(v.sd) ~= "number" or not (v.sd > 0) or v.sd == huge then fail(fn, label .. ": sd must be a positive number, got " .. show(v.sd)) end
    if n < 2 then fail(fn, label .. ": a means test needs at least 2 observations per arm, got n = " .. n) end
    return { form = "summary", n = n, mean = v.mean, sd = v.sd, binary = false }
  end
  check_options(fn .. ": " .. label, v, { "conversions", "n" }, "field")
  local n = whole(fn, label, "n", v.n)
  local x = whole(fn, label, "conversions", v.conversions)
  if n <= 0 then fail(fn, label .. " is empty (n = " .. n .. ")") end
  if x < 0 then fail(fn, label .. ": conversions = " .. x .. " is negative") end
  if x > n then fail(fn, label .. ": conversions = " .. x .. " is more than n = " .. n) end
  return { form = "counts", n = n, sum = x, mean = x / n, binary = true }
end

local function is_named_arms(v)
  if type(v) ~= "table" or metatable_name(v) ~= nil or rawget(v, 1) ~= nil then return false end
  for _, k in ipairs({ "conversions", "n", "mean", "sd" }) do
    if rawget(v, k) ~= nil then return false end
  end
  return next(v) ~= nil
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

-- Arms from {control = arm, treatment = arm or {B = arm, C = arm}}.
local function arms_from_call(fn, spec)
  if spec.control == nil or spec.treatment == nil then
    fail(fn, "give control = and treatment = (counts {conversions, n}, summaries {mean, sd, n} or values), or data = frame with group, metric and control")
  end
  local arms = { read_arm(fn, "control", spec.control) }
  arms[1].name = "control"
  if is_named_arms(spec.treatment) then
    for _, name in ipairs(sorted_keys(spec.treatment)) do
      local arm = read_arm(fn, "treatment '" .. tostring(name) .. "'", spec.treatment[name])
      arm.name = tostring(name)
      arms[#arms + 1] = arm
    end
  else
    local arm = read_arm(fn, "treatment", spec.treatment)
    arm.name = "treatment"
    arms[2] = arm
  end
  return arms
end

local function quoted_levels(levels)
  local parts = {}
  for i, v in ipairs(levels) do
    if i > 12 then parts[#parts + 1] = "..."; break end
    parts[#parts + 1] = type(v) == "string" and ("'" .. v .. "'") or tostring(v)
  end
  return table.concat(parts, ", ")
end

local function find_level(levels, label)
  for _, v in ipairs(levels) do if v == label then return v end end
  for _, v in ipairs(levels) do if tostring(v) == tostring(label) then return v end end
  return nil
end

-- Arms from {data = frame, group = "variant", metric = "converted", control = "A" [, treatment]}.
local function arms_from_frame(fn, spec)
  local df = spec.data
  if metatable_name(df) ~= "Frame" then fail(fn, "option 'data' must be a Frame, got " .. (metatable_name(df) or type(df))) end
  for _, key in ipairs({ "group", "metric" }) do
    local name = spec[key]
    if type(name) ~= "string" then fail(fn, "option '" .. key .. "' is required with data: the name of the " .. (key == "group" and "column that says which arm a customer was in" or "column to compare (0/1, bool or numeric)") .. ", got " .. type(name)) end
    if df:dtypes()[name] == nil then fail(fn, "option '" .. key .. "' names column '" .. name .. "', which the frame lacks" .. did_you_mean(name, df.columns) .. "; columns: " .. table.concat(df.columns, ", ")) end
  end
  if spec.group == spec.metric then fail(fn, "group and metric are the same column '" .. spec.group .. "'") end
  local groups, metric = df[spec.group], df[spec.metric]
  check_metric_column(fn, "metric", metric)
  -- One pass over the rows gives every level's statistics.
  local by_level, unassigned = stats.describe(metric, groups)
  if unassigned > 0 then fail(fn, unassigned .. " row(s) have no value in group column '" .. spec.group .. "'; drop them first (df:dropna())") end
  local levels, summaries, missing = {}, {}, { missing = 0, infinite = 0 }
  for i, s in ipairs(by_level) do
    levels[i], summaries[s.level] = s.level, s
    missing.missing, missing.infinite = missing.missing + s.missing, missing.infinite + s.infinite
  end
  table.sort(levels, function(a, b) return tostring(a) < tostring(b) end)
  if #levels < 2 then
    fail(fn, "group column '" .. spec.group .. "' has " .. (#levels == 0 and "no rows" or ("one level (" .. quoted_levels(levels) .. ")")) .. "; an A/B test compares at least two groups")
  end
  if spec.control == nil then fail(fn, "option 'control' is required with data: the label of the control group in column '" .. spec.group .. "' (levels: " .. quoted_levels(levels) .. ")") end
  local control = find_level(levels, spec.control)
  if control == nil then fail(fn, "control = " .. show(spec.control) .. " is not a level of column '" .. spec.group .. "' (levels: " .. quoted_levels(levels) .. ")") end
  local chosen = {}
  local treatment = spec.treatment
  if treatment == nil then
    for _, v in ipairs(levels) do if v ~= control then chosen[#chosen + 1] = v end end
  else
    local list = type(treatment) == "table" and treatment or { treatment }
    for _, label in ipairs(list) do
      local level = find_level(levels, label)
      if level == nil then fail(fn, "treatment = " .. show(label) .. " is not a level of column '" .. spec.group .. "' (levels: " .. quoted_levels(levels) .. ")") end
      if level == control then fail(fn, "treatment " .. show(label) .. " is also the control") end
      chosen[#chosen + 1] = level
    end
    if #chosen == 0 then fail(fn, "option 'treatment' lists no level") end
  end
  complete(fn, "metric", missing, #df, "column '" .. spec.metric .. "'")
  local arms = {}
  for i, level in ipairs({ control, table.unpack(chosen) }) do
    local arm = complete(fn, "metric", summaries[level], #df, "column '" .. spec.metric .. "'")
    arm.form, arm.name = "values", tostring(level)
    arms[i] = arm
  end
  return arms
end
"""#
