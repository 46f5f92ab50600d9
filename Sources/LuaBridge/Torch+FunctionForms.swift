/// torch.exp(t), torch.sum(t, 1), torch.add(a, b), ...: the function forms PyTorch
/// offers for tensor methods, so snippets written either way run. Each checks that its
/// first argument is a tensor (naming itself in the message), then calls the method.
/// Also a few methods PyTorch has that are compositions of existing ones.
let torchFunctionFormsSource = #"""
local torch, nn, document, did_you_mean, is_terminal, checked_options = ...
local F = nn.functional
local Tensor = torch.Tensor

-- Methods built from others (their gradients come with them).
local LN2, LN10 = math.log(2), math.log(10)
local composed = {
  { "square", "x * x, elementwise.", function(self) return self * self end },
  { "reciprocal", "1 / x, elementwise (integers give float32).", function(self) return 1 / self end },
  { "log2", "Base-2 logarithm, elementwise.", function(self) return self:log() / LN2 end },
  { "log10", "Base-10 logarithm, elementwise.", function(self) return self:log() / LN10 end },
  { "softmax", "Softmax along dim: t:softmax(dim), as F.softmax(t, dim).", function(self, dim) return F.softmax(self, dim) end },
  { "log_softmax", "Log-softmax along dim: t:log_softmax(dim), as F.log_softmax(t, dim).", function(self, dim) return F.log_softmax(self, dim) end },
}
for _, m in ipairs(composed) do
  local name, doc, f = m[1], m[2], m[3]
  if rawget(Tensor, name) == nil then
    Tensor[name] = f
    local call = (name == "softmax" or name == "log_softmax") and "(1)" or "()"
    document(f, "Tensor:" .. name, doc, "torch.tensor({0.5, 1.0, 4.0}):" .. name .. call)
  end
end

-- Order statistics from sort (so gradients reach the elements picked): median and quantile
-- as PyTorch computes them.
local function checked_dim(fn, t, dim)
  if dim == nil then return nil end
  if math.type(dim) ~= "integer" then error(fn .. ": bad argument #2 (dim): expected an integer, got " .. tostring(dim), 3) end
  local rank = t:dim()
  local d = dim < 0 and rank + dim + 1 or dim
  if d < 1 or d > math.max(rank, 1) then
    error(string.format("%s: bad argument #2 (dim): %d is out of range for a %d-dimensional tensor", fn, dim, rank), 3)
  end
  return d
end

local function float_input(fn, t)
  if t.dtype ~= "float32" and t.dtype ~= "float64" then
    error(fn .. ": expected a float32 or float64 tensor, got " .. t.dtype .. " (convert with t:float())", 3)
  end
  if t:numel() == 0 then error(fn .. ": the tensor is empty", 3) end
end

