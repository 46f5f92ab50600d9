-- ab_test: marketing.ab_test on a frame of 5,000,000 customers (variant 0/1 as an integer
-- column, converted 0/1 with rates 4.0% and 4.2%, revenue = 50 + 20 * N(0, 1) with +0.3
-- in the treatment), a two-proportions test on converted and a Welch test on revenue, each
-- timed --reps times (median reported). The twin bench/ab_test.py does the same with
-- pandas (groupby / boolean masks), statsmodels and scipy on data of the same kind.
--   marketlab bench/ab_test.lua [--reps R] [--threads N]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local options = common.parse_args("ab_test")
local ROWS = 5000000

torch.manual_seed(common.SEED)
local variant = torch.rand(ROWS, { dtype = "float64" }):lt(0.5):double()
local converted = torch.rand(ROWS, { dtype = "float64" }):lt(0.04 + 0.002 * variant):double()
local revenue = 50 + 20 * torch.randn(ROWS, { dtype = "float64" }) + 0.3 * variant
local df = data.from_tensor(torch.stack({ variant, converted, revenue }, 2), { "variant", "converted", "revenue" })
df.variant = df.variant:astype("integer")
df.converted = df.converted:astype("integer")

local proportions, means
local proportion_times = common.timeit(function()
  proportions = marketing.ab_test{ data = df, group = "variant", metric = "converted", control = 0 }
end, options.reps)
local means_times = common.timeit(function()
  means = marketing.ab_test{ data = df, group = "variant", metric = "revenue", control = 0 }
end, options.reps)
assert(proportions.kind == "proportions" and means.kind == "means")

common.emit("ab_test", proportion_times, {
  { "rows", ROWS },
  { "proportions_s", common.round(common.median(proportion_times), 6) },
  { "means_s", common.round(common.median(means_times), 6) },
  { "z", proportions.z },
  { "t", means.t },
})
