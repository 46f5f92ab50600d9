-- op_overhead: per-op dispatch cost for tiny tensors (twin: bench/op_overhead.py).
--   add:     100,000 x  c = a + b            (1-element float32 tensors)
--   matmul:  100,000 x  y = x:matmul(w)      (x [1,4], w [4,4], nothing requires grad)
--   linear:  100,000 x  y = x:matmul(w) + b  (w [4,4] and b [4] require grad, so autograd
--            records both ops, as nn.Linear(4,4) does in a training script)
--   linear_no_grad: the same inside torch.no_grad
--   nn_linear: nn.Linear(4,4) on x, once nn.Linear exists (reported only then)
-- Also an empty Lua loop of the same length (subtract it for the pure op cost).
-- 1 untimed warm-up, 5 timed repetitions (--reps), median; prints one JSON line.
--   usage: marketlab --threads 1 bench/op_overhead.lua [--threads N] [--reps R]

local N = 100000
local SEED = 1234

local function parse_args(argv)
  local options = { threads = 1, reps = 5 }
  local i = 1
  while argv[i] do
    local name = argv[i]:match("^%-%-(%w+)$")
    local value = tonumber(argv[i + 1])
    if not (name and options[name] and value) then
      error("op_overhead.lua: bad argument '" .. tostring(argv[i]) ..
            "' (expected --threads N or --reps R)")
    end
    options[name] = math.tointeger(value) or value
    i = i + 2
  end
  return options
end

-- Runs fn once untimed, then `reps` times timed; returns the list of seconds.
local function timeit(fn, reps)
  fn()
  local times = {}
  for r = 1, reps do
    local t0 = torch.clock()
    fn()
    times[r] = torch.clock() - t0
  end
  return times
end

local function median(values)
  local sorted = { table.unpack(values) }
  table.sort(sorted)
  local n = #sorted
  if n % 2 == 1 then return sorted[(n + 1) // 2] end
  return (sorted[n // 2] + sorted[n // 2 + 1]) / 2
end

local function round(v, digits)
  local scale = 10 ^ digits
  return math.floor(v * scale + 0.5) / scale
end

-- One JSON object on one line, keys in the given order.
local function json_line(pairs_list)
  local parts = {}
  for _, kv in ipairs(pairs_list) do
    local k, v = kv[1], kv[2]
    local text
    if type(v) == "string" then
      text = string.format("%q", v)
    elseif math.type(v) == "integer" then
      text = tostring(v)
    else
      text = string.format("%.4f", v):gsub("0+$", ""):gsub("%.$", ".0")
    end
    parts[#parts + 1] = string.format("%q: %s", k, text)
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

local options = parse_args(arg or {})
torch.set_num_threads(options.threads)
torch.manual_seed(SEED)

local a = torch.randn(1)
local b = torch.randn(1)
local x = torch.randn(1, 4)
local w_plain = torch.randn(4, 4)
local w = torch.randn(4, 4, { requires_grad = true })
local bias = torch.randn(4, { requires_grad = true })

local function add_loop()
  local c
  for _ = 1, N do c = a + b end
  return c
end

local function matmul_loop()
  local y
  for _ = 1, N do y = x:matmul(w_plain) end
  return y
end

local function linear_loop()
  local y
  for _ = 1, N do y = x:matmul(w) + bias end
  return y
end

local function linear_no_grad_loop()
  return torch.no_grad(linear_loop)
end

local function empty_loop()
  for _ = 1, N do end
end

local t_add = timeit(add_loop, options.reps)
local t_matmul = timeit(matmul_loop, options.reps)
local t_linear = timeit(linear_loop, options.reps)
local t_linear_no_grad = timeit(linear_no_grad_loop, options.reps)
local t_nn_linear
-- nn's table raises on a missing name, so ask under pcall.
local has_linear, Linear = pcall(function() return nn.Linear end)
if has_linear and Linear then
  local lin = Linear(4, 4)
  t_nn_linear = timeit(function()
    local y
    for _ = 1, N do y = lin(x) end
    return y
  end, options.reps)
end
local t_empty = timeit(empty_loop, options.reps)

local function ns_per_op(times) return median(times) / N * 1e9 end

local fields = {
  { "bench", "op_overhead" },
  { "impl", "marketlab" },
  { "threads", torch.get_num_threads() },
  { "median_s", round(median(t_add), 6) },
  { "min_s", round(math.min(table.unpack(t_add)), 6) },
  { "max_s", round(math.max(table.unpack(t_add)), 6) },
  { "reps", #t_add },
  { "iterations", N },
  { "add_ns_per_op", ns_per_op(t_add) },
  { "matmul_ns_per_op", ns_per_op(t_matmul) },
  { "linear_ns_per_op", ns_per_op(t_linear) },
  { "linear_no_grad_ns_per_op", ns_per_op(t_linear_no_grad) },
}
if t_nn_linear then fields[#fields + 1] = { "nn_linear_ns_per_op", ns_per_op(t_nn_linear) } end
fields[#fields + 1] = { "empty_loop_ns_per_iter", ns_per_op(t_empty) }
fields[#fields + 1] = { "lua", _VERSION }
print(json_line(fields))
