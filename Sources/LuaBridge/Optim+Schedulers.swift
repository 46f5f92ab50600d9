/// optim.lr_scheduler and optim.LBFGS, in Lua, following PyTorch's formulas (the
/// recursive "chainable" forms where PyTorch uses them, so learning rates match step for
/// step).
let schedulerSource = #"""
local torch, optim, document, did_you_mean = ...
local ipairs, pairs, type, error, setmetatable, math = ipairs, pairs, type, error, setmetatable, math

local lr_scheduler = {}
optim.lr_scheduler = lr_scheduler

local function check(where, opts, allowed)
  opts = opts or {}
  if type(opts) ~= "table" then error(where .. ": options must be a table", 4) end
  for k in pairs(opts) do
    local ok = false
    for _, a in ipairs(allowed) do ok = ok or a == k end
    if not ok then error(where .. ": unknown option '" .. tostring(k) .. "'" .. did_you_mean(tostring(k), allowed) .. "; valid options: " .. table.concat(allowed, ", "), 4) end
  end
  return opts
end

local Scheduler = {}
Scheduler.__index = Scheduler

function Scheduler:get_last_lr()
  local out = {}
  for i, g in ipairs(self.optimizer.param_groups) do out[i] = g.lr end
  return out
end

function Scheduler:state_dict() return { last_epoch = self.last_epoch, base_lrs = self.base_lrs } end
function Scheduler:load_state_dict(s) self.last_epoch, self.base_lrs = s.last_epoch, s.base_lrs end

-- A scheduler class whose `lr(self, group_index, group)` gives the next rate.
local function scheduler(name, allowed, setup, doc, example)
  local class = setmetatable({}, { __index = Scheduler })
  class.__index = class
  local where = "optim.lr_scheduler." .. name
  lr_scheduler[name] = function(optimizer, opts)
    if type(optimizer) ~= "table" or type(optimizer.param_groups) ~= "table" then
      error(where .. ": bad argument #1 (optimizer): expected an optimizer", 2)
    end
    opts = check(where, opts, allowed)
    local self = setmetatable({ optimizer = optimizer, last_epoch = 0, base_lrs = {}, _where = where }, class)
    for i, g in ipairs(optimizer.param_groups) do
      g.initial_lr = g.initial_lr or g.lr
      self.base_lrs[i] = g.initial_lr
    end
    setup(self, opts, where)
    self:_apply()
    return self
  end
  document(lr_scheduler[name], where, doc .. " Call sched:step() once per epoch (or per batch, as the schedule is meant); sched:get_last_lr() lists the rates.", example)
  return class
end

function Scheduler:_apply()
  for i, g in ipairs(self.optimizer.param_groups) do g.lr = self:lr(i, g) end
end

function Scheduler:step()
  self.last_epoch = self.last_epoch + 1
  self:_apply()
end

local example = "local opt = optim.SGD({torch.zeros(1, {requires_grad = true})}, {lr = 0.1}); local s = optim.lr_scheduler."