-- t:median(): the lower of the two middle values of all elements (NaN if any is NaN);
-- t:median(dim [, {keepdim}]): values and 1-based indices along dim.
function Tensor:median(dim, options)
  local fn = "Tensor:median"
  if self.dtype == "bool" then error(fn .. ": not defined for bool tensors; convert with t:long() first", 2) end
  if self:numel() == 0 then error(fn .. ": the tensor is empty", 2) end
  local d = checked_dim(fn, self, dim)
  local keepdim = checked_options(fn, options, { "keepdim" }, 3).keepdim or false
  local x = d and self or self:reshape(-1)
  d = d or 1
  if x:dim() == 0 then x, d = x:reshape(1), 1 end
  local n = x.shape[d]
  local sorted, order = x:sort(d)
  local nans = x:isnan():sum(d, { keepdim = true })
  -- Sorting puts NaN last: a slice with NaN reports its first NaN.
  local k = torch.where(nans:gt(0), n - nans, torch.full(nans.shape, (n - 1) // 2, { dtype = "int64" })) + 1
  local values, indices = sorted:gather(d, k), order:gather(d, k)
  if dim == nil then return values:reshape({}) end
  if not keepdim then values, indices = values:squeeze(d), indices:squeeze(d) end
  return values, indices
end

local interpolations = { linear = true, lower = true, higher = true, midpoint = true, nearest = true }

-- t:quantile(q [, dim] [, {keepdim, interpolation}]): q a number or a list of them in [0, 1].
function Tensor:quantile(q, dim, options)
  local fn = "Tensor:quantile"
  float_input(fn, self)
  if type(dim) == "table" and options == nil then dim, options = nil, dim end
  local d = checked_dim(fn, self, dim)
  options = checked_options(fn, options, { "keepdim", "interpolation" }, 3)
  local method = options.interpolation or "linear"
  if not interpolations[method] then
    error(fn .. ": option 'interpolation' must be linear, lower, higher, midpoint or nearest, got '" .. tostring(method) .. "'", 2)
  end
  local single = type(q) == "number" or (torch.is_tensor(q) and q:dim() == 0)
  local qs = type(q) == "number" and { q } or (torch.is_tensor(q) and q:reshape(-1):tolist() or q)
  if type(qs) ~= "table" or #qs == 0 then error(fn .. ": bad argument #1 (q): expected a number or a list of numbers in [0, 1]", 2) end
  for _, v in ipairs(qs) do
    if type(v) ~= "number" or not (v >= 0 and v <= 1) then
      error(fn .. ": bad argument #1 (q): quantiles must be in [0, 1], got " .. tostring(v), 2)
    end
  end
  local x = d and self or self:reshape(-1)
  d = d or 1
  if x:dim() == 0 then x, d = x:reshape(1), 1 end
  local n = x.shape[d]
  local sorted = x:sort(d)
  local has_nan = x:isnan():any(d, { keepdim = true })
  local results = {}
  -- PyTorch rounds q to the tensor's dtype, then takes the rank in double precision: for
  -- float32, q = 0.2 of 6 values ranks a hair above 1 ("higher" picks the third value).
  local function in_dtype(v) return self.dtype == "float32" and string.unpack("f", string.pack("f", v)) or v end
  for i, v in ipairs(qs) do
    local position = in_dtype(v) * (n - 1)
    local low, high = math.floor(position), math.ceil(position)
    local weight = position - low
    if method == "nearest" then
      -- round half to even, as PyTorch
      local r = math.floor(position + 0.5)
      if position + 0.5 == r and r % 2 == 1 then r = r - 1 end
      low, high, weight = r, r, 0
    elseif method == "lower" then high, weight = low, 0
    elseif method == "higher" then low, weight = high, 0
    elseif method == "midpoint" then weight = low == high and 0 or 0.5 end
    local a, b = sorted:narrow(d, low + 1, 1), sorted:narrow(d, high + 1, 1)
    -- lerp as PyTorch writes it: from the nearer end.
    local r = weight == 0 and a or (weight < 0.5 and a + (b - a) * weight or b - (b - a) * (1 - weight))
    results[i] = torch.where(has_nan, 0 / 0, r)
  end
  for i, r in ipairs(results) do
    if dim == nil then
      local shape = {}
      if options.keepdim then for _ = 1, self:dim() do shape[#shape + 1] = 1 end end
      results[i] = r:reshape(shape)
    elseif not options.keepdim then
      results[i] = r:squeeze(d)
    end
  end
  if single then return results[1] end
  return torch.stack(results, 1)
end
for _, name in ipairs({ "median", "quantile" }) do
  local doc = name == "median"
    and "The lower of the two middle values: t:median() over all elements (a 0-d tensor), or t:median(dim [, {keepdim = true}]) giving values and 1-based indices along dim, as PyTorch. A slice holding NaN gives NaN (and the index of a NaN). The gradient reaches the element picked."
    or "Quantiles as PyTorch's torch.quantile: t:quantile(q [, dim] [, {keepdim, interpolation}]) with q a number or a list in [0, 1] (a list adds a first dimension, one entry per q); interpolation linear (default), lower, higher, midpoint or nearest. Over all elements when dim is nil. A slice holding NaN gives NaN. Float tensors only."
  document(Tensor[name], "Tensor:" .. name, doc, "torch.tensor({{1.0, 5.0, 2.0}, {4.0, 3.0, 6.0}}):" .. name .. (name == "median" and "(2)" or "(0.25, 2)"))
end

-- Example arguments by kind of method.
local vector = "torch.tensor({0.5, -1.0, 4.0})"
local matrix = "torch.tensor({{1.0, 2.0}, {3.0, 4.0}})"
local pair = vector .. ", torch.tensor({2.0, 2.0, 2.0})"
local examples = {
  add = pair, sub = pair, mul = pair, div = pair, pow = vector .. ", 2", remainder = vector .. ", 3",
  floor_divide = vector .. ", 3", maximum = pair, minimum = pair, eq = pair, ne = pair, lt = pair, le = pair, gt = pair, ge = pair,
  logical_and = pair, logical_or = pair, logical_xor = pair, logaddexp = pair,
  clamp = vector .. ", 0, 1", mm = matrix .. ", " .. matrix, dot = pair,
  masked_select = vector .. ", torch.tensor({true, false, true})", masked_fill = vector .. ", torch.tensor({true, false, true}), 0",
  gather = matrix .. ", 2, torch.tensor({{1}, {2}})", index_select = matrix .. ", 1, torch.tensor({2})",
  narrow = vector .. ", 1, 2, 2", select = matrix .. ", 1, 2", transpose = matrix .. ", 1, 2", t = matrix,
  reshape = matrix .. ", 4", flatten = matrix, squeeze = "torch.zeros(2, 1)", unsqueeze = vector .. ", 1",
  permute = matrix .. ", 2, 1", split = vector .. ", 2", chunk = vector .. ", 2", topk = vector .. ", 2",
  softmax = vector .. ", 1", log_softmax = vector .. ", 1",
  cumsum = vector .. ", 1", median = matrix .. ", 2", quantile = vector .. ", 0.25", logsumexp = vector .. ", 1", lgamma = vector:gsub("%-1%.0", "1.5"),
  digamma = vector:gsub("%-1%.0", "1.5"), log = vector:gsub("%-1%.0", "1.5"), log2 = vector:gsub("%-1%.0", "1.5"),
  log10 = vector:gsub("%-1%.0", "1.5"), sqrt = vector:gsub("%-1%.0", "1.5"), rsqrt = vector:gsub("%-1%.0", "1.5"),
}

local names = {
  "abs", "neg", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sigmoid", "tanh", "relu", "clamp", "floor", "ceil",
  "round", "sign", "sin", "cos", "isnan", "isinf", "isfinite", "square", "reciprocal", "log2", "log10",
  "softmax", "log_softmax", "lgamma", "digamma", "logaddexp",
  "sum", "mean", "std", "var", "min", "max", "argmax", "argmin", "prod", "cumsum", "norm", "all", "any", "logsumexp",
  "topk", "sort", "unique", "median", "quantile",
  "add", "sub", "mul", "div", "pow", "remainder", "floor_divide", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge",
  "logical_and", "logical_or", "logical_xor", "logical_not", "mm", "dot",
  "masked_select", "masked_fill", "gather", "index_select", "narrow", "select", "nonzero",
  "transpose", "t", "reshape", "flatten", "squeeze", "unsqueeze", "permute", "split", "chunk",
  "clone", "detach", "numel",
}

local function describe(value)
  if type(value) == "number" then return "number " .. tostring(value) end
  if type(value) == "string" then return "string '" .. value:sub(1, 40) .. "'" end
  return type(value)
end

for _, name in ipairs(names) do
  local method = rawget(Tensor, name)
  if type(method) == "function" and rawget(torch, name) == nil then
    local qualified = "torch." .. name
    local f = function(input, ...)
      if not torch.is_tensor(input) then
        error(string.format("%s: bad argument #1 (input): expected a tensor, got %s (torch.%s(t, ...) is t:%s(...))",
          qualified, describe(input), name, name), 2)
      end
      return method(input, ...)
    end
    torch[name] = f
    local args = examples[name] or vector
    document(f, qualified, "The function form of Tensor:" .. name .. ": " .. qualified .. "(t, ...) is t:" .. name
      .. "(...), as in PyTorch. help(torch.Tensor." .. name .. ") describes the method.", qualified .. "(" .. args .. ")")
  end
end
"""#
