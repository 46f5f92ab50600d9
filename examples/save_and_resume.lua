-- Checkpointing: train, save model and optimizer state, keep training; then rebuild from
-- the checkpoint and train the same steps again. Both runs reach the same losses.
--   scripts/marketlab examples/save_and_resume.lua
local function make_data()
  torch.manual_seed(11)
  local X = torch.randn(256, 4)
  local y = X:matmul(torch.tensor({{1.0}, {-2.0}, {0.5}, {0.0}})) + 0.05 * torch.randn(256, 1)
  return X, y
end

local function build()
  local model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
  return model, optim.Adam(model:parameters(), {lr = 0.01})
end

local function train(model, optimizer, X, y, steps)
  local losses, criterion = {}, nn.MSELoss()
  for i = 1, steps do
    optimizer:zero_grad()
    local loss = criterion(model(X), y)
    loss:backward()
    optimizer:step()
    losses[i] = loss:item()
  end
  return losses
end

local X, y = make_data()
local model, optimizer = build()
train(model, optimizer, X, y, 30)

-- The checkpoint: weights as safetensors (loadable in PyTorch), optimizer state as tensors
-- plus its step counts.
local dir = os.tmpname(); os.remove(dir); os.execute("mkdir -p " .. dir)
torch.save(model:state_dict(), dir .. "/model.safetensors")
local opt_state = optimizer:state_dict()
local flat = {}
for index, state in pairs(opt_state.state) do
  flat["state." .. index .. ".exp_avg"] = state.exp_avg
  flat["state." .. index .. ".exp_avg_sq"] = state.exp_avg_sq
  flat["state." .. index .. ".step"] = torch.tensor(state.step)
end
torch.save(flat, dir .. "/optimizer.safetensors")

local continued = train(model, optimizer, X, y, 20)

-- Resume in a fresh model and optimizer.
local model2, optimizer2 = build()
model2:load_state_dict(torch.load(dir .. "/model.safetensors"))
local saved = torch.load(dir .. "/optimizer.safetensors")
for index in pairs(opt_state.state) do
  opt_state.state[index] = {
    exp_avg = saved["state." .. index .. ".exp_avg"],
    exp_avg_sq = saved["state." .. index .. ".exp_avg_sq"],
    step = saved["state." .. index .. ".step"]:item(),
  }
end
optimizer2:load_state_dict(opt_state)
local resumed = train(model2, optimizer2, X, y, 20)
os.execute("rm -r " .. dir)

for i = 1, 20, 5 do print(string.format("step %2d  continued %.6f  resumed %.6f", 30 + i, continued[i], resumed[i])) end
for i = 1, 20 do
  assert(math.abs(continued[i] - resumed[i]) <= 1e-6 * math.max(1, continued[i]), "resumed run diverged at step " .. i)
end
print("resumed training reproduces the loss curve")