local StepLR = scheduler("StepLR", { "step_size", "gamma" }, function(self, o, where)
  if math.type(o.step_size) ~= "integer" or o.step_size < 1 then error(where .. ": step_size must be a positive integer", 4) end
  self.step_size, self.gamma = o.step_size, o.gamma or 0.1
end, "Multiplies the rate by gamma (default 0.1) every step_size steps: StepLR(opt, {step_size, gamma}).", example .. "StepLR(opt, {step_size = 2}); s:step()")
function StepLR:lr(i) return self.base_lrs[i] * self.gamma ^ (self.last_epoch // self.step_size) end

local MultiStepLR = scheduler("MultiStepLR", { "milestones", "gamma" }, function(self, o, where)
  if type(o.milestones) ~= "table" then error(where .. ": milestones must be a list of step numbers", 4) end
  self.milestones, self.gamma = o.milestones, o.gamma or 0.1
end, "Multiplies the rate by gamma at each milestone: MultiStepLR(opt, {milestones = {30, 80}, gamma}).", example .. "MultiStepLR(opt, {milestones = {1, 3}}); s:step()")
function MultiStepLR:lr(i)
  local passed = 0
  for _, m in ipairs(self.milestones) do if self.last_epoch >= m then passed = passed + 1 end end
  return self.base_lrs[i] * self.gamma ^ passed
end

local ExponentialLR = scheduler("ExponentialLR", { "gamma" }, function(self, o, where)
  if type(o.gamma) ~= "number" then error(where .. ": gamma is required", 4) end
  self.gamma = o.gamma
end, "Multiplies the rate by gamma every step: ExponentialLR(opt, {gamma}).", example .. "ExponentialLR(opt, {gamma = 0.9}); s:step()")
function ExponentialLR:lr(i) return self.base_lrs[i] * self.gamma ^ self.last_epoch end

local CosineAnnealingLR = scheduler("CosineAnnealingLR", { "T_max", "eta_min" }, function(self, o, where)
  if type(o.T_max) ~= "number" or o.T_max <= 0 then error(where .. ": T_max must be a positive number of steps", 4) end
  self.T_max, self.eta_min = o.T_max, o.eta_min or 0
end, "Cosine annealing from the initial rate to eta_min over T_max steps (PyTorch's recursive form): CosineAnnealingLR(opt, {T_max, eta_min = 0}).", example .. "CosineAnnealingLR(opt, {T_max = 10}); s:step()")
function CosineAnnealingLR:lr(i, g)
  local e, T, eta, base = self.last_epoch, self.T_max, self.eta_min, self.base_lrs[i]
  if e == 0 then return base end
  if (e - 1 - T) % (2 * T) == 0 then return g.lr + (base - eta) * (1 - math.cos(math.pi / T)) / 2 end
  return (1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T)) * (g.lr - eta) + eta
end

local LinearLR = scheduler("LinearLR", { "start_factor", "end_factor", "total_iters" }, function(self, o, where)
  self.start_factor, self.end_factor, self.total_iters = o.start_factor or 1 / 3, o.end_factor or 1, o.total_iters or 5
  if self.start_factor <= 0 or self.start_factor > 1 then error(where .. ": start_factor must be in (0, 1]", 4) end
end, "Scales the rate linearly from start_factor to end_factor over total_iters steps: LinearLR(opt, {start_factor = 1/3, end_factor = 1, total_iters = 5}).", example .. "LinearLR(opt); s:step()")
function LinearLR:lr(_, g)
  local e, s, f, n = self.last_epoch, self.start_factor, self.end_factor, self.total_iters
  if e == 0 then return g.lr * s end
  if e > n then return g.lr end
  return g.lr * (1 + (f - s) / (n * s + (e - 1) * (f - s)))
end

local LambdaLR = scheduler("LambdaLR", { "lr_lambda" }, function(self, o, where)
  if type(o.lr_lambda) ~= "function" then error(where .. ": lr_lambda must be a function of the step number", 4) end
  self.lr_lambda = o.lr_lambda
end, "The initial rate times lr_lambda(step): LambdaLR(opt, {lr_lambda = function(epoch) return 0.95 ^ epoch end}).", example .. "LambdaLR(opt, {lr_lambda = function(e) return 1 / (e + 1) end}); s:step()")
function LambdaLR:lr(i) return self.base_lrs[i] * self.lr_lambda(self.last_epoch) end

