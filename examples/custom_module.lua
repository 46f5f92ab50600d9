-- Your own layer stack as a Lua class, PyTorch-style: fields assigned in init become the
-- model's parameters (in assignment order); forward says how data flows.
--   scripts/marketlab examples/custom_module.lua
torch.manual_seed(3)

local ChurnNet = nn.Module:extend("ChurnNet")

function ChurnNet:init(n_features, hidden)
  self.fc1 = nn.Linear(n_features, hidden)
  self.norm = nn.BatchNorm1d(hidden)
  self.dropout = nn.Dropout(0.1)
  self.fc2 = nn.Linear(hidden, 1)
end

function ChurnNet:forward(x)
  local h = F.relu(self.norm(self.fc1(x)))
  return self.fc2(self.dropout(h)):squeeze(2)     -- one churn score (a logit) per customer
end

local model = ChurnNet(6, 12)
print(model)
for _, entry in ipairs(model:named_parameters()) do
  print(string.format("  %-12s %s", entry[1], table.concat(entry[2].shape, "x")))
end

-- Synthetic customers: churn is likelier with few months of tenure and many complaints.
local X = torch.randn(512, 6)
local churned = (X:select(2, 1) * -1.5 + X:select(2, 2) * 1.0 + 0.3 * torch.randn(512)):gt(0.5):float()
local criterion = nn.BCEWithLogitsLoss({pos_weight = torch.tensor({2.0})})
local optimizer = optim.AdamW(model:parameters(), {lr = 0.02})

for epoch = 1, 60 do
  optimizer:zero_grad()
  local loss = criterion(model(X), churned)
  loss:backward()
  optimizer:step()
  if epoch % 20 == 0 then print(string.format("epoch %d  loss %.4f", epoch, loss:item())) end
end

model:eval()
local scores = torch.no_grad(function() return model(X):sigmoid() end)
print(string.format("mean predicted churn probability %.3f (observed rate %.3f)", scores:mean():item(), churned:mean():item()))
