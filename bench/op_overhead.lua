-- op_overhead: per-op dispatch cost for tiny tensors (twin: bench/op_overhead.py).
--   add:     100,000 x  c = a + b            (1-element float32 tensors)
--   matmul:  100,000 x  y = x:matmul(w)      (x [1,4], w [4,4], nothing requires grad)
--   linear:  100,000 x  y = x:matmul(w) + b  (w [4,4] and b [4] require grad, so autograd
--            records both ops, as nn.Linear(4,4) does in a training script)
--   linear_no_grad: the same inside torch.no_grad
--   nn_linear: nn.Linear(4,4) on x, once nn.Linear exists (reported only then)
--   add_sustained: 2,000,000 x c = a + b in one loop (3 repetitions): the garbage of a
--            long loop is collected inside the timing, as in a real training run
-- Also an empty Lua loop of the same length (subtract it for the pure op cost).
-- 1 untimed warm-up, 5 timed repetitions (--reps), median; prints one JSON line.
--   usage: marketlab --threads 1 bench/op_overhead.lua [--threads N] [--reps R]

package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local N = 100000

local options = common.parse_args("op_overhead.lua")
torch.manual_seed(common.SEED)

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

local t_add = common.timeit(add_loop, options.reps)
local t_matmul = common.timeit(matmul_loop, options.reps)
local t_linear = common.timeit(linear_loop, options.reps)
local t_linear_no_grad = common.timeit(linear_no_grad_loop, options.reps)
local t_nn_linear
-- nn's table raises on a missing name, so ask under pcall.
local has_linear, Linear = pcall(function() return nn.Linear end)
if has_linear and Linear then
  local lin = Linear(4, 4)
  t_nn_linear = common.timeit(function()
    local y
    for _ = 1, N do y = lin(x) end
    return y
  end, options.reps)
end
local t_empty = common.timeit(empty_loop, options.reps)
local LONG = 2000000
local t_add_sustained = common.timeit(function()
  local c
  for _ = 1, LONG do c = a + b end
  return c
end, 3)

local function ns_per_op(times) return common.median(times) / N * 1e9 end

local metrics = {
  { "iterations", N },
  { "add_ns_per_op", ns_per_op(t_add) },
  { "matmul_ns_per_op", ns_per_op(t_matmul) },
  { "linear_ns_per_op", ns_per_op(t_linear) },
  { "linear_no_grad_ns_per_op", ns_per_op(t_linear_no_grad) },
}
if t_nn_linear then metrics[#metrics + 1] = { "nn_linear_ns_per_op", ns_per_op(t_nn_linear) } end
metrics[#metrics + 1] = { "empty_loop_ns_per_iter", ns_per_op(t_empty) }
metrics[#metrics + 1] = { "add_sustained_ns_per_op", common.median(t_add_sustained) / LONG * 1e9 }
common.emit("op_overhead", t_add, metrics)
