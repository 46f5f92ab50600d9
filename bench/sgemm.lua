-- sgemm: a 2048 x 2048 float32 matrix product, a:matmul(b) (twin: bench/sgemm.py).
-- GFLOP/s = 2 n^3 / time: the rate the wide MLP (bench/wide_mlp.lua) is measured against.
-- 1 untimed warm-up, 5 timed repetitions (--reps), median; prints one JSON line.
--   usage: marketlab --threads 1 bench/sgemm.lua [--threads N] [--reps R]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local N = 2048

local options = common.parse_args("sgemm.lua")
torch.manual_seed(common.SEED)
local a = torch.randn(N, N)
local b = torch.randn(N, N)
local c
local times = common.timeit(function() c = a:matmul(b) end, options.reps)
local med = common.median(times)
common.emit("sgemm", times, {
  { "n", N },
  { "gflops_per_s", 2.0 * N ^ 3 / med / 1e9 },
  { "openblas_coretype", os.getenv("OPENBLAS_CORETYPE") or "" },
})
