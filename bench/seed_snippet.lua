-- seed_snippet: the article's training loop at benchmark size (twin: bench/seed_snippet.py).
-- Linear(10,2)-ReLU-Linear(2,1), MSELoss, Adam lr 0.01, 100,000 x 10 float32 rows,
-- batch 64 (1,563 steps, the last partial), reshuffled each epoch; one epoch is timed.
--   primary:   a hand-written loop (torch.randperm + index_select per batch, as the twin's
--              train_common.train_epoch)
--   secondary: the same epoch through data.DataLoader(data.TensorDataset(X, Y),
--              {batch_size = 64, shuffle = true}), what the article's snippet uses
-- Also the process's peak RSS (VmHWM) at the end, data and both variants included.
-- 1 untimed warm-up, 5 timed repetitions (--reps), median; prints one JSON line.
--   usage: marketlab --threads 1 bench/seed_snippet.lua [--threads N] [--reps R]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local ROWS, FEATS, BATCH = 100000, 10, 64

local options = common.parse_args("seed_snippet.lua")
torch.manual_seed(common.SEED)
local X = torch.randn(ROWS, FEATS)
local w = torch.randn(FEATS, 1)
local Y = X:matmul(w) + 0.1 * torch.randn(ROWS, 1)

local loss_fn = nn.MSELoss()
local model = nn.Sequential(nn.Linear(10, 2), nn.ReLU(), nn.Linear(2, 1))
local opt = optim.Adam(model:parameters(), { lr = 0.01 })

local last_loss
local times = common.timeit(function()
  last_loss = common.train_epoch(model, opt, loss_fn, X, Y, BATCH)
end, options.reps)
local steps = common.steps_per_epoch(ROWS, BATCH)

-- secondary: the DataLoader path (a fresh model, so the work is identical)
torch.manual_seed(common.SEED)
local model2 = nn.Sequential(nn.Linear(10, 2), nn.ReLU(), nn.Linear(2, 1))
local opt2 = optim.Adam(model2:parameters(), { lr = 0.01 })
local loader = data.DataLoader(data.TensorDataset(X, Y), { batch_size = BATCH, shuffle = true })
local dl_times = common.timeit(function()
  for xb, yb in loader do
    opt2:zero_grad()
    local loss = loss_fn(model2(xb), yb)
    loss:backward()
    opt2:step()
  end
end, options.reps)
assert(#loader == steps, "seed_snippet.lua: DataLoader gives " .. #loader .. " batches, expected " .. steps)

local med = common.median(times)
local dl_med = common.median(dl_times)
common.emit("seed_snippet", times, {
  { "rows", ROWS }, { "batch", BATCH }, { "steps", steps },
  { "samples_per_s", ROWS / med },
  { "us_per_step", med / steps * 1e6 },
  { "final_loss", last_loss },
  { "dataloader_median_s", common.round(dl_med, 6) },
  { "dataloader_samples_per_s", ROWS / dl_med },
  { "dataloader_us_per_step", dl_med / steps * 1e6 },
})
