-- Checks MarketLab's tensor ops against values computed by PyTorch.
--
-- The cases live in Tests/fixtures/torch_ops.lua, written by
-- scripts/gen_torch_fixtures.py (regenerate it there, never by hand). For each case
-- this builds the inputs, runs the case's Lua function, compares every returned
-- tensor (shape, dtype, values; NaN equals NaN, infinities must match exactly), and
-- for differentiable cases calls outputs[1]:backward(grad_output) and compares the
-- .grad of every input (`false` in the fixture: the input must have no .grad).
--
-- The test runner defines FIXTURES (the fixtures directory), TESTS and test(name, fn);
-- the shared helpers are in support/spec.lua.

local spec = dofile(TESTS .. "/lua/support/spec.lua")
local build, check_tensor = spec.build, spec.check_tensor_nan_aware

local cases = dofile(FIXTURES .. "/torch_ops.lua")

local function run_case(case)
  local fn = assert(load("return " .. case.fn, "=" .. case.name))()
  local inputs = {}
  for i, input in ipairs(case.inputs) do inputs[i] = build(input) end
  local results = table.pack(fn(table.unpack(inputs, 1, #case.inputs)))
  if results.n ~= #case.outputs then
    error(string.format("%s returned %d values, expected %d", case.fn, results.n, #case.outputs), 0)
  end
  for i, expected in ipairs(case.outputs) do
    check_tensor(results[i], expected, case.rtol, case.atol, "output " .. i)
  end
  if case.grad_output == nil then return end

  local first = case.outputs[1]
  results[1]:backward(build({shape = first.shape, dtype = first.dtype, data = case.grad_output}))
  for i, expected in ipairs(case.grads) do
    spec.check_input_grad(inputs[i].grad, expected, i, check_tensor, case.rtol, case.atol)
  end
end

for _, case in ipairs(cases) do
  test(case.name, function() run_case(case) end)
end
