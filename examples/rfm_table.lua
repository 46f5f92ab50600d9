-- Recency, frequency and monetary value per customer from raw transactions: the CDNOW
-- cohort (23,570 customers, January 1997 – June 1998).
--   scripts/marketlab examples/rfm_table.lua
local tx = data.read_csv("examples/data/lifetimes-CDNOW_master.csv")
print(tx:head(3))

-- Dates come as YYYYMMDD integers; turn them into day numbers to measure recency.
local function day_number(yyyymmdd)
  return os.time({ year = yyyymmdd // 10000, month = yyyymmdd // 100 % 100, day = yyyymmdd % 100, hour = 12 }) // 86400
end
tx.day = tx.date:map(day_number)
local snapshot = day_number(19980701)   -- the day after the data ends: never "today"

local rfm = tx:groupby("customer_id"):agg({
  day = "max",                       -- last purchase
  date = "count",                    -- number of purchases
  dollar_value = "sum",              -- total spend
})
rfm.recency = rfm.day_max:map(function(last) return snapshot - last end)
rfm = rfm:rename({ date_count = "frequency", dollar_value_sum = "monetary" }):select({ "customer_id", "recency", "frequency", "monetary" })

print(rfm:head(5))
print(rfm:describe())
print(string.format("%d customers; %d bought more than once; top spender %.2f",
  #rfm, #rfm:filter(rfm.frequency:gt(1)), rfm.monetary:max()))

local out = os.tmpname()
rfm:write_csv(out)                   -- written atomically, ready for a CRM upload
print("RFM table written to " .. out)
