-- The article's test-accuracy loop, done correctly: predictions are compared with the
-- targets (the original compared nothing). A small classifier learns which customers
-- respond to an offer from two features.
--   scripts/marketlab examples/seed_evaluation.lua
torch.manual_seed(7)

-- 1,200 customers; response is likelier for high engagement and recent purchases.
local n = 1200
local X = torch.randn(n, 2)
local logit = X:select(2, 1) * 2.0 - X:select(2, 2) * 1.5 + 0.3
local y = (logit + 0.5 * torch.randn(n)):gt(0):long() + 1          -- classes 1 (no) and 2 (yes)

local train_n = 900
local train = data.DataLoader(data.TensorDataset(X:narrow(1, 1, train_n), y:narrow(1, 1, train_n)),
                              {batch_size = 32, shuffle = true})
local test = data.DataLoader(data.TensorDataset(X:narrow(1, train_n + 1, n - train_n), y:narrow(1, train_n + 1, n - train_n)),
                             {batch_size = 100})

-- Two output units, one per class: CrossEntropyLoss needs at least two.
local model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
local criterion = nn.CrossEntropyLoss()
local optimizer = optim.Adam(model:parameters(), {lr = 0.01})

for epoch = 1, 15 do
  model:train()
  for inputs, targets in train do
    optimizer:zero_grad()
    local loss = criterion(model(inputs), targets)
    loss:backward()
    optimizer:step()
  end
end

-- Evaluation: no gradients, eval mode, and count predictions that match the targets.
model:eval()
local correct, total = 0, 0
torch.no_grad(function()
  for inputs, targets in test do
    local _, predicted = model(inputs):max(2)          -- 1-based class of the larger score
    correct = correct + predicted:eq(targets):sum():item()
    total = total + #targets
  end
end)
local accuracy = correct / total
print(string.format("test accuracy: %d of %d = %.1f%%", correct, total, 100 * accuracy))
assert(accuracy > 0.8, "the classifier should beat 80% on this data")
