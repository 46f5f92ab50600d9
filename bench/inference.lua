-- inference: batch scoring with the tabular model (twin: bench/inference.py).
-- The 32-64-64-1 model of bench/tabular_mlp.lua (eval mode) scores 1,000,000 rows in
-- batches of 8192 (123 batches, the last partial) under torch.no_grad: each batch is a
-- view X:narrow(1, start, len), and sigmoid(model(xb)) is written into a preallocated
-- output with out:narrow(1, start, len):copy_(...).
-- 1 untimed warm-up, 5 timed repetitions (--reps), median; prints one JSON line.
--   usage: marketlab --threads 1 bench/inference.lua [--threads N] [--reps R]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")
local tabular = require("tabular_mlp")

local ROWS, BATCH = 1000000, 8192

local options = common.parse_args("inference.lua")
local X = tabular.make_data(ROWS, common.SEED + 1)
local model = tabular.make_model()
model:eval()
local out = torch.empty(ROWS, 1)

local function score()
  for start = 1, ROWS, BATCH do
    local len = math.min(BATCH, ROWS - start + 1)
    out:narrow(1, start, len):copy_(model(X:narrow(1, start, len)):sigmoid())
  end
end

local times = common.timeit(function() torch.no_grad(score) end, options.reps)
local med = common.median(times)
common.emit("inference", times, {
  { "rows", ROWS }, { "batch", BATCH },
  { "rows_per_s", ROWS / med },
  { "checksum", out:sum():item() },
})
