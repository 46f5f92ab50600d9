/// marketing.ab_test's statistics (z-test, Wilson and Newcombe intervals, Welch's test,
/// the lift intervals, Holm and Bonferroni, the sample-ratio check) and its result object;
/// part of the chunk assembled in Marketing+ABTestSource.swift.
let abTestResultSource = #"""

-- ==== the statistics ====

-- Wilson's score interval of x successes in n at level 1 - alpha, clipped to [0, 1]
-- (statsmodels' proportion_confint(method = "wilson")).
local function wilson(x, n, alpha)
  local z = -norm_ppf(alpha / 2)
  local z2 = z * z
  local p = x / n
  local denominator = 1 + z2 / n
  local center = (p + z2 / (2 * n)) / denominator
  local half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
  return math.max(0, center - half), math.min(1, center + half)
end

-- A one-sided alternative keeps one bound of the two-sided interval at level 1 - 2 alpha.
local function sided(lower, upper, alternative)
  if alternative == "larger" then return interval(lower, huge) end
  if alternative == "smaller" then return interval(-huge, upper) end
  return interval(lower, upper)
end

-- Treatment against control from counts: the pooled z-test (statsmodels'
-- proportions_ztest), Newcombe's hybrid score interval of the difference (method 10 of
-- Newcombe 1998: Wilson intervals of each rate combined) and the delta-method interval of
-- the log rate ratio for the relative lift (statsmodels' compare = "ratio", method = "log").
local function compare_proportions(c, t, alpha, alternative)
  local pc, pt = c.conversions / c.n, t.conversions / t.n
  local difference = pt - pc
  local pooled = (c.conversions + t.conversions) / (c.n + t.n)
  local se = sqrt(pooled * (1 - pooled) * (1 / c.n + 1 / t.n))
  -- With no conversions (or only conversions) in both arms the rates are equal: no evidence.
  local z = se > 0 and difference / se or 0
  local out = { z = z, p_value = se > 0 and p_value(z, alternative, norm_sf, norm_cdf) or 1, difference = difference }
  local level = alternative == "two-sided" and alpha or 2 * alpha
  local lt, ut = wilson(t.conversions, t.n, level)
  local lc, uc = wilson(c.conversions, c.n, level)
  out.difference_ci = sided(difference - sqrt((pt - lt) ^ 2 + (uc - pc) ^ 2), difference + sqrt((ut - pt) ^ 2 + (pc - lc) ^ 2), alternative)
  if c.conversions > 0 then
    local ratio = pt / pc
    out.relative_lift = ratio - 1
    if t.conversions > 0 then
      local spread = -norm_ppf(level / 2) * sqrt(1 / t.conversions - 1 / t.n + 1 / c.conversions - 1 / c.n)
      out.relative_lift_ci = sided(ratio * exp(-spread) - 1, ratio * exp(spread) - 1, alternative)
    end
  end
  return out
end

-- Treatment against control from means: Welch's t-test with the Welch-Satterthwaite
-- degrees of freedom and its interval of the difference (scipy's ttest_ind(equal_var =
-- False)); the relative lift's interval is the delta method on the log ratio of means,
-- with normal quantiles, when both means are positive.
local function compare_means(fn, c, t, alpha, alternative)
  local vc, vt = c.sd ^ 2 / c.n, t.sd ^ 2 / t.n
  local se = sqrt(vc + vt)
  if not (se > 0) then fail(fn, "arms '" .. c.name .. "' and '" .. t.name .. "' both have sd = 0 (every value equal); the t-test is undefined") end
  local df = (vc + vt) ^ 2 / (vt ^ 2 / (t.n - 1) + vc ^ 2 / (c.n - 1))
  local difference = t.mean - c.mean
  local statistic = difference / se
  local out = { t = statistic, df = df, difference = difference,
    p_value = p_value(statistic, alternative, function(x) return t_sf(x, df) end, function(x) return t_cdf(x, df) end) }
  local q = -t_ppf(alternative == "two-sided" and alpha / 2 or alpha, df)
  out.difference_ci = sided(difference - q * se, difference + q * se, alternative)
  if c.mean > 0 then
    local ratio = t.mean / c.mean
    out.relative_lift = ratio - 1
    if t.mean > 0 then
      local spread = critical(alpha, alternative) * sqrt(t.sd ^ 2 / (t.n * t.mean ^ 2) + c.sd ^ 2 / (c.n * c.mean ^ 2))
      out.relative_lift_ci = sided(ratio * exp(-spread) - 1, ratio * exp(spread) - 1, alternative)
    end
  end
  return out
end

