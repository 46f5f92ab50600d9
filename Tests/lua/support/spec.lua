-- Helpers shared by the spec scripts in Tests/lua. A spec loads them with
--
--   local spec = dofile(TESTS .. "/lua/support/spec.lua")
--
-- The test runner (Tests/LuaBridgeTests/LuaSpecTests.swift) defines the globals
-- test(name, fn), FIXTURES (the fixtures directory) and TESTS (the Tests directory)
-- before a spec runs; it runs only the top-level Tests/lua/*.lua files, so this file is
-- never run as a spec. Specs need the runner: there is no standalone fallback.
--
-- A fixture tensor is a table {shape, dtype, data [, requires_grad]}: data flat and
-- row-major, dtype a name ("float32", "float64", "int64", "bool").

local M = {}

-- Registers one empty case named `name` and returns true when `available` is false, so
-- a spec can stop early while the API it checks has not landed yet and the suite stays
-- green. Look names up with rawget: reading a missing name from a namespace is an error
-- in MarketLab.
--   if spec.skip_unless(rawget(nn, "Linear"), "nn not implemented yet (skipped)") then return end
function M.skip_unless(available, name)
  if available then return false end
  test(name, function() end)
  return true
end

-- Readable number for messages: NaN and infinities by name, floats with 9 digits.
function M.show(v)
  if type(v) ~= "number" then return tostring(v) end
  if v ~= v then return "nan" end
  if v == math.huge then return "inf" elseif v == -math.huge then return "-inf" end
  if math.type(v) == "integer" then return tostring(v) end
  return string.format("%.9g", v)
end

-- A shape list as "[2, 3]".
function M.shape_text(shape)
  local parts = {}
  for i = 1, #shape do parts[i] = tostring(shape[i]) end
  return "[" .. table.concat(parts, ", ") .. "]"
end

-- The fixture tensor's values as a MarketLab tensor of the given dtype, no gradient.
local function tensor_of(fixture, dtype)
  if #fixture.shape == 0 then return torch.tensor(fixture.data[1], {dtype = dtype}) end
  local t = torch.tensor(fixture.data, {dtype = dtype})
  if #fixture.shape ~= 1 then t = t:reshape(table.unpack(fixture.shape)) end
  return t
end

-- A fixture tensor as a MarketLab tensor. The gradient is switched on last, so the
-- tensor is a leaf whatever reshape did.
function M.build(fixture)
  local t = tensor_of(fixture, fixture.dtype)
  if fixture.requires_grad then t = t:detach():requires_grad_() end
  return t
end

-- A fixture tensor as a MarketLab tensor, float64 if it holds floats; no grad yet.
function M.build_float64(fixture)
  local dtype = (fixture.dtype == "float32" or fixture.dtype == "float64") and "float64" or fixture.dtype
  return tensor_of(fixture, dtype)
end

-- name -> fixture tensor as name -> MarketLab tensor (a state_dict to load).
function M.build_state(fixtures)
  local state = {}
  for name, fixture in pairs(fixtures) do state[name] = M.build(fixture) end
  return state
end

-- Nested tolist() result (or a plain number for a 0-d tensor) in row-major order.
function M.flatten(value, out)
  out = out or {}
  if type(value) == "table" then
    for i = 1, #value do M.flatten(value[i], out) end
  else
    out[#out + 1] = value
  end
  return out
end

function M.dtype_of(t)
  return (tostring(t.dtype):gsub("^torch%.", ""))
end

-- The keys of a map, sorted.
function M.sorted_keys(map)
  local keys = {}
  for k in pairs(map) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

-- name -> tensor from m:named_parameters(), which may be a map or a list of
-- {name, tensor} pairs (or both at once), and the names in order (from the list part;
-- a pure map has no order, and `order` is then empty).
function M.named_parameters(m)
  local list = m:named_parameters()
  local map, order = {}, {}
  for k, v in pairs(list) do
    if type(k) == "number" then map[v[1]] = v[2] else map[k] = v end
  end
  for _, pair in ipairs(list) do order[#order + 1] = pair[1] end
  return map, order
end

-- Raises "<what> shape: ..." or "<what> dtype: ..." unless the tensor has the fixture's
-- shape and dtype.
local function check_layout(actual, expected, what)
  local shape = actual.shape
  local same = #shape == #expected.shape
  for i = 1, #expected.shape do same = same and shape[i] == expected.shape[i] end
  if not same then
    error(string.format("%s shape: expected %s, got %s", what, M.shape_text(expected.shape), M.shape_text(shape)), 0)
  end
  local dtype = M.dtype_of(actual)
  if dtype ~= expected.dtype then
    error(string.format("%s dtype: expected %s, got %s", what, expected.dtype, dtype), 0)
  end
end

local function check_count(values, expected, what)
  if #values ~= #expected.data then
    error(string.format("%s: expected %d values, tolist() gave %d", what, #expected.data, #values), 0)
  end
end

-- Compares a tensor with a fixture tensor (nn layers, losses, optimizer states):
-- shape, dtype, then every value, exactly for int64 and bool, within
-- atol + rtol * |expected| for floats (a NaN on either side is a mismatch). Raises
-- "<what> value <i> of <n>: expected <e>, got <a>" (and the like) on the first mismatch.
function M.check_tensor(actual, expected, rtol, atol, what)
  if not torch.is_tensor(actual) then
    error(string.format("%s: expected a tensor, got %s %s", what, type(actual), M.show(actual)), 0)
  end
  check_layout(actual, expected, what)
  local values = M.flatten(actual:detach():tolist())
  check_count(values, expected, what)
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
      error(string.format("%s value %d of %d: expected %s, got %s", what, i, #expected.data, M.show(e), M.show(a)), 0)
    end
  end
end

-- Compares a tensor op's result with a fixture tensor (torch_reference.lua): like
-- check_tensor, but NaN equals NaN, infinities must match exactly and int64 values
-- must be Lua integers. Raises "<what> value <i>: expected <e>, got <a>" (and the
-- like) on the first mismatch.
function M.check_tensor_nan_aware(actual, expected, rtol, atol, what)
  if type(actual) ~= "userdata" and type(actual) ~= "table" then
    error(string.format("%s: expected a tensor, got %s %s", what, type(actual), M.show(actual)), 0)
  end
  check_layout(actual, expected, what)
  local values = M.flatten(actual:tolist())
  check_count(values, expected, what)
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
      local got = M.show(a)
      if expected.dtype == "int64" and math.type(a) == "float" then got = got .. " (a float)" end
      error(string.format("%s value %d: expected %s, got %s", what, i, M.show(e), got), 0)
    end
  end
end

-- Checks the .grad of input i against its fixture tensor with `check` (check_tensor or
-- check_tensor_nan_aware); a false or missing fixture means the input must have no
-- gradient.
function M.check_input_grad(grad, expected, i, check, rtol, atol)
  if not expected then
    if grad ~= nil then error(string.format("grad of input %d: expected none, got a tensor", i), 0) end
  elseif grad == nil then
    error(string.format("grad of input %d: expected a tensor, got nil", i), 0)
  else
    check(grad, expected, rtol, atol, "grad of input " .. i)
  end
end

-- A temporary file holding `text` (bytes as given); returns its path.
function M.write_file(text)
  local p = os.tmpname()
  local f = assert(io.open(p, "wb"))
  f:write(text)
  f:close()
  return p
end

-- Calls fn and checks that it raises an error whose message contains `fragment`.
function M.fails(fn, fragment)
  local ok, err = pcall(fn)
  if ok then error("expected an error containing '" .. fragment .. "', got none", 2) end
  if not tostring(err):find(fragment, 1, true) then
    error("expected an error containing '" .. fragment .. "', got: " .. tostring(err), 2)
  end
end

return M
