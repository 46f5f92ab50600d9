-- Bad input never kills the host: every mistake a script can make with the torch API
-- is a Lua error that names the function, the argument, what was expected and what was
-- given (shapes as [2, 3]), with "did you mean" for misspelt names and options.
--
-- Each case calls the API wrongly and pins the meaningful part of the message (plain
-- substring match, so a position prefix or a "torch." namespace prefix added later does
-- not break it). The last case prints every message in one block, so a reader can review
-- the wording of all of them at once.
--
-- Cases marked "BUG" gave a poor message when they were written and pin the wording
-- the fix gave them. Cases in the CRASHERS section took the whole process down (Swift
-- runtime trap or segfault) when they were written; all of them now end in a Lua error
-- or a correct result, and they run with the rest (a regression would take the suite
-- down with it, which CI reports as loudly as a failure).
--
-- The test runner defines test(name, fn) and FIXTURES.

-- Every error message seen, in order, as {case name, message}.
local messages = {}
local current_case = "?"

local function spec(name, fn)
  test(name, function()
    current_case = name
    fn()
  end)
end

local function show(expected)
  if type(expected) ~= "table" then return string.format("%q", expected) end
  local parts = {}
  for i, e in ipairs(expected) do parts[i] = string.format("%q", e) end
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- Calls fn; fails when it succeeds, or when its message lacks any of the expected
-- pieces (one string, or a list of strings that must all appear). Returns the message.
local function expect_error(fn, expected)
  local ok, err = pcall(fn)
  if ok then
    messages[#messages + 1] = { current_case, "(no error: the call succeeded)" }
    error("expected an error containing " .. show(expected) .. ", but the call succeeded", 0)
  end
  local msg = tostring(err)
  messages[#messages + 1] = { current_case, msg }
  local wanted = type(expected) == "table" and expected or { expected }
  for _, piece in ipairs(wanted) do
    if not string.find(msg, piece, 1, true) then
      error(string.format("the message does not contain %q\n      actual message: %s", piece, msg), 0)
    end
  end
  return msg
end

-- One case: fn must fail with a message containing `expected`.
local function case(name, fn, expected)
  spec(name, function() expect_error(fn, expected) end)
end

-- Files for the safetensors cases, written from Lua.
local temporary_files = {}
local function temp_path()
  local p = os.tmpname()
  temporary_files[#temporary_files + 1] = p
  return p
end
local function write_file(bytes)
  local p = temp_path()
  local f = assert(io.open(p, "wb"))
  f:write(bytes)
  f:close()
  return p
end
-- A safetensors file: 8-byte little-endian header length, header, data.
local function safetensors_file(header, data)
  return write_file(string.pack("<I8", #header) .. header .. (data or ""))
end
local function not_valid(path) return "torch.load: '" .. path .. "' is not a valid safetensors file: " end

local function leaf() return torch.ones(2, { requires_grad = true }) end

---------------------------------------------------------------------------------------
-- Creation: sizes, dtypes, options
---------------------------------------------------------------------------------------
case("zeros: size is a string", function() torch.zeros("a") end,
  "torch.zeros: bad argument #1 (size): expected integer sizes or a table of sizes, got string 'a'")
case("zeros: negative size", function() torch.zeros(2, -3) end,
  "torch.zeros: sizes must be non-negative, got -3 in [2, -3]")
case("zeros: fractional size", function() torch.zeros(2.5) end,
  "torch.zeros: bad argument #1 (size): expected an integer, got number 2.5")
case("zeros: non-integer element in a size table", function() torch.zeros({ 2, "x" }) end,
  "torch.zeros: bad argument #1 (size): element 2 must be an integer, got string")
-- BUG: the nil stops the size list and the 3 is silently dropped (gives shape [2]).
case("zeros: nil among the sizes", function() torch.zeros(2, nil, 3) end,
  "torch.zeros: bad argument #2 (size)")
case("zeros: more elements than memory", function() torch.zeros(1000000, 1000000) end,
  "torch.zeros: shape [1000000, 1000000] has 1000000000000 elements, more than this machine can hold")
case("zeros: unknown dtype suggests the closest", function() torch.zeros(2, { dtype = "float33" }) end,
  "torch.zeros: unknown dtype 'float33' (did you mean 'float32'?); valid: float32, float64, int64, bool")
case("zeros: unknown option suggests the closest", function() torch.zeros(2, { dtyp = "float32" }) end,
  "torch.zeros: unknown option 'dtyp' (did you mean 'dtype'?); valid options: dtype, requires_grad")
case("zeros: option of the wrong type", function() torch.zeros(2, { requires_grad = "yes" }) end,
  "torch.zeros: option 'requires_grad' must be a boolean, got string")
-- BUG: names requires_grad_ instead of torch.zeros, the function the script called.
case("zeros: requires_grad on an int64 tensor", function() torch.zeros(2, { dtype = "int64", requires_grad = true }) end,
  { "torch.zeros", "only floating-point tensors can require gradients", "int64" })
case("randn: unknown option without a close name", function() torch.randn(2, { seed = 1 }) end,
  "torch.randn: unknown option 'seed'; valid options: dtype, requires_grad")
case("rand: integer dtype", function() torch.rand(2, { dtype = "int64" }) end,
  "torch.rand: dtype must be float32 or float64 for random floats, got int64")
case("full: size not a table", function() torch.full(2, 3) end,
  "torch.full: bad argument #1 (size): expected a table of integers, got integer 2")
case("full: fill value is a string", function() torch.full({ 2 }, "x") end,
  "torch.full: bad argument #2 (fill_value): expected a number, got string 'x'")
case("arange: zero step", function() torch.arange(0, 5, 0) end, "arange: step must be nonzero")
case("arange: step away from the end", function() torch.arange(5, 0, 1) end,
  "arange: upper bound and step sign are inconsistent (start 5")
case("arange: string bound", function() torch.arange("5") end,
  "torch.arange: bad argument #1 (end): expected 1 to 3 numbers (end, or start, end [, step]), got string '5'")
case("linspace: negative steps", function() torch.linspace(0, 1, -2) end,
  "linspace: number of steps must be non-negative, got -2")
case("linspace: string end", function() torch.linspace(0, "1", 3) end,
  "torch.linspace: bad argument #2 (end): expected a number, got string '1'")
-- BUG: blames argument #1 (n) and shows 2, the valid one; m = -3 is the bad one.
case("eye: negative column count", function() torch.eye(2, -3) end,
  "torch.eye: bad argument #2 (m): expected a non-negative size, got integer -3")
case("randint: empty range", function() torch.randint(5, 5, { 3 }) end,
  "randint: high (5) must be greater than low (5)")
case("randint: fractional low", function() torch.randint(0.5, 5, { 2 }) end,
  "torch.randint: bad argument #1 (low): expected an integer, got number 0.5")
case("randperm: negative n", function() torch.randperm(-1) end, "randperm: n must be non-negative, got -1")
case("zeros_like: not a tensor", function() torch.zeros_like(3) end,
  "torch.zeros_like: bad argument #1 (input): expected a tensor, got integer 3")

---------------------------------------------------------------------------------------
-- torch.tensor from Lua values
---------------------------------------------------------------------------------------
case("tensor: ragged rows", function() torch.tensor({ { 1, 2 }, { 3 } }) end,
  "torch.tensor: ragged nested table at data[2]: expected a list of length 2, got a list of length 1")
case("tensor: number where a row is expected", function() torch.tensor({ { 1, 2 }, 3 }) end,
  "torch.tensor: ragged nested table at data[2]: expected a list of length 2, got a number")
case("tensor: row where a number is expected", function() torch.tensor({ 1, { 2, 3 } }) end,
  "torch.tensor: ragged nested table at data[2]: expected a number, got a list of length 2")
case("tensor: a string", function() torch.tensor("abc") end,
  "torch.tensor: bad argument #1 (data): expected a number, boolean or (nested) table, got string 'abc'")
case("tensor: a string element", function() torch.tensor({ 1, "2" }) end,
  "torch.tensor: element data[2] must be a number or boolean, got string")
case("tensor: a hole in the list", function() torch.tensor({ 1, nil, 3 }) end,
  "torch.tensor: element data[2] must be a number or boolean, got nil")
case("tensor: no argument", function() torch.tensor() end,
  "torch.tensor: bad argument #1 (data): expected a number, boolean or (nested) table, got nothing")
case("tensor: a list of tensors", function() torch.tensor({ torch.ones(2) }) end,
  "torch.tensor: element data[1] is a tensor; use torch.stack to combine tensors")
case("tensor: booleans mixed with numbers", function() torch.tensor({ true, 1 }) end,
  "torch.tensor: data mixes booleans and numbers; use one kind")
case("tensor: misspelt dtype", function() torch.tensor({ 1 }, { dtype = "flaot64" }) end,
  "torch.tensor: unknown dtype 'flaot64' (did you mean 'float64'?); valid: float32, float64, int64, bool")
case("tensor: dtype given as a string, not an option", function() torch.tensor({ 1 }, "float64") end,
  "torch.tensor: bad argument #2 (options): expected an options table, got string 'float64'")
case("tensor: positional options", function() torch.tensor({ 1 }, { "float64" }) end,
  "torch.tensor: options must be given by name ({dtype = ..., requires_grad = ...})")
-- BUG: names requires_grad_ instead of torch.tensor.
case("tensor: requires_grad on integer data", function() torch.tensor({ 1, 2 }, { requires_grad = true }) end,
  { "torch.tensor", "only floating-point tensors can require gradients", "int64" })

---------------------------------------------------------------------------------------
-- Arithmetic and comparisons
---------------------------------------------------------------------------------------
case("add: shapes that do not broadcast", function() torch.ones(2, 3):add(torch.ones(4)) end,
  "add: shapes [2, 3] and [4] do not broadcast (dimension 2: 3 vs 4)")
case("+: shapes that do not broadcast", function() return torch.ones(2, 3) + torch.ones(2) end,
  "add: shapes [2, 3] and [2] do not broadcast (dimension 2: 3 vs 2)")
case("+: a string operand", function() return torch.ones(2) + "a" end,
  "Tensor +: bad argument #2 (right operand): expected a tensor or a number, got string 'a'")
case("*: a table operand", function() return {} * torch.ones(2) end,
  "Tensor *: bad argument #1 (left operand): expected a tensor or a number, got table")
case("*: a nil operand", function() return torch.ones(2) * nil end,
  "Tensor *: bad argument #2 (right operand): expected a tensor or a number")
case("add: a string", function() torch.ones(2):add("x") end,
  "Tensor:add: bad argument #2 (other): expected a tensor or a number, got string 'x'")
-- BUG: a non-number alpha is silently ignored (alpha = 1).
case("add: a string alpha", function() torch.ones(2):add(1, "x") end,
  "Tensor:add: bad argument #3 (alpha): expected a number, got string 'x'")
case("lt: a string", function() torch.ones(2):lt("a") end,
  "Tensor:lt: bad argument #2 (other): expected a tensor or a number, got string 'a'")
case("lt: shapes that do not broadcast", function() torch.ones(2):lt(torch.ones(3)) end,
  "lt: shapes [2] and [3] do not broadcast (dimension 1: 2 vs 3)")
case("^: shapes that do not broadcast", function() return torch.ones(2) ^ torch.ones(3) end,
  "pow: shapes [2] and [3] do not broadcast (dimension 1: 2 vs 3)")
case("-: two bool tensors", function() return torch.ones(2, { dtype = "bool" }) - torch.ones(2, { dtype = "bool" }) end,
  "sub: subtracting two bool tensors is not supported")
case("unary -: a bool tensor", function() return -torch.ones(2, { dtype = "bool" }) end,
  "neg: negation of a bool tensor is not supported")
-- BUG: gives 0 silently; PyTorch refuses ("Integers to negative integer powers are not allowed").
case("^: integer to a negative integer power", function() return torch.tensor({ 2 }) ^ -1 end,
  { "pow", "negative" })
-- BUG: Lua's generic "attempt to compare two Tensor values"; PyTorch users write t < u.
case("<: Lua comparison operators on tensors", function() return torch.ones(2) < torch.ones(2) end,
  "t:lt(u)")

---------------------------------------------------------------------------------------
-- Matrix products
---------------------------------------------------------------------------------------
case("matmul: inner sizes differ", function() torch.ones(2, 3):matmul(torch.ones(2, 3)) end,
  "matmul: shapes [2, 3] and [2, 3] cannot be multiplied (3 columns vs 2 rows)")
case("matmul: a 0-d tensor", function() torch.matmul(torch.tensor(1.0), torch.ones(2)) end,
  "matmul: both arguments need at least 1 dimension, got shapes [] and [2]")
case("matmul: a number", function() torch.ones(2, 2):matmul(2) end,
  "Tensor:matmul: bad argument #2 (other): expected a tensor, got integer 2")
case("torch.matmul: a string", function() torch.matmul("a", torch.ones(2)) end,
  "torch.matmul: bad argument #1 (input): expected a tensor, got string 'a'")
case("matmul: bool tensors", function() torch.ones(2, 2, { dtype = "bool" }):matmul(torch.ones(2, 2, { dtype = "bool" })) end,
  "matmul: not supported for bool tensors")
-- BUG: shows only the batch parts ([2] and [3]), not the shapes the script passed.
case("matmul: batch dims that do not broadcast", function() torch.ones(2, 2, 3):matmul(torch.ones(3, 3, 4)) end,
  { "matmul", "[2, 2, 3]", "[3, 3, 4]" })
case("mm: a 1-D tensor", function() torch.ones(3):mm(torch.ones(3, 2)) end,
  "mm: expects two 2-D tensors, got shapes [3] and [3, 2]")
-- BUG: says "matmul:" although the script called mm.
case("mm: inner sizes differ", function() torch.ones(2, 3):mm(torch.ones(4, 2)) end,
  "mm: shapes [2, 3] and [4, 2] cannot be multiplied (3 columns vs 4 rows)")
-- BUG: says "matmul: ... (3 columns vs 4 rows)" for two vectors.
case("dot: lengths differ", function() torch.ones(3):dot(torch.ones(4)) end,
  { "dot: ", "[3] and [4]" })
case("dot: a 2-D tensor", function() torch.ones(3, 1):dot(torch.ones(3)) end,
  "dot: expects two 1-D tensors, got shapes [3, 1] and [3]")

---------------------------------------------------------------------------------------
-- Joining
---------------------------------------------------------------------------------------
case("cat: sizes differ outside the cat dim", function() torch.cat({ torch.ones(2, 3), torch.ones(2, 4) }, 1) end,
  "cat: sizes must match except in dimension 1: tensor 2 has shape [2, 4], expected [2, 3] apart from dimension 1")
case("cat: ranks differ", function() torch.cat({ torch.ones(2, 3), torch.ones(3) }) end,
  "cat: tensor 2 has 1 dimensions, expected 2 (shapes [2, 3] and [3])")
case("cat: empty list", function() torch.cat({}) end,
  "torch.cat: bad argument #1 (tensors): expected a non-empty list of tensors, got table")
case("cat: a tensor instead of a list", function() torch.cat(torch.ones(2)) end,
  "torch.cat: bad argument #1 (tensors): expected a list of tensors, got a float32 tensor of shape [2]")
case("cat: a number in the list", function() torch.cat({ torch.ones(2), 3 }) end,
  "torch.cat: element 2 of the list must be a tensor, got number")
case("cat: dim beyond the rank", function() torch.cat({ torch.ones(2), torch.ones(2) }, 3) end,
  "cat: dimension 3 out of range for a tensor with 1 dimension (valid: 1..1 or -1..-1)")
case("cat: dim 0", function() torch.cat({ torch.ones(2), torch.ones(2) }, 0) end,
  "torch.cat: bad argument #2 (dim): dimensions are 1-based, got 0 (use 1 for the first dimension, -1 for the last)")
case("stack: shapes differ", function() torch.stack({ torch.ones(2), torch.ones(3) }) end,
  "stack: all tensors must have the same shape; tensor 2 has [3], tensor 1 has [2]")
case("stack: dim beyond the rank + 1", function() torch.stack({ torch.ones(2), torch.ones(2) }, 4) end,
  "stack: dimension 4 out of range")
case("stack: dim 0", function() torch.stack({ torch.ones(2) }, 0) end,
  "torch.stack: bad argument #2 (dim): dimensions are 1-based, got 0")

---------------------------------------------------------------------------------------
-- Shapes and views
---------------------------------------------------------------------------------------
case("view: wrong element count", function() torch.ones(2, 3):view(4, 2) end,
  "view: shape [4, 2] is invalid for a tensor of 6 elements (shape [2, 3])")
case("view: two -1 sizes", function() torch.ones(2, 3):view(-1, -1) end,
  "view: only one dimension can be -1, got [-1, -1]")
case("view: size -2", function() torch.ones(2, 3):view(-2, 3) end, "view: invalid size -2 in shape [-2, 3]")
case("view: not contiguous", function() torch.ones(2, 3):t():view(6) end,
  "view: the tensor is not contiguous (e.g. after transpose or permute); use reshape, or contiguous() first")
case("view: a string size", function() torch.ones(2, 3):view("a") end,
  "Tensor:view: bad argument #2 (size): expected integer sizes or a table of sizes, got string 'a'")
case("reshape: wrong element count", function() torch.ones(2, 3):reshape(7) end,
  "reshape: shape [7] is invalid for a tensor of 6 elements (shape [2, 3])")
case("reshape: -1 that cannot divide", function() torch.ones(2, 3):reshape(-1, 4) end,
  "reshape: shape [-1, 4] is invalid for a tensor of 6 elements (shape [2, 3])")
case("expand: a non-1 size changes", function() torch.ones(2, 3):expand(4, 3) end,
  "expand: size 4 does not match the existing size 2 at dimension 1 (shape [2, 3] to [4, 3])")
case("expand: fewer sizes than dims", function() torch.ones(2, 3):expand(3) end,
  "expand: the number of sizes (1) must be at least the number of dimensions (2)")
case("repeat_: fewer repeats than dims", function() torch.ones(2, 3):repeat_(2) end,
  "repeat_: the number of repeats (1) must be at least the number of dimensions (2)")
case("permute: too few dims", function() torch.ones(2, 3):permute(1) end,
  "permute: 1 dimensions given for a tensor with 2 (shape [2, 3])")
case("permute: repeated dim", function() torch.ones(2, 3):permute(1, 1) end,
  "permute: repeated dimension in [1, 1]")
case("permute: dim beyond the rank", function() torch.ones(2, 3):permute(1, 3) end,
  "permute: dimension 3 out of range for a tensor with 2 dimensions (valid: 1..2 or -2..-1)")
-- BUG: 0 is read as dim 1, so the message is "repeated dimension in [1, 1]".
case("permute: dim 0", function() torch.ones(2, 3):permute(0, 1) end,
  { "permute", "dimensions are 1-based, got 0" })
case("transpose: dim beyond the rank", function() torch.ones(2, 3):transpose(1, 3) end,
  "transpose: dimension 3 out of range for a tensor with 2 dimensions (valid: 1..2 or -2..-1)")
case("transpose: dim 0", function() torch.ones(2, 2):transpose(0, 1) end,
  "Tensor:transpose: bad argument #2 (dim0): dimensions are 1-based, got 0")
case("t: a 3-D tensor", function() torch.ones(2, 3, 4):t() end,
  "t: expects a tensor with at most 2 dimensions, got shape [2, 3, 4]; use transpose(d1, d2)")
case("flatten: start after end", function() torch.ones(2, 3, 4):flatten(3, 2) end,
  "flatten: start dimension 3 comes after end dimension 2")
case("squeeze: dim beyond the rank", function() torch.ones(2, 3):squeeze(3) end,
  "squeeze: dimension 3 out of range for a tensor with 2 dimensions")
case("unsqueeze: dim beyond rank + 1", function() torch.ones(2, 3):unsqueeze(5) end,
  "unsqueeze: dimension 5 out of range for a tensor with 2 dimensions (valid: 1..3 or -3..-1)")
case("unsqueeze: dim 0", function() torch.ones(2, 3):unsqueeze(0) end,
  "Tensor:unsqueeze: bad argument #2 (dim): dimensions are 1-based, got 0 (use 1 for the first dimension, -1 for the last)")
case("size: dim beyond the rank", function() torch.ones(3):size(2) end,
  "size: dimension 2 out of range for a tensor with 1 dimension (valid: 1..1 or -1..-1)")
case("size: dim 0", function() torch.ones(2):size(0) end,
  "Tensor:size: bad argument #2 (dim): dimensions are 1-based, got 0")
-- BUG: a non-number dim is ignored and the whole shape comes back.
case("size: a string dim", function() torch.ones(2):size("a") end,
  "Tensor:size: bad argument #2 (dim): expected an integer, got string 'a'")

---------------------------------------------------------------------------------------
-- Indexing
---------------------------------------------------------------------------------------
-- BUG: named after the internal accessor: "Tensor.get: bad argument #2 (index): ...".
case("t[0]", function() return torch.ones(3)[0] end,
  { "t[i]", "indices are 1-based, got 0" })
-- BUG: named "select:", a function the script did not call.
case("t[99]", function() return torch.ones(3)[99] end,
  { "t[i]", "index 99 is out of range for dimension 1 of size 3 (valid: 1..3 or -3..-1)" })
case("t[-4]", function() return torch.ones(3)[-4] end,
  "index -4 is out of range for dimension 1 of size 3 (valid: 1..3 or -3..-1)")
case("t[1.5]", function() return torch.ones(3)[1.5] end,
  "bad argument #2 (index): expected an integer, got number 1.5")
case("t[1] on a 0-d tensor", function() return torch.tensor(3.0)[1] end,
  "cannot index a 0-dimensional tensor")
-- BUG: errors raised by t[i] carry the prelude's position ("prelude:25:") instead of
-- the script line that indexed.
spec("error positions point at the script line", function()
  local function source_of(fn, expected)
    local msg = expect_error(fn, expected)
    return msg:match("^(.-):%d+: ") or "(no position)"
  end
  local sources = {
    ["t[0]"] = source_of(function() return torch.ones(3)[0] end, "1-based"),
    ["t[99]"] = source_of(function() return torch.ones(3)[99] end, "out of range"),
    ["t:nume()"] = source_of(function() return torch.ones(3):nume() end, "nume"),
    ["t + 'a'"] = source_of(function() return torch.ones(3) + "a" end, "right operand"),
    ["t[0] = 1"] = source_of(function() local t = torch.ones(3); t[0] = 1 end, "1-based"),
  }
  local wrong = {}
  for what, source in pairs(sources) do
    if not source:find("errors%.lua$") then wrong[#wrong + 1] = what .. " -> " .. source end
  end
  table.sort(wrong)
  if #wrong > 0 then error("positions outside errors.lua: " .. table.concat(wrong, "; "), 0) end
end)
-- BUG: named "Tensor.set" rather than the assignment the script wrote.
case("t[0] = v", function() local t = torch.ones(3); t[0] = 1 end,
  { "t[i] = v", "indices are 1-based, got 0" })
case("t[99] = v", function() local t = torch.ones(3); t[99] = 1 end,
  "index 99 is out of range for dimension 1 of size 3")
case("t[1] = a string", function() local t = torch.ones(3); t[1] = "a" end,
  "bad argument #3 (value): expected a tensor or a number, got string 'a'")
-- BUG: says "copy_: shapes [2] and [3] do not broadcast".
case("t[1] = a tensor of the wrong shape", function() local t = torch.ones(3, 2); t[1] = torch.ones(3) end,
  { "t[i] = v", "[3]", "[2]" })
case("t.foo = v", function() local t = torch.ones(3); t.foo = 1 end,
  "Tensor: cannot set field 'foo'; settable fields are grad and requires_grad (use t[i] = v for values)")
case("t[true] = v", function() local t = torch.ones(3); t[true] = 1 end,
  "bad argument #2 (key): expected a string, got boolean")
case("t.grad = a tensor of another shape", function() local t = torch.ones(3); t.grad = torch.ones(2) end,
  "grad must have the tensor's shape [3], got [2]")
case("t.grad = a number", function() local t = torch.ones(3); t.grad = 5 end,
  "bad argument #3 (grad): expected a tensor, got integer 5")
-- BUG: an int64 grad is accepted for a float32 tensor (PyTorch: "assigned grad has data
-- of a different type").
case("t.grad = a tensor of another dtype", function() local t = torch.ones(2); t.grad = torch.tensor({ 1, 2 }) end,
  { "grad", "float32", "int64" })
case("select: dim beyond the rank", function() torch.ones(2, 3):select(3, 1) end,
  "select: dimension 3 out of range for a tensor with 2 dimensions (valid: 1..2 or -2..-1)")
case("select: index beyond the size", function() torch.ones(2, 3):select(2, 4) end,
  "select: index 4 is out of range for dimension 2 of size 3 (valid: 1..3 or -3..-1)")
case("select: dim 0", function() torch.ones(2, 3):select(0, 1) end,
  "Tensor:select: bad argument #2 (dim): dimensions are 1-based, got 0")
case("select: index 0", function() torch.ones(2, 3):select(1, 0) end,
  "Tensor:select: bad argument #3 (index): indices are 1-based, got 0")
case("narrow: past the end", function() torch.arange(10):narrow(1, 8, 5) end,
  "narrow: start 8 and length 5 exceed dimension 1 of size 10 (shape [10])")
-- BUG: reports "start -29" for the -30 the script passed (off by one on negatives).
case("narrow: negative start before the beginning", function() torch.arange(10):narrow(1, -30, 2) end,
  "narrow: start -30 ")
case("narrow: dim beyond the rank", function() torch.arange(10):narrow(2, 1, 1) end,
  "narrow: dimension 2 out of range for a tensor with 1 dimension")
case("index_select: index beyond the size", function() torch.arange(5):index_select(1, torch.tensor({ 6 })) end,
  "index_select: index 6 is out of range for dimension 1 of size 5 (valid: 1..5)")
case("index_select: index 0", function() torch.arange(5):index_select(1, torch.tensor({ 0 })) end,
  "index_select: index 0 is out of range for dimension 1 of size 5 (valid: 1..5)")
case("index_select: float index tensor", function() torch.arange(5):index_select(1, torch.tensor({ 1.0 })) end,
  "Tensor:index_select: bad argument #3 (index): expected an int64 tensor of 1-based indices, got a float32 tensor of shape [1]")
case("index_select: 2-D index", function() torch.arange(5):index_select(1, torch.tensor({ { 1 } })) end,
  "index_select: index must be 1-D, got shape [1, 1]")
case("index_select: dim beyond the rank", function() torch.arange(5):index_select(2, torch.tensor({ 1 })) end,
  "index_select: dimension 2 out of range for a tensor with 1 dimension")
case("index_select: a Lua table as index", function() torch.arange(5):index_select(1, { 1, 2 }) end,
  "Tensor:index_select: bad argument #3 (index): expected a tensor, got table")
case("gather: index beyond the size", function() torch.tensor({ { 1, 2 }, { 3, 4 } }):gather(2, torch.tensor({ { 3 }, { 1 } })) end,
  "gather: index 3 is out of range for dimension 2 of size 2 (valid: 1..2)")
case("gather: index of another rank", function() torch.tensor({ { 1, 2 }, { 3, 4 } }):gather(2, torch.tensor({ 1, 1 })) end,
  "gather: index must have as many dimensions as the input (2), got shape [2]")
case("gather: dim beyond the rank", function() torch.tensor({ { 1, 2 }, { 3, 4 } }):gather(3, torch.tensor({ { 1 }, { 1 } })) end,
  "gather: dimension 3 out of range for a tensor with 2 dimensions")
case("masked_select: float mask", function() torch.ones(3):masked_select(torch.ones(3)) end,
  "masked_select: mask must be a bool tensor, got float32")
case("masked_select: mask that does not broadcast", function() torch.ones(3):masked_select(torch.ones(4, { dtype = "bool" })) end,
  "masked_select: shapes [3] and [4] do not broadcast (dimension 1: 3 vs 4)")
-- BUG: says "where: shapes [4] and [3] do not broadcast"; the intended masked_fill
-- message exists in Indexing.swift but is never reached.
case("masked_fill: mask that does not broadcast", function() torch.ones(3):masked_fill(torch.ones(4, { dtype = "bool" }), 0) end,
  "masked_fill: mask of shape [4] does not broadcast to the input's shape [3]")
case("masked_fill: a string value", function() torch.ones(3):masked_fill(torch.ones(3, { dtype = "bool" }), "x") end,
  "Tensor:masked_fill: bad argument #3 (value): expected a tensor or a number, got string 'x'")
case("where: shapes that do not broadcast", function() torch.where(torch.ones(3, { dtype = "bool" }), torch.ones(4), 0) end,
  "where: shapes [3] and [4] do not broadcast (dimension 1: 3 vs 4)")
case("where: a string branch", function() torch.where(torch.ones(3, { dtype = "bool" }), "a", 0) end,
  "torch.where: bad argument #2 (input): expected a tensor or a number, got string 'a'")
case("split: size 0", function() torch.arange(5):split(0) end, "split: split size must be positive, got 0")
case("split: sizes that do not add up", function() torch.arange(5):split({ 2, 2 }) end,
  "split: sizes [2, 2] must be non-negative and add up to 5, the size of dimension 1")
case("chunk: 0 chunks", function() torch.arange(5):chunk(0) end, "chunk: number of chunks must be positive, got 0")
case("chunk: fractional count", function() torch.ones(2):chunk(1.5) end,
  "Tensor:chunk: bad argument #2 (chunks): expected an integer, got number 1.5")

---------------------------------------------------------------------------------------
-- Reductions
---------------------------------------------------------------------------------------
case("sum: dim beyond the rank", function() torch.ones(2, 3):sum(3) end,
  "sum: dimension 3 out of range for a tensor with 2 dimensions (valid: 1..2 or -2..-1)")
case("sum: dim 0", function() torch.ones(2, 3):sum(0) end,
  "Tensor:sum: bad argument #2 (dim): dimensions are 1-based, got 0 (use 1 for the first dimension, -1 for the last)")
case("sum: misspelt keepdim", function() torch.ones(2, 3):sum(1, { keepdims = true }) end,
  "Tensor:sum: unknown option 'keepdims' (did you mean 'keepdim'?); valid options: keepdim")
case("sum: repeated dims", function() torch.ones(2, 3):sum({ 1, 1 }) end, "sum: dimension repeated in [1, 1]")
case("sum: dim 0 in a dim list", function() torch.ones(2, 3):sum({ 0 }) end, "Tensor:sum: dimensions are 1-based, got 0")
case("mean: an int64 tensor", function() torch.tensor({ 1, 2 }):mean() end,
  "mean: needs a floating-point tensor, got int64; convert with :float() first")
case("std: misspelt unbiased", function() torch.ones(3):std({ unbaised = false }) end,
  "Tensor:std: unknown option 'unbaised' (did you mean 'unbiased'?); valid options: keepdim, unbiased, correction")
case("max: dim beyond the rank", function() torch.ones(3):max(2) end,
  "max: dimension 2 out of range for a tensor with 1 dimension (valid: 1..1 or -1..-1)")
case("max: an empty tensor", function() torch.zeros(0):max() end,
  "max: cannot reduce an empty tensor (shape [0]) without a dim")
case("max: misspelt keepdim", function() torch.ones(2):max(1, { keepdims = true }) end,
  "Tensor:max: unknown option 'keepdims' (did you mean 'keepdim'?); valid options: keepdim")
-- BUG: says "ge: shapes [2] and [3] ...", naming the helper max uses.
case("max: other tensor that does not broadcast", function() torch.ones(2):max(torch.ones(3)) end,
  "max: shapes [2] and [3] do not broadcast")
-- BUG: says "max: dimension 2 out of range ...".
case("argmax: dim beyond the rank", function() torch.ones(3):argmax(2) end,
  "argmax: dimension 2 out of range for a tensor with 1 dimension")
case("cumsum: no dim", function() torch.ones(3):cumsum() end,
  "Tensor:cumsum: bad argument #2 (dim): expected an integer, got nothing")
case("topk: k larger than the size", function() torch.ones(3):topk(5) end,
  "topk: k (5) must be between 0 and the size of dimension 1 (3)")
case("sort: descending not a boolean", function() torch.ones(3):sort({ descending = 1 }) end,
  "Tensor:sort: option 'descending' must be a boolean, got number")
case("sort: dim beyond the rank", function() torch.ones(3):sort(2) end,
  "sort: dimension 2 out of range for a tensor with 1 dimension")
case("unique: return_inverse not a boolean", function() torch.ones(2):unique({ return_inverse = 1 }) end,
  "Tensor:unique: option 'return_inverse' must be a boolean, got number")
case("clamp: neither bound", function() torch.ones(3):clamp() end, "clamp: at least one of min and max must be given")
case("clamp: a string bound", function() torch.ones(3):clamp("a") end,
  "Tensor:clamp: bad argument #2 (min): expected a number, got string 'a'")
case("clamp: misspelt option", function() torch.ones(3):clamp({ mn = 0 }) end,
  "Tensor:clamp: unknown option 'mn' (did you mean 'min'?); valid options: min, max")

---------------------------------------------------------------------------------------
-- Conversion
---------------------------------------------------------------------------------------
case("item: several elements", function() torch.ones(3):item() end,
  "item: a tensor with one element expected, got shape [3] (3 elements)")
case("item: no element", function() torch.zeros(0):item() end,
  "item: a tensor with one element expected, got shape [0] (0 elements)")
case("to: misspelt dtype", function() torch.ones(3):to("flaot64") end,
  "Tensor:to: unknown dtype 'flaot64' (did you mean 'float64'?); valid: float32, float64, int64, bool")
case("to: no dtype", function() torch.ones(3):to() end,
  "Tensor:to: bad argument #2 (dtype): expected a string, got nothing")

---------------------------------------------------------------------------------------
-- Methods and names
---------------------------------------------------------------------------------------
case("unknown method suggests the closest", function() torch.ones(3):nume() end,
  "Tensor has no field or method 'nume' (did you mean 'numel'?)")
case("unknown method without a close name", function() torch.ones(3):foo() end,
  "Tensor has no field or method 'foo'")
-- BUG: properties (shape, dtype, grad, ...) are not among the suggestions.
case("misspelt property", function() return torch.ones(3).shap end,
  "Tensor has no field or method 'shap' (did you mean 'shape'?)")
-- BUG: the prefix rule suggests 't' for any name starting with t.
case("transposed letters in a method name", function() return torch.ones(2):trnaspose(1, 2) end,
  "Tensor has no field or method 'trnaspose' (did you mean 'transpose'?)")
case("method called with . instead of :", function() torch.zeros(2).sum(5) end,
  "Tensor:sum: bad argument #1 (self): expected a tensor, got integer 5")
case("method called on a table", function() torch.Tensor.numel({}) end,
  "Tensor:numel: bad argument #1 (self): expected a tensor, got table")
case("method called with nothing", function() torch.Tensor.add() end,
  "Tensor:add: bad argument #1 (self): expected a tensor, got nothing")
-- BUG: Lua's generic "attempt to call a nil value (field 'zero')".
case("unknown torch function", function() torch.zero(2) end,
  { "'zero'", "did you mean 'zeros'" })

---------------------------------------------------------------------------------------
-- Autograd
---------------------------------------------------------------------------------------
case("requires_grad_ on an int64 tensor", function() torch.tensor({ 1, 2 }):requires_grad_() end,
  "requires_grad_: only floating-point tensors can require gradients, this one is int64")
case("t.requires_grad = true on an int64 tensor", function() local t = torch.ones(3, { dtype = "int64" }); t.requires_grad = true end,
  { "requires_grad", "only floating-point tensors can require gradients", "int64" })
case("requires_grad_ on a non-leaf", function() (leaf() * 2):requires_grad_(false) end,
  "requires_grad_: only leaf tensors can change requires_grad; use detach() to get a new leaf")
case("requires_grad_: a string", function() torch.ones(2):requires_grad_("yes") end,
  "Tensor:requires_grad_: bad argument #2 (requires_grad): expected a boolean, got string 'yes'")
case("backward twice without retain_graph", function()
  local w = leaf()
  local loss = (w * w):sum()
  loss:backward()
  loss:backward()
end, { "backward: trying to backward through the graph a second time", "pass {retain_graph = true} to the first backward" })
case("backward on a non-scalar without a gradient", function() (leaf() * 2):backward() end,
  "backward: grad can be implicitly created only for outputs with one element; output has shape [2], pass a gradient")
case("backward on a tensor outside the graph", function() torch.ones(2):sum():backward() end,
  "backward: the tensor does not require grad and has no grad_fn")
case("backward with a gradient of another shape", function() (leaf() * 2):backward(torch.ones(3)) end,
  "backward: gradient has shape [3], expected the output's shape [2]")
case("backward: misspelt retain_graph", function() (leaf() * 2):sum():backward({ retain = true }) end,
  "Tensor:backward: unknown option 'retain' (did you mean 'retain_graph'?); valid options: retain_graph")
case("backward: a string", function() (leaf() * 2):sum():backward("x") end,
  "Tensor:backward: bad argument #2 (options): expected an options table, got string 'x'")
case("add_ on a leaf that requires grad", function() leaf():add_(1) end,
  "add_: a leaf tensor that requires grad cannot be modified in place; wrap the update in torch.no_grad(function() ... end)")
case("copy_ on a leaf that requires grad", function() leaf():copy_(torch.zeros(2)) end,
  "copy_: a leaf tensor that requires grad cannot be modified in place")
case("t[i] = v on a leaf that requires grad", function() local w = leaf(); w[1] = 3 end,
  "t[i] = v: a leaf tensor that requires grad cannot be modified in place")
case("uniform_ on a leaf that requires grad", function() leaf():uniform_() end,
  "uniform_: a leaf tensor that requires grad cannot be modified in place")
-- BUG: says "fill_:" although the script called zero_.
case("zero_ on a leaf that requires grad", function() leaf():zero_() end,
  "zero_: a leaf tensor that requires grad cannot be modified in place")
case("div_ on an int64 tensor", function() torch.tensor({ 1, 2 }):div_(2) end,
  "div_: result type float32 cannot be stored in a")
case("add_ whose result has another shape", function() torch.ones(2):add_(torch.ones(2, 2)) end,
  "add_: the result of shape [2, 2] cannot be written into a tensor of shape [2]")
case("copy_ from a shape that does not broadcast", function() torch.ones(2):copy_(torch.ones(3)) end,
  "copy_: shapes [2] and [3] do not broadcast (dimension 1: 2 vs 3)")
case("uniform_ on an int64 tensor", function() torch.tensor({ 1 }):uniform_() end,
  "uniform_: needs a floating-point tensor, got int64")
case("uniform_ with from > to", function() torch.ones(2):uniform_(1, 0) end,
  "uniform_: from (1.0) must not exceed to (0.0)")
case("normal_ with a negative std", function() torch.ones(2):normal_(0, -1) end,
  "normal_: std must be non-negative, got -1.0")
case("autograd.grad: an unused input", function()
  local x, y = leaf(), leaf()
  torch.autograd.grad((x * x):sum(), { y })
end, "torch.autograd.grad: input 1 was not used to compute the output; pass {allow_unused = true} to get nil for it")
case("autograd.grad: an input that does not require grad", function()
  torch.autograd.grad((leaf() * 2):sum(), { torch.ones(2) })
end, "torch.autograd.grad: input 1 does not require grad")
case("autograd.grad: inputs not a list", function() torch.autograd.grad((leaf() * 2):sum(), 5) end,
  "torch.autograd.grad: bad argument #2 (tensors): expected a list of tensors, got integer 5")
case("autograd.grad: misspelt option", function() local x = leaf(); torch.autograd.grad((x * x):sum(), { x }, { retain = true }) end,
  "torch.autograd.grad: unknown option 'retain' (did you mean 'retain_graph'?); valid options: retain_graph, allow_unused, create_graph")
case("gradcheck: fn not a function", function() torch.autograd.gradcheck(5, {}) end,
  "torch.autograd.gradcheck: bad argument #1 (fn): expected a function")
case("gradcheck: no input requires grad", function() torch.autograd.gradcheck(function(x) return x end, { torch.ones(2) }) end,
  "torch.autograd.gradcheck: no input requires grad")
case("no_grad: not a function", function() torch.no_grad(5) end,
  "torch.no_grad: bad argument #1 (fn): expected a function, got integer 5")
spec("no_grad: an error inside passes through and grad mode is restored", function()
  expect_error(function() torch.no_grad(function() error("inner failure", 0) end) end, "inner failure")
  assert(torch.is_grad_enabled(), "grad mode stayed off after the error")
end)
case("set_grad_enabled: a number", function() torch.set_grad_enabled(1) end,
  "torch.set_grad_enabled: bad argument #1 (mode): expected a boolean, got integer 1")
case("manual_seed: a string", function() torch.manual_seed("x") end,
  "torch.manual_seed: bad argument #1 (seed): expected an integer, got string 'x'")
case("set_num_threads: 0", function() torch.set_num_threads(0) end,
  "torch.set_num_threads: bad argument #1 (n): expected a positive integer, got integer 0")

---------------------------------------------------------------------------------------
-- Persistence: torch.load of missing, truncated and corrupt files; torch.save
---------------------------------------------------------------------------------------
spec("load: a missing file", function()
  local path = temp_path() .. ".missing/none.safetensors"
  expect_error(function() torch.load(path) end, "torch.load: cannot read '" .. path .. "' (no such file or not readable)")
end)
case("load: no path", function() torch.load() end, "torch.load: bad argument #1 (path): expected a string, got nothing")
spec("load: a folder", function()
  local folder = temp_path():match("^(.*)/[^/]*$")
  expect_error(function() torch.load(folder) end, "torch.load: cannot read '" .. folder .. "'")
end)
spec("load: an empty file", function()
  local p = write_file("")
  expect_error(function() torch.load(p) end, not_valid(p) .. "file is 0 bytes, too short for the 8-byte header length")
end)
spec("load: a 3-byte file", function()
  local p = write_file("abc")
  expect_error(function() torch.load(p) end, not_valid(p) .. "file is 3 bytes, too short for the 8-byte header length")
end)
spec("load: a header length that claims terabytes", function()
  local p = write_file(string.pack("<I8", 1 << 42) .. "{}")
  expect_error(function() torch.load(p) end, not_valid(p) .. "header claims 4398046511104 bytes")
end)
spec("load: a header length of 2^64 - 1", function()
  local p = write_file(string.rep("\255", 8) .. "{}")
  expect_error(function() torch.load(p) end, not_valid(p) .. "header claims 18446744073709551615 bytes")
end)
spec("load: a header longer than the file", function()
  local p = write_file(string.pack("<I8", 100) .. "{}")
  expect_error(function() torch.load(p) end, not_valid(p) .. "header claims 100 bytes but the file has only 2 after the length")
end)
spec("load: a header that is not JSON", function()
  local p = safetensors_file("not json at all")
  expect_error(function() torch.load(p) end, not_valid(p) .. "header is not a JSON object")
end)
spec("load: a JSON header that is not an object", function()
  local p = safetensors_file("[1, 2]")
  expect_error(function() torch.load(p) end, not_valid(p) .. "header is not a JSON object")
end)
spec("load: data offsets beyond the file", function()
  local p = safetensors_file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', "1234")
  expect_error(function() torch.load(p) end, not_valid(p) .. "tensor 'a' claims bytes 0..<8 but the data section has 4 bytes")
end)
spec("load: a byte range that does not fit the shape", function()
  local p = safetensors_file('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,4]}}', "1234")
  expect_error(function() torch.load(p) end, not_valid(p) .. "tensor 'a' of shape [3] and dtype F32 needs 12 bytes, header gives 4")
end)
spec("load: an unknown dtype", function()
  local p = safetensors_file('{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', "1234")
  expect_error(function() torch.load(p) end, not_valid(p) .. "tensor 'a' has dtype F16; MarketLab reads F32, F64, I64 and BOOL")
end)
spec("load: an entry without shape and offsets", function()
  local p = safetensors_file('{"a":{"dtype":"F32"}}')
  expect_error(function() torch.load(p) end, not_valid(p) .. "entry 'a' lacks dtype, shape or data_offsets")
end)
spec("load: a negative size in the shape", function()
  local p = safetensors_file('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', "1234")
  expect_error(function() torch.load(p) end, not_valid(p) .. "tensor 'a' has an invalid shape [-1]")
end)
spec("load: a shape whose element count overflows", function()
  local p = safetensors_file('{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}', "1234")
  expect_error(function() torch.load(p) end, not_valid(p) .. "tensor 'a' has an invalid shape [4294967296, 4294967296, 4294967296]")
end)
spec("load: offsets near 2^63", function()
  local p = safetensors_file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775807,9223372036854775807]}}', "1234")
  expect_error(function() torch.load(p) end, not_valid(p) .. "tensor 'a' claims bytes 9223372036854775807..<9223372036854775807")
end)
-- BUG: names no function ("cannot write '...': folder '...' does not exist").
spec("save: into a folder that does not exist", function()
  local folder = temp_path() .. ".missing"
  local path = folder .. "/model.safetensors"
  expect_error(function() torch.save(torch.ones(2), path) end,
    "torch.save: cannot write '" .. path .. "': folder '" .. folder .. "' does not exist")
  assert(io.open(path, "rb") == nil, "a file appeared at " .. path)
end)
-- BUG: names no function ("cannot write '/tmp': Is a directory").
spec("save: onto a folder", function()
  local folder = temp_path():match("^(.*)/[^/]*$")
  expect_error(function() torch.save(torch.ones(2), folder) end, "torch.save: cannot write '" .. folder .. "'")
end)
case("save: a number", function() torch.save(5, temp_path()) end,
  "torch.save: bad argument #1 (value): expected a tensor or a table of named tensors, got integer 5")
case("save: no path", function() torch.save(torch.ones(2)) end,
  "torch.save: bad argument #2 (path): expected a string, got nothing")
-- BUG: reports the key's type ("got string") instead of the value's: the value is
-- popped before the message reads the type.
case("save: a table with a non-tensor value", function() torch.save({ a = 1 }, temp_path()) end,
  "torch.save: value of 'a' must be a tensor, got number")
case("save: a table with a boolean key", function() torch.save({ [true] = torch.ones(1) }, temp_path()) end,
  "torch.save: keys must be names (strings)")
-- BUG: the tensor is written as a second "__metadata__" key and silently lost on load.
case("save: a tensor named __metadata__", function() torch.save({ __metadata__ = torch.ones(1) }, temp_path()) end,
  { "torch.save", "__metadata__" })

---------------------------------------------------------------------------------------
-- Former CRASHERS: each of these killed the process (Swift runtime trap or segfault)
-- when it was written, which meant no Lua error and no message at all. The second
-- argument records the crash that was fixed; the body states the behaviour now required.
---------------------------------------------------------------------------------------
local function crasher(name, crash, fn)
  spec("CRASH " .. name, fn)
end
local function nested(depth)
  local t = { 1 }
  for _ = 1, depth do t = { t } end
  return t
end

crasher("zeros: sizes whose product passes Int.max",
  "Creation.swift:9 Fatal error: Double value cannot be converted to Int (the message's Int(total))",
  function() expect_error(function() torch.zeros(math.maxinteger, 4) end, { "torch.zeros", "more than this machine can hold" }) end)
crasher("eye: n = math.maxinteger", "Creation.swift:9 Fatal error: Double value cannot be converted to Int",
  function() expect_error(function() torch.eye(math.maxinteger) end, { "eye", "more than this machine can hold" }) end)
crasher("linspace: 10^12 steps", "Fatal error: failed to allocate 4000000000000 bytes (no size check)",
  function() expect_error(function() torch.linspace(0, 1, 1000000000000) end, { "linspace", "more than this machine can hold" }) end)
crasher("arange: an infinite end", "Creation.swift:37 Fatal error: Double value cannot be converted to Int because it is either infinite or NaN",
  function() expect_error(function() torch.arange(0, math.huge) end, { "arange", "inf" }) end)
crasher("arange: a step so small the count passes Int.max", "Creation.swift:37 Fatal error: Double value cannot be converted to Int",
  function() expect_error(function() torch.arange(0, 1, 1e-300) end, { "arange", "more than this machine can hold" }) end)
crasher("randperm: n = math.maxinteger", "abort / segfault allocating Array(0..<n), no size check",
  function() expect_error(function() torch.randperm(math.maxinteger) end, { "randperm", "more than this machine can hold" }) end)
crasher("randint: the full int64 range", "Random.swift:80 Fatal error: Not enough bits to represent the passed value",
  function()
    local t = torch.randint(math.mininteger, math.maxinteger, { 2 })
    assert(t.dtype == "int64" and t:numel() == 2)
  end)
crasher("narrow: a length near Int.max", "Views.swift:149 arithmetic overflow (start + length)",
  function() expect_error(function() torch.arange(10):narrow(1, 2, math.maxinteger) end,
    "narrow: start 2 and length 9223372036854775807 exceed dimension 1 of size 10") end)
crasher("view: a size near Int.max", "Views.swift:19 arithmetic overflow (product of sizes)",
  function() expect_error(function() torch.ones(2):view(math.maxinteger, 2) end,
    "view: shape [9223372036854775807, 2] is invalid for a tensor of 2 elements") end)
crasher("repeat_: a count near Int.max", "Tensor.swift:32 arithmetic overflow (element count of the result)",
  function() expect_error(function() torch.ones(2):repeat_(math.maxinteger) end, { "repeat_", "more than this machine can hold" }) end)
crasher("sum: of a tensor expanded to Int.max elements", "Storage.swift:13 arithmetic overflow (count * itemSize)",
  function() expect_error(function() torch.ones(1):expand(math.maxinteger):sum() end, "sum") end)
crasher("chunk: n = math.maxinteger", "Indexing.swift:215 arithmetic overflow (shape + n - 1)",
  function() assert(#torch.ones(3):chunk(math.maxinteger) == 3, "expected 3 pieces of size 1") end)
crasher("split: sizes whose sum overflows", "Indexing.swift:201 arithmetic overflow (sum of sizes)",
  function() expect_error(function() torch.arange(5):split({ math.maxinteger, math.maxinteger, 5 }) end, "split: sizes") end)
crasher("index_select: index math.mininteger", "Indexing.swift:17 arithmetic overflow (i + 1 in the message)",
  function() expect_error(function() torch.arange(5):index_select(1, torch.tensor({ math.mininteger })) end,
    { "index_select", "out of range for dimension 1 of size 5" }) end)
crasher("gather: index math.mininteger", "Indexing.swift:59 arithmetic overflow (i + 1 in the message)",
  function() expect_error(function() torch.arange(5):gather(1, torch.tensor({ math.mininteger })) end,
    { "gather", "out of range for dimension 1 of size 5" }) end)
crasher("cumsum: int64 overflow", "Reduction.swift:185 arithmetic overflow (sum wraps, cumsum traps)",
  function()
    local ok, err = pcall(function() return torch.tensor({ math.maxinteger, 1 }):cumsum(1) end)
    assert(ok or tostring(err):find("cumsum", 1, true), "expected a result or a cumsum error, got: " .. tostring(err))
  end)
crasher("tostring of an int64 tensor holding math.maxinteger", "Format.swift:49 Fatal error: Double value cannot be converted to Int64",
  function()
    local text = tostring(torch.tensor({ math.maxinteger }))
    assert(text:find("9223372036854775807", 1, true), "printed as " .. text)
  end)
crasher("tensor: data nested 100 deep", "segfault in Tensors.fromLua: one Lua stack slot per level without lua_checkstack; sometimes returns and corrupts memory, crashing later",
  function()
    local ok, result = pcall(torch.tensor, nested(100))
    assert(ok and result:dim() == 101 or tostring(result):find("torch.tensor", 1, true),
      "expected a 101-dim tensor or a torch.tensor error, got: " .. tostring(result))
  end)
crasher("tensor: data nested 100000 deep", "segfault at Tensors.swift:34/67: unbounded recursion and Lua stack use",
  function() expect_error(function() torch.tensor(nested(100000)) end, "torch.tensor") end)

---------------------------------------------------------------------------------------
-- Every message, in one block, for review.
---------------------------------------------------------------------------------------
spec("all messages (printed)", function()
  for _, p in ipairs(temporary_files) do os.remove(p) end
  local lines = { string.format("---- errors.lua: %d error messages ----", #messages) }
  for _, m in ipairs(messages) do lines[#lines + 1] = "[" .. m[1] .. "] " .. m[2] end
  lines[#lines + 1] = "---- end of error messages ----"
  io.write(table.concat(lines, "\n"), "\n")
  assert(#messages >= 60, "expected at least 60 messages, saw " .. #messages)
end)
