-- Checks MarketLab's loss modules against values computed by PyTorch.
--
-- The cases live in Tests/fixtures/nn_losses.lua, written by scripts/gen_nn_fixtures.py
-- (regenerate it there, never by hand). For each case this builds the loss from the
-- case's Lua source, computes it on the prediction and the target (int64 class targets
-- are 1-based), compares the value, calls backward (with grad_output for reduction
-- "none", with no argument for a scalar loss) and compares the prediction's gradient.
--
-- The test runner defines FIXTURES (the fixtures directory), TESTS and test(name, fn);
-- the shared helpers are in support/spec.lua.

local spec = dofile(TESTS .. "/lua/support/spec.lua")
local build, check_tensor = spec.build, spec.check_tensor

if spec.skip_unless(rawget(nn, "Linear"), "nn not implemented yet (skipped)") then return end

local cases = dofile(FIXTURES .. "/nn_losses.lua")

local function run_case(case)
  local criterion = assert(load(case.build, "=" .. case.name))()
  local inputs = {}
  for i, input in ipairs(case.inputs) do inputs[i] = build(input) end
  local target = build(case.target)
  local args = {}
  for i = 1, #inputs do args[i] = inputs[i] end
  args[#args + 1] = target
  local output = criterion(table.unpack(args, 1, #inputs + 1))
  check_tensor(output, case.output, case.rtol, case.atol, "loss")

  if case.grad_output then
    output:backward(build(case.grad_output))
  else
    output:backward()
  end
  for i, expected in ipairs(case.input_grads) do
    local grad = inputs[i].grad
    if grad == nil then error(string.format("grad of input %d: expected a tensor, got nil", i), 0) end
    check_tensor(grad, expected, case.rtol, case.atol, "grad of input " .. i)
  end
  if target.grad ~= nil then error("the target has a gradient; it should not require one", 0) end
end

for _, case in ipairs(cases) do
  test(case.name, function() run_case(case) end)
end
