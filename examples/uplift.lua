-- Uplift modelling for a retention offer: who should get it? A churn (response) model
-- targets the customers most likely to leave; an uplift model targets those the offer
-- actually keeps. Compared on held-out customers by the Qini coefficient, the uplift in
-- the top 30 % and the customers truly saved, with a Qini chart and an uplift-by-decile table.
--   marketlab examples/uplift.lua [output-prefix]
-- writes <prefix>_qini.svg (default prefix: a temporary name).
--
-- No public data set records a randomised retention campaign, so this one is simulated on
-- the 7,043 real telco customers (examples/data/modeldata-wa_churn.csv), as stated here:
-- * assignment: each customer is offered the deal with probability 1/2 (torch.manual_seed(2024));
-- * churn without the offer, p_control: a logistic model of the customer's real attributes,
--   with the coefficients a logistic regression finds for the real `churn` column
--   (scripts/gen_metrics_fixtures.py): logit = -2.3079 - 0.0343 tenure + 0.0127 monthly_charges
--   + 0.3404 senior + 0.4238 paperless + 0.4755 e-check + 0.6379 fiber
--   + 0.7997 month-to-month - 0.7966 two-year;
-- * churn with the offer, p_treated, by customer type, first rule that applies:
--   lost causes, tenure under 6 months: unchanged (new customers who leave anyway);
--   sleeping dogs, senior citizens on month-to-month contracts: + 8 points (the call
--   prompts them to look around);
--   persuadables, month-to-month with monthly charges of 70 or more: cut by 60 %;
--   other month-to-month: cut by 20 %; one- and two-year contracts: cut by 5 %;
-- * observed churn: drawn once with the probability of the customer's arm.
local out = arg[1] or os.tmpname()
local df = data.read_csv("examples/data/modeldata-wa_churn.csv")   -- 7,043 customers

local function churn_probabilities(c)
  local logit = -2.3079 - 0.0343 * c.tenure + 0.0127 * c.monthly_charges + 0.3404 * c.senior_citizen
    + 0.4238 * c.paperless_billing + 0.4755 * (c.payment_method == "Electronic check" and 1 or 0)
    + 0.6379 * (c.internet_service == "Fiber optic" and 1 or 0)
    + (c.contract == "Month-to-month" and 0.7997 or c.contract == "Two year" and -0.7966 or 0)
  local p = 1 / (1 + math.exp(-logit))
  local monthly = c.contract == "Month-to-month"
  if c.tenure < 6 then return p, p                                              -- lost causes
  elseif monthly and c.senior_citizen == 1 then return p, math.min(1, p + 0.08)  -- sleeping dogs
  elseif monthly and c.monthly_charges >= 70 then return p, 0.4 * p              -- persuadables
  elseif monthly then return p, 0.8 * p
  else return p, 0.95 * p end
end

local n = #df
local attributes = {}
for _, name in ipairs({ "tenure", "monthly_charges", "senior_citizen", "paperless_billing", "payment_method", "internet_service", "contract" }) do
  attributes[name] = df[name]:tolist()
end
local p_control, p_treated = {}, {}
for i = 1, n do
  local customer = {}
  for name, values in pairs(attributes) do customer[name] = values[i] end
  p_control[i], p_treated[i] = churn_probabilities(customer)
end
torch.manual_seed(2024)
local treated = torch.rand(n):lt(0.5):double()
local p0, p1 = torch.tensor(p_control, { dtype = "float64" }), torch.tensor(p_treated, { dtype = "float64" })
local churned = torch.rand(n):double():lt(torch.where(treated:eq(1), p1, p0)):double()
local simulated = data.from_tensor(torch.stack({ treated, 1 - churned, p0, p1 }, 2), { "treated", "stayed", "p_control", "p_treated" })
for _, name in ipairs(simulated.columns) do df[name] = simulated[name] end
print(string.format("Simulated campaign: %d customers, %.0f %% offered the deal; churn %.1f %% with the offer, %.1f %% without",
  n, 100 * treated:mean():item(), 100 * (churned * treated):sum():item() / treated:sum():item(),
  100 * (churned * (1 - treated)):sum():item() / (1 - treated):sum():item()))

