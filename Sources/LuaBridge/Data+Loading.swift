/// data.TensorDataset and data.DataLoader, in Lua: a dataset is a set of tensors sharing
/// dim 1; a loader iterates one epoch of mini-batches per `for ... in loader do`, with a
/// fresh permutation from the seeded generator each time the loop starts.
let dataLoadingSource = #"""
local torch, data, document, did_you_mean = ...
local type, error, setmetatable, ipairs, pairs, select = type, error, setmetatable, ipairs, pairs, select

local TensorDataset = { __name = "TensorDataset" }
TensorDataset.__index = TensorDataset
TensorDataset.__len = function(self) return self.n end
TensorDataset.__tostring = function(self)
  local shapes = {}
  for i, t in ipairs(self.tensors) do shapes[i] = "[" .. table.concat(t.shape, ", ") .. "]" end
  return "TensorDataset(" .. self.n .. " rows: " .. table.concat(shapes, ", ") .. ")"
end

function data.TensorDataset(...)
  local tensors = { ... }
  if #tensors == 0 then error("data.TensorDataset: expected at least one tensor", 2) end
  local n
  for i, t in ipairs(tensors) do
    if not torch.is_tensor(t) then error("data.TensorDataset: argument #" .. i .. " must be a tensor, got " .. type(t), 2) end
    if t:dim() == 0 then error("data.TensorDataset: argument #" .. i .. " is 0-dimensional; rows are along dim 1", 2) end
    if n == nil then n = t:size(1)
    elseif t:size(1) ~= n then
      error("data.TensorDataset: all tensors need the same number of rows; tensor 1 has " .. n .. ", tensor " .. i .. " has " .. t:size(1), 2)
    end
  end
  return setmetatable({ tensors = tensors, n = n }, TensorDataset)
end

--- Row i (1-based) of every tensor.
function TensorDataset:get(i)
  local out = {}
  for k, t in ipairs(self.tensors) do out[k] = t[i] end
  return table.unpack(out)
end

--- Rows picked by a 1-based int64 index tensor, one batch per tensor.
function TensorDataset:batch(index)
  local out = {}
  for k, t in ipairs(self.tensors) do out[k] = t:index_select(1, index) end
  return table.unpack(out, 1, #self.tensors)
end

local DataLoader = { __name = "DataLoader" }
DataLoader.__index = DataLoader

local loader_options = { "batch_size", "shuffle", "drop_last", "seed" }

function data.DataLoader(dataset, opts)
  if getmetatable(dataset) ~= TensorDataset then
    error("data.DataLoader: bad argument #1 (dataset): expected a data.TensorDataset, got " .. type(dataset), 2)
  end
  opts = opts or {}
  for k in pairs(opts) do
    local ok = false
    for _, name in ipairs(loader_options) do ok = ok or name == k end
    if not ok then
      error("data.DataLoader: unknown option '" .. tostring(k) .. "'" .. did_you_mean(tostring(k), loader_options) ..
            "; valid options: " .. table.concat(loader_options, ", "), 2)
    end
  end
  local batch_size = opts.batch_size or 1
  if math.type(batch_size) ~= "integer" or batch_size < 1 then
    error("data.DataLoader: batch_size must be a positive integer, got " .. tostring(batch_size), 2)
  end
  local self = setmetatable({ dataset = dataset, batch_size = batch_size, shuffle = opts.shuffle == true,
                              drop_last = opts.drop_last == true, seed = opts.seed, epoch = 0 }, DataLoader)
  return self
end

function DataLoader.__len(self)
  local n = self.dataset.n
  if self.drop_last then return n // self.batch_size end
  return (n + self.batch_size - 1) // self.batch_size
end

DataLoader.__tostring = function(self)
  return string.format("DataLoader(%d rows, batch_size=%d, shuffle=%s, drop_last=%s: %d batches)", self.dataset.n,
                       self.batch_size, tostring(self.shuffle), tostring(self.drop_last), #self)
end

--- The row order of the next epoch: 1..n, or a fresh permutation (seeded by {seed} and
--- the epoch number when a seed is given, else by the global generator).
function DataLoader:_order()
  self.epoch = self.epoch + 1
  local n = self.dataset.n
  if not self.shuffle then return torch.arange(1, n + 1) end
  if self.seed ~= nil then
    -- A private stream: seed and epoch pick the permutation; the global generator is
    -- left untouched.
    return torch.randperm(n, { seed = self.seed + self.epoch })
  end
  return torch.randperm(n)
end

-- `for xb, yb in loader do ... end`: one epoch.
-- Lua's generic for calls the loader with (nil, previous first value): a nil previous
-- value means a loop is starting, so a new epoch begins (even after a `break`).
DataLoader.__call = function(self, _, previous)
  if previous == nil or self._state == nil then
    self._state = { order = self:_order(), position = 1 }
  end
  local state = self._state
  local n = #state.order
  local start = state.position
  local remaining = n - start + 1
  if remaining <= 0 or (self.drop_last and remaining < self.batch_size) then
    self._state = nil
    return nil
  end
  local size = math.min(self.batch_size, remaining)
  state.position = start + size
  return self.dataset:batch(state.order:narrow(1, start, size))
end

document(data.TensorDataset, "data.TensorDataset", "Tensors that share their first dimension, read row by row: data.TensorDataset(X, y, ...); #ds is the number of rows.",
         "local ds = data.TensorDataset(torch.randn(10, 3), torch.randn(10)); print(#ds)")
document(data.DataLoader, "data.DataLoader", "Mini-batches of a dataset: data.DataLoader(ds, {batch_size = 1, shuffle = false, drop_last = false, seed}). `for xb, yb in loader do ... end` runs one epoch, reshuffled each time the loop starts; #loader is the number of batches.",
         "local loader = data.DataLoader(data.TensorDataset(torch.randn(10, 3), torch.randn(10)), {batch_size = 4}); for xb, yb in loader do print(xb.shape[1]) end")
"""#
