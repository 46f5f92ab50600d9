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
-- The test runner defines FIXTURES (the fixtures directory), TESTS and test(name, fn);
-- the shared helpers are in support/spec.lua.

local spec = dofile(TESTS .. "/lua/support/spec.lua")
local show, build, build_state, check_tensor = spec.show, spec.build, spec.build_state, spec.check_tensor
local sorted_keys = spec.sorted_keys

if spec.skip_unless(rawget(nn, "Linear") and rawget(optim, "SGD"), "optim not implemented yet (skipped)") then return end

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

local fixtures = dofile(FIXTURES .. "/optim_trajectories.lua")

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
