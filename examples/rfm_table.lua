-- Recency, frequency and monetary value per customer from raw transactions, scored 1-5:
-- the CDNOW cohort (23,570 customers, January 1997 – June 1998).
--   scripts/marketlab examples/rfm_table.lua
-- The date column is written YYYYMMDD; the format makes it a real date column.
local tx = data.read_csv("examples/data/lifetimes-CDNOW_master.csv", { date_format = "%Y%m%d" })
print(tx:head(3))

local rfm = tx:sort("date"):groupby("customer_id"):agg({
  date = { "last", "count" },        -- last purchase, number of purchases
  dollar_value = "sum",              -- total spend
})
-- Days from the last purchase to the day after the data ends (a fixed snapshot, never "today").
rfm.recency = rfm.date_last:days_between("1998-07-01")
rfm = rfm:rename({ date_count = "frequency", dollar_value_sum = "monetary" })
         :select({ "customer_id", "recency", "frequency", "monetary" })

-- Scores 1-5, 5 = best: quintiles of recency (recent is good) and spend; most customers
-- bought once, so frequency gets fixed bins instead of quintiles.
rfm.r = 6 - rfm.recency:qcut(5, { labels = false })
rfm.f = rfm.frequency:cut({ 0, 1, 2, 3, 5, rfm.frequency:max() }, { labels = false })
rfm.m = rfm.monetary:qcut(5, { labels = false })
print(rfm:head(5))
print(rfm:describe())

-- Champions: bought recently, often, and a lot.
local champions = rfm:filter(function(row) return row.r >= 4 and row.f >= 4 and row.m >= 4 end)
print(string.format("%d customers; %d bought more than once; %d champions spent %.0f of %.0f dollars",
  #rfm, #rfm:filter(rfm.frequency:gt(1)), #champions, champions.monetary:sum(), rfm.monetary:sum()))
print(rfm:groupby("r"):agg({ monetary = { "count", "mean" }, frequency = { "mean" } }))

local out = os.tmpname()
rfm:write_csv(out)                   -- written atomically, ready for a CRM upload
print("RFM table written to " .. out)
