-- Shared helpers for MarketLab's benchmarks (bench/*.lua); the Lua side of bench/_common.py.
-- A benchmark loads it with
--   package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
--   local common = require("_common")
-- and then, like its PyTorch twin:
--   * takes --threads N (default 1) and --reps R (default 5) (common.parse_args);
--   * builds its data in-process from a fixed seed (common.SEED);
--   * runs 1 untimed warm-up, then R timed repetitions, and reports the median (common.timeit;
--     a full collectgarbage() runs before each, untimed: see there);
--   * prints exactly one JSON line on stdout, with "impl": "marketlab" (common.emit), which
--     includes the process's peak RSS (VmHWM from /proc/self/status).
local M = {}

M.SEED = 1234
M.WARMUP = 1
M.REPS = 5

-- Options from `arg` (--threads N, --reps R, plus any names in `extra` with their
-- defaults); applies --threads to torch.set_num_threads.
function M.parse_args(script, extra)
  local options = { threads = 1, reps = M.REPS }
  for k, v in pairs(extra or {}) do options[k] = v end
  local argv = arg or {}
  local i = 1
  while argv[i] do
    local name = argv[i]:match("^%-%-([%w_]+)$")
    local value = tonumber(argv[i + 1])
    if not (name and options[name] ~= nil and value) then
      local names = {}
      for k in pairs(options) do names[#names + 1] = "--" .. k end
      table.sort(names)
      error(script .. ": bad argument '" .. tostring(argv[i]) .. "' (expected " ..
            table.concat(names, ", ") .. " followed by a number)", 0)
    end
    options[name] = math.tointeger(value) or value
    i = i + 2
  end
  torch.set_num_threads(options.threads)
  return options
end

-- Runs fn `warmup` times untimed, then `reps` times timed; returns the list of seconds.
-- A full collectgarbage() runs before each call, outside the timed region: Lua's collector
-- paces itself by the Lua heap only, and a tensor's userdata is a few bytes there however
-- large its storage, so a whole epoch's temporaries can pile up uncollected (GBs for
-- wide_mlp/inference). Collecting between repetitions keeps each repetition's memory to
-- what one epoch piles up (peak_rss_mib shows it) without touching what is timed.
M.GC_BETWEEN_REPS = true
-- The path of a bench CSV file in TMPDIR, written by generate(path) when it is not there
-- yet (scripts/bench runs the pandas twin first, which writes it).
function M.bench_csv(name, generate)
  local path = (os.getenv("TMPDIR") or "/tmp") .. "/marketlab_bench_" .. name .. ".csv"
  local existing = io.open(path, "r")
  if existing then existing:close() else generate(path) end
  return path
end

-- data.read_csv(path) timed as timeit does (each frame is garbage when the next read
-- starts: timeit collects between), checking the frame's shape.
function M.time_read_csv(path, rows, cols, reps)
  return M.timeit(function()
    local frame = data.read_csv(path)
    assert(#frame == rows and #frame.columns == cols, "unexpected shape")
  end, reps)
end

function M.timeit(fn, reps, warmup)
  for _ = 1, warmup or M.WARMUP do
    collectgarbage()
    fn()
  end
  local times = {}
  for r = 1, reps or M.REPS do
    collectgarbage()
    local t0 = torch.clock()
    fn()
    times[r] = torch.clock() - t0
  end
  return times
end

function M.median(values)
  local sorted = { table.unpack(values) }
  table.sort(sorted)
  local n = #sorted
  if n % 2 == 1 then return sorted[(n + 1) // 2] end
  return (sorted[n // 2] + sorted[n // 2 + 1]) / 2
end

function M.round(v, digits)
  local scale = 10 ^ digits
  return math.floor(v * scale + 0.5) / scale
end

-- Peak resident set size of this process in MiB (VmHWM), or nil off Linux.
function M.peak_rss_mib()
  local f = io.open("/proc/self/status", "r")
  if not f then return nil end
  local status = f:read("a")
  f:close()
  local kib = status:match("VmHWM:%s*(%d+)%s*kB")
  return kib and tonumber(kib) / 1024 or nil
end

-- One JSON object on one line, keys in the given order ({ {key, value}, ... }).
function M.json_line(pairs_list)
  local parts = {}
  for _, kv in ipairs(pairs_list) do
    local k, v = kv[1], kv[2]
    local text
    if type(v) == "string" then
      text = string.format("%q", v)
    elseif type(v) == "boolean" then
      text = tostring(v)
    elseif math.type(v) == "integer" then
      text = tostring(v)
    elseif v ~= v or v == math.huge or v == -math.huge then
      text = "null"
    else
      text = string.format("%.4f", v):gsub("0+$", ""):gsub("%.$", ".0")
    end
    parts[#parts + 1] = string.format("%q: %s", k, text)
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- Prints the one JSON line: bench name, the timing summary of `times`, then `metrics`
-- ({ {key, value}, ... }, in order), peak RSS and the Lua version. Returns the line.
function M.emit(name, times, metrics)
  local fields = {
    { "bench", name },
    { "impl", "marketlab" },
    { "threads", torch.get_num_threads() },
    { "median_s", M.round(M.median(times), 6) },
    { "min_s", M.round(math.min(table.unpack(times)), 6) },
    { "max_s", M.round(math.max(table.unpack(times)), 6) },
    { "reps", #times },
  }
  for _, kv in ipairs(metrics or {}) do fields[#fields + 1] = kv end
  fields[#fields + 1] = { "gc_between_reps", M.GC_BETWEEN_REPS }
  local rss = M.peak_rss_mib()
  if rss then fields[#fields + 1] = { "peak_rss_mib", M.round(rss, 1) } end
  fields[#fields + 1] = { "lua", _VERSION }
  local line = M.json_line(fields)
  print(line)
  io.stdout:flush()
  return line
end

-- The plain training epoch every training benchmark times (the twin of
-- /work/shared/bench/pytorch/train_common.py): a fresh permutation (torch.randperm, from
-- the global generator), then per batch an index gather (index_select of X and Y), zero_grad,
-- forward, loss, backward, optimizer step. The last partial batch is kept
-- (steps = ceil(rows / batch)). Returns the last batch's loss.
function M.train_epoch(model, opt, loss_fn, X, Y, batch)
  local n = X.shape[1]
  local perm = torch.randperm(n)
  local loss
  for i = 1, n, batch do
    local idx = perm:narrow(1, i, math.min(batch, n - i + 1))
    local xb = X:index_select(1, idx)
    local yb = Y:index_select(1, idx)
    opt:zero_grad()
    loss = loss_fn(model(xb), yb)
    loss:backward()
    opt:step()
  end
  return loss:item()
end

function M.steps_per_epoch(n, batch)
  return (n + batch - 1) // batch
end

-- Weights plus biases of every nn.Linear in the model (here: every 2-D weight and its
-- bias, since the benchmarked models are Linear/ReLU stacks).
function M.linear_params(model)
  local total = 0
  for _, p in ipairs(model:parameters()) do total = total + p:numel() end
  return total
end

return M
