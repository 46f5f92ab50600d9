-- Charts and a report on the telco churn file: a logistic regression scored on held-out
-- customers, its ROC, gains, lift and calibration charts, and one HTML page to forward.
--   marketlab examples/charts_report.lua [output-prefix]
-- writes <prefix>.html, <prefix>_table1.csv and <prefix>_roc.svg (default: a temporary name).
local out = arg[1] or os.tmpname()
local df = data.read_csv("examples/data/modeldata-wa_churn.csv")
df.churned = df.churn:eq("Yes")
df.month_to_month = df.contract:eq("Month-to-month")
local train, test = data.train_test_split(df, { test_size = 0.3, seed = 7, stratify = "churn" })

-- A logistic regression on four columns, scaled on the training rows.
local prep = data.StandardScaler({ "tenure", "monthly_charges" })
local features = { "tenure", "monthly_charges", "month_to_month", "senior_citizen" }
local X = prep:fit_transform(train):to_tensor(features)
local y = train.churned:to_tensor():view(-1, 1)
torch.manual_seed(7)
local model = nn.Linear(#features, 1)
local optimizer = optim.Adam(model:parameters(), { lr = 0.05 })
local loss_fn = nn.BCEWithLogitsLoss()
local history = {}
for epoch = 1, 60 do
  optimizer:zero_grad()
  local loss = loss_fn(model(X), y)
  loss:backward()
  optimizer:step()
  history[epoch] = loss:item()
end
local scores = model(prep:transform(test):to_tensor(features)):sigmoid():view(-1)

-- Charts: each is an object that saves as SVG or draws itself in the terminal.
local roc = plot.roc(test.churned, scores, { title = "Churn model on held-out customers" })
roc:save(out .. "_roc.svg")
roc:show({ width = 64, height = 14 })
local rates = df:groupby("contract"):agg({ churned = { "mean" } })

local r = report.new("Churn model", { subtitle = "Telco customers, 30% held out for testing" })
r:heading("Summary")
r:text("A logistic regression on **tenure**, **monthly charges**, month-to-month contracts and " ..
       "senior citizenship.\n\n- churn is highest on month-to-month contracts\n- the top decile holds " ..
       "about three times the average churn rate")
r:metric("ROC AUC", metrics.roc_auc(test.churned, scores))
 :metric("Churn rate", test.churned:mean(), { format = "percent" })
 :metric("Test customers", #test, { format = "integer" })
r:chart(plot.bar(rates, { x = "contract", y = "churned_mean", title = "Churn rate by contract", y_label = "churn rate" }))
r:heading("Model quality")
r:chart(roc)
r:chart(plot.gains(test.churned, scores))
r:chart(plot.lift(test.churned, scores, { bins = 10 }))
r:chart(plot.calibration(test.churned, scores))
r:chart(plot.loss_curve(history, { title = "Training loss" }))
r:heading("Churn by contract", 2)
r:table(rates, { caption = "Share of customers who left" })
local paths = r:save(out .. ".html")
print("wrote " .. table.concat(paths, ", "))
