-- marketing.ab_test, marketing.sample_size, marketing.mde and marketing.stats against
-- scipy and statsmodels (Tests/fixtures/ab_test.lua, written by scripts/gen_ab_test_fixtures.py).
local spec = dofile(TESTS .. "/lua/support/spec.lua")
local fails, show = spec.fails, spec.show
local ref = dofile(FIXTURES .. "/ab_test.lua")

-- |actual - expected| <= rtol * |expected| + floor (default 1e-300, for zeros); infinities
-- must match.
local function close(actual, expected, rtol, what, floor)
  if expected == math.huge or expected == -math.huge then
    assert(actual == expected, string.format("%s: expected %s, got %s", what, show(expected), show(actual)))
    return
  end
  assert(type(actual) == "number" and math.abs(actual - expected) <= rtol * math.abs(expected) + (floor or 1e-300),
    string.format("%s: expected %s, got %s", what, show(expected), show(actual)))
end

local function close_interval(actual, expected, rtol, what)
  assert(type(actual) == "table", what .. ": expected an interval, got " .. type(actual))
  -- statsmodels' Wilson bound at 0 conversions is 4e-19, not 0: bounds are compared to
  -- 1e-15 absolute as well.
  close(actual.lower, expected[1], rtol, what .. " lower", 1e-15)
  close(actual.upper, expected[2], rtol, what .. " upper", 1e-15)
  assert(actual[1] == actual.lower and actual[2] == actual.upper, what .. ": [1], [2] are lower, upper")
end

test("marketing.stats equal scipy.stats to 1e-12 relative, tails included", function()
  for _, row in ipairs(ref.distributions) do
    local got = marketing.stats[row.f](table.unpack(row.args))
    local tolerance = row.f == "t_ppf" and 1e-11 or 1e-12
    close(got, row.value, tolerance, row.f .. "(" .. table.concat(row.args, ", ") .. ")")
  end
end)

local function check_proportions(r, case, what)
  close(r.z, case.z, 1e-9, what .. " z")
  close(r.p_value, case.p_value, 1e-9, what .. " p_value")
  assert(r.significant == (case.p_value < case.alpha), what .. " significant")
  for i, arm in ipairs({ r.control, r.treatment }) do
    close(arm.rate, case.rates[i], 1e-12, what .. " rate " .. i)
    close_interval(arm.ci, case.wilson[i], 1e-9, what .. " Wilson interval " .. i)
  end
  close(r.difference, case.difference, 1e-9, what .. " difference")
  close_interval(r.difference_ci, case.difference_ci, 1e-9, what .. " Newcombe interval")
  if case.relative_lift then
    close(r.relative_lift, case.relative_lift, 1e-9, what .. " relative lift")
    close_interval(r.relative_lift_ci, case.relative_lift_ci, 1e-9, what .. " relative lift interval")
  else
    assert(r.relative_lift_ci == nil, what .. ": no lift interval without conversions in both arms")
  end
  close(r.srm.statistic, case.srm.statistic, 1e-9, what .. " SRM chi-square")
  close(r.srm.p_value, case.srm.p_value, 1e-9, what .. " SRM p-value")
end

test("two proportions from counts equal statsmodels (z-test, Wilson, Newcombe, log-ratio lift, SRM)", function()
  for i, case in ipairs(ref.proportions) do
    local r = marketing.ab_test{ control = case.control, treatment = case.treatment, alpha = case.alpha,
                                 alternative = case.alternative, expected_split = case.expected_split }
    assert(r.test == "two proportions (z-test)" and r.kind == "proportions", "test name")
    check_proportions(r, case, "case " .. i)
  end
end)