local OneCycleLR = scheduler("OneCycleLR", { "max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start", "anneal_strategy",
                                              "div_factor", "final_div_factor", "three_phase", "cycle_momentum", "base_momentum", "max_momentum" },
function(self, o, where)
  local total = o.total_steps or (o.epochs and o.steps_per_epoch and o.epochs * o.steps_per_epoch)
  if math.type(total) ~= "integer" or total < 1 then error(where .. ": give total_steps, or epochs and steps_per_epoch", 4) end
  if type(o.max_lr) ~= "number" then error(where .. ": max_lr is required", 4) end
  local pct, div, final = o.pct_start or 0.3, o.div_factor or 25, o.final_div_factor or 1e4
  self.total_steps = total
  self.anneal = (o.anneal_strategy or "cos") == "cos" and function(a, b, p) return b + (a - b) / 2 * (math.cos(math.pi * p) + 1) end
                                                       or function(a, b, p) return (b - a) * p + a end
  local initial = o.max_lr / div
  local min_lr = initial / final
  local hi, lo = o.max_momentum or 0.95, o.base_momentum or 0.85
  if o.three_phase then
    self.phases = { { pct * total - 1, initial, o.max_lr, hi, lo }, { 2 * pct * total - 2, o.max_lr, initial, lo, hi }, { total - 1, initial, min_lr, hi, hi } }
  else
    self.phases = { { pct * total - 1, initial, o.max_lr, hi, lo }, { total - 1, o.max_lr, min_lr, lo, hi } }
  end
  self.cycle_momentum = o.cycle_momentum ~= false
  for _, g in ipairs(self.optimizer.param_groups) do
    g.initial_lr = initial
    if self.cycle_momentum then
      if g.betas then g.betas = { hi, g.betas[2] } elseif g.momentum ~= nil then g.momentum = hi end
    end
  end
  for i in ipairs(self.base_lrs) do self.base_lrs[i] = initial end
end, "The one-cycle policy: warm up to max_lr, then anneal far below the start, cycling momentum the other way: OneCycleLR(opt, {max_lr, total_steps (or epochs and steps_per_epoch), pct_start = 0.3, anneal_strategy = 'cos', div_factor = 25, final_div_factor = 1e4, three_phase = false}).",
example .. "OneCycleLR(opt, {max_lr = 1, total_steps = 10}); s:step()")
function OneCycleLR:lr(_, g)
  local step = self.last_epoch
  if step > self.total_steps then
    error(self._where .. ": stepped " .. step .. " times, more than total_steps (" .. self.total_steps .. ")", 3)
  end
  local start = 0
  for k, phase in ipairs(self.phases) do
    local finish = phase[1]
    if step <= finish or k == #self.phases then
      local pct = (step - start) / (finish - start)
      if self.cycle_momentum then
        local m = self.anneal(phase[4], phase[5], pct)
        if g.betas then g.betas = { m, g.betas[2] } elseif g.momentum ~= nil then g.momentum = m end
      end
      return self.anneal(phase[2], phase[3], pct)
    end
    start = finish
  end
end

-- ReduceLROnPlateau: multiplies the rate by factor when the metric stops improving.
local Plateau = {}
Plateau.__index = Plateau
function lr_scheduler.ReduceLROnPlateau(optimizer, opts)
  local where = "optim.lr_scheduler.ReduceLROnPlateau"
  opts = check(where, opts, { "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps" })
  local mode = opts.mode or "min"
  if mode ~= "min" and mode ~= "max" then error(where .. ": mode must be 'min' or 'max', got '" .. tostring(mode) .. "'", 2) end
  local factor = opts.factor or 0.1
  if factor >= 1 then error(where .. ": factor must be below 1, got " .. factor, 2) end
  return setmetatable({ optimizer = optimizer, mode = mode, factor = factor, patience = opts.patience or 10,
                        threshold = opts.threshold or 1e-4, threshold_mode = opts.threshold_mode or "rel",
                        cooldown = opts.cooldown or 0, min_lr = opts.min_lr or 0, eps = opts.eps or 1e-8,
                        best = mode == "min" and math.huge or -math.huge, num_bad_epochs = 0, cooldown_counter = 0,
                        last_epoch = 0 }, Plateau)
end
function Plateau:_better(a)
  local t, best = self.threshold, self.best
  if self.mode == "min" then
    return self.threshold_mode == "rel" and a < best * (1 - t) or self.threshold_mode ~= "rel" and a < best - t
  end
  return self.threshold_mode == "rel" and a > best * (1 + t) or self.threshold_mode ~= "rel" and a > best + t
end
function Plateau:step(metric)
  if torch.is_tensor(metric) then metric = metric:item() end
  if type(metric) ~= "number" then error("ReduceLROnPlateau:step: bad argument #1 (metric): expected a number", 2) end
  self.last_epoch = self.last_epoch + 1
  if self:_better(metric) then self.best, self.num_bad_epochs = metric, 0 else self.num_bad_epochs = self.num_bad_epochs + 1 end
  if self.cooldown_counter > 0 then
    self.cooldown_counter = self.cooldown_counter - 1
    self.num_bad_epochs = 0
  end
  if self.num_bad_epochs > self.patience then
    for _, g in ipairs(self.optimizer.param_groups) do
      local new = math.max(g.lr * self.factor, self.min_lr)
      if g.lr - new > self.eps then g.lr = new end
    end
    self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
  end
