-- A first MarketLab script: tensors, broadcasting, autograd and saving, on a tiny
-- response model fitted by hand with gradient descent.
--   scripts/marketlab examples/tensors_tour.lua
torch.manual_seed(7)

-- Six customers: tenure (years), monthly spend (100s), responded to the last offer?
local X = torch.tensor({{1.0, 0.5}, {3.0, 1.2}, {0.5, 0.3}, {4.0, 2.0}, {2.0, 0.9}, {5.0, 2.4}})
local y = torch.tensor({0, 1, 0, 1, 0, 1}, {dtype = "float32"})
print("features", X)

-- Standardise columns: broadcasting a [2] mean over [6, 2] rows.
local Xs = (X - X:mean(1)) / X:std(1)

-- Logistic regression from scratch: weights are leaves that collect gradients.
local w = torch.zeros(2, {requires_grad = true})
local b = torch.zeros(1, {requires_grad = true})
local lr = 0.5
for step = 1, 200 do
  local p = (Xs:matmul(w) + b):sigmoid()
  local loss = -(y * p:log() + (1 - y) * (1 - p):log()):mean()
  loss:backward()
  torch.no_grad(function()
    w:sub_(lr * w.grad)
    b:sub_(lr * b.grad)
  end)
  w.grad = nil
  b.grad = nil
  if step % 50 == 0 then print(string.format("step %3d  log loss %.4f", step, loss:item())) end
end

local scores = (Xs:matmul(w) + b):sigmoid()
print("response scores", scores)
print("predicted responders", scores:gt(0.5):sum():item(), "of", #scores)

-- Save the fitted weights as safetensors (PyTorch loads this file too) and read them back.
local path = os.tmpname()
torch.save({weight = w:detach(), bias = b:detach()}, path)
local back = torch.load(path)
print("reloaded weight equals fitted:", back.weight:eq(w):all():item())
os.remove(path)
