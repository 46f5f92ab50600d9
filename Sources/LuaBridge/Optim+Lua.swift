/// optim's optimizers and learning-rate schedulers, in Lua: parameter groups and state
/// live in Lua tables (so `param_groups[1].lr` is writable and state_dict is plain data);
/// each step calls the fused Swift update kernel once per parameter.
let optimSource = #"""
local torch, optim, document, did_you_mean = ...
local ipairs, pairs, type, error, setmetatable = ipairs, pairs, type, error, setmetatable

local function check_options(where, opts, defaults)
  opts = opts or {}
  if type(opts) ~= "table" then error(where .. ": options must be a table, got " .. type(opts), 4) end
  local names = {}
  for k in pairs(defaults) do names[#names + 1] = k end
  table.sort(names)
  for k in pairs(opts) do
    if defaults[k] == nil and k ~= "params" then
      error(where .. ": unknown option '" .. tostring(k) .. "'" .. did_you_mean(tostring(k), names) ..
            "; valid options: " .. table.concat(names, ", "), 4)
    end
  end
end

local Optimizer = {}
Optimizer.__index = Optimizer

-- optim.X(params, opts): params is a list of tensors or of groups {params = {...}, lr = ...}.
local function new_optimizer(name, defaults, validate)
  local class = setmetatable({ __name = "optim." .. name }, { __index = Optimizer })
  class.__index = class
  class.__tostring = function(self)
    local lines = { "optim." .. name .. " (" .. #self.param_groups .. " parameter group" .. (#self.param_groups == 1 and "" or "s") .. ")" }
    for i, g in ipairs(self.param_groups) do
      local parts = {}
      for k, v in pairs(g) do if k ~= "params" then parts[#parts + 1] = k .. "=" .. tostring(v) end end
      table.sort(parts)
      lines[#lines + 1] = string.format("  group %d: %d tensors, %s", i, #g.params, table.concat(parts, ", "))
    end
    return table.concat(lines, "\n")
  end
  local where = "optim." .. name
  local constructor = function(params, opts)
    check_options(where, opts, defaults)
    if type(params) ~= "table" then error(where .. ": bad argument #1 (params): expected a list of tensors (model:parameters()), got " .. type(params), 2) end
    local groups = {}
    if params[1] ~= nil and not torch.is_tensor(params[1]) and type(params[1]) == "table" then
      for _, g in ipairs(params) do groups[#groups + 1] = g end
    else
      groups[1] = { params = params }
    end
    local self = setmetatable({ param_groups = {}, state = {}, defaults = defaults, _name = where }, class)
    local count = 0
    for gi, g in ipairs(groups) do
      check_options(where, g, defaults)
      local group = { params = {} }
      for k, v in pairs(defaults) do group[k] = v end
      for k, v in pairs(opts or {}) do group[k] = v end
      for k, v in pairs(g) do if k ~= "params" then group[k] = v end end
      for i, p in ipairs(g.params or {}) do
        if not torch.is_tensor(p) then error(where .. ": parameter " .. i .. " of group " .. gi .. " is not a tensor", 2) end
        if not p.requires_grad then error(where .. ": parameter " .. i .. " of group " .. gi .. " does not require grad (is it a leaf created with requires_grad?)", 2) end
        group.params[#group.params + 1] = p
        count = count + 1
      end
      if type(group.lr) ~= "number" or group.lr < 0 then
        error(where .. ": invalid learning rate " .. tostring(group.lr) .. " (lr must be a number >= 0)", 2)
      end
      if validate then validate(group, where) end
      self.param_groups[gi] = group
    end
    if count == 0 then error(where .. ": got an empty parameter list (did you pass model:parameters() of a model without layers?)", 2) end
    return self
  end
  optim[name] = setmetatable(class, { __index = Optimizer, __call = function(_, params, opts) return constructor(params, opts) end })
  return class
end

function Optimizer:zero_grad()
  for _, g in ipairs(self.param_groups) do
    for _, p in ipairs(g.params) do p.grad = nil end
  end
end

-- Runs the closure (which recomputes the loss with gradients) when given.
function Optimizer:step(closure)
  local loss
  if closure ~= nil then
    if type(closure) ~= "function" then error(self._name .. ":step: bad argument #1 (closure): expected a function, got " .. type(closure), 2) end
    loss = closure()
  end
  torch.no_grad(function()
    for _, g in ipairs(self.param_groups) do
      for _, p in ipairs(g.params) do
        local grad = p.grad
        if grad ~= nil then
          local state = self.state[p]
          if state == nil then state = { step = 0 }; self.state[p] = state end
          state.step = state.step + 1
          self:_update(p, grad, state, g)
        end
      end
    end
  end)
  return loss
end

--- {state = {[i] = {...}}, param_groups = {{lr = ..., params = {i, ...}}}}, parameters
--- numbered in order across groups (as PyTorch's state_dict).
function Optimizer:state_dict()
  local state, groups, index = {}, {}, 0
  for gi, g in ipairs(self.param_groups) do
    local group = { params = {} }
    for k, v in pairs(g) do if k ~= "params" then group[k] = v end end
    for _, p in ipairs(g.params) do
      index = index + 1
      group.params[#group.params + 1] = index
      local s = self.state[p]
      if s then
        local copy = {}
        for k, v in pairs(s) do copy[k] = torch.is_tensor(v) and v:clone() or v end
        state[index] = copy
      end
    end
    groups[gi] = group
  end
  return { state = state, param_groups = groups }
end

function Optimizer:load_state_dict(sd)
  if type(sd) ~= "table" or type(sd.param_groups) ~= "table" then
    error(self._name .. ":load_state_dict: expected a table with state and param_groups (from optimizer:state_dict())", 2)
  end
  if #sd.param_groups ~= #self.param_groups then
    error(self._name .. ":load_state_dict: the saved state has " .. #sd.param_groups .. " parameter groups, this optimizer has " .. #self.param_groups, 2)
  end
  local index = 0
  for gi, g in ipairs(self.param_groups) do
    local saved = sd.param_groups[gi]
    if #saved.params ~= #g.params then
      error(self._name .. ":load_state_dict: group " .. gi .. " has " .. #g.params .. " parameters, the saved one " .. #saved.params, 2)
    end
    for k, v in pairs(saved) do if k ~= "params" then g[k] = v end end
    for pi, p in ipairs(g.params) do
      index = index + 1
      local s = sd.state and sd.state[saved.params[pi]]
      if s then
        local copy = {}
        for k, v in pairs(s) do copy[k] = torch.is_tensor(v) and v:clone() or v end
        self.state[p] = copy
      else
        self.state[p] = nil
      end
    end
  end
end

local function zeros_like(p) return torch.zeros_like(p) end

local SGD = new_optimizer("SGD", { lr = 1e-3, momentum = 0, dampening = 0, weight_decay = 0, nesterov = false },
  function(g, where)
    if g.nesterov and (g.momentum <= 0 or g.dampening ~= 0) then error(where .. ": nesterov momentum needs momentum > 0 and dampening = 0", 4) end
  end)
function SGD:_update(p, grad, state, g)
  local first = state.momentum_buffer == nil
  if g.momentum ~= 0 and first then state.momentum_buffer = zeros_like(p) end
  optim._sgd_update(p, grad, g.momentum ~= 0 and state.momentum_buffer or nil, first, g.lr, g.momentum, g.dampening, g.weight_decay, g.nesterov)
end

local function adam_like(name, defaults, decoupled)
  local class = new_optimizer(name, defaults, function(g, where)
    local b = g.betas
    if type(b) ~= "table" or not (b[1] >= 0 and b[1] < 1 and b[2] >= 0 and b[2] < 1) then
      error(where .. ": betas must be {beta1, beta2} with each in [0, 1)", 4)
    end
  end)
  function class:_update(p, grad, state, g)
    if state.exp_avg == nil then
      state.exp_avg, state.exp_avg_sq = zeros_like(p), zeros_like(p)
      if g.amsgrad then state.max_exp_avg_sq = zeros_like(p) end
    end
    optim._adam_update(p, grad, state.exp_avg, state.exp_avg_sq, g.amsgrad and state.max_exp_avg_sq or nil, state.step,
                       g.lr, g.betas[1], g.betas[2], g.eps, g.weight_decay, decoupled)
  end
end
adam_like("Adam", { lr = 1e-3, betas = { 0.9, 0.999 }, eps = 1e-8, weight_decay = 0, amsgrad = false }, false)
adam_like("AdamW", { lr = 1e-3, betas = { 0.9, 0.999 }, eps = 1e-8, weight_decay = 1e-2, amsgrad = false }, true)

local RMSprop = new_optimizer("RMSprop", { lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0, centered = false })
function RMSprop:_update(p, grad, state, g)
  if state.square_avg == nil then
    state.square_avg = zeros_like(p)
    if g.centered then state.grad_avg = zeros_like(p) end
    if g.momentum > 0 then state.momentum_buffer = zeros_like(p) end
  end
  optim._rmsprop_update(p, grad, state.square_avg, g.centered and state.grad_avg or nil,
                        g.momentum > 0 and state.momentum_buffer or nil, g.lr, g.alpha, g.eps, g.weight_decay, g.momentum)
end

local Adagrad = new_optimizer("Adagrad", { lr = 1e-2, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, eps = 1e-10 })
function Adagrad:_update(p, grad, state, g)
  if state.sum == nil then state.sum = torch.full(p.shape, g.initial_accumulator_value, { dtype = p.dtype }) end
  optim._adagrad_update(p, grad, state.sum, state.step, g.lr, g.lr_decay, g.eps, g.weight_decay)
end

local docs = {
  SGD = "Stochastic gradient descent: optim.SGD(params, {lr, momentum = 0, dampening = 0, weight_decay = 0, nesterov = false}), PyTorch's update rule.",
  Adam = "Adam: optim.Adam(params, {lr = 1e-3, betas = {0.9, 0.999}, eps = 1e-8, weight_decay = 0, amsgrad = false}).",
  AdamW = "Adam with decoupled weight decay: optim.AdamW(params, {lr = 1e-3, betas, eps, weight_decay = 1e-2, amsgrad}).",
  RMSprop = "RMSprop: optim.RMSprop(params, {lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0, centered = false}).",
  Adagrad = "Adagrad: optim.Adagrad(params, {lr = 1e-2, lr_decay = 0, weight_decay = 0, initial_accumulator_value = 0, eps = 1e-10}).",
}
for name, doc in pairs(docs) do
  document(optim[name], "optim." .. name, doc .. " Methods: zero_grad(), step([closure]), state_dict(), load_state_dict(sd); param_groups[i].lr is writable.",
           "local w = torch.zeros(2, {requires_grad = true}); local opt = optim." .. name .. "({w}, {lr = 0.1}); (w - 1):pow(2):sum():backward(); opt:step()")
end
"""#
