/// marketing uplift, part 2 of the Lua chunk: the learners an uplift model fits per arm:
/// "logistic" (L-BFGS, equal to scikit-learn), "mlp" (nn + Adam) or the analyst's own
/// function(X, y, weight) -> predict. Assembled in Marketing+Uplift.swift.
let upliftLearnersSource = #"""
-- Learners: what the uplift wrappers fit per arm. A learner turns (X, y [, weight]) into a
-- predict(X_new) function returning P(y = 1) as a tensor [n]. The built-ins standardise X
-- on the rows they are fitted on (as scikit-learn's StandardScaler: population standard
-- deviation, a constant column left unscaled), so features on any scale work.
local F = nn.functional

-- The column means and scales of X (float64), as StandardScaler computes them.
local function standardizer(X)
  local mean = X:mean(1)
  local scale = X:std(1, { unbiased = false })
  scale = torch.where(scale:gt(0), scale, torch.ones_like(scale))
  return mean, scale
end

local logistic_options = { C = true, max_iter = true }
local mlp_options = { hidden = true, epochs = true, lr = true, batch_size = true, weight_decay = true, seed = true }

-- Logistic regression with an L2 penalty on the weights (not the intercept), minimising
-- C * sum(w_i * logloss_i) + ||beta||^2 / 2 like scikit-learn's LogisticRegression; the
-- loss is divided by C * sum(w_i) so its gradient has the size of a mean, and L-BFGS runs
-- until that gradient is below 1e-9 (scikit-learn's answer with a tight tol).
local function fit_logistic(fn, settings, X, y, weight)
  local Xd = X:double()
  local mean, scale = standardizer(Xd)
  local Z = (Xd - mean) / scale
  local yd = y:double()
  local n, d = Z:size(1), Z:size(2)
  local total = weight and weight:double():sum():item() or n
  local wd = weight and weight:double()
  local rate = (wd and (yd * wd):sum():item() or yd:sum():item()) / total
  local beta = torch.zeros(d, { dtype = "float64", requires_grad = true })
  -- Start the intercept at the base rate's log-odds: fewer iterations, same optimum.
  local intercept = torch.full({ 1 }, math.log(rate / (1 - rate)), { dtype = "float64" }):requires_grad_()
  local penalty = 1 / (2 * settings.C * total)
  local optimizer = optim.LBFGS({ beta, intercept }, { max_iter = settings.max_iter, max_eval = settings.max_iter * 2,
    tolerance_grad = 1e-9, tolerance_change = 1e-15, history_size = 10, line_search_fn = "strong_wolfe" })
  local function closure()
    optimizer:zero_grad()
    local losses = F.binary_cross_entropy_with_logits(Z:matmul(beta) + intercept, yd, { reduction = "none" })
    local loss = (wd and (losses * wd):sum() or losses:sum()) / total
    if penalty > 0 then loss = loss + penalty * (beta * beta):sum() end
    loss:backward()
    return loss
  end
  optimizer:step(closure)
  closure()
  local gradient = math.max(beta.grad:abs():max():item(), intercept.grad:abs():item())
  if not (gradient <= 1e-6) then
    io.stderr:write(string.format("%s: warning: the logistic learner stopped after %d iterations with gradient %.2g; the fit may be off (a lower C regularises more)\n",
      fn, settings.max_iter, gradient))
  end
  beta, intercept = beta:detach(), intercept:detach()
  return function(X_new)
    return ((X_new:double() - mean) / scale):matmul(beta):add(intercept):sigmoid()
  end
end

-- A multi-layer perceptron (Linear + ReLU per hidden layer, one output logit) trained with
-- Adam on the weighted binary cross-entropy, in mini-batches.
local function fit_mlp(fn, settings, X, y, weight)
  local Xf = X:float()
  local mean, scale = standardizer(Xf)
  local Z = (Xf - mean) / scale
  if settings.seed then torch.manual_seed(settings.seed) end
  local layers, width = {}, Z:size(2)
  for _, h in ipairs(settings.hidden) do
    layers[#layers + 1] = nn.Linear(width, h)
    layers[#layers + 1] = nn.ReLU()
    width = h
  end
  layers[#layers + 1] = nn.Linear(width, 1)
  local model = nn.Sequential(table.unpack(layers))
  local optimizer = optim.Adam(model:parameters(), { lr = settings.lr, weight_decay = settings.weight_decay })
  local w = weight and weight:float() or torch.ones(Z:size(1))
  local loader = data.DataLoader(data.TensorDataset(Z, y:float(), w), { batch_size = settings.batch_size, shuffle = true, seed = settings.seed })
  for _ = 1, settings.epochs do
    for xb, yb, wb in loader do
      optimizer:zero_grad()
      local losses = F.binary_cross_entropy_with_logits(model(xb):reshape(-1), yb, { reduction = "none" })
      local loss = (losses * wb):sum() / wb:sum()
      loss:backward()
      optimizer:step()
    end
  end
  model:eval()
  return function(X_new)
    return torch.no_grad(function() return model((X_new:float() - mean) / scale):reshape(-1):sigmoid() end)
  end
end

local function check_learner_options(fn, spec, allowed, kind)
  for k in pairs(spec) do
    if k ~= 1 and not allowed[k] then
      local names = {}
      for name in pairs(allowed) do names[#names + 1] = name end
      table.sort(names)
      fail(fn, "unknown " .. kind .. " learner option '" .. tostring(k) .. "'" .. did_you_mean(tostring(k), names) .. "; valid: " .. table.concat(names, ", "))
    end
  end
end

local function positive_number(fn, value, name, default, integer)
  if value == nil then return default end
  if type(value) ~= "number" or not (value > 0) or value == math.huge and integer or (integer and math.type(value) ~= "integer" and value ~= math.floor(value)) then
    fail(fn, "learner option '" .. name .. "' must be a positive " .. (integer and "whole number" or "number") .. ", got " .. tostring(value))
  end
  return integer and math.tointeger(value) or value
end

-- A learner from its description: "logistic", {"logistic", C = 1, max_iter = 1000},
-- "mlp", {"mlp", hidden = {32}, ...} or a function(X, y, weight) -> predict. Returns
-- fit(X, y, weight) -> predict, a short description and whether it uses weights.
local function make_learner(fn, spec)
  if spec == nil then spec = "logistic" end
  if type(spec) == "function" then
    local info = debug.getinfo(spec, "u")
    return function(X, y, weight) return spec(X, y, weight) end, "function", info.isvararg or info.nparams >= 3
  end
  local name = type(spec) == "table" and spec[1] or spec
  if type(spec) == "table" and type(name) ~= "string" then
    fail(fn, "option 'learner' must be \"logistic\", \"mlp\", a table such as {\"mlp\", hidden = {32}} or a function(X, y) returning predict; the table's first entry is " .. type(name))
  end
  local options = type(spec) == "table" and spec or {}
  if name == "logistic" then
    check_learner_options(fn, options, logistic_options, "logistic")
    local settings = { C = positive_number(fn, options.C, "C", 1.0), max_iter = positive_number(fn, options.max_iter, "max_iter", 1000, true) }
    return function(X, y, weight) return fit_logistic(fn, settings, X, y, weight) end,
      string.format("logistic (C = %g)", settings.C), true
  elseif name == "mlp" then
    check_learner_options(fn, options, mlp_options, "mlp")
    local hidden = options.hidden or { 32 }
    if type(hidden) ~= "table" or #hidden == 0 then fail(fn, "learner option 'hidden' must list the hidden layer widths, e.g. {32} or {64, 16}") end
    for i, h in ipairs(hidden) do positive_number(fn, h, "hidden[" .. i .. "]", nil, true) end
    local settings = {
      hidden = hidden, epochs = positive_number(fn, options.epochs, "epochs", 30, true), lr = positive_number(fn, options.lr, "lr", 0.01),
      batch_size = positive_number(fn, options.batch_size, "batch_size", 64, true), seed = options.seed,
      weight_decay = options.weight_decay or 0,
    }
    if type(settings.weight_decay) ~= "number" or settings.weight_decay < 0 then fail(fn, "learner option 'weight_decay' must be a number >= 0, got " .. tostring(settings.weight_decay)) end
    if settings.seed ~= nil and math.type(settings.seed) ~= "integer" then fail(fn, "learner option 'seed' must be an integer, got " .. tostring(settings.seed)) end
    local widths = {}
    for i, h in ipairs(hidden) do widths[i] = tostring(h) end
    return function(X, y, weight) return fit_mlp(fn, settings, X, y, weight) end,
      string.format("mlp (hidden {%s}, %d epochs)", table.concat(widths, ", "), settings.epochs), true
  end
  fail(fn, "option 'learner' must be \"logistic\", \"mlp\" (or a table such as {\"mlp\", hidden = {32}}) or a function(X, y) returning predict, got " ..
    (type(name) == "string" and "'" .. name .. "'" .. did_you_mean(name, { "logistic", "mlp" }) or type(name)))
end

-- Runs a fitted learner's predict on X and checks what comes back: n probabilities.
local function probabilities(fn, predict, X, what)
  local p = predict(X)
  local n = X:size(1)
  if not torch.is_tensor(p) or p:numel() ~= n then
    fail(fn, "the learner's predict for " .. what .. " must return a tensor of " .. n .. " probabilities, got " ..
      (torch.is_tensor(p) and "a tensor of shape [" .. table.concat(p.shape, ", ") .. "]" or type(p)))
  end
  p = p:reshape(n):double()
  if n > 0 and (p:isnan():any():item() or p:min():item() < 0 or p:max():item() > 1) then
    fail(fn, "the learner's predict for " .. what .. " must return probabilities in [0, 1] (apply a sigmoid to logits), got values from " ..
      p:min():item() .. " to " .. p:max():item())
  end
  return p
end
"""#