test("proportions from raw 0/1 values, bools, tensors and columns equal the counts", function()
  local case = ref.proportions[5]
  local function flags(x, n, as_bool)
    local t = {}
    for i = 1, n do
      local one = i <= x
      if as_bool then t[i] = one else t[i] = one and 1 or 0 end
    end
    return t
  end
  local c, t = case.control, case.treatment
  local from_lists = marketing.ab_test{ control = flags(c.conversions, c.n), treatment = flags(t.conversions, t.n) }
  check_proportions(from_lists, case, "lists")
  local from_bools = marketing.ab_test{ control = flags(c.conversions, c.n, true), treatment = torch.tensor(flags(t.conversions, t.n, true)) }
  check_proportions(from_bools, case, "bools and a bool tensor")
  local df = data.from_tensor(torch.tensor(flags(c.conversions, c.n)):double():reshape(c.n, 1), { "converted" })
  check_proportions(marketing.ab_test{ control = df.converted, treatment = torch.tensor(flags(t.conversions, t.n)) }, case, "a column")
end)

test("means: Welch's t-test equals scipy's ttest_ind(equal_var=False) from lists, tensors and summaries", function()
  for i, case in ipairs(ref.means) do
    local forms = {
      lists = { control = case.control_values, treatment = case.treatment_values },
      tensors = { control = torch.tensor(case.control_values, { dtype = "float64" }), treatment = torch.tensor(case.treatment_values, { dtype = "float64" }) },
      summaries = { control = { mean = case.arms[1].mean, sd = case.arms[1].sd, n = case.arms[1].n },
                    treatment = { mean = case.arms[2].mean, sd = case.arms[2].sd, n = case.arms[2].n } },
    }
    for name, form in pairs(forms) do
      form.alpha, form.alternative = case.alpha, case.alternative
      local r = marketing.ab_test(form)
      local what = "case " .. i .. " (" .. name .. ")"
      assert(r.test == "means (Welch t-test)", what .. ": test " .. r.test)
      close(r.t, case.t, 1e-9, what .. " t")
      close(r.df, case.df, 1e-9, what .. " df")
      close(r.p_value, case.p_value, 1e-9, what .. " p_value")
      close(r.difference, case.difference, 1e-9, what .. " difference")
      close_interval(r.difference_ci, case.difference_ci, 1e-9, what .. " Welch interval")
      close(r.relative_lift, case.relative_lift, 1e-9, what .. " relative lift")
      close_interval(r.relative_lift_ci, case.relative_lift_ci, 1e-9, what .. " relative lift interval")
      for k, arm in ipairs({ r.control, r.treatment }) do
        close(arm.mean, case.arms[k].mean, 1e-12, what .. " mean " .. k)
        close(arm.sd, case.arms[k].sd, 1e-9, what .. " sd " .. k)
        close_interval(arm.ci, case.arms[k].ci, 1e-9, what .. " t interval " .. k)
      end
    end
  end
end)

local churn = data.read_csv(TESTS .. "/../examples/data/modeldata-wa_churn.csv")
churn.churned = churn.churn:eq("Yes")

test("a frame with a group column: churn by paperless billing equals statsmodels", function()
  local r = marketing.ab_test{ data = churn, group = "paperless_billing", metric = "churned", control = 0 }
  assert(r.control.name == "0" and r.treatment.name == "1" and r.metric == "churned", "arms named by their levels")
  check_proportions(r, ref.churn.by_paperless, "paperless")
  assert(r.srm.mismatch, "2,872 against 4,171 customers is not a 50/50 split")
  local split = marketing.ab_test{ data = churn, group = "paperless_billing", metric = "churned", control = 0,
                                   expected_split = { ["0"] = 2872 / 7043, ["1"] = 4171 / 7043 } }
  assert(not split.srm.mismatch and math.abs(split.srm.statistic) < 1e-9, "the split that was meant is no mismatch")
end)

