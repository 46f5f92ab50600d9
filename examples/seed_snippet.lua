-- The training loop of the article MarketLab grew from, line for line as in PyTorch:
-- a tiny network learns a noisy linear response from 10 customer features.
--   scripts/marketlab examples/seed_snippet.lua
torch.manual_seed(42)

-- Data the script makes itself: 2,000 customers, 10 features, a linear signal plus noise.
local n, num_epochs = 2000, 20
local X = torch.randn(n, 10)
local true_w = torch.linspace(-1, 1, 10):view(10, 1)
local y = X:matmul(true_w) + 0.1 * torch.randn(n, 1)
local dataloader = data.DataLoader(data.TensorDataset(X, y), {batch_size = 64, shuffle = true})

local model = nn.Sequential(nn.Linear(10, 2), nn.ReLU(), nn.Linear(2, 1))
local criterion = nn.MSELoss()
local optimizer = optim.Adam(model:parameters(), {lr = 0.01})
print(model)

for epoch = 1, num_epochs do
  local total, batches = 0, 0
  for inputs, targets in dataloader do
    optimizer:zero_grad()
    local outputs = model(inputs)
    local loss = criterion(outputs, targets)
    loss:backward()
    optimizer:step()
    total, batches = total + loss:item(), batches + 1
  end
  if epoch == 1 or epoch % 5 == 0 then
    print(string.format("epoch %2d  mean loss %.4f", epoch, total / batches))
  end
end
