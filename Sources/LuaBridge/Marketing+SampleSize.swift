/// marketing.sample_size and marketing.mde; part of the chunk assembled in
/// Marketing+ABTestSource.swift.
let sampleSizeSource = #"""

-- ==== planning: marketing.sample_size and marketing.mde ====

-- Both use the normal approximation with the test's variance: for two proportions the
-- pooled variance under the null and the unpooled one under the alternative (Fleiss;
-- statsmodels' samplesize_proportions_2indep_onetail; with ratio 1 the equation R's
-- power.prop.test solves), for means one standard deviation in both arms. The far tail
-- of a two-sided test is left out, as in those references. ratio = n_treatment / n_control.

local function plan_common(fn, spec)
  local plan = { alpha = probability_option(fn, spec, "alpha", 0.05), power = probability_option(fn, spec, "power", 0.8),
                 alternative = alternative_option(fn, spec), ratio = spec.ratio or 1 }
  if type(plan.ratio) ~= "number" or not (plan.ratio > 0) or plan.ratio == huge then
    fail(fn, "option 'ratio' (treatment size / control size) must be a positive number, got " .. show(plan.ratio))
  end
  if spec.baseline ~= nil and spec.sd ~= nil then fail(fn, "give baseline (a conversion rate) or sd (for means), not both") end
  if spec.baseline ~= nil then
    local b = spec.baseline
    if type(b) ~= "number" or not (b > 0 and b < 1) then fail(fn, "option 'baseline' (the control's conversion rate) must be between 0 and 1 (exclusive), got " .. show(b)) end
    plan.kind, plan.baseline = "proportions", b
  elseif spec.sd ~= nil then
    local sd = spec.sd
    if type(sd) ~= "number" or not (sd > 0) or sd == huge then fail(fn, "option 'sd' (the metric's standard deviation) must be a positive number, got " .. show(sd)) end
    plan.kind, plan.sd = "means", sd
  else
    fail(fn, "give baseline = (the control's conversion rate) for two proportions, or sd = (the metric's standard deviation) for means")
  end
  plan.z_alpha = -norm_ppf(plan.alternative == "two-sided" and plan.alpha / 2 or plan.alpha)
  plan.z_power = norm_ppf(plan.power)
  plan.test = plan.kind == "proportions" and "two proportions (z-test)" or "means (z-test approximation)"
  return plan
end

-- The target rate for an absolute effect `delta` (a decrease for alternative "smaller").
local function target_of(plan, delta)
  return plan.alternative == "smaller" and plan.baseline - delta or plan.baseline + delta
end

-- The control arm's size (not rounded) that detects an absolute effect delta.
local function control_size(plan, delta)
  local r = plan.ratio
  if plan.kind == "means" then
    return ((plan.z_alpha + plan.z_power) * plan.sd * sqrt(1 + 1 / r) / delta) ^ 2
  end
  local p1, p2 = plan.baseline, target_of(plan, delta)
  local pooled = (p1 + r * p2) / (1 + r)
  local null = sqrt(pooled * (1 - pooled) * (1 + 1 / r))
  local alternative = sqrt(p1 * (1 - p1) + p2 * (1 - p2) / r)
  return (math.max(plan.z_alpha * null + plan.z_power * alternative, 0) / delta) ^ 2
end

-- Rounded up, ignoring the last bits of rounding noise (25000.000000001 is 25000).
local function round_up(x) return math.max(1, math.ceil(x * (1 - 1e-12))) end

local PlanFields = {}
local Plan = { __name = "SampleSize", __index = PlanFields }

