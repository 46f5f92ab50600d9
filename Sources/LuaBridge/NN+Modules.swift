/// nn's module system, written in Lua because modules are Lua tables: a class per layer,
/// fields recorded in assignment order (so parameters are found as PyTorch finds them),
/// and the computation delegated to F (Swift). Run once per state by Runtime.
let nnModulesSource = #"""
local torch, nn, F, document, did_you_mean = ...
local rawget, rawset, setmetatable, getmetatable, type, pairs, ipairs = rawget, rawset, setmetatable, getmetatable, type, pairs, ipairs
local is_tensor = torch.is_tensor

-- Options: a trailing table checked against the names a class accepts.
local function options(where, opts, allowed)
  opts = opts or {}
  if type(opts) ~= "table" then error(where .. ": options must be a table, got " .. type(opts), 3) end
  for k in pairs(opts) do
    local ok = false
    for _, a in ipairs(allowed) do if a == k then ok = true end end
    if not ok then
      error(where .. ": unknown option '" .. tostring(k) .. "'" .. did_you_mean(tostring(k), allowed) ..
            "; valid options: " .. table.concat(allowed, ", "), 3)
    end
  end
  return opts
end

---------------------------------------------------------------------------------------
-- Module: the base class.
---------------------------------------------------------------------------------------
local Module = { __name = "Module" }
Module.__index = Module

local instance_meta = {}   -- class -> metatable of its instances

