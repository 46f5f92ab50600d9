-- Checks MarketLab's nn layers against values computed by PyTorch.
--
-- The cases live in Tests/fixtures/nn_layers.lua, written by scripts/gen_nn_fixtures.py
-- (regenerate it there, never by hand). For each case this builds the module from the
-- case's Lua source, checks that its state_dict has the keys PyTorch's has (Sequential
-- children named from 1), loads PyTorch's weights with m:load_state_dict, runs the
-- forward in the case's mode (m:train() / m:eval()), compares the output, calls
-- output:backward(grad_output) and compares the gradient of every input and of every
-- named parameter, and for modules with buffers the state_dict after the forward
-- (BatchNorm's running statistics and num_batches_tracked).
--
-- The test runner defines FIXTURES (the fixtures directory), TESTS and test(name, fn);
-- the shared helpers are in support/spec.lua.

local spec = dofile(TESTS .. "/lua/support/spec.lua")
local build, build_state, check_tensor = spec.build, spec.build_state, spec.check_tensor
local sorted_keys, named_parameters = spec.sorted_keys, spec.named_parameters

if spec.skip_unless(rawget(nn, "Linear"), "nn not implemented yet (skipped)") then return end

local function same_keys(actual, expected, what)
  local a, e = sorted_keys(actual), sorted_keys(expected)
  if table.concat(a, ",") ~= table.concat(e, ",") then
    error(string.format("%s: expected {%s}, got {%s}", what, table.concat(e, ", "), table.concat(a, ", ")), 0)
  end
end

local cases = dofile(FIXTURES .. "/nn_layers.lua")

local function run_case(case)
  local chunk = assert(load(case.build, "=" .. case.name))
  local m = chunk()
  same_keys(m:state_dict(), case.state, "state_dict keys of " .. case.build:gsub("^return ", ""))
  m:load_state_dict(build_state(case.state))
  if case.train then m:train() else m:eval() end

  local inputs = {}
  for i, input in ipairs(case.inputs) do inputs[i] = build(input) end
  local output = m(table.unpack(inputs, 1, #case.inputs))
  check_tensor(output, case.output, case.rtol, case.atol, "output")

  output:backward(build(case.grad_output))
  for i in ipairs(case.inputs) do
    local expected = case.input_grads and case.input_grads[i]
    spec.check_input_grad(inputs[i].grad, expected, i, check_tensor, case.rtol, case.atol)
  end

  local params = named_parameters(m)
  same_keys(params, case.param_grads, "named_parameters names")
  for _, name in ipairs(sorted_keys(case.param_grads)) do
    local grad = params[name].grad
    if grad == nil then error("grad of parameter " .. name .. ": expected a tensor, got nil", 0) end
    check_tensor(grad, case.param_grads[name], case.rtol, case.atol, "grad of parameter " .. name)
  end

  if case.state_after then
    local state = m:state_dict()
    same_keys(state, case.state_after, "state_dict keys after the forward")
    for _, name in ipairs(sorted_keys(case.state_after)) do
      check_tensor(state[name], case.state_after[name], case.rtol, case.atol, "state_dict[\"" .. name .. "\"] after the forward")
    end
  end
end

for _, case in ipairs(cases) do
  test(case.name, function() run_case(case) end)
end
