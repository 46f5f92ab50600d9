/// torch.exp(t), torch.sum(t, 1), torch.add(a, b), ...: the function forms PyTorch
/// offers for tensor methods, so snippets written either way run. Each checks that its
/// first argument is a tensor (naming itself in the message), then calls the method.
/// Also a few methods PyTorch has that are compositions of existing ones.
let torchFunctionFormsSource = #"""
local torch, nn, document = ...
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
  cumsum = vector .. ", 1", logsumexp = vector .. ", 1", lgamma = vector:gsub("%-1%.0", "1.5"),
  digamma = vector:gsub("%-1%.0", "1.5"), log = vector:gsub("%-1%.0", "1.5"), log2 = vector:gsub("%-1%.0", "1.5"),
  log10 = vector:gsub("%-1%.0", "1.5"), sqrt = vector:gsub("%-1%.0", "1.5"), rsqrt = vector:gsub("%-1%.0", "1.5"),
}

local names = {
  "abs", "neg", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sigmoid", "tanh", "relu", "clamp", "floor", "ceil",
  "round", "sign", "sin", "cos", "isnan", "isinf", "isfinite", "square", "reciprocal", "log2", "log10",
  "softmax", "log_softmax", "lgamma", "digamma", "logaddexp",
  "sum", "mean", "std", "var", "min", "max", "argmax", "argmin", "prod", "cumsum", "norm", "all", "any", "logsumexp",
  "topk", "sort", "unique",
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
