-- Customer lifetime value on the CDNOW transactions: BG/NBD (how often, and for how long,
-- each customer buys) and Gamma-Gamma (how much per purchase), first checked on a
-- holdout period, then refitted on the whole history for next year's value.
--   marketlab examples/clv.lua [output-prefix]
-- writes <prefix>_clv.csv (one row per customer: history, P(alive), expected purchases
-- and 12-month CLV), <prefix>_holdout.svg (predicted vs actual holdout purchases) and
-- <prefix>.html with <prefix>_table1.csv (a short report) (default: a temporary name).
local out = arg[1] or os.tmpname()
local tx = data.read_csv("examples/data/lifetimes-CDNOW_master.csv", { date_format = "%Y%m%d" })
local columns = { customer = "customer_id", date = "date", amount = "dollar_value", unit = "W" }

-- 1. Calibrate on purchases up to 1997-09-30, predict the next 39 weeks, compare.
columns.snapshot, columns.calibration_end = "1998-06-30", "1997-09-30"
local cal = marketing.summary_from_transactions(tx, columns)
local bg_cal = marketing.bgnbd(cal, { starts = 1 })    -- one start for the check; the final fit uses 5
cal.predicted = bg_cal:expected_purchases(cal.duration_holdout:to_tensor():double())
cal.purchases = cal.frequency_cal:clip(nil, 7)          -- calibration repeat purchases, 7+ together
local check = cal:groupby("purchases"):agg({ frequency_holdout = { "mean" }, predicted = { "mean" } })
check.label = check.purchases:map(function(n) return n == 7 and "7+" or tostring(n) end)
local chart = plot.bar(check, { x = "label", y = { "frequency_holdout_mean", "predicted_mean" },
  labels = { "actual", "predicted (BG/NBD)" }, title = "Holdout purchases (39 weeks) by calibration purchases",
  x_label = "repeat purchases, Jan-Sep 1997", y_label = "mean purchases, Oct 1997 - Jun 1998" })
chart:save(out .. "_holdout.svg")
print(string.format("holdout: %d repeat purchases seen, %.0f predicted", cal.frequency_holdout:sum(), cal.predicted:sum()))

-- 2. Refit on the whole history and value every customer at the snapshot.
columns.calibration_end = nil
local customers = marketing.summary_from_transactions(tx, columns)
local bg = marketing.bgnbd(customers)
-- Gamma-Gamma learns from repeat customers with positive spend (one has $0 repeats).
local spenders = customers:filter((customers.frequency:eq(0) + customers.monetary_value:gt(0)):gt(0))
local gg = marketing.gamma_gamma(spenders)
print(bg)
print(gg)
customers.p_alive = bg:p_alive()
customers.purchases_52w = bg:expected_purchases(52)
customers.spend_per_purchase = gg:expected_average_value(customers)
customers.clv = gg:clv(bg, { horizon = 12, discount = 0.01 }, customers)   -- 12 months, 1 % a month
customers:write_csv(out .. "_clv.csv")

local top = customers:sort("clv", { descending = true }):head(10)
print("Top 10 customers by 12-month CLV:")
print(top:select({ "customer_id", "frequency", "recency", "T", "monetary_value", "p_alive", "purchases_52w", "clv" }))
print(string.format("total 12-month CLV: $%.0f over %d customers; %.0f%% of it from the top 10%%",
  customers.clv:sum(), #customers, 100 * customers:sort("clv", { descending = true }):head(#customers // 10).clv:sum() / customers.clv:sum()))

local r = report.new("Customer lifetime value", { subtitle = "CDNOW, 23,570 customers, January 1997 - June 1998" })
r:metric("Customers", #customers):metric("Total 12-month CLV", customers.clv:sum())
r:metric("Mean P(alive)", customers.p_alive:mean(), { format = "percent" })
r:chart(chart):table(top, { max_rows = 10 })
r:save(out .. ".html")
print("wrote " .. out .. "_clv.csv, " .. out .. "_holdout.svg and " .. out .. ".html")
