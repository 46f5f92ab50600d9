-- Evaluate a retention-email test and plan the next one (marketing.ab_test, marketing.sample_size).
--   marketlab examples/ab_test.lua [output-prefix]
-- writes <prefix>.html (the report), <prefix>_table1.csv, <prefix>_table2.csv, <prefix>_table3.csv
-- and <prefix>_rates.svg (default prefix: a temporary name).
--
-- SIMULATED DATA. The bundled files hold no real A/B test, so this script simulates one
-- on the 7,043 real telco customers of examples/data/modeldata-wa_churn.csv, with seed 2024:
--   * each customer is assigned to "control" or "email" with probability 1/2;
--   * the chance of leaving within 30 days is 35% for customers the file marks as churners
--     and 3% for the others; the retention email cuts it by a fifth (the true effect:
--     30-day retention rises by about 2.3 points, from about 88.5% to 90.8%);
--   * next month's bill is this month's charge plus N(0, 4^2) dollars, plus $2 for customers
--     who got the email (the email also pitches an upgrade: the true effect on the mean bill).
local out = arg[1] or os.tmpname()
local df = data.read_csv("examples/data/modeldata-wa_churn.csv")
local n = #df

torch.manual_seed(2024)
local emailed = torch.rand(n):lt(0.5)
local churner = df.churn:eq("Yes"):to_tensor({ dtype = "float64" })
local leave_chance = (0.03 + 0.32 * churner) * (1 - 0.2 * emailed:double())
df.retained_30d = torch.rand(n, { dtype = "float64" }):ge(leave_chance)
df.next_bill = df.monthly_charges:to_tensor({ dtype = "float64" }) + 2 * emailed:double() + 4 * torch.randn(n, { dtype = "float64" })
df.variant = data.from_tensor(emailed:double():reshape(n, 1), { "email" }).email:map(function(e) return e == 1 and "email" or "control" end)

-- The campaign result: 30-day retention (two proportions) and next month's bill (means).
local retention = marketing.ab_test{ data = df, group = "variant", metric = "retained_30d", control = "control",
                                     alternative = "larger" }
print(retention)
print(string.format("  (simulated truth: +%.1f pp; the interval above is what this one draw of customers can tell)\n",
                    100 * 0.2 * ((0.03 + 0.32 * churner):mean():item())))
local bill = marketing.ab_test{ data = df, group = "variant", metric = "next_bill", control = "control" }
print(bill)

-- Retention per arm with its 95% Wilson interval as a whisker.
local arms, lower, rate, upper = {}, {}, {}, {}
for i, arm in ipairs(retention.arms) do
  arms[i], lower[i], rate[i], upper[i] = arm.name, 100 * arm.ci.lower, 100 * arm.rate, 100 * arm.ci.upper
end
local chart = plot.bar(arms, rate, { lower = lower, upper = upper, title = "Retention email test (simulated): 30-day retention, 95% intervals",
                                     y_label = "retained after 30 days (%)" })
chart:save(out .. "_rates.svg")

-- The next test: customers per arm to detect smaller lifts in retention, from this baseline.
local baseline = retention.control.rate
local plan = marketing.sample_size{ baseline = baseline, mde = { 0.005, 0.01, 0.015, 0.02, 0.03 }, alternative = "larger" }
print(string.format("\nCustomers per arm for the next test (baseline retention %.1f%%, one-sided, alpha 0.05, power 0.8):", 100 * baseline))
print(plan)
print(marketing.mde{ baseline = baseline, n = retention.control.n, alternative = "larger" })

local r = report.new("Retention email test", { subtitle = "Simulated on the telco customers (seed 2024); see the script's header" })
r:heading("Result")
r:metric("Retention lift", retention.difference, { format = "percent" })
 :metric("One-sided p-value", retention.p_value)
 :metric("Sample ratio p-value", retention.srm.p_value)
r:text("30-day retention rose from **" .. string.format("%.1f%%", 100 * retention.control.rate) .. "** to **"
       .. string.format("%.1f%%", 100 * retention.treatment.rate) .. "**; the bill test compares next month's charges.")
r:chart(chart)
r:table(retention:to_frame(), { caption = "30-day retention by arm (z-test, Wilson and Newcombe intervals)" })
r:table(bill:to_frame(), { caption = "Next month's bill by arm (Welch t-test)" })
r:heading("Planning the next test")
r:table(plan, { caption = "Customers per arm to detect each absolute lift in retention (one-sided, alpha 0.05, power 0.8)" })
local paths = r:save(out .. ".html")
print("wrote " .. table.concat(paths, ", ") .. ", " .. out .. "_rates.svg")