local function meta_for(class)
  local mt = instance_meta[class]
  if mt then return mt end
  mt = {
    __index = class,
    __newindex = function(self, key, value)
      local fields = rawget(self, "_fields")
      if rawget(self, key) == nil and value ~= nil then fields[#fields + 1] = key end
      rawset(self, key, value)
    end,
    __call = function(self, ...) return self:forward(...) end,
    __tostring = function(self) return self:_tree("") end,
    __name = class.__name,
  }
  instance_meta[class] = mt
  return mt
end

local class_meta = {
  __call = function(class, ...)
    local self = setmetatable({ _fields = {}, training = true }, meta_for(class))
    self:init(...)
    return self
  end,
}

--- nn.Module:extend(name) makes a subclass; define init and forward on it.
function Module:extend(name)
  if type(name) ~= "string" then error("nn.Module:extend: bad argument #1 (name): expected a string", 2) end
  local class = { __name = name }
  class.__index = class
  return setmetatable(class, { __index = self, __call = class_meta.__call })
end
setmetatable(Module, { __call = class_meta.__call })

function Module:init() end
function Module:forward()
  error(getmetatable(self).__name .. ": forward is not defined (define function " .. getmetatable(self).__name .. ":forward(x))", 2)
end

local function is_module(v)
  local mt = type(v) == "table" and getmetatable(v)
  return mt and instance_meta[mt.__index] == mt or false
end
nn.is_module = is_module
document(is_module, "nn.is_module", "True when the value is a module instance (a layer, a container or one of your nn.Module subclasses).",
         "print(nn.is_module(nn.ReLU()), nn.is_module({}))")

-- Walks fields in assignment order: fn(name, value, owner, key) for tensors, recursing
-- into child modules with dotted names.
local function walk(module, prefix, fn)
  local fields = rawget(module, "_fields")
  for _, key in ipairs(fields) do
    local value = rawget(module, key)
    local name = prefix .. tostring(key)
    if is_tensor(value) then fn(name, value, module, key)
    elseif is_module(value) then walk(value, name .. ".", fn) end
  end
end

function Module:parameters()
  local list = {}
  walk(self, "", function(_, t) if t.requires_grad then list[#list + 1] = t end end)
  return list
end

--- A list of {name, tensor} pairs in order; also indexable by name.
function Module:named_parameters()
  local list = {}
  walk(self, "", function(name, t)
    if t.requires_grad then list[#list + 1] = { name, t }; list[name] = t end
  end)
  return list
end

function Module:children()
  local list = {}
  for _, key in ipairs(rawget(self, "_fields")) do
    local v = rawget(self, key)
    if is_module(v) then list[#list + 1] = v end
  end
  return list
end

function Module:train(mode)
  if mode == nil then mode = true end
  rawset(self, "training", mode)
  for _, child in ipairs(self:children()) do child:train(mode) end
  return self
end
function Module:eval() return self:train(false) end

function Module:zero_grad()
  for _, p in ipairs(self:parameters()) do p.grad = nil end
end

--- Parameters and buffers (tensors that do not require grad) by dotted name.
function Module:state_dict()
  local state = {}
  walk(self, "", function(name, t) state[name] = t:detach() end)
  return state
end

function Module:load_state_dict(state, opts)
  opts = options("load_state_dict", opts, { "strict" })
  if type(state) ~= "table" then error("load_state_dict: bad argument #1 (state_dict): expected a table of tensors", 2) end
  local strict = opts.strict ~= false
  local missing, seen, mismatched = {}, {}, {}
  walk(self, "", function(name, t, owner, key)
    local v = state[name]
    if v == nil then missing[#missing + 1] = name; return end
    seen[name] = true
    if not is_tensor(v) then mismatched[#mismatched + 1] = name .. " (not a tensor)"; return end
    local a, b = table.concat(t.shape, ", "), table.concat(v.shape, ", ")
    if a ~= b then mismatched[#mismatched + 1] = name .. " (expected shape [" .. a .. "], got [" .. b .. "])"; return end
    torch.no_grad(function() t:copy_(v) end)
  end)
  local unexpected = {}
  for name in pairs(state) do if not seen[name] then unexpected[#unexpected + 1] = name end end
  table.sort(missing); table.sort(unexpected)
  if #mismatched > 0 then
    error("load_state_dict: size mismatch for " .. table.concat(mismatched, ", "), 2)
  end
  if strict and (#missing > 0 or #unexpected > 0) then
    local parts = {}
    if #missing > 0 then parts[#parts + 1] = "missing keys: " .. table.concat(missing, ", ") end
    if #unexpected > 0 then parts[#parts + 1] = "unexpected keys: " .. table.concat(unexpected, ", ") end
    error("load_state_dict: " .. table.concat(parts, "; ") .. " (pass {strict = false} to load the rest)", 2)
  end
  return { missing_keys = missing, unexpected_keys = unexpected }
end

--- Converts every floating-point parameter and buffer to dtype ("float32" or
--- "float64"), in place; returns the module (m:double(), m:float() are shorthands).
function Module:to(dtype)
  if dtype ~= "float32" and dtype ~= "float64" then
    error("Module:to: bad argument #1 (dtype): expected \"float32\" or \"float64\", got " .. tostring(dtype), 2)
  end
  walk(self, "", function(_, t, owner, key)
    if t.dtype == "float32" or t.dtype == "float64" then
      local converted = t:detach():to(dtype):clone()
      if t.requires_grad then converted:requires_grad_() end
      rawset(owner, key, converted)
    end
  end)
  return self
end
function Module:double() return self:to("float64") end
function Module:float() return self:to("float32") end

function Module:num_parameters()
  local n = 0
  for _, p in ipairs(self:parameters()) do n = n + p:numel() end
  return n
end

function Module:extra_repr() return "" end

function Module:_tree(indent)
  local name = getmetatable(self).__name
  local kids = {}
  for _, key in ipairs(rawget(self, "_fields")) do
    local v = rawget(self, key)
    if is_module(v) then kids[#kids + 1] = { key, v } end
  end
  if #kids == 0 then return name .. "(" .. self:extra_repr() .. ")" end
  local lines = { name .. "(" }
  for _, kid in ipairs(kids) do
    lines[#lines + 1] = indent .. "  (" .. tostring(kid[1]) .. "): " .. kid[2]:_tree(indent .. "  ")
  end
  lines[#lines + 1] = indent .. ")"
  local text = table.concat(lines, "\n")
  if indent == "" then text = text .. string.format("  -- %d parameters", self:num_parameters()) end
  return text
end

nn.Module = Module

local function class(name, doc, example)
  local c = Module:extend(name)
  nn[name] = c
  document(c, "nn." .. name, doc, example)
  return c
end

local function parameter(t) return t:requires_grad_() end

---------------------------------------------------------------------------------------
-- Layers
---------------------------------------------------------------------------------------
local Linear = class("Linear", "A fully connected layer y = x Wᵀ + b: nn.Linear(in_features, out_features [, {bias = true}]). Weight and bias start from U(-1/√in, 1/√in), as PyTorch.",
  "local layer = nn.Linear(10, 2); print(layer(torch.randn(4, 10)))")
function Linear:init(in_features, out_features, opts)
  if math.type(in_features) ~= "integer" or in_features < 1 then error("nn.Linear: bad argument #1 (in_features): expected a positive integer, got " .. tostring(in_features), 3) end
  if math.type(out_features) ~= "integer" or out_features < 1 then error("nn.Linear: bad argument #2 (out_features): expected a positive integer, got " .. tostring(out_features), 3) end
  opts = options("nn.Linear", opts, { "bias" })
  self.in_features, self.out_features = in_features, out_features
  local bound = 1 / math.sqrt(in_features)
  self.weight = parameter(torch.empty(out_features, in_features):uniform_(-bound, bound))
  if opts.bias ~= false then self.bias = parameter(torch.empty(out_features):uniform_(-bound, bound)) end
  rawset(self, "_label", string.format("nn.Linear(%d -> %d)", in_features, out_features))
end
function Linear:forward(x) return F.linear(x, self.weight, self.bias, self._label) end
function Linear:extra_repr()
  return string.format("in_features=%d, out_features=%d, bias=%s", self.in_features, self.out_features, tostring(self.bias ~= nil))
end

local function activation(name, doc, fn, repr)
  local c = class(name, doc, "nn." .. name .. "()(torch.tensor({-1.0, 0.0, 2.0}))")
  c.forward = fn
  if repr then c.extra_repr = repr end
  return c
end
activation("ReLU", "max(x, 0), elementwise.", function(_, x) return F.relu(x) end)
activation("Sigmoid", "1 / (1 + e^-x), elementwise.", function(_, x) return F.sigmoid(x) end)
activation("Tanh", "Hyperbolic tangent, elementwise.", function(_, x) return F.tanh(x) end)
activation("GELU", "x Φ(x) (the exact form), elementwise.", function(_, x) return F.gelu(x) end)
activation("Identity", "Returns its input unchanged.", function(_, x) return x end)

local LeakyReLU = class("LeakyReLU", "x for x > 0, slope·x otherwise: nn.LeakyReLU([negative_slope = 0.01]).", "nn.LeakyReLU(0.1)(torch.tensor({-1.0, 2.0}))")
function LeakyReLU:init(slope) self.negative_slope = slope or 0.01 end
function LeakyReLU:forward(x) return F.leaky_relu(x, self.negative_slope) end
function LeakyReLU:extra_repr() return "negative_slope=" .. self.negative_slope end

for _, spec in ipairs({ { "Softmax", F.softmax, "softmax" }, { "LogSoftmax", F.log_softmax, "log(softmax)" } }) do
  local c = class(spec[1], spec[3] .. " along dim (1-based): nn." .. spec[1] .. "(dim).", "nn." .. spec[1] .. "(2)(torch.randn(2, 3))")
  local fn = spec[2]
  function c:init(dim)
    if math.type(dim) ~= "integer" then error("nn." .. spec[1] .. ": bad argument #1 (dim): expected an integer dimension (1-based)", 3) end
    self.dim = dim
  end
  function c:forward(x) return fn(x, self.dim) end
  function c:extra_repr() return "dim=" .. self.dim end
end

local Dropout = class("Dropout", "Inverted dropout in training mode (zero with probability p, scale the rest by 1/(1-p)); identity in eval mode: nn.Dropout([p = 0.5]).",
  "local d = nn.Dropout(0.2); d:eval(); print(d(torch.ones(3)))")
function Dropout:init(p)
  p = p or 0.5
  if type(p) ~= "number" or p < 0 or p > 1 then error("nn.Dropout: p must be a probability between 0 and 1, got " .. tostring(p), 3) end
  self.p = p
end
function Dropout:forward(x) return F.dropout(x, self.p, self.training) end
function Dropout:extra_repr() return "p=" .. self.p end

local BatchNorm1d = class("BatchNorm1d", "Batch normalisation over [N, C] (or [N, C, L]) input: nn.BatchNorm1d(num_features [, {eps = 1e-5, momentum = 0.1, affine = true, track_running_stats = true}]).",
  "local bn = nn.BatchNorm1d(3); print(bn(torch.randn(8, 3)))")
function BatchNorm1d:init(n, opts)
  if math.type(n) ~= "integer" or n < 1 then error("nn.BatchNorm1d: bad argument #1 (num_features): expected a positive integer", 3) end
  opts = options("nn.BatchNorm1d", opts, { "eps", "momentum", "affine", "track_running_stats" })
  self.num_features, self.eps, self.momentum = n, opts.eps or 1e-5, opts.momentum or 0.1
  if opts.affine ~= false then
    self.weight = parameter(torch.ones(n))
    self.bias = parameter(torch.zeros(n))
  end
  if opts.track_running_stats ~= false then
    self.running_mean = torch.zeros(n)
    self.running_var = torch.ones(n)
    self.num_batches_tracked = torch.tensor(0)
  end
  rawset(self, "_label", string.format("nn.BatchNorm1d(%d)", n))
end
function BatchNorm1d:forward(x)
  local tracking = self.running_mean ~= nil
  if self.training and tracking then
    torch.no_grad(function() self.num_batches_tracked:add_(1) end)
  end
  return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                      self.training or not tracking, self.momentum, self.eps, self._label)
end
function BatchNorm1d:extra_repr() return string.format("%d, eps=%g, momentum=%g", self.num_features, self.eps, self.momentum) end

local LayerNorm = class("LayerNorm", "Layer normalisation over the trailing dims: nn.LayerNorm(normalized_shape [, {eps = 1e-5, elementwise_affine = true}]).",
  "nn.LayerNorm(3)(torch.randn(2, 3))")
function LayerNorm:init(shape, opts)
  opts = options("nn.LayerNorm", opts, { "eps", "elementwise_affine" })
  if type(shape) == "number" then shape = { shape } end
  self.normalized_shape, self.eps = shape, opts.eps or 1e-5
  if opts.elementwise_affine ~= false then
    self.weight = parameter(torch.ones(shape))
    self.bias = parameter(torch.zeros(shape))
  end
  rawset(self, "_label", "nn.LayerNorm([" .. table.concat(shape, ", ") .. "])")
end
function LayerNorm:forward(x) return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps, self._label) end
function LayerNorm:extra_repr() return "[" .. table.concat(self.normalized_shape, ", ") .. "], eps=" .. self.eps end

local Embedding = class("Embedding", "A lookup table of num_embeddings rows of embedding_dim values, indexed by 1-based int64 ids; weights start from N(0, 1): nn.Embedding(num, dim).",
  "nn.Embedding(10, 3)(torch.tensor({1, 5}))")
function Embedding:init(num, dim)
  if math.type(num) ~= "integer" or num < 1 then error("nn.Embedding: bad argument #1 (num_embeddings): expected a positive integer", 3) end
  if math.type(dim) ~= "integer" or dim < 1 then error("nn.Embedding: bad argument #2 (embedding_dim): expected a positive integer", 3) end
  self.num_embeddings, self.embedding_dim = num, dim
  self.weight = parameter(torch.randn(num, dim))
  rawset(self, "_label", string.format("nn.Embedding(%d, %d)", num, dim))
end
function Embedding:forward(ids) return F.embedding(ids, self.weight, self._label) end
function Embedding:extra_repr() return self.num_embeddings .. ", " .. self.embedding_dim end

local Flatten = class("Flatten", "Flattens dims start..end (default 2..-1), keeping the batch dim: nn.Flatten([start_dim = 2 [, end_dim = -1]]).", "nn.Flatten()(torch.zeros(2, 3, 4))")
function Flatten:init(s, e) self.start_dim, self.end_dim = s or 2, e or -1 end
function Flatten:forward(x) return x:flatten(self.start_dim, self.end_dim) end

local Sequential = class("Sequential", "Runs its modules in order, each on the previous one's output: nn.Sequential(m1, m2, ...). Children are named 1, 2, ... (parameters \"1.weight\").",
  "local model = nn.Sequential(nn.Linear(10, 2), nn.ReLU(), nn.Linear(2, 1)); print(model)")
function Sequential:init(...)
  for i = 1, select("#", ...) do
    local m = select(i, ...)
    if not is_module(m) then error("nn.Sequential: argument #" .. i .. " is not a module (got " .. type(m) .. ")", 3) end
    self[i] = m
  end
end
function Sequential:forward(x)
  for _, m in ipairs(self) do x = m(x) end
  return x
end
function Sequential:add(m)
  if not is_module(m) then error("Sequential:add: expected a module, got " .. type(m), 2) end
  self[#self + 1] = m
  return self
end

local ModuleList = class("ModuleList", "A list of modules whose parameters belong to the owner: nn.ModuleList{m1, m2}; index with [i], iterate with ipairs, add with :append(m).",
  "local blocks = nn.ModuleList{nn.Linear(2, 2), nn.Linear(2, 2)}; print(#blocks:parameters())")
function ModuleList:init(list)
  for i, m in ipairs(list or {}) do
    if not is_module(m) then error("nn.ModuleList: element " .. i .. " is not a module", 3) end
    self[i] = m
  end
end
function ModuleList:append(m)
  if not is_module(m) then error("ModuleList:append: expected a module, got " .. type(m), 2) end
  self[#self + 1] = m
  return self
end

---------------------------------------------------------------------------------------
-- Losses: modules around F's loss functions.
---------------------------------------------------------------------------------------
local function loss(name, fn, allowed, doc, example)
  local c = class(name, doc .. " Options: reduction = \"mean\" (default), \"sum\" or \"none\".", example)
  function c:init(opts)
    rawset(self, "_options", options("nn." .. name, opts, allowed))
  end
  function c:forward(input, target)
    if not is_tensor(input) then error("nn." .. name .. ": bad argument #1 (input): expected a tensor, got " .. type(input), 2) end
    if not is_tensor(target) then error("nn." .. name .. ": bad argument #2 (target): expected a tensor, got " .. type(target), 2) end
    return fn(input, target, self._options)
  end
  return c
end
local regression = "nn.MSELoss()(torch.tensor({1.0, 2.0}), torch.tensor({1.5, 2.5}))"
loss("MSELoss", F.mse_loss, { "reduction" }, "Mean squared error.", regression)
loss("L1Loss", F.l1_loss, { "reduction" }, "Mean absolute error.", regression:gsub("MSELoss", "L1Loss"))
loss("HuberLoss", F.huber_loss, { "reduction", "delta" }, "Huber loss with {delta = 1}.", regression:gsub("MSELoss", "HuberLoss"))
loss("SmoothL1Loss", F.smooth_l1_loss, { "reduction", "beta" }, "Smooth L1 loss with {beta = 1}.", regression:gsub("MSELoss", "SmoothL1Loss"))
loss("BCELoss", F.binary_cross_entropy, { "reduction", "weight" }, "Binary cross-entropy of probabilities (after a sigmoid); {weight}.",
  "nn.BCELoss()(torch.tensor({0.8, 0.1}), torch.tensor({1.0, 0.0}))")
loss("BCEWithLogitsLoss", F.binary_cross_entropy_with_logits, { "reduction", "weight", "pos_weight" },
  "Binary cross-entropy of raw scores (sigmoid built in, numerically stable); {weight, pos_weight}: pos_weight > 1 counts positives more (class imbalance).",
  "nn.BCEWithLogitsLoss({pos_weight = torch.tensor({3.0})})(torch.tensor({0.5, -1.0}), torch.tensor({1.0, 0.0}))")
loss("CrossEntropyLoss", F.cross_entropy, { "reduction", "weight", "ignore_index", "label_smoothing" },
  "Cross-entropy of raw scores [N, C] against 1-based int64 class labels (or class probabilities); {weight, ignore_index, label_smoothing}.",
  "nn.CrossEntropyLoss()(torch.randn(3, 4), torch.tensor({1, 4, 2}))")
loss("NLLLoss", F.nll_loss, { "reduction", "weight", "ignore_index" },
  "Negative log-likelihood of log-probabilities [N, C] against 1-based int64 class labels; {weight, ignore_index}.",
  "nn.NLLLoss()(F.log_softmax(torch.randn(3, 4), 2), torch.tensor({1, 4, 2}))")

---------------------------------------------------------------------------------------
-- nn.init: in-place initialisers (run without recording gradients).
---------------------------------------------------------------------------------------
local init = {}
nn.init = init

local function fans(t)
  local dims = t:dim()
  if dims < 2 then error("nn.init: fan in and fan out need a tensor with at least 2 dimensions, got " .. dims, 3) end
  local receptive = 1
  for d = 3, dims do receptive = receptive * t:size(d) end
  return t:size(2) * receptive, t:size(1) * receptive
end

local gains = { linear = 1, sigmoid = 1, conv1d = 1, tanh = 5 / 3, relu = math.sqrt(2), selu = 3 / 4 }
local function gain(nonlinearity, a)
  if nonlinearity == "leaky_relu" then return math.sqrt(2 / (1 + (a or 0.01) ^ 2)) end
  local g = gains[nonlinearity or "leaky_relu"]
  if not g then error("nn.init: unknown nonlinearity '" .. tostring(nonlinearity) .. "'", 3) end
  return g
end
init.calculate_gain = function(nonlinearity, a) return gain(nonlinearity, a) end

local function inplace(fn) return function(t, ...) local args = { ... }; torch.no_grad(function() fn(t, table.unpack(args)) end); return t end end
init.uniform_ = inplace(function(t, a, b) t:uniform_(a or 0, b or 1) end)
init.normal_ = inplace(function(t, mean, std) t:normal_(mean or 0, std or 1) end)
init.constant_ = inplace(function(t, v) t:fill_(v) end)
init.zeros_ = inplace(function(t) t:zero_() end)
init.ones_ = inplace(function(t) t:fill_(1) end)
init.xavier_uniform_ = inplace(function(t, g)
  local fan_in, fan_out = fans(t)
  local bound = (g or 1) * math.sqrt(6 / (fan_in + fan_out))
  t:uniform_(-bound, bound)
end)
init.xavier_normal_ = inplace(function(t, g)
  local fan_in, fan_out = fans(t)
  t:normal_(0, (g or 1) * math.sqrt(2 / (fan_in + fan_out)))
end)
local function kaiming_std(t, opts)
  opts = opts or {}
  local fan_in, fan_out = fans(t)
  local fan = (opts.mode or "fan_in") == "fan_in" and fan_in or fan_out
  return gain(opts.nonlinearity or "leaky_relu", opts.a or 0) / math.sqrt(fan)
end
init.kaiming_uniform_ = inplace(function(t, opts)
  local bound = math.sqrt(3) * kaiming_std(t, opts)
  t:uniform_(-bound, bound)
end)
init.kaiming_normal_ = inplace(function(t, opts) t:normal_(0, kaiming_std(t, opts)) end)
for name, fn in pairs(init) do
  document(fn, "nn.init." .. name, "In-place initialiser " .. name .. " as in torch.nn.init (runs without recording gradients); returns the tensor.",
           "local w = torch.empty(3, 4); nn.init." .. name .. (name == "calculate_gain" and "('relu')" or name == "constant_" and "(w, 0.5)" or "(w)"))
end
document(Module, "nn.Module", "The base class of every layer. nn.Module:extend(\"Net\") makes your own: define Net:init(...) to create layers as fields (parameters are found in assignment order) and Net:forward(x).",
         "local Net = nn.Module:extend('Net'); function Net:init() self.fc = nn.Linear(2, 1) end; function Net:forward(x) return self.fc(x) end; print(Net()(torch.ones(1, 2)))")
"""#
