-- wide_mlp: one training epoch of a wide MLP, bound by matrix products (twin:
-- bench/wide_mlp.py). 65,536 x 512 float32 rows, 10 classes (1-based int64 labels: the
-- argmax of a random linear teacher); 512-1024-ReLU-1024-ReLU-10; CrossEntropyLoss;
-- SGD lr 0.01, momentum 0.9; batch 1024 (64 steps); reshuffled each epoch.
-- GFLOP/s as the twin counts it: 6 x (Linear weights + biases) x rows per epoch
-- (2 forward + 4 backward); gflops_per_s_exact leaves out the first layer's input
-- gradient, which is not computed (X needs no grad).
-- Compare with bench/sgemm.lua from the same run (scripts/bench prints wide as % of it).
-- 1 untimed warm-up, 5 timed repetitions (--reps), median; prints one JSON line.
--   usage: marketlab --threads 1 bench/wide_mlp.lua [--threads N] [--reps R]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local ROWS, FEATS, CLASSES, BATCH = 65536, 512, 10, 1024

local options = common.parse_args("wide_mlp.lua")
torch.manual_seed(common.SEED)
local X = torch.randn(ROWS, FEATS)
local teacher = torch.randn(FEATS, CLASSES)
local Y = X:matmul(teacher):argmax(2) -- [rows] int64, 1..10

torch.manual_seed(common.SEED)
local layers = { nn.Linear(512, 1024), nn.Linear(1024, 1024), nn.Linear(1024, 10) }
local model = nn.Sequential(layers[1], nn.ReLU(), layers[2], nn.ReLU(), layers[3])
local loss_fn = nn.CrossEntropyLoss()
local opt = optim.SGD(model:parameters(), { lr = 0.01, momentum = 0.9 })
local last_loss
local times = common.timeit(function()
  last_loss = common.train_epoch(model, opt, loss_fn, X, Y, BATCH)
end, options.reps)
local med = common.median(times)
local steps = common.steps_per_epoch(ROWS, BATCH)

local P = common.linear_params(model)
local flops = 6.0 * P * ROWS
local exact = 0.0
for i, layer in ipairs(layers) do
  local w = layer.weight:numel()
  exact = exact + (2 * w + 2 * w + (i == 1 and 0 or 2 * w)) * ROWS
end
common.emit("wide_mlp", times, {
  { "rows", ROWS }, { "batch", BATCH }, { "steps", steps }, { "linear_params", P },
  { "samples_per_s", ROWS / med },
  { "us_per_step", med / steps * 1e6 },
  { "gflop_per_epoch", flops / 1e9 },
  { "gflops_per_s", flops / med / 1e9 },
  { "gflops_per_s_exact", exact / med / 1e9 },
  { "final_loss", last_loss },
})
