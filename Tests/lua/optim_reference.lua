-- Checks MarketLab's optimizers and learning-rate schedulers against PyTorch.
--
-- The cases live in Tests/fixtures/optim_trajectories.lua, written by
-- scripts/gen_nn_fixtures.py (regenerate it there, never by hand).
--
-- optimizers: each case builds the model from its Lua source, loads PyTorch's initial
-- weights, builds the optimizer over model:parameters() and runs `steps` full-batch
-- steps (zero_grad, forward, loss, backward, step; for LBFGS the same inside the closure
-- given to step, whose return value is the step's loss). The loss of every step and the
-- final state_dict are compared with PyTorch's; a mismatch names the first step that
-- drifted, which is where to look.
--
-- schedulers: each case builds an optimizer over one parameter and the scheduler, then
-- calls sched:step() (sched:step(metric) for ReduceLROnPlateau) 50 times and compares
-- opt.param_groups[1].lr (and, where recorded, .momentum) after each call.
--
-- The test runner defines FIXTURES (the fixtures directory) and test(name, fn). Run by
-- hand, `marketlab Tests/lua/optim_reference.lua` from the repository root uses the
-- fallbacks below and fails at the end if any case failed.

local fixtures_dir = FIXTURES or "Tests/fixtures"
local standalone = (test == nil)
local failures = 0
local test = test or function(name, fn)
  local ok, err = pcall(fn)
  if not ok then failures = failures + 1 end
  print((ok and "ok    " or "FAIL  ") .. name .. (ok and "" or ("\n      " .. tostring(err))))
end

-- Until nn and optim land, one skipped case keeps the suite green (reading a missing
-- name from a namespace is an error in MarketLab, hence rawget).
if not (rawget(nn, "Linear") and rawget(optim, "SGD")) then
  test("optim not implemented yet (skipped)", function() end)
  return
end

---------------------------------------------------------------------------------------
-- Fixture tensors and comparisons (the same helpers as nn_reference.lua)
---------------------------------------------------------------------------------------

-- Readable number for messages: NaN and infinities by name, floats with 9 digits.
local function show(v)
  if type(v) ~= "number" then return tostring(v) end
  if v ~= v then return "nan" end
  if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
  if math.type(v) == "integer" then return tostring(v) end
  return string.format("%.9g", v)
end

local function shape_text(shape)
  local parts = {}
  for i = 1, #shape do parts[i] = tostring(shape[i]) end
  return "[" .. table.concat(parts, ", ") .. "]"
end

-- A fixture tensor {shape, dtype, data [, requires_grad]} as a MarketLab tensor (a leaf).
local function build(spec)
  local t
  if #spec.shape == 0 then
    t = torch.tensor(spec.data[1], {dtype = spec.dtype})
  else
    t = torch.tensor(spec.data, {dtype = spec.dtype})
    if #spec.shape ~= 1 then t = t:reshape(table.unpack(spec.shape)) end
  end
  if spec.requires_grad then t = t:detach():requires_grad_() end
  return t
end

local function build_state(specs)
  local state = {}
  for name, spec in pairs(specs) do state[name] = build(spec) end
  return state
end

local function flatten(value, out)
  out = out or {}
  if type(value) == "table" then
    for i = 1, #value do flatten(value[i], out) end
  else
    out[#out + 1] = value
  end
  return out
end

local function dtype_of(t)
  return (tostring(t.dtype):gsub("^torch%.", ""))
end

-- Raises "<what> value <i>: expected <e>, got <a>" (and the like) on the first mismatch.
local function check_tensor(actual, expected, rtol, atol, what)
  if not torch.is_tensor(actual) then
    error(string.format("%s: expected a tensor, got %s %s", what, type(actual), show(actual)), 0)
  end
  local shape = actual.shape
  local same = #shape == #expected.shape
  for i = 1, #expected.shape do same = same and shape[i] == expected.shape[i] end
  if not same then
    error(string.format("%s shape: expected %s, got %s", what, shape_text(expected.shape), shape_text(shape)), 0)
  end
  local dtype = dtype_of(actual)
  if dtype ~= expected.dtype then
    error(string.format("%s dtype: expected %s, got %s", what, expected.dtype, dtype), 0)
  end
  local values = flatten(actual:detach():tolist())
  if #values ~= #expected.data then
    error(string.format("%s: expected %d values, tolist() gave %d", what, #expected.data, #values), 0)
  end
  for i, e in ipairs(expected.data) do
    local a = values[i]
    local bad
    if expected.dtype == "int64" or expected.dtype == "bool" then
      bad = a ~= e
    elseif type(a) ~= "number" then
      bad = true
    else
      bad = not (math.abs(a - e) <= atol + rtol * math.abs(e))  -- true for a NaN
    end
    if bad then
      error(string.format("%s value %d of %d: expected %s, got %s", what, i, #expected.data, show(e), show(a)), 0)
    end
  end
end

local function sorted_keys(map)
  local keys = {}
  for k in pairs(map) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

local function check_number(actual, expected, rtol, atol, what)
  if type(actual) ~= "number" then
    error(string.format("%s: expected a number, got %s %s", what, type(actual), show(actual)), 0)
  end
  if not (math.abs(actual - expected) <= atol + rtol * math.abs(expected)) then
    error(string.format("%s: expected %s, got %s", what, show(expected), show(actual)), 0)
  end
end

-- A loss returned by step(closure): PyTorch returns the tensor; accept a number too.
local function as_number(value)
  if torch.is_tensor(value) then return value:item() end
  return value
end

---------------------------------------------------------------------------------------

local fixtures = dofile(fixtures_dir .. "/optim_trajectories.lua")

local criteria = {
  mse = function() return nn.MSELoss() end,
  bce_with_logits = function() return nn.BCEWithLogitsLoss() end,
}

local function run_optimizer(case)
  local model = assert(load(case.model, "=" .. case.name .. " model"))()
  model:load_state_dict(build_state(case.state))
  model:train()
  local make_optimizer = assert(load(case.optimizer, "=" .. case.name .. " optimizer"))()
  local opt = make_optimizer(model:parameters())
  local criterion = assert(criteria[case.loss], "unknown loss " .. tostring(case.loss))()
  local X, y = build(case.data.X), build(case.data.y)

  for step = 1, case.steps do
    local value
    if case.closure then
      value = as_number(opt:step(function()
        opt:zero_grad()
        local loss = criterion(model(X), y)
        loss:backward()
        return loss
      end))
    else
      opt:zero_grad()
      local loss = criterion(model(X), y)
      loss:backward()
      opt:step()
      value = loss:item()
    end
    check_number(value, case.losses[step], case.rtol, case.atol,
                 string.format("loss of step %d of %d", step, case.steps))
  end

  local state = model:state_dict()
  for _, name in ipairs(sorted_keys(case.final_state)) do
    check_tensor(state[name], case.final_state[name], case.rtol, case.atol,
                 string.format("state_dict[\"%s\"] after %d steps", name, case.steps))
  end
end

local function run_scheduler(case)
  local param = torch.zeros(2, {requires_grad = true})
  local opt = assert(load(case.optimizer, "=" .. case.name .. " optimizer"))()({param})
  local sched = assert(load(case.scheduler, "=" .. case.name .. " scheduler"))()(opt)
  check_number(opt.param_groups[1].lr, case.initial_lr, case.rtol, case.atol, "lr after the constructor")
  for i = 1, #case.lrs do
    if case.metrics then sched:step(case.metrics[i]) else sched:step() end
    check_number(opt.param_groups[1].lr, case.lrs[i], case.rtol, case.atol,
                 string.format("lr after step %d", i) .. (case.metrics and " (metric " .. show(case.metrics[i]) .. ")" or ""))
    if case.momentums then
      check_number(opt.param_groups[1].momentum, case.momentums[i], case.rtol, case.atol,
                   string.format("momentum after step %d", i))
    end
  end
end

for _, case in ipairs(fixtures.optimizers) do
  test("optimizer " .. case.name, function() run_optimizer(case) end)
end
for _, case in ipairs(fixtures.schedulers) do
  test("scheduler " .. case.name, function() run_scheduler(case) end)
end

if standalone and failures > 0 then
  error(string.format("optim_reference: %d of %d cases failed", failures, #fixtures.optimizers + #fixtures.schedulers))
end