end
Plateau.get_last_lr = Scheduler.get_last_lr
document(lr_scheduler.ReduceLROnPlateau, "optim.lr_scheduler.ReduceLROnPlateau",
  "Cuts the rate by factor (default 0.1) when a validation metric stops improving for patience (10) steps: ReduceLROnPlateau(opt, {mode = 'min', factor, patience, threshold, threshold_mode, cooldown, min_lr, eps}); call sched:step(val_loss).",
  example .. "ReduceLROnPlateau(opt, {patience = 0}); s:step(1.0); s:step(2.0)")

---------------------------------------------------------------------------------------
-- L-BFGS (PyTorch's algorithm, fixed step or strong-Wolfe line search).
---------------------------------------------------------------------------------------
local LBFGS = {}
LBFGS.__index = LBFGS
function optim.LBFGS(params, opts)
  local where = "optim.LBFGS"
  opts = check(where, opts, { "lr", "max_iter", "max_eval", "tolerance_grad", "tolerance_change", "history_size", "line_search_fn" })
  if type(params) ~= "table" or #params == 0 then error(where .. ": bad argument #1 (params): expected a non-empty list of tensors", 2) end
  if opts.line_search_fn ~= nil and opts.line_search_fn ~= "strong_wolfe" then
    error(where .. ": line_search_fn must be nil or 'strong_wolfe', got '" .. tostring(opts.line_search_fn) .. "'", 2)
  end
  local max_iter = opts.max_iter or 20
  local group = { params = params, lr = opts.lr or 1, max_iter = max_iter, max_eval = opts.max_eval or math.floor(max_iter * 5 / 4),
                  tolerance_grad = opts.tolerance_grad or 1e-7, tolerance_change = opts.tolerance_change or 1e-9,
                  history_size = opts.history_size or 100, line_search_fn = opts.line_search_fn }
  if group.lr < 0 then error(where .. ": invalid learning rate " .. group.lr, 2) end
  return setmetatable({ param_groups = { group }, state = { func_evals = 0, n_iter = 0 } }, LBFGS)
end

function LBFGS:zero_grad() for _, p in ipairs(self.param_groups[1].params) do p.grad = nil end end

function LBFGS:_flat_grad()
  local parts = {}
  for i, p in ipairs(self.param_groups[1].params) do
    parts[i] = p.grad and p.grad:reshape(-1) or torch.zeros(p:numel(), { dtype = p.dtype })
  end
  return torch.cat(parts)
end

function LBFGS:_add(t, d)
  local offset = 1
  torch.no_grad(function()
    for _, p in ipairs(self.param_groups[1].params) do
      local n = p:numel()
      p:add_(d:narrow(1, offset, n):view(table.unpack(p.shape)) * t)
      offset = offset + n
    end
  end)
end

-- Runs fn with autograd recording on (the closure needs it inside the no_grad step).
local function with_grad(fn)
  local saved = torch.is_grad_enabled()
  torch.set_grad_enabled(true)
  local ok, a, b = pcall(fn)
  torch.set_grad_enabled(saved)
  if not ok then error(a, 0) end
  return a, b
end

-- Cubic interpolation of the minimum between two points with values and slopes.
local function cubic_interpolate(x1, f1, g1, x2, f2, g2, lo, hi)
  if lo == nil then lo, hi = math.min(x1, x2), math.max(x1, x2) end
  local d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
  local d2_square = d1 * d1 - g1 * g2
  if d2_square >= 0 then
    local d2 = math.sqrt(d2_square)
    local pos
    if x1 <= x2 then pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2)) end
    return math.min(math.max(pos, lo), hi)
  end
  return (lo + hi) / 2
end

