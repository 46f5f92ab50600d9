-- Checks MarketLab's tensor ops against values computed by PyTorch.
--
-- The cases live in Tests/fixtures/torch_ops.lua, written by
-- scripts/gen_torch_fixtures.py (regenerate it there, never by hand). For each case
-- this builds the inputs, runs the case's Lua function, compares every returned
-- tensor (shape, dtype, values; NaN equals NaN, infinities must match exactly), and
-- for differentiable cases calls outputs[1]:backward(grad_output) and compares the
-- .grad of every input (`false` in the fixture: the input must have no .grad).
--
-- The test runner defines FIXTURES (the fixtures directory) and test(name, fn). Run
-- by hand, `marketlab Tests/lua/torch_reference.lua` from the repository root uses
-- the fallbacks below and fails at the end if any case failed.

local fixtures_dir = FIXTURES or "Tests/fixtures"
local standalone = (test == nil)
local failures = 0
local test = test or function(name, fn)
  local ok, err = pcall(fn)
  if not ok then failures = failures + 1 end
  print((ok and "ok    " or "FAIL  ") .. name .. (ok and "" or ("\n      " .. tostring(err))))
end

local cases = dofile(fixtures_dir .. "/torch_ops.lua")

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

-- A fixture tensor {shape, dtype, data [, requires_grad]} as a MarketLab tensor.
-- The gradient is switched on last, so the tensor is a leaf whatever reshape did.
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

-- Nested tolist() result (or a plain number for a 0-d tensor) in row-major order.
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
  if type(actual) ~= "userdata" and type(actual) ~= "table" then
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
  local values = flatten(actual:tolist())
  if #values ~= #expected.data then
    error(string.format("%s: expected %d values, tolist() gave %d", what, #expected.data, #values), 0)
  end
  for i, e in ipairs(expected.data) do
    local a = values[i]
    local bad
    if expected.dtype == "bool" then
      bad = a ~= e
    elseif expected.dtype == "int64" then
      bad = math.type(a) ~= "integer" or a ~= e
    elseif type(a) ~= "number" then
      bad = true
    elseif e ~= e then
      bad = a == a
    elseif e == math.huge or e == -math.huge then
      bad = a ~= e
    else
      bad = not (math.abs(a - e) <= atol + rtol * math.abs(e))  -- false for a NaN
    end
    if bad then
      local got = show(a)
      if expected.dtype == "int64" and math.type(a) == "float" then got = got .. " (a float)" end
      error(string.format("%s value %d: expected %s, got %s", what, i, show(e), got), 0)
    end
  end
end

local function run_case(case)
  local fn = assert(load("return " .. case.fn, "=" .. case.name))()
  local inputs = {}
  for i, spec in ipairs(case.inputs) do inputs[i] = build(spec) end
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
    local grad = inputs[i].grad
    if expected == false then
      if grad ~= nil then error(string.format("grad of input %d: expected none, got a tensor", i), 0) end
    elseif grad == nil then
      error(string.format("grad of input %d: expected a tensor, got nil", i), 0)
    else
      check_tensor(grad, expected, case.rtol, case.atol, "grad of input " .. i)
    end
  end
end

for _, case in ipairs(cases) do
  test(case.name, function() run_case(case) end)
end

if standalone and failures > 0 then
  error(string.format("torch_reference: %d of %d cases failed", failures, #cases))
end
