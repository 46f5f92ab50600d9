-- tabular_mlp: one training epoch of a small tabular MLP (twin: bench/tabular_mlp.py).
-- 200,000 x 32 float32 rows, binary target; 32-64-ReLU-64-ReLU-1; BCEWithLogitsLoss;
-- Adam lr 1e-3; batch 256 (782 steps, the last partial); reshuffled each epoch
-- (torch.randperm + index_select per batch, as the twin's train_common.train_epoch).
-- 1 untimed warm-up, 5 timed repetitions (--reps), median; prints one JSON line.
--   usage: marketlab --threads 1 bench/tabular_mlp.lua [--threads N] [--reps R]
-- bench/inference.lua loads this file for make_data and make_model (as a module it returns
-- them instead of running).
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local ROWS, FEATS, BATCH = 200000, 32, 256

-- X [rows, 32] and a 0/1 float target Y [rows, 1]: the sign of a noisy linear score.
local function make_data(rows, seed)
  torch.manual_seed(seed or common.SEED)
  local X = torch.randn(rows or ROWS, FEATS)
  local w = torch.randn(FEATS, 1)
  local logits = X:matmul(w) + 0.5 * torch.randn(rows or ROWS, 1)
  local Y = logits:gt(0):float()
  return X, Y
end

local function make_model(seed)
  torch.manual_seed(seed or common.SEED)
  return nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
end

-- Loaded through require (by bench/inference.lua): hand over the builders only.
if ... == "tabular_mlp" then
  return { make_data = make_data, make_model = make_model, FEATS = FEATS }
end

local options = common.parse_args("tabular_mlp.lua")
local X, Y = make_data()
local model = make_model()
local loss_fn = nn.BCEWithLogitsLoss()
local opt = optim.Adam(model:parameters(), { lr = 1e-3 })
torch.manual_seed(common.SEED)
local last_loss
local times = common.timeit(function()
  last_loss = common.train_epoch(model, opt, loss_fn, X, Y, BATCH)
end, options.reps)
local med = common.median(times)
local steps = common.steps_per_epoch(ROWS, BATCH)
common.emit("tabular_mlp", times, {
  { "rows", ROWS }, { "batch", BATCH }, { "steps", steps },
  { "samples_per_s", ROWS / med },
  { "us_per_step", med / steps * 1e6 },
  { "final_loss", last_loss },
})
