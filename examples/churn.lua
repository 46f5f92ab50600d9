-- Churn model, end to end: which telco customers are about to leave?
--
--   scripts/marketlab examples/churn.lua [output-dir]
--
-- Reads the 7,043 customers of examples/data/modeldata-wa_churn.csv (checking the columns
-- first, as a scheduled run would), prepares them with a pipeline fitted on the training
-- rows only, trains a logistic-regression baseline and a small neural network (class
-- weights for the 27 % churners, early stopping on a validation split), compares them on
-- held-out customers (AUC, log loss, calibration, decile gains), and writes to the output
-- directory (default: $TMPDIR/marketlab-churn):
--   churn_report.html        the report: ROC, gains, lift, calibration and loss curves
--   churn_report_table*.csv  its tables, for a spreadsheet
--   churn_scores.csv         every customer with churn probability and decile, for the CRM
local dir = arg[1] or ((os.getenv("TMPDIR") or "/tmp") .. "/marketlab-churn")
os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "'")
torch.manual_seed(2024)

-- 1. Data, checked against what this analysis expects: a renamed or retyped column in a
--    new export stops here with one report of every difference.
local df = data.read_csv("examples/data/modeldata-wa_churn.csv", { expect = {
  churn = { type = "category", values = { "Yes", "No" }, missing = false },
  tenure = { type = "integer", min = 0 },
  monthly_charges = { type = "number", min = 0 },
  total_charges = "number",
  contract = "string",
} })
local ids = {}
for i = 1, #df do ids[i] = string.format("C%05d", i) end
df.customer_id = ids                                   -- the file has no id: number the rows
df.tenure_years = df.tenure / 12