test("three arms: each against control, Holm and Bonferroni as statsmodels' multipletests", function()
  local contract = ref.churn.by_contract
  local r = marketing.ab_test{ data = churn, group = "contract", metric = "churned", control = "Month-to-month" }
  assert(#r.arms == 3 and #r.comparisons == 2 and r.treatment == nil and r.p_value == nil, "three arms, two comparisons")
  for i, c in ipairs(r.comparisons) do
    local case = contract.comparisons[i]
    assert(c.arm == case.name, "comparison " .. i .. " is " .. case.name)
    close(c.z, case.z, 1e-9, case.name .. " z")
    close(c.p_value, case.p_value, 1e-9, case.name .. " p")
    close_interval(c.difference_ci, case.difference_ci, 1e-9, case.name .. " Newcombe interval")
    close_interval(c.relative_lift_ci, case.relative_lift_ci, 1e-9, case.name .. " lift interval")
    close(c.p_adjusted, contract.holm[i], 1e-9, case.name .. " Holm")
  end
  close(r.srm.statistic, contract.srm.statistic, 1e-9, "SRM statistic")
  assert(r.srm.mismatch and r.srm.df == 2, "unequal contract groups are flagged")
  local b = marketing.ab_test{ data = churn, group = "contract", metric = "churned", control = "Month-to-month", correction = "bonferroni" }
  for i, c in ipairs(b.comparisons) do close(c.p_adjusted, contract.bonferroni[i], 1e-9, "Bonferroni " .. i) end
  local one = marketing.ab_test{ data = churn, group = "contract", metric = "churned", control = "Month-to-month", treatment = "Two year" }
  assert(#one.arms == 2 and one.treatment.name == "Two year" and one.p_adjusted == one.p_value, "one chosen treatment")
  local named = marketing.ab_test{ control = { conversions = 1655, n = 3875 },
                                   treatment = { ["One year"] = { conversions = 166, n = 1473 }, ["Two year"] = { conversions = 48, n = 1695 } } }
  for i, c in ipairs(named.comparisons) do close(c.p_adjusted, contract.holm[i], 1e-9, "named arms Holm " .. i) end
end)

test("means from a frame: monthly charges by paperless billing equal scipy", function()
  local case = ref.churn.charges_by_paperless
  local r = marketing.ab_test{ data = churn, group = "paperless_billing", metric = "monthly_charges", control = 0 }
  assert(r.kind == "means", "a numeric metric is a means test")
  close(r.t, case.t, 1e-9, "t")
  close(r.df, case.df, 1e-9, "df")
  close_interval(r.difference_ci, case.difference_ci, 1e-9, "Welch interval")
  local forced = marketing.ab_test{ data = churn, group = "paperless_billing", metric = "churned", control = 0, test = "means" }
  assert(forced.kind == "means" and forced.t ~= nil, "test = 'means' on 0/1 values")
end)

test("marketing.stats.describe equals the frame's own statistics, per level too", function()
  local whole = marketing.stats.describe(churn.total_charges)
  assert(whole.n == 7032 and whole.missing == 11 and not whole.binary, "total_charges: 11 missing")
  close(whole.mean, churn.total_charges:mean(), 1e-12, "mean")
  close(whole.sd, churn.total_charges:std(), 1e-12, "sd")
  local by, unassigned = marketing.stats.describe(churn.monthly_charges, churn.contract)
  local agg = churn:groupby("contract"):agg{ monthly_charges = { "count", "mean", "std" } }
  assert(#by == 3 and unassigned == 0 and by[1].level == "Month-to-month", "levels in order of appearance")
  local levels, counts, means, sds = agg.contract:tolist(), agg.monthly_charges_count:tolist(), agg.monthly_charges_mean:tolist(), agg.monthly_charges_std:tolist()
  for i, level in ipairs(levels) do
    for _, s in ipairs(by) do
      if s.level == level then
        assert(s.n == counts[i], level .. " count")
        close(s.mean, means[i], 1e-12, level .. " mean")
        close(s.sd, sds[i], 1e-12, level .. " sd")
      end
    end
  end
  local flags = marketing.stats.describe(torch.tensor({ true, false, true }))
  assert(flags.n == 3 and flags.sum == 2 and flags.binary, "bool tensor")
  fails(function() marketing.stats.describe(churn.churn) end, "expected a numeric or bool Column or a tensor")
end)

test("the report and the frame say what was found", function()
  local r = marketing.ab_test{ control = { conversions = 410, n = 10000 }, treatment = { conversions = 480, n = 10000 } }
  local text = tostring(r)
  for _, part in ipairs({ "two proportions (z-test)", "control", "treatment", "4.10%", "4.80%", "+0.70 pp", "relative lift +17.1%",
                          "z = 2.400", "p = 0.0164", "significant at alpha = 0.05", "(ok)" }) do
    assert(text:find(part, 1, true), "report lacks '" .. part .. "':\n" .. text)
  end
  local frame = r:to_frame()
  assert(#frame == 2 and frame.columns[1] == "arm" and frame.arm:tolist()[2] == "treatment", "one row per arm")
  assert(frame.p_value:isna():tolist()[1] and not frame.p_value:isna():tolist()[2], "the control row has no comparison")
  assert(frame.significant.dtype == "bool" and frame.n.dtype == "integer", "column types")
  local contract = marketing.ab_test{ data = churn, group = "contract", metric = "churned", control = "Month-to-month" }
  assert(tostring(contract):find("SAMPLE RATIO MISMATCH", 1, true) and tostring(contract):find("Holm-adjusted", 1, true), "mismatch and adjustment shown")
  local means = marketing.ab_test{ control = { mean = 50, sd = 10, n = 200 }, treatment = { mean = 52, sd = 11, n = 210 } }
  assert(tostring(means):find("t = ", 1, true) and #means:to_frame().columns == 17, "means report and frame")
end)

test("sample_size equals statsmodels (pooled under the null, unpooled under the alternative)", function()
  for i, case in ipairs(ref.sample_size.proportions) do
    local plan = marketing.sample_size{ baseline = case.baseline, mde = case.mde, alpha = case.alpha, power = case.power,
                                        ratio = case.ratio, alternative = case.alternative }
    close(plan.n_exact, case.n_control_exact, 1e-9, "proportions case " .. i)
    assert(plan.n_control == math.ceil(case.n_control_exact) and plan.n_treatment == math.ceil(case.n_control_exact * case.ratio), "rounded up, case " .. i)
    assert(plan.total == plan.n_control + plan.n_treatment, "total")
  end
  for i, case in ipairs(ref.sample_size.means) do
    local plan = marketing.sample_size{ sd = case.sd, mde = case.mde, alpha = case.alpha, power = case.power, ratio = case.ratio, alternative = case.alternative }
    close(plan.n_exact, case.n_control_exact, 1e-9, "means case " .. i)
  end
  local relative = marketing.sample_size{ baseline = 0.04, mde = 0.125, relative = true }
  close(relative.n_exact, ref.sample_size.proportions[1].n_control_exact, 1e-9, "relative = true")
  local table_ = marketing.sample_size{ baseline = 0.04, mde = { 0.0025, 0.005, 0.01 } }
  assert(#table_ == 3 and table_.n_control:tolist()[2] == relative.n_control, "a list of mde gives a planning Frame")
  assert(tostring(relative):find("25,551", 1, true), tostring(relative))
end)

test("mde inverts sample_size", function()
  for i, case in ipairs(ref.sample_size.mde) do
    local m = marketing.mde{ baseline = case.baseline, n = case.n, alpha = case.alpha, power = case.power, ratio = case.ratio }
    close(m.mde, case.mde, 1e-9, "mde case " .. i)
    local back = marketing.sample_size{ baseline = case.baseline, mde = m.mde, alpha = case.alpha, power = case.power, ratio = case.ratio }
    close(back.n_exact, case.n, 1e-9, "sample_size(mde(n)) case " .. i)
  end
  local m = marketing.mde{ sd = 12, n = 1000, power = 0.9 }
  close(marketing.sample_size{ sd = 12, mde = m.mde, power = 0.9 }.n_exact, 1000, 1e-12, "means round trip")
  local smaller = marketing.mde{ baseline = 0.3, n = 2000, alternative = "smaller" }
  assert(smaller.target < 0.3, "a decrease")
  close(marketing.sample_size{ baseline = 0.3, mde = smaller.mde, alternative = "smaller" }.n_exact, 2000, 1e-9, "smaller round trip")
end)

test("ab_test refuses what it cannot test", function()
  local ok_arm = { conversions = 10, n = 100 }
  fails(function() marketing.ab_test{ control = { conversions = 0, n = 0 }, treatment = ok_arm } end, "control is empty (n = 0)")
  fails(function() marketing.ab_test{ control = { conversions = 120, n = 100 }, treatment = ok_arm } end, "conversions = 120 is more than n = 100")
  fails(function() marketing.ab_test{ control = { conversions = -1, n = 100 }, treatment = ok_arm } end, "conversions = -1 is negative")
  fails(function() marketing.ab_test{ control = { conversions = 1.5, n = 100 }, treatment = ok_arm } end, "conversions must be a whole number")
  fails(function() marketing.ab_test{ control = { conversion = 1, n = 100 }, treatment = ok_arm } end, "control: unknown field 'conversion' (did you mean 'conversions'?)")
  fails(function() marketing.ab_test{ control = ok_arm, treatment = ok_arm, alpha = 1.5 } end, "option 'alpha' must be a number between 0 and 1")
  fails(function() marketing.ab_test{ control = ok_arm, treatment = ok_arm, alpha = 0 } end, "option 'alpha' must be a number between 0 and 1")
  fails(function() marketing.ab_test{ control = ok_arm, treatment = ok_arm, alternative = "larg" } end, "(did you mean 'larger'?)")
  fails(function() marketing.ab_test{ control = ok_arm, treatment = ok_arm, alpah = 0.05 } end, "unknown option 'alpah' (did you mean 'alpha'?)")
  fails(function() marketing.ab_test{ control = ok_arm, treatment = ok_arm, correction = "holms" } end, "(did you mean 'holm'?)")
  fails(function() marketing.ab_test{ control = ok_arm } end, "give control = and treatment =")
  fails(function() marketing.ab_test{ control = ok_arm, treatment = { mean = 1, sd = 1, n = 5 } } end, "every arm must be given the same way")
  fails(function() marketing.ab_test{ control = ok_arm, treatment = ok_arm, test = "means" } end, "test = \"means\" needs {mean, sd, n} summaries")
  fails(function() marketing.ab_test{ control = { mean = 1, sd = 0, n = 5 }, treatment = { mean = 1, sd = 1, n = 5 } } end, "sd must be a positive number, got 0")
  fails(function() marketing.ab_test{ control = { mean = 1, sd = -2, n = 5 }, treatment = { mean = 1, sd = 1, n = 5 } } end, "sd must be a positive number, got -2")
  fails(function() marketing.ab_test{ control = { mean = 1, sd = 1, n = 1 }, treatment = { mean = 1, sd = 1, n = 5 } } end, "at least 2 observations per arm, got n = 1")
  fails(function() marketing.ab_test{ control = { 3.5 }, treatment = { 1.2, 4.4, 2 } } end, "arm 'control' has 1")
  fails(function() marketing.ab_test{ control = { 2, 2, 2 }, treatment = { 2, 2 } } end, "both have sd = 0")
  fails(function() marketing.ab_test{ control = { 1, 0, 2 }, treatment = { 0, 1 }, test = "proportions" } end, "arm 'control' has others")
  fails(function() marketing.ab_test{ control = { 1, "x" }, treatment = { 0, 1 } } end, "element 2 must be a finite number or a boolean")
  fails(function() marketing.ab_test{ control = torch.tensor({ 1, 0 / 0, 0 }), treatment = { 0, 1 } } end, "1 of 3 values are NaN")
  fails(function() marketing.ab_test{ control = ok_arm, treatment = ok_arm, expected_split = { 0.5, 0.6 } } end, "expected_split must sum to 1, got 1.1")
  fails(function() marketing.ab_test{ control = ok_arm, treatment = ok_arm, expected_split = { 1 } } end, "expected_split has 1 shares for 2 arms")
end)

test("ab_test on a frame names the column, the levels and the missing values", function()
  local df = churn:select({ "contract", "churned", "total_charges", "churn" })
  fails(function() marketing.ab_test{ data = df, group = "contrat", metric = "churned", control = "Month-to-month" } end, "(did you mean 'contract'?)")
  fails(function() marketing.ab_test{ data = df, group = "contract", metric = "churned", control = "Monthly" } end, "control = Monthly is not a level of column 'contract' (levels: 'Month-to-month', 'One year', 'Two year')")
  fails(function() marketing.ab_test{ data = df, group = "contract", metric = "churned" } end, "option 'control' is required with data")
  fails(function() marketing.ab_test{ data = df, group = "contract", metric = "churned", control = "One year", treatment = "Three year" } end, "treatment = Three year is not a level")
  fails(function() marketing.ab_test{ data = df, group = "contract", metric = "total_charges", control = "One year" } end, "column 'total_charges' has 11 missing values out of 7043")
  fails(function() marketing.ab_test{ data = df, group = "contract", metric = "churn", control = "One year" } end, "holds category values; the metric must be 0/1, bool or numeric")
  local single = df:filter(df.contract:eq("One year"))
  fails(function() marketing.ab_test{ data = single, group = "contract", metric = "churned", control = "One year" } end, "group column 'contract' has one level ('One year')")
  fails(function() marketing.ab_test{ group = "contract", metric = "churned", control = "One year" } end, "data = frame, which is missing")
end)

test("sample_size and mde refuse impossible plans", function()
  fails(function() marketing.sample_size{ baseline = 1.2, mde = 0.01 } end, "option 'baseline' (the control's conversion rate) must be between 0 and 1")
  fails(function() marketing.sample_size{ baseline = 0.04, mde = 0 } end, "mde = 0 must be positive")
  fails(function() marketing.sample_size{ baseline = 0.04, mde = -0.01 } end, "mde = -0.01 must be positive")
  fails(function() marketing.sample_size{ baseline = 0.98, mde = 0.05 } end, "baseline + mde = 1.03 is not a rate below 1")
  fails(function() marketing.sample_size{ baseline = 0.03, mde = 0.05, alternative = "smaller" } end, "baseline - mde = -0.02 is not a rate above 0")
  fails(function() marketing.sample_size{ baseline = 0.04, mde = 0.01, power = 1 } end, "option 'power' must be a number between 0 and 1")
  fails(function() marketing.sample_size{ baseline = 0.04, mde = 0.01, alpha = -0.05 } end, "option 'alpha' must be a number between 0 and 1")
  fails(function() marketing.sample_size{ baseline = 0.04, mde = 0.01, ratio = 0 } end, "option 'ratio' (treatment size / control size) must be a positive number")
  fails(function() marketing.sample_size{ mde = 0.01 } end, "give baseline = (the control's conversion rate)")
  fails(function() marketing.sample_size{ baseline = 0.04, sd = 2, mde = 0.01 } end, "not both")
  fails(function() marketing.sample_size{ baseline = 0.04, mde = 0.01, powr = 0.9 } end, "unknown option 'powr' (did you mean 'power'?)")
  fails(function() marketing.sample_size{ sd = 3, mde = 0.1, relative = true } end, "relative = true needs baseline")
  fails(function() marketing.sample_size{ sd = 0, mde = 0.1 } end, "option 'sd' (the metric's standard deviation) must be a positive number, got 0")
  fails(function() marketing.mde{ baseline = 0.04 } end, "option 'n' is required")
  fails(function() marketing.mde{ baseline = 0.04, n = 1 } end, "must be at least 2, got 1")
  fails(function() marketing.mde{ baseline = 0.5, n = 2, power = 0.99, alpha = 0.001 } end, "n = 2 per arm is too small")
  fails(function() marketing.stats.norm_ppf(1.5) end, "expected a probability in [0, 1], got 1.5")
  fails(function() marketing.stats.t_cdf(1, 0) end, "expected positive degrees of freedom, got 0.0")
  fails(function() marketing.stats.t_cdf(0 / 0, 3) end, "expected a number, got NaN")
  fails(function() return marketing.stats.norm_pdf end, "marketing.stats has no function 'norm_pdf'")
end)
