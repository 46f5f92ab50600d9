-- csv_text: data.read_csv of a text-heavy 1,000,000-row CSV as a CRM exports it
-- (zero-padded ids, unique e-mail addresses, quoted "Last, First" names, 500 cities, 4
-- plans, amounts, ISO dates, notes mostly empty and sometimes quoted with doubled
-- quotes), timed --reps times. The twin bench/csv_text.py writes the file first
-- (scripts/bench runs it before this one) so both read the same bytes; without it this
-- script writes a file of the same shape itself.
--   marketlab bench/csv_text.lua [--reps R] [--threads N]
package.path = (arg[0]:match("^(.*/)") or "./") .. "?.lua;" .. package.path
local common = require("_common")

local options = common.parse_args("csv_text")
local ROWS = 1000000

-- The same columns as the twin (other random draws).
local function generate(path)
  torch.manual_seed(common.SEED)
  local city = torch.randint(0, 500, { ROWS }):tolist()
  local plan = torch.randint(1, 5, { ROWS }):tolist()
  local amount = (torch.rand(ROWS, { dtype = "float64" }) * 160):tolist()
  local day = torch.randint(0, 2000, { ROWS }):tolist()
  local noted = torch.rand(ROWS):lt(0.1):tolist()
  local plans = { "basic", "plus", "pro", "enterprise" }
  local out = assert(io.open(path, "w"))
  out:write("customer_id,email,name,city,plan,amount,signup,note\n")
  local lines = {}
  for k = 0, ROWS - 1 do
    lines[#lines + 1] = string.format("%08d,user%d@example%d.com,\"Last%d, First%d\",City %d,%s,%.2f,%s,%s\n",
      k, k, k % 97, k % 5000, k % 311, city[k + 1], plans[plan[k + 1]], amount[k + 1],
      os.date("!%Y-%m-%d", 1546300800 + day[k + 1] * 86400), noted[k + 1] and "\"said \"\"call me\"\", twice\"" or "")
    if #lines == 10000 then out:write(table.concat(lines)); lines = {} end
  end
  out:write(table.concat(lines))
  out:close()
end

local path = common.bench_csv("csv_text", generate)

local times = common.time_read_csv(path, ROWS, 8, options.reps)
collectgarbage()
local size = io.open(path, "rb"):seek("end")
common.emit("csv_text", times, {
  { "rows", ROWS }, { "cols", 8 }, { "file_mb", common.round(size / 1e6, 2) },
  { "read_rows_per_s", common.round(ROWS / common.median(times), 0) },
  { "read_peak_rss_mib", common.round(common.peak_rss_mib(), 1) },
})