-- 2. Train / validation / test: 60 / 20 / 20, each with the overall churn rate.
local train, test = data.train_test_split(df, { test_size = 0.2, seed = 1, stratify = "churn" })
local fit, valid = data.train_test_split(train, { test_size = 0.25, seed = 2, stratify = "churn" })
print(string.format("%d customers, churn rate %.1f%%: %d to fit, %d to validate, %d to test",
  #df, 100 * df.churn:eq("Yes"):mean(), #fit, #valid, #test))

-- 3. Preparation learned on the fitting rows only.
local categorical = { "multiple_lines", "internet_service", "online_security", "online_backup",
  "device_protection", "tech_support", "streaming_tv", "streaming_movies", "contract", "payment_method" }
local prep = data.Pipeline{
  data.SimpleImputer({ "total_charges" }, { strategy = "median" }),   -- 11 brand-new customers
  data.StandardScaler({ "tenure", "tenure_years", "monthly_charges", "total_charges" }),
  data.OneHotEncoder(categorical, { handle_unknown = "ignore" }),
}
prep:fit(fit)
local features = {}
local prepared = prep:transform(fit)
for _, name in ipairs(prepared.columns) do
  local kind = prepared:dtypes()[name]
  if name ~= "churn" and name ~= "customer_id" and kind ~= "string" and kind ~= "category" then
    features[#features + 1] = name
  end
end
local function tensors(frame)
  local x = prep:transform(frame):to_tensor(features)
  return x, frame.churn:eq("Yes"):to_tensor():view(-1, 1)
end
local x_fit, y_fit = tensors(fit)
local x_valid, y_valid = tensors(valid)
local x_test, y_test = tensors(test)
print(#features .. " model inputs after encoding")

-- 4a. Baseline: logistic regression, L2-penalised, fitted to convergence with L-BFGS.
local logistic = nn.Linear(#features, 1)
local lbfgs = optim.LBFGS(logistic:parameters(), { max_iter = 200, line_search_fn = "strong_wolfe" })
local bce = nn.BCEWithLogitsLoss()
lbfgs:step(function()
  lbfgs:zero_grad()
  local loss = bce(logistic(x_fit), y_fit) + 1e-3 * (logistic.weight ^ 2):sum()
  loss:backward()
  return loss
end)

-- 4b. A small network. pos_weight counts each churner as (stayers / churners) customers,
--     so the rare class is not ignored; early stopping keeps the epoch with the best
--     validation loss.
local churners = y_fit:sum():item()
local pos_weight = (#fit - churners) / churners
local mlp = nn.Sequential(
  nn.Linear(#features, 32), nn.ReLU(), nn.Dropout(0.3),
  nn.Linear(32, 16), nn.ReLU(),
  nn.Linear(16, 1))
local optimizer = optim.Adam(mlp:parameters(), { lr = 1e-3, weight_decay = 1e-3 })
local weighted = nn.BCEWithLogitsLoss({ pos_weight = torch.tensor({ pos_weight }) })
local loader = data.DataLoader(data.TensorDataset(x_fit, y_fit), { batch_size = 128, shuffle = true, drop_last = true, seed = 7 })
local history = { train = {}, valid = {} }
local best = { loss = math.huge }
local patience, waited = 15, 0
for epoch in progress(200, { label = "training" }) do
  mlp:train()
  local total, batches = 0, 0
  for xb, yb in loader do
    optimizer:zero_grad()
    local loss = weighted(mlp(xb), yb)
    loss:backward()
    optimizer:step()
    total, batches = total + loss:item(), batches + 1
  end
  mlp:eval()
  local valid_loss = torch.no_grad(function() return weighted(mlp(x_valid), y_valid):item() end)
  history.train[epoch], history.valid[epoch] = total / batches, valid_loss
  if valid_loss < best.loss - 1e-4 then
    best = { loss = valid_loss, epoch = epoch, state = mlp:state_dict() }
    waited = 0
  else
    waited = waited + 1
    if waited >= patience then break end
  end
end
mlp:load_state_dict(best.state)
mlp:eval()
print(string.format("network: best validation loss %.4f at epoch %d of %d", best.loss, best.epoch, #history.train))

-- pos_weight multiplies the odds of churn by pos_weight during training; dividing them
-- back gives probabilities that match the real churn rate (checked below by calibration).
local shift = math.log(pos_weight)
local function probabilities(model, x, corrected)
  return torch.no_grad(function()
    local logits = model(x):view(-1)
    if corrected then logits = logits - shift end
    return logits:sigmoid()
  end)
end

-- 5. Held-out comparison. The model chosen is the better one on validation AUC.
local y = y_test:view(-1)
local candidates = {
  { name = "Logistic regression", model = logistic, corrected = false },
  { name = "Neural network", model = mlp, corrected = true },
}
local rows = {}
for i, c in ipairs(candidates) do
  c.valid_auc = metrics.roc_auc(y_valid:view(-1), probabilities(c.model, x_valid, c.corrected))
  c.scores = probabilities(c.model, x_test, c.corrected)
  rows[i] = { c.name, c.valid_auc, metrics.roc_auc(y, c.scores), metrics.log_loss(y, c.scores), metrics.brier(y, c.scores) }
end
local comparison = data.frame{
  { "model", { rows[1][1], rows[2][1] } },
  { "valid_auc", { rows[1][2], rows[2][2] } },
  { "test_auc", { rows[1][3], rows[2][3] } },
  { "test_log_loss", { rows[1][4], rows[2][4] } },
  { "test_brier", { rows[1][5], rows[2][5] } },
}
print(comparison)
local chosen = candidates[1].valid_auc >= candidates[2].valid_auc and candidates[1] or candidates[2]
local gains = metrics.gains_table(y, chosen.scores, { bins = 10 })
print(gains:select({ "bin", "n", "responders", "rate", "lift", "cum_captured_pct" }))

-- 6. Every customer scored by the chosen model, highest risk first, for the CRM.
local scored = marketing.score(function(x) return probabilities(chosen.model, x, chosen.corrected) end,
  prep, df, { features = features, id = "customer_id", output = "probabilities", name = "churn_probability" })
scored:write_csv(dir .. "/churn_scores.csv")

-- 7. The report.
local labels = { candidates[1].name, candidates[2].name }
local both = { candidates[1].scores, candidates[2].scores }
local top = gains.cum_captured_pct:tolist()
local r = report.new("Churn model: who is about to leave?", {
  subtitle = string.format("Telco customers (n = %d); %d held out for testing", #df, #test) })
r:heading("Summary")
r:text(string.format("The **%s** ranks churners best on validation customers. On the %d test customers it " ..
  "reaches an AUC of **%.3f**; the top 10 %% of its scores hold **%.0f %%** of all churners and the top 30 %% " ..
  "hold **%.0f %%**. Scores are calibrated probabilities: a customer scored 0.6 churns about 6 times in 10.",
  chosen.name, #test, metrics.roc_auc(y, chosen.scores), top[1], top[3]))
r:metric("Test AUC", metrics.roc_auc(y, chosen.scores))
 :metric("Churn rate", y:mean():item(), { format = "percent" })
 :metric("Top-decile lift", gains.lift:tolist()[1])
 :metric("Customers scored", #scored, { format = "integer" })
r:heading("Models compared")
r:table(comparison, { caption = "Validation and test scores of both models" })
r:chart(plot.roc(y, both, { labels = labels, title = "ROC on test customers" }))
r:chart(plot.gains(y, both, { labels = labels, title = "Cumulative gains" }))
r:chart(plot.lift(y, both, { labels = labels, bins = 10, title = "Lift by decile" }))
r:chart(plot.calibration(y, both, { labels = labels, title = "Calibration", strategy = "quantile" }))
r:chart(plot.loss_curve(history, { title = "Network training (weighted log loss)" }))
r:heading("Decile table", 2)
r:table(gains, { caption = "Test customers ranked by churn probability, in ten equal groups" })
r:heading("Highest-risk customers", 2)
r:table(scored:head(20), { caption = "The first rows of churn_scores.csv" })
r:save(dir .. "/churn_report.html")
print(string.format("\n%s: test AUC %.3f. Report: %s\nScores for the CRM: %s",
  chosen.name, metrics.roc_auc(y, chosen.scores), dir .. "/churn_report.html", dir .. "/churn_scores.csv"))