function Plan.__tostring(p)
  local lines = { string.format("%s for %s, %s, alpha = %g, power = %g%s", p.n_exact and "Sample size" or "Minimum detectable effect",
    p.test, p.alternative, p.alpha, p.power, p.ratio ~= 1 and string.format(", ratio %g treatment per control", p.ratio) or "") }
  if p.baseline then
    lines[#lines + 1] = string.format("  baseline %s -> target %s (absolute %s pp, relative %s)", percent(p.baseline), percent(p.target),
      points(p.target - p.baseline), signed_percent(p.target / p.baseline - 1))
  else
    lines[#lines + 1] = string.format("  effect %s with sd %s (%.3g standard deviations)", plain(p.mde), plain(p.sd), p.mde / p.sd)
  end
  lines[#lines + 1] = string.format("  control %s + treatment %s = %s in total", thousands(p.n_control), thousands(p.n_treatment), thousands(p.total))
  return table.concat(lines, "\n")
end

local function number_or_list(fn, key, v)
  if type(v) == "number" then return { v }, false end
  if type(v) == "table" and metatable_name(v) == nil and #v > 0 then
    for i = 1, #v do
      if type(v[i]) ~= "number" then fail(fn, "option '" .. key .. "': element " .. i .. " must be a number, got " .. show(v[i])) end
    end
    return v, true
  end
  fail(fn, "option '" .. key .. "' is required: a number or a list of numbers, got " .. show(v))
end

-- A plan for each value, as one object or, for a list, a Frame with one row per value.
local function plans_frame(plans, with_rates)
  local columns = { { "mde", {} } }
  if with_rates then
    columns[#columns + 1] = { "relative_mde", {} }
    columns[#columns + 1] = { "baseline", {} }
    columns[#columns + 1] = { "target", {} }
  end
  for _, name in ipairs({ "n_control", "n_treatment", "total" }) do columns[#columns + 1] = { name, {} } end
  for i, p in ipairs(plans) do
    for _, column in ipairs(columns) do column[2][i] = p[column[1]] end
  end
  return frame_of(columns, #plans)
end

local size_allowed = { "alpha", "alternative", "baseline", "mde", "power", "ratio", "relative", "sd" }

local function sample_size(spec)
  local fn = "marketing.sample_size"
  check_options(fn, spec, size_allowed)
  local plan = plan_common(fn, spec)
  local relative = spec.relative
  if relative ~= nil and type(relative) ~= "boolean" then fail(fn, "option 'relative' must be true (mde is a fraction of the baseline) or false, got " .. show(relative)) end
  if relative and plan.kind ~= "proportions" then fail(fn, "relative = true needs baseline = (a conversion rate); for means give mde in the metric's units") end
  local values, listed = number_or_list(fn, "mde", spec.mde)
  local plans = {}
  for i, mde in ipairs(values) do
    if not (mde > 0) or mde == huge then fail(fn, "mde = " .. show(mde) .. " must be positive: the smallest change worth detecting" .. (plan.alternative == "smaller" and " (alternative \"smaller\" looks for a decrease of that size)" or "")) end
    local delta = relative and plan.baseline * mde or mde
    local p = setmetatable({ kind = plan.kind, test = plan.test, alpha = plan.alpha, power = plan.power, ratio = plan.ratio,
                             alternative = plan.alternative, sd = plan.sd, mde = delta }, Plan)
    if plan.kind == "proportions" then
      p.baseline, p.target = plan.baseline, target_of(plan, delta)
      if p.target >= 1 then fail(fn, string.format("baseline + mde = %s is not a rate below 1", show(p.target))) end
      if p.target <= 0 then fail(fn, string.format("baseline - mde = %s is not a rate above 0", show(p.target))) end
      p.relative_mde = delta / plan.baseline
    end
    p.n_exact = control_size(plan, delta)
    p.n_control = round_up(p.n_exact)
    p.n_treatment = round_up(p.n_exact * plan.ratio)
    p.total = p.n_control + p.n_treatment
    if plan.ratio == 1 then p.n_per_arm = p.n_control end
    plans[i] = p
  end
  if listed then return plans_frame(plans, plan.kind == "proportions") end
  return plans[1]
end

local mde_allowed = { "alpha", "alternative", "baseline", "n", "power", "ratio", "sd" }

local function minimum_detectable_effect(spec)
  local fn = "marketing.mde"
  check_options(fn, spec, mde_allowed)
  local plan = plan_common(fn, spec)
  local values, listed = number_or_list(fn, "n", spec.n)
  local plans = {}
  for i, n in ipairs(values) do
    if not (n >= 2) or n == huge then fail(fn, "n (customers in the control arm) must be at least 2, got " .. show(n)) end
    local delta
    if plan.kind == "means" then
      delta = (plan.z_alpha + plan.z_power) * plan.sd * sqrt(1 + 1 / plan.ratio) / sqrt(n)
    else
      -- The size needed falls as the effect grows: bisect on the effect.
      local high = (plan.alternative == "smaller" and plan.baseline or 1 - plan.baseline) * (1 - 1e-12)
      if control_size(plan, high) > n then
        fail(fn, string.format("n = %s per arm is too small: even a change from %s to %s would need %s", show(n), percent(plan.baseline),
          percent(target_of(plan, high)), thousands(round_up(control_size(plan, high)))))
      end
      local low = 0
      for _ = 1, 200 do
        local middle = 0.5 * (low + high)
        if middle <= low or middle >= high then break end
        if control_size(plan, middle) > n then low = middle else high = middle end
      end
      delta = high
    end
    local p = setmetatable({ kind = plan.kind, test = plan.test, alpha = plan.alpha, power = plan.power, ratio = plan.ratio,
                             alternative = plan.alternative, sd = plan.sd, mde = delta, n_control = n,
                             n_treatment = round_up(n * plan.ratio) }, Plan)
    p.total = p.n_control + p.n_treatment
    if plan.kind == "proportions" then
      p.baseline, p.target, p.relative_mde = plan.baseline, target_of(plan, delta), delta / plan.baseline
    end
    plans[i] = p
  end
  if listed then return plans_frame(plans, plan.kind == "proportions") end
  return plans[1]
end

marketing.sample_size = public(sample_size)
marketing.mde = public(minimum_detectable_effect)

document(PlanFields, "SampleSize", "A plan from marketing.sample_size or marketing.mde: test, kind (\"proportions\" or \"means\"), alpha, power, ratio (treatment / control size), alternative, mde (the absolute effect), baseline, target and relative_mde (proportions) or sd (means), n_control, n_treatment, total; sample_size adds n_exact (the control size before rounding up) and n_per_arm when ratio = 1. print(plan) shows it in words.",
         "local plan = marketing.sample_size{baseline = 0.04, mde = 0.005}; print(plan.n_control, plan.total)")
document(marketing.sample_size, "marketing.sample_size", "Customers needed to detect an effect: marketing.sample_size{baseline = 0.04, mde = 0.005 [, relative = false, alpha = 0.05, power = 0.8, ratio = 1, alternative = \"two-sided\"]} for two conversion rates, or {sd = 12, mde = 1.5, ...} for means. mde is the smallest effect worth detecting, in rate units (0.005 = half a point) or, with relative = true, as a fraction of the baseline (0.125 = +12.5%); alternative = \"smaller\" plans for a decrease. ratio is treatment size / control size. The normal approximation of the z-test: for proportions the pooled variance under the null and the unpooled one under the alternative (Fleiss; equal to statsmodels' samplesize_proportions_2indep_onetail, and with ratio = 1 to the equation R's power.prop.test solves), for means sd in both arms; the far tail of a two-sided test is ignored. Returns a SampleSize with n_control, n_treatment (each rounded up), total and n_exact; a list of mde values gives a Frame with one row per value (a planning table).",
         "print(marketing.sample_size{baseline = 0.04, mde = 0.005}); print(marketing.sample_size{baseline = 0.04, mde = {0.0025, 0.005, 0.01}})")
document(marketing.mde, "marketing.mde", "The minimum detectable effect of a test of a given size, the inverse of marketing.sample_size: marketing.mde{baseline = 0.04, n = 20000 [, alpha = 0.05, power = 0.8, ratio = 1, alternative = \"two-sided\"]} or {sd = 12, n = 1000, ...} for means. n is the control arm's size (the treatment has ratio * n). Same approximation as sample_size, solved for the effect (bisection for proportions, to double precision; closed form for means), so sample_size{mde = m.mde}.n_exact equals n. Returns a SampleSize with mde (absolute), relative_mde and target (proportions); a list of n gives a Frame with one row per size.",
         "local m = marketing.mde{baseline = 0.04, n = 20000}; print(m); print(m.mde, m.relative_mde)")
"""#
