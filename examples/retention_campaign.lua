-- Retention campaign: whom to offer a discount, by expected profit rather than by churn risk.
--
--   marketlab examples/retention_campaign.lua [output-prefix]
--   marketlab run examples/retention_campaign.lua --param offer_cost=60 --param save_rate=0.25
--
-- A churn model scores held-out telco customers; each customer's expected profit from the
-- offer is p(churn) x value x save rate - cost, where value is a year of their monthly
-- charges, the save rate the share of would-be churners the offer keeps and the cost what
-- the offer costs per contacted customer. Targeting the customers with the highest
-- expected profit is compared with targeting the highest churn risk and with contacting
-- everyone, on the test customers' real outcomes. Writes <prefix>_targets.csv (the
-- customers worth contacting) and <prefix>_profit.svg (the profit curves); the default
-- prefix is a temporary name.
local p = params{ offer_cost = 40.0, save_rate = 0.3, months = 12 }
local out = arg[1] or os.tmpname()
torch.manual_seed(11)

local df = data.read_csv("examples/data/modeldata-wa_churn.csv")
local ids = {}
for i = 1, #df do ids[i] = string.format("C%05d", i) end
df.customer_id = ids
local train, test = data.train_test_split(df, { test_size = 0.3, seed = 5, stratify = "churn" })

-- The churn model: a logistic regression on the prepared columns (see examples/churn.lua
-- for the full comparison with a neural network).
local prep = data.Pipeline{
  data.SimpleImputer({ "total_charges" }, { strategy = "median" }),
  data.StandardScaler({ "tenure", "monthly_charges", "total_charges" }),
  data.OneHotEncoder({ "contract", "internet_service", "payment_method", "online_security", "tech_support" },
    { handle_unknown = "ignore" }),
}
prep:fit(train)
local features = {}
local prepared = prep:transform(train)
for _, name in ipairs(prepared.columns) do
  local kind = prepared:dtypes()[name]
  if kind ~= "string" and kind ~= "category" then features[#features + 1] = name end
end
local x = prepared:to_tensor(features)
local y = train.churn:eq("Yes"):to_tensor():view(-1, 1)
local model = nn.Linear(#features, 1)
local lbfgs = optim.LBFGS(model:parameters(), { max_iter = 200, line_search_fn = "strong_wolfe" })
local bce = nn.BCEWithLogitsLoss()
lbfgs:step(function()
  lbfgs:zero_grad()
  local loss = bce(model(x), y) + 1e-3 * (model.weight ^ 2):sum()
  loss:backward()
  return loss
end)

-- Expected profit per test customer.
local scored = marketing.score(model, prep, test, { features = features, sort = false, name = "p_churn" })
local risk = scored.p_churn:tolist()
local value = (test.monthly_charges * p.months):tolist()
local churned = test.churn:eq("Yes"):tolist()
local n = #test
local expected, realised = {}, {}
for i = 1, n do
  expected[i] = risk[i] * value[i] * p.save_rate - p.offer_cost
  -- On the real outcome: the offer saves save_rate of the value of a customer who churned.
  realised[i] = (churned[i] and value[i] * p.save_rate or 0) - p.offer_cost
end

-- Cumulative profit when the top k customers of an ordering are contacted.
local function curve(order)
  local cumulative, total = { 0 }, 0
  for k, i in ipairs(order) do
    total = total + realised[i]
    cumulative[k + 1] = total
  end
  return cumulative
end
local function ranked(key)
  local order = {}
  for i = 1, n do order[i] = i end
  table.sort(order, function(a, b) if key[a] ~= key[b] then return key[a] > key[b] end return a < b end)
  return order
end
local by_profit, by_risk = ranked(expected), ranked(risk)
local profit_curve, risk_curve = curve(by_profit), curve(by_risk)

-- The campaign: everyone whose expected profit is positive.
local targets = 0
for _, i in ipairs(by_profit) do if expected[i] > 0 then targets = targets + 1 end end
local function best(c)
  local k_best = 0
  for k = 1, #c do if c[k] > c[k_best + 1] then k_best = k - 1 end end
  return k_best, c[k_best + 1]
end
local k_risk, risk_best = best(risk_curve)
print(string.format("Offer: cost %.0f per customer, keeps %.0f%% of would-be churners; value = %d months of charges.",
  p.offer_cost, 100 * p.save_rate, p.months))
print(string.format("%-36s %9s %14s", "strategy (on " .. n .. " test customers)", "contacted", "profit"))
print(string.format("%-36s %9d %14.0f", "expected profit > 0", targets, profit_curve[targets + 1]))
print(string.format("%-36s %9d %14.0f", "highest churn risk (best cut-off)", k_risk, risk_best))
print(string.format("%-36s %9d %14.0f", "same number by churn risk", targets, risk_curve[targets + 1]))
print(string.format("%-36s %9d %14.0f", "everyone", n, profit_curve[n + 1]))

-- The list for the campaign team, and the profit curves.
local list = {}
for k = 1, targets do list[k] = by_profit[k] end
local customer = test.customer_id:tolist()
local pick = function(values) local t = {} for k, i in ipairs(list) do t[k] = values[i] end return t end
local target_frame = data.frame{
  { "customer_id", pick(customer) }, { "p_churn", pick(risk) }, { "annual_value", pick(value) },
  { "expected_profit", pick(expected) } }
target_frame:write_csv(out .. "_targets.csv")
local share = {}
for k = 0, n do share[k + 1] = 100 * k / n end
local chart = plot.line(share, { profit_curve, risk_curve }, {
  labels = { "ranked by expected profit", "ranked by churn risk" },
  title = "Campaign profit by share of customers contacted",
  x_label = "customers contacted (%)", y_label = "profit on test customers", markers = false })
chart:save(out .. "_profit.svg")
print(string.format("\n%d customers to contact: %s_targets.csv; profit curves: %s_profit.svg", targets, out, out))
assert(profit_curve[targets + 1] > risk_curve[targets + 1], "ranking by expected profit should beat ranking by risk")
