-- csv_load: data.read_csv of a 1,000,000-row x 20-column CSV (ids, integers, floats with
-- 5 % empty fields, three text categoricals, ISO dates), timed --reps times, and
-- Frame:write_csv of the frame it read (timed once). The twin bench/csv_load.py writes
-- the file with pandas first (scripts/bench runs it before this one) so both read the
-- same bytes; without it this script writes a file of the same shape itself.
--   marketlab bench/csv_load.lua [--reps R] [--threads N]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local options = common.parse_args("csv_load")
local ROWS = 1000000

-- The same columns as the twin, from MarketLab's own generator.
local function generate(path)
  torch.manual_seed(common.SEED)
  local function rounded(t, digits) local s = 10 ^ digits; return (t * s):round() / s end
  local function with_empties(t) return torch.where(torch.rand(ROWS):lt(0.05), torch.full({ROWS}, 0 / 0), t) end
  local numeric = torch.stack({
    torch.arange(0, ROWS):double(),
    torch.randint(100000, 999999, {ROWS}):double(),
    torch.randint(18, 90, {ROWS}):double(),
    torch.randint(0, 9, {ROWS}):double(),
    torch.randint(1, 20, {ROWS}):double(),
    torch.randint(0, 3650, {ROWS}):double(),
    torch.randint(1, 500, {ROWS}):double(),
    torch.randint(1, 60, {ROWS}):double(),
  }, 2)
  local df = data.from_tensor(numeric:long(), {"row_id", "customer_id", "age", "visits", "items", "tenure_days", "store_id", "campaign_id"})
  local floats = data.from_tensor(torch.stack({
    rounded(torch.rand(ROWS):double() * 160, 2),
    with_empties(rounded(torch.rand(ROWS):double() * 0.3, 2)),
    rounded(torch.randn(ROWS):double() * 0.1 + 0.25, 4),
    with_empties(rounded(torch.rand(ROWS):double(), 4)),
    rounded(torch.rand(ROWS):double() * 0.08, 4),
    with_empties(rounded(torch.exp(torch.randn(ROWS):double() + 3), 2)),
    rounded(torch.rand(ROWS):double() * 25 + 35, 4),
    rounded(torch.rand(ROWS):double() * 40 - 10, 4),
  }, 2), {"revenue", "discount", "margin", "score", "ctr", "basket_value", "lat", "lon"})
  for _, name in ipairs(floats.columns) do df[name] = floats[name] end
  local codes = data.from_tensor(torch.stack({
    torch.randint(1, 6, {ROWS}), torch.randint(1, 7, {ROWS}), torch.randint(1, 5, {ROWS}), torch.randint(0, 1826, {ROWS}),
  }, 2), {"region", "channel", "segment", "order_date"})
  local levels = {
    region = {"north", "south", "east", "west", "central"},
    channel = {"email", "search", "social", "display", "direct", "affiliate"},
    segment = {"new", "active", "lapsed", "vip"},
  }
  for name, list in pairs(levels) do df[name] = codes[name]:map(function(i) return list[i] end) end
  df.order_date = codes.order_date:map(function(d) return os.date("!%Y-%m-%d", 1577836800 + d * 86400) end):astype("date")
  df = df:select{"row_id", "customer_id", "age", "visits", "items", "tenure_days", "store_id", "campaign_id",
                 "revenue", "discount", "margin", "score", "ctr", "basket_value", "lat", "lon",
                 "region", "channel", "segment", "order_date"}
  df:write_csv(path)
end

local path = common.bench_csv("csv_load", generate)

local times = common.time_read_csv(path, ROWS, 20, options.reps)
collectgarbage()
local read_peak = common.peak_rss_mib()
local df = data.read_csv(path)
local out = path .. ".marketlab.csv"
collectgarbage()
local t0 = torch.clock()
df:write_csv(out)
local write_s = torch.clock() - t0
os.remove(out)
local size = io.open(path, "rb"):seek("end")
common.emit("csv_load", times, {
  { "rows", ROWS }, { "cols", 20 }, { "file_mb", common.round(size / 1e6, 2) },
  { "read_rows_per_s", common.round(ROWS / common.median(times), 0) },
  { "write_s", common.round(write_s, 4) },
  { "read_peak_rss_mib", common.round(read_peak, 1) },
})