-- Features from the customer file only (never the simulated truth), prepared on the training rows.
local train, test = data.train_test_split(df, { test_size = 0.3, seed = 7 })
local prep = data.Pipeline{
  data.SimpleImputer({ "total_charges" }, { strategy = "median" }),
  data.OneHotEncoder({ "contract", "internet_service", "payment_method" }, { drop = "first", handle_unknown = "ignore" }),
}
local train_x, test_x = prep:fit_transform(train), nil
test_x = prep:transform(test)
local features, simulation = {}, { churn = true, treated = true, stayed = true, p_control = true, p_treated = true }
for _, name in ipairs(prep:feature_names()) do
  local kind = train_x[name].dtype
  if not simulation[name] and kind ~= "string" and kind ~= "category" then features[#features + 1] = name end
end

-- What a team would otherwise do: a churn model on the customers who got the offer,
-- targeting the highest risk. A plain logistic regression in nn, trained with Adam.
local function churn_model(X, y)
  local mean, std = X:mean(1), X:std(1)
  local model = nn.Linear(X:size(2), 1)
  local optimizer = optim.Adam(model:parameters(), { lr = 0.1 })
  local loss_fn = nn.BCEWithLogitsLoss()
  for _ = 1, 100 do
    optimizer:zero_grad()
    local loss = loss_fn(model((X - mean) / std):view(-1), y)
    loss:backward()
    optimizer:step()
  end
  return function(X_new) return torch.no_grad(function() return model((X_new - mean) / std):view(-1):sigmoid() end) end
end
local offered = train_x:filter(train_x.treated:eq(1))
local risk = churn_model(offered:to_tensor(features), 1 - offered.stayed:to_tensor())

-- Uplift models of staying: P(stay | offer) - P(stay | no offer).
local two_model = marketing.uplift_two_model{ X = train_x, columns = features, y = "stayed", treatment = "treated" }
local transformed = marketing.uplift_class_transformation{ X = train_x, columns = features, y = "stayed", treatment = "treated" }
print(two_model)

-- Held-out customers: target the top 30 % by each score.
local stayed, offer = test.stayed, test.treated
local saved_by_offer = test.p_control:to_tensor():double() - test.p_treated:to_tensor():double()   -- the simulated truth
local k = math.floor(0.3 * #test)
local scores = {
  { "churn risk (response model)", risk(test_x:to_tensor(features)) },
  { "uplift: two models", two_model:predict(test_x) },
  { "uplift: class transformation", transformed:predict(test_x) },
}
print(string.format("\nTargeting %d of %d held-out customers (30 %%):", k, #test))
print(string.format("  %-30s %8s %11s %15s", "ranked by", "Qini", "uplift@30%", "customers saved"))
local saved = {}
for i, s in ipairs(scores) do
  local _, top = s[2]:topk(k)
  saved[i] = saved_by_offer:index_select(1, top):sum():item()
  print(string.format("  %-30s %8.3f %11.3f %15.1f", s[1], metrics.qini_auc(stayed, s[2], offer),
    metrics.uplift_at_k(stayed, s[2], offer, { k = 0.3 }), saved[i]))
end
local _, best = saved_by_offer:topk(k)
print(string.format("  %-30s %8s %11s %15.1f", "(the simulated truth)", "", "", saved_by_offer:index_select(1, best):sum():item()))
print(string.format("\nThe two-model uplift keeps %.0f customers with the same %d offers where the churn model keeps %.0f (%.1fx): " ..
  "the riskiest customers are often new ones the offer cannot keep.", saved[2], k, saved[1], saved[2] / saved[1]))

print("\nUplift by decile of the two-model score (stay rates with and without the offer):")
print(marketing.uplift_by_decile(stayed, scores[2][2], offer))

local chart = plot.qini(stayed, { scores[1][2], scores[2][2], scores[3][2] }, offer,
  { labels = { scores[1][1], scores[2][1], scores[3][1] }, title = "Qini curves: customers kept by the retention offer" })
chart:save(out .. "_qini.svg")
print("Qini chart: " .. out .. "_qini.svg")