-- p-values adjusted for several treatment arms (statsmodels' multipletests).
local function adjust(p, method)
  local m = #p
  local adjusted = {}
  if method == "none" or m == 1 then
    for i = 1, m do adjusted[i] = p[i] end
  elseif method == "bonferroni" then
    for i = 1, m do adjusted[i] = math.min(1, m * p[i]) end
  else   -- Holm's step-down: the i-th smallest is scaled by m - i + 1, kept monotone
    local order = {}
    for i = 1, m do order[i] = i end
    table.sort(order, function(a, b) return p[a] < p[b] or (p[a] == p[b] and a < b) end)
    local running = 0
    for rank, i in ipairs(order) do
      running = math.max(running, math.min(1, (m - rank + 1) * p[i]))
      adjusted[i] = running
    end
  end
  return adjusted
end

-- Sample-ratio mismatch: a chi-square goodness-of-fit test of the arm sizes against the
-- split the randomisation was meant to give (scipy's chisquare).
local srm_threshold = 0.001

local function srm_check(fn, arms, split)
  local k, total = #arms, 0
  for _, arm in ipairs(arms) do total = total + arm.n end
  local shares = {}
  if split == nil then
    for i = 1, k do shares[i] = 1 / k end
  else
    if type(split) ~= "table" then fail(fn, "option 'expected_split' must be a list of shares, one per arm (control first), got " .. type(split)) end
    if rawget(split, 1) == nil then
      for key in pairs(split) do
        local known = false
        for _, arm in ipairs(arms) do known = known or arm.name == tostring(key) end
        if not known then
          local names = {}
          for i, arm in ipairs(arms) do names[i] = arm.name end
          fail(fn, "expected_split names arm '" .. tostring(key) .. "', which the test lacks" .. did_you_mean(tostring(key), names) .. " (arms: " .. table.concat(names, ", ") .. ")")
        end
      end
      for i, arm in ipairs(arms) do shares[i] = split[arm.name] end
    else
      for i = 1, #split do shares[i] = split[i] end
      if #split ~= k then fail(fn, "expected_split has " .. #split .. " shares for " .. k .. " arms (control first)") end
    end
    local sum = 0
    for i = 1, k do
      local s = shares[i]
      if type(s) ~= "number" or not (s > 0) then fail(fn, "expected_split: the share of arm '" .. arms[i].name .. "' must be a positive number, got " .. show(s)) end
      sum = sum + s
    end
    if abs(sum - 1) > 1e-6 then fail(fn, "expected_split must sum to 1, got " .. show(sum)) end
  end
  local statistic = 0
  local observed, expected = {}, {}
  for i, arm in ipairs(arms) do
    observed[i], expected[i] = arm.n, total * shares[i]
    statistic = statistic + (arm.n - expected[i]) ^ 2 / expected[i]
  end
  local p = chi2_sf(statistic, k - 1)
  return { statistic = statistic, df = k - 1, p_value = p, mismatch = p < srm_threshold,
           observed = observed, expected = expected, expected_split = shares, threshold = srm_threshold }
end

-- ==== the result ====

local Result = {}
local ResultMeta = { __name = "ABTestResult", __index = Result }

local function pad(text, width, left)
  local gap = string.rep(" ", math.max(0, width - utf8.len(text)))
  return left and (text .. gap) or (gap .. text)
end

local function table_lines(rows, left_columns)
  local widths = {}
  for _, row in ipairs(rows) do
    for j, cell in ipairs(row) do widths[j] = math.max(widths[j] or 0, utf8.len(cell)) end
  end
  local lines = {}
  for _, row in ipairs(rows) do
    local cells = {}
    for j, cell in ipairs(row) do cells[j] = pad(cell, widths[j], left_columns[j]) end
    lines[#lines + 1] = "  " .. table.concat(cells, "  ")
  end
  return lines
end

function ResultMeta.__tostring(r)
  local proportions = r.kind == "proportions"
  local level = string.format("%g%%", 100 * (1 - r.alpha))
  local lines = { string.format("A/B test: %s, %s, alpha = %g%s", r.test, r.alternative, r.alpha, r.metric and (", metric '" .. r.metric .. "'") or "") }
  local rows = { proportions and { "arm", "n", "conversions", "rate", level .. " CI" } or { "arm", "n", "mean", "sd", level .. " CI" } }
  for _, arm in ipairs(r.arms) do
    if proportions then
      rows[#rows + 1] = { arm.name, thousands(arm.n), thousands(arm.conversions), percent(arm.rate), "[" .. percent(arm.ci.lower) .. ", " .. percent(arm.ci.upper) .. "]" }
    else
      rows[#rows + 1] = { arm.name, thousands(arm.n), plain(arm.mean), plain(arm.sd), "[" .. plain(arm.ci.lower) .. ", " .. plain(arm.ci.upper) .. "]" }
    end
  end
  for _, line in ipairs(table_lines(rows, { true })) do lines[#lines + 1] = line end
  for _, c in ipairs(r.comparisons) do
    local d = c.difference_ci
    local difference = proportions and (points(c.difference) .. " pp [" .. points(d.lower) .. ", " .. points(d.upper) .. "]")
                                    or (signed(c.difference) .. " [" .. signed(d.lower) .. ", " .. signed(d.upper) .. "]")
    local lift = c.relative_lift and ("relative lift " .. signed_percent(c.relative_lift)
      .. (c.relative_lift_ci and (" [" .. signed_percent(c.relative_lift_ci.lower) .. ", " .. signed_percent(c.relative_lift_ci.upper) .. "]") or "")) or "relative lift undefined (control rate 0)"
    lines[#lines + 1] = string.format("  %s vs %s: %s, %s", c.arm, r.control.name, difference, lift)
    local statistic = proportions and string.format("z = %.3f", c.z) or string.format("t = %.3f, df = %.1f", c.t, c.df)
    local adjusted = (#r.comparisons > 1 and r.correction ~= "none") and string.format(" (%s-adjusted %s)", r.correction == "holm" and "Holm" or "Bonferroni", p_text(c.p_adjusted)) or ""
    lines[#lines + 1] = string.format("    %s, p = %s%s: %s at alpha = %g", statistic, p_text(c.p_value), adjusted, c.significant and "significant" or "not significant", r.alpha)
  end
  local s = r.srm
  local sizes, shares = {}, {}
  for i, n in ipairs(s.observed) do sizes[i] = thousands(n); shares[i] = string.format("%g", 100 * s.expected_split[i]) end
  if s.mismatch then
    lines[#lines + 1] = string.format("  SAMPLE RATIO MISMATCH: arm sizes %s against an expected %s split (chi-square p = %s < %g); check the randomisation and tracking before reading the result",
      table.concat(sizes, " : "), table.concat(shares, "/"), p_text(s.p_value), s.threshold)
  else
    lines[#lines + 1] = string.format("  sample ratio: %s against an expected %s split, chi-square p = %s (ok)", table.concat(sizes, " : "), table.concat(shares, "/"), p_text(s.p_value))
  end
  return table.concat(lines, "\n")
end

-- A Frame column of the values get(i) for rows 1..k (nil is missing), from an index frame.
local function frame_of(columns, k)
  local out = data.from_tensor(torch.arange(1, k + 1):double():reshape(k, 1), { "row" })
  local index = out.row
  local names = {}
  for _, column in ipairs(columns) do
    local name, values = column[1], column[2]
    out[name] = index:map(function(i) return values[math.tointeger(i)] end)
    names[#names + 1] = name
  end
  return out:select(names)
end

function Result:to_frame()
  if getmetatable(self) ~= ResultMeta then error("ABTestResult:to_frame: call it as r:to_frame()", 2) end
  local proportions = self.kind == "proportions"
  local k = #self.arms
  local arm, n, first, second, low, high = {}, {}, {}, {}, {}, {}
  local diff, diff_low, diff_high, lift, lift_low, lift_high, stat, df, p, p_adj, sig = {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}
  for i, a in ipairs(self.arms) do
    arm[i], n[i], low[i], high[i] = a.name, a.n, a.ci.lower, a.ci.upper
    first[i] = proportions and a.conversions or a.mean
    second[i] = proportions and a.rate or a.sd
    local c = self.comparisons[i - 1]
    if c then
      diff[i], diff_low[i], diff_high[i] = c.difference, c.difference_ci.lower, c.difference_ci.upper
      lift[i] = c.relative_lift
      lift_low[i], lift_high[i] = c.relative_lift_ci and c.relative_lift_ci.lower, c.relative_lift_ci and c.relative_lift_ci.upper
      stat[i], df[i], p[i], p_adj[i], sig[i] = c.z or c.t, c.df, c.p_value, c.p_adjusted, c.significant
    end
  end
  local columns = { { "arm", arm }, { "n", n } }
  columns[#columns + 1] = { proportions and "conversions" or "mean", first }
  columns[#columns + 1] = { proportions and "rate" or "sd", second }
  for _, c in ipairs({ { "ci_lower", low }, { "ci_upper", high }, { "difference", diff }, { "difference_lower", diff_low },
                       { "difference_upper", diff_high }, { "relative_lift", lift }, { "lift_lower", lift_low }, { "lift_upper", lift_high },
                       { proportions and "z" or "t", stat } }) do
    columns[#columns + 1] = c
  end
  if not proportions then columns[#columns + 1] = { "df", df } end
  for _, c in ipairs({ { "p_value", p }, { "p_adjusted", p_adj }, { "significant", sig } }) do columns[#columns + 1] = c end
  return frame_of(columns, k)
end

-- ==== marketing.ab_test ====

local ab_allowed = { "alpha", "alternative", "control", "correction", "data", "expected_split", "group", "metric", "test", "treatment" }
local corrections = { holm = true, bonferroni = true, none = true }

local function ab_test(spec)
  local fn = "marketing.ab_test"
  check_options(fn, spec, ab_allowed)
  local alpha = probability_option(fn, spec, "alpha", 0.05)
  local alternative = alternative_option(fn, spec)
  local correction = spec.correction or "holm"
  if not corrections[correction] then
    fail(fn, "option 'correction' must be \"holm\", \"bonferroni\" or \"none\", got " .. show(correction) .. (type(correction) == "string" and did_you_mean(correction, { "holm", "bonferroni", "none" }) or ""))
  end
  local test = spec.test
  if test ~= nil and test ~= "proportions" and test ~= "means" then
    fail(fn, "option 'test' must be \"proportions\" or \"means\", got " .. show(test) .. (type(test) == "string" and did_you_mean(test, { "proportions", "means" }) or ""))
  end
  local arms
  if spec.data ~= nil then
    arms = arms_from_frame(fn, spec)
  else
    if spec.group ~= nil or spec.metric ~= nil then fail(fn, "options 'group' and 'metric' name columns of data = frame, which is missing") end
    arms = arms_from_call(fn, spec)
  end

  -- Which test: counts give proportions, summaries means, raw values decide by content.
  local forms = {}
  for _, arm in ipairs(arms) do forms[arm.form] = true end
  if forms.counts and (forms.summary or forms.values) or (forms.summary and forms.values) then
    fail(fn, "every arm must be given the same way: counts {conversions, n}, summaries {mean, sd, n} or raw values")
  end
  local kind = test
  if forms.counts then
    if test == "means" then fail(fn, "test = \"means\" needs {mean, sd, n} summaries or raw values, not conversion counts") end
    kind = "proportions"
  elseif forms.summary then
    if test == "proportions" then fail(fn, "test = \"proportions\" needs conversion counts {conversions, n} or 0/1 values, not {mean, sd, n}") end
    kind = "means"
  elseif kind == nil then
    kind = "proportions"
    for _, arm in ipairs(arms) do if not arm.binary then kind = "means" end end
  end
  for _, arm in ipairs(arms) do
    if arm.n == 0 then fail(fn, "arm '" .. arm.name .. "' is empty (n = 0)") end
    if kind == "proportions" and not arm.binary then
      fail(fn, "test = \"proportions\" needs 0/1 or bool values; arm '" .. arm.name .. "' has others (mean " .. show(arm.mean) .. "); use test = \"means\"")
    end
    if kind == "means" and arm.n < 2 then
      fail(fn, "a means test needs at least 2 observations per arm; arm '" .. arm.name .. "' has " .. arm.n)
    end
  end

  local result = { kind = kind, alpha = alpha, confidence = 1 - alpha, alternative = alternative, correction = correction,
                   metric = spec.data ~= nil and spec.metric or nil,
                   test = kind == "proportions" and "two proportions (z-test)" or "means (Welch t-test)" }
  result.arms = {}
  for i, a in ipairs(arms) do
    local arm = { name = a.name, n = a.n }
    if kind == "proportions" then
      arm.conversions = math.tointeger(a.sum) or math.floor(a.sum + 0.5)
      arm.rate = arm.conversions / arm.n
      arm.ci = interval(wilson(arm.conversions, arm.n, alpha))
    else
      arm.mean, arm.sd = a.mean, a.sd
      local half = -t_ppf(alpha / 2, a.n - 1) * a.sd / sqrt(a.n)
      arm.ci = interval(a.mean - half, a.mean + half)
    end
    result.arms[i] = arm
  end
  result.control = result.arms[1]
  result.comparisons = {}
  local raw = {}
  for i = 2, #result.arms do
    local c = kind == "proportions" and compare_proportions(result.control, result.arms[i], alpha, alternative)
                                     or compare_means(fn, result.control, result.arms[i], alpha, alternative)
    c.arm = result.arms[i].name
    result.comparisons[i - 1] = c
    raw[i - 1] = c.p_value
  end
  local adjusted = adjust(raw, correction)
  for i, c in ipairs(result.comparisons) do
    c.p_adjusted = adjusted[i]
    c.significant = adjusted[i] < alpha
  end
  if #result.comparisons == 1 then
    result.treatment = result.arms[2]
    for key, value in pairs(result.comparisons[1]) do
      if key ~= "arm" then result[key] = value end
    end
  end
  result.srm = srm_check(fn, result.arms, spec.expected_split)
  setmetatable(result, ResultMeta)
  if result.srm.mismatch then
    io.stderr:write(string.format("marketing.ab_test: warning: sample ratio mismatch (chi-square p = %s < %g): the arm sizes do not match the expected split; check the randomisation and tracking before trusting the result\n",
      p_text(result.srm.p_value), srm_threshold))
  end
  return result
end

marketing.ab_test = public(ab_test)

document(Result, "ABTestResult", "The result of marketing.ab_test: test, kind (\"proportions\" or \"means\"), alpha, confidence, alternative, correction, metric; arms (control first), each {name, n, conversions, rate, ci} or {name, n, mean, sd, ci}; control and (one treatment) treatment; comparisons, one per treatment arm, each {arm, difference, difference_ci, relative_lift, relative_lift_ci, z or t and df, p_value, p_adjusted, significant}; with one treatment arm its comparison's fields are also on the result (r.p_value, r.difference_ci.lower, ...); srm {statistic, df, p_value, mismatch, observed, expected, expected_split}. Intervals are {lower, upper} (also [1], [2]). print(r) shows a short report; r:to_frame() one row per arm.",
         "local r = marketing.ab_test{control = {conversions = 41, n = 1000}, treatment = {conversions = 58, n = 1000}}; print(r.difference, r.difference_ci.lower, r.srm.p_value)")
document(Result.to_frame, "ABTestResult:to_frame", "The result as a Frame with one row per arm (control first), for report tables and CSV: arm, n, conversions and rate (or mean and sd), ci_lower, ci_upper, then for each treatment row the comparison with control: difference, difference_lower, difference_upper, relative_lift, lift_lower, lift_upper, z (or t and df), p_value, p_adjusted, significant (missing on the control row).",
         "local r = marketing.ab_test{control = {conversions = 41, n = 1000}, treatment = {conversions = 58, n = 1000}}; print(r:to_frame())")
document(marketing.ab_test, "marketing.ab_test", "Evaluates an A/B test of a treatment against a control. Forms: counts {control = {conversions = 410, n = 10000}, treatment = {conversions = 480, n = 10000}} (two proportions), summaries {control = {mean =, sd =, n =}, treatment = {...}} (means), raw values {control = column_or_tensor_or_list, treatment = ...} (0/1 or bool values give proportions, other numbers means), or a frame {data = df, group = \"variant\", metric = \"converted\", control = \"A\" [, treatment = \"B\" or {\"B\", \"C\"}]} (every other level is a treatment by default). Several treatment arms: treatment = {B = {...}, C = {...}} or a group column with more levels; each is compared with control and the p-values adjusted by correction = \"holm\" (default), \"bonferroni\" or \"none\" (significant uses the adjusted p-value; intervals are not adjusted). Options: alpha = 0.05, alternative = \"two-sided\" | \"larger\" (treatment above control) | \"smaller\" (scipy's \"greater\" and \"less\" also work), test = \"proportions\" | \"means\" (default: from the data), expected_split = {0.5, 0.5} (or {A = 0.5, B = 0.5}). Proportions: pooled z-test (statsmodels' proportions_ztest), Wilson interval per arm, Newcombe's hybrid score interval of the difference (method 10, Newcombe 1998), relative lift with the delta-method interval of the log rate ratio. Means: Welch's t-test (Welch-Satterthwaite df) and its interval of the difference, t interval per arm, relative lift with the delta-method interval of the log ratio of means (normal quantiles; only when both means are positive). A one-sided alternative gives one-sided intervals of the difference and lift (the open end is infinite); arm intervals stay two-sided. Every test checks the sample ratio: a chi-square test of the arm sizes against expected_split (equal by default); p < 0.001 flags srm.mismatch and writes a warning to stderr, because a broken randomisation must not be read as a win. Returns an ABTestResult (help(r) lists its fields): print(r) for a report, r:to_frame() for a table.",
         "local r = marketing.ab_test{control = {conversions = 410, n = 10000}, treatment = {conversions = 480, n = 10000}}; print(r); print(r.p_value, r.relative_lift)")
"""#
