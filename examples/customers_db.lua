-- Keep the customer base in a SQLite database and ask it segment questions: the IBM telco
-- churn file (7,043 customers) written with to_sql, then read back with parameterised
-- queries.
--   scripts/marketlab examples/customers_db.lua
local customers = data.read_csv("examples/data/modeldata-wa_churn.csv")

-- One file in the temporary folder holds the whole table; a real project would keep it
-- next to its reports. to_sql creates the file.
local path = os.tmpname()
os.remove(path)
path = path .. "-customers.db"
local db = "sqlite:" .. path

-- Written in one transaction: a failure leaves no half-written table behind.
local written = customers:to_sql(db, "customers")
print(string.format("%d customers written to %s", written, db))

-- Values go in as parameters (?, :name), never pasted into the SQL: safe with any text.
-- Churn rate and average monthly bill per contract and internet service, for customers
-- who have stayed longer than a year.
local segments = data.read_sql(db, [[
  SELECT contract, internet_service,
         COUNT(*)                         AS customers,
         ROUND(AVG(churn = :churned), 3)  AS churn_rate,
         ROUND(AVG(monthly_charges), 2)   AS avg_monthly
  FROM customers
  WHERE tenure > :min_tenure
  GROUP BY contract, internet_service
  ORDER BY churn_rate DESC]], { churned = "Yes", min_tenure = 12 })
print("\nChurn by segment, tenure above 12 months")
print(segments)

-- The riskiest segment, in detail: who are the month-to-month fibre customers who left?
local leavers = data.read_sql(db, [[
  SELECT payment_method, COUNT(*) AS leavers, ROUND(AVG(tenure), 1) AS avg_tenure
  FROM customers
  WHERE contract = ? AND internet_service = ? AND churn = 'Yes'
  GROUP BY payment_method ORDER BY leavers DESC]], { "Month-to-month", "Fiber optic" })
print("\nMonth-to-month fibre customers who churned, by payment method")
print(leavers)

-- Query results are ordinary frames: keep working on them, or write them back.
segments:to_sql(db, "churn_segments", { if_exists = "replace" })
print(string.format("\nHighest churn: %s / %s at %.1f%%",
  segments.contract:tolist()[1], segments.internet_service:tolist()[1], 100 * segments.churn_rate:tolist()[1]))

os.remove(path)