-- Line search for a step satisfying the strong Wolfe conditions (as PyTorch's).
local function strong_wolfe(evaluate, t, d, f, g, gtd, tolerance_change, max_ls)
  local c1, c2 = 1e-4, 0.9
  local d_norm = d:abs():max():item()
  local f_new, g_new = evaluate(t)
  local evals = 1
  local gtd_new = g_new:dot(d):item()
  local t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
  local done, ls_iter = false, 0
  local bracket, bracket_f, bracket_g, bracket_gtd
  while ls_iter < max_ls do
    if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev) then
      bracket, bracket_f, bracket_g, bracket_gtd = { t_prev, t }, { f_prev, f_new }, { g_prev, g_new }, { gtd_prev, gtd_new }
      break
    end
    if math.abs(gtd_new) <= -c2 * gtd then
      bracket, bracket_f, bracket_g, done = { t }, { f_new }, { g_new }, true
      break
    end
    if gtd_new >= 0 then
      bracket, bracket_f, bracket_g, bracket_gtd = { t_prev, t }, { f_prev, f_new }, { g_prev, g_new }, { gtd_prev, gtd_new }
      break
    end
    local min_step, max_step, previous = t + 0.01 * (t - t_prev), t * 10, t
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, min_step, max_step)
    t_prev, f_prev, g_prev, gtd_prev = previous, f_new, g_new, gtd_new
    f_new, g_new = evaluate(t)
    evals = evals + 1
    gtd_new = g_new:dot(d):item()
    ls_iter = ls_iter + 1
  end
  if ls_iter == max_ls then
    bracket, bracket_f, bracket_g = { 0, t }, { f, f_new }, { g, g_new }
  end
  local insufficient = false
  local low, high = 1, 2
  if not (bracket_f[1] <= bracket_f[#bracket_f]) then low, high = 2, 1 end
  while not done and ls_iter < max_ls do
    if math.abs(bracket[2] - bracket[1]) * d_norm < tolerance_change then break end
    t = cubic_interpolate(bracket[1], bracket_f[1], bracket_gtd[1], bracket[2], bracket_f[2], bracket_gtd[2])
    local top, bottom = math.max(bracket[1], bracket[2]), math.min(bracket[1], bracket[2])
    local eps = 0.1 * (top - bottom)
    if math.min(top - t, t - bottom) < eps then
      if insufficient or t >= top or t <= bottom then
        t = math.abs(t - top) < math.abs(t - bottom) and top - eps or bottom + eps
        insufficient = false
      else
        insufficient = true
      end
    else
      insufficient = false
    end
    f_new, g_new = evaluate(t)
    evals = evals + 1
    gtd_new = g_new:dot(d):item()
    ls_iter = ls_iter + 1
    if f_new > f + c1 * t * gtd or f_new >= bracket_f[low] then
      bracket[high], bracket_f[high], bracket_g[high], bracket_gtd[high] = t, f_new, g_new, gtd_new
      if bracket_f[1] <= bracket_f[2] then low, high = 1, 2 else low, high = 2, 1 end
    else
      if math.abs(gtd_new) <= -c2 * gtd then
        done = true
      elseif gtd_new * (bracket[high] - bracket[low]) >= 0 then
        bracket[high], bracket_f[high], bracket_g[high], bracket_gtd[high] = bracket[low], bracket_f[low], bracket_g[low], bracket_gtd[low]
      end
      bracket[low], bracket_f[low], bracket_g[low], bracket_gtd[low] = t, f_new, g_new, gtd_new
    end
  end
  return bracket_f[low], bracket_g[low], bracket[low], evals
end

--- step(closure): the closure clears gradients, computes the loss, calls backward and
--- returns the loss; L-BFGS calls it up to max_eval times.
function LBFGS:step(closure)
  if type(closure) ~= "function" then error("optim.LBFGS:step: bad argument #1 (closure): expected a function that returns the loss", 2) end
  local g, state = self.param_groups[1], self.state
  local function evaluate()
    local loss = closure()
    return torch.is_tensor(loss) and loss:item() or loss
  end
  local orig_loss = closure()
  local loss = torch.is_tensor(orig_loss) and orig_loss:item() or orig_loss
  local current_evals = 1
  state.func_evals = state.func_evals + 1
  local flat_grad = self:_flat_grad()
  if flat_grad:abs():max():item() <= g.tolerance_grad then return orig_loss end
  local d, t, old_dirs, old_stps, ro, H_diag = state.d, state.t, state.old_dirs, state.old_stps, state.ro, state.H_diag
  local prev_flat_grad, prev_loss = state.prev_flat_grad, state.prev_loss
  local n_iter = 0
  torch.no_grad(function()
    while n_iter < g.max_iter do
      n_iter = n_iter + 1
      state.n_iter = state.n_iter + 1
      if state.n_iter == 1 then
        d, old_dirs, old_stps, ro, H_diag = -flat_grad, {}, {}, {}, 1
      else
        local y = flat_grad - prev_flat_grad
        local s = d * t
        local ys = y:dot(s):item()
        if ys > 1e-10 then
          if #old_dirs == g.history_size then table.remove(old_dirs, 1); table.remove(old_stps, 1); table.remove(ro, 1) end
          old_dirs[#old_dirs + 1], old_stps[#old_stps + 1], ro[#ro + 1] = y, s, 1 / ys
          H_diag = ys / y:dot(y):item()
        end
        local al = {}
        local q = -flat_grad
        for i = #old_dirs, 1, -1 do
          al[i] = old_stps[i]:dot(q):item() * ro[i]
          q = q - old_dirs[i] * al[i]
        end
        local r = q * H_diag
        for i = 1, #old_dirs do
          local be = old_dirs[i]:dot(r):item() * ro[i]
          r = r + old_stps[i] * (al[i] - be)
        end
        d = r
      end
      prev_flat_grad = flat_grad:clone()
      prev_loss = loss
      if state.n_iter == 1 then t = math.min(1, 1 / flat_grad:abs():sum():item()) * g.lr else t = g.lr end
      local gtd = flat_grad:dot(d):item()
      if gtd > -g.tolerance_change then break end
      local evals = 0
      local optimal = false
      if g.line_search_fn == "strong_wolfe" then
        local params = g.params
        local start = {}
        for i, p in ipairs(params) do start[i] = p:clone() end
        local function directional(step)
          self:_add(step, d)
          local value = with_grad(evaluate)
          local grad = self:_flat_grad()
          for i, p in ipairs(params) do p:copy_(start[i]) end
          return value, grad
        end
        loss, flat_grad, t, evals = strong_wolfe(directional, t, d, loss, flat_grad, gtd, g.tolerance_change, g.max_eval - current_evals)
        self:_add(t, d)
        optimal = flat_grad:abs():max():item() <= g.tolerance_grad
      else
        self:_add(t, d)
        if n_iter ~= g.max_iter then
          loss = with_grad(evaluate)
          flat_grad = self:_flat_grad()
          optimal = flat_grad:abs():max():item() <= g.tolerance_grad
          evals = 1
        end
      end
      current_evals = current_evals + evals
      state.func_evals = state.func_evals + evals
      if n_iter == g.max_iter or current_evals >= g.max_eval or optimal then break end
      if (d * t):abs():max():item() <= g.tolerance_change then break end
      if math.abs(loss - prev_loss) < g.tolerance_change then break end
    end
  end)
  state.d, state.t, state.old_dirs, state.old_stps, state.ro, state.H_diag = d, t, old_dirs, old_stps, ro, H_diag
  state.prev_flat_grad, state.prev_loss = prev_flat_grad, prev_loss
  return orig_loss
end
document(optim.LBFGS, "optim.LBFGS", "Limited-memory BFGS for small full-batch problems (CLV, MMM fits): optim.LBFGS(params, {lr = 1, max_iter = 20, max_eval, tolerance_grad = 1e-7, tolerance_change = 1e-9, history_size = 100, line_search_fn = nil or 'strong_wolfe'}); opt:step(closure) where the closure zeroes grads, computes the loss, calls backward and returns it.",
  "local w = torch.zeros(2, {requires_grad = true}); local opt = optim.LBFGS({w}); opt:step(function() opt:zero_grad(); local l = ((w - torch.tensor({1.0, 2.0})) ^ 2):sum(); l:backward(); return l end); print(w)")
"""#
