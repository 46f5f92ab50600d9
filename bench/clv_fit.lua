-- clv_fit: the BG/NBD fit on all 23,570 CDNOW customers (examples/data), time in weeks,
-- marketing.bgnbd with its default options (5 starts, L-BFGS with strong-Wolfe line
-- search, tol 1e-7). Reading the CSV and building the summary are not timed. The twin
-- bench/clv_fit.py times lifetimes' BetaGeoFitter(penalizer_coef=0).fit on the same
-- summary (or scipy.optimize on the same likelihood when lifetimes is missing).
--   marketlab bench/clv_fit.lua [--reps R] [--threads N]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local options = common.parse_args("clv_fit")
local root = (arg[0]:match("^(.*/)bench/") or "./")
local tx = data.read_csv(root .. "examples/data/lifetimes-CDNOW_master.csv", { date_format = "%Y%m%d" })
local summary = marketing.summary_from_transactions(tx, { customer = "customer_id", date = "date",
  amount = "dollar_value", unit = "W", snapshot = "1998-06-30" })

local fit
local times = common.timeit(function() fit = marketing.bgnbd(summary) end, options.reps)
assert(fit.converged, tostring(fit))

common.emit("clv_fit", times, {
  { "customers", #summary },
  { "bgnbd_fit_s", common.round(common.median(times), 6) },
  { "starts", fit.starts },
  { "r", fit.params.r }, { "alpha", fit.params.alpha }, { "a", fit.params.a }, { "b", fit.params.b },
  { "log_likelihood", fit.log_likelihood },
})
