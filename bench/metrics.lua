-- metrics: metrics.roc_auc and metrics.gains_table (10 bins) on 10,000,000 scores, each
-- timed --reps times (median reported), on float64 scores (the twin's numpy default) and
-- again on float32 scores (what MarketLab models output). Labels are 1 with probability
-- equal to the score, so the AUC is about 0.83. The twin bench/metrics.py times
-- scikit-learn's roc_auc_score and a numpy gains table on data of the same kind.
--   marketlab bench/metrics.lua [--reps R] [--threads N]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local options = common.parse_args("metrics")
local ROWS, BINS = 10000000, 10

torch.manual_seed(common.SEED)
local score = torch.rand(ROWS, {dtype = "float64"})
local y = torch.rand(ROWS, {dtype = "float64"}):lt(score)
local score32 = score:float()

local auc, table_
local auc_times = common.timeit(function() auc = metrics.roc_auc(y, score) end, options.reps)
local gains_times = common.timeit(function() table_ = metrics.gains_table(y, score, {bins = BINS}) end, options.reps)
local auc32_times = common.timeit(function() metrics.roc_auc(y, score32) end, options.reps)
local gains32_times = common.timeit(function() metrics.gains_table(y, score32, {bins = BINS}) end, options.reps)
assert(#table_ == BINS and table_.cum_captured_pct:tolist()[BINS] == 100)

common.emit("metrics", auc_times, {
  { "rows", ROWS },
  { "roc_auc", auc },
  { "roc_auc_s", common.round(common.median(auc_times), 6) },
  { "gains_table_s", common.round(common.median(gains_times), 6) },
  { "roc_auc_float32_s", common.round(common.median(auc32_times), 6) },
  { "gains_table_float32_s", common.round(common.median(gains32_times), 6) },
  { "top_decile_lift", table_.lift:tolist()[1] },
})
