-- The metrics namespace against scikit-learn, scikit-uplift and scipy
-- (Tests/fixtures/metrics.lua, written by scripts/gen_metrics_fixtures.py), plus the
-- errors for bad input. The fixture holds recipes and answers; the inputs are rebuilt
-- here: a logistic model's scores on the churn data, and an uplift campaign drawn from a
-- linear congruential generator.
local F = dofile(FIXTURES .. "/metrics.lua")
local spec = dofile(TESTS .. "/lua/support/spec.lua")
local fails = spec.fails
local DATA = TESTS .. "/../examples/data/"

local function close(a, b, tol)
  tol = tol or 1e-10
  if b == math.huge or b == -math.huge then return a == b end
  return type(a) == "number" and math.abs(a - b) <= tol * math.max(1, math.abs(b))
end

local function check(what, got, expected, tol)
  assert(close(got, expected, tol), string.format("%s: expected %.17g, got %s", what, expected, spec.show(got)))
end

local function check_list(what, got, expected, tol)
  assert(#got == #expected, string.format("%s: expected %d values, got %d", what, #expected, #got))
  for i = 1, #expected do check(what .. "[" .. i .. "]", got[i], expected[i], tol) end
end

local function f64(list) return torch.tensor(list, {dtype = "float64"}) end

-- The churn model's scores, computed as the generator computes them.
local churn = data.read_csv(DATA .. "modeldata-wa_churn.csv")
local C = F.churn
local FEATURES = {"tenure", "monthly_charges", "senior_citizen", "paperless_billing",
                  "month_to_month", "two_year", "fiber_optic", "electronic_check"}
local function indicator(column, value)
  local out = {}
  for i, v in ipairs(churn[column]:tolist()) do out[i] = v == value and 1.0 or 0.0 end
  return out
end
local x = {
  tenure = churn.tenure:tolist(), monthly_charges = churn.monthly_charges:tolist(),
  senior_citizen = churn.senior_citizen:tolist(), paperless_billing = churn.paperless_billing:tolist(),
  month_to_month = indicator("contract", "Month-to-month"), two_year = indicator("contract", "Two year"),
  fiber_optic = indicator("internet_service", "Fiber optic"), electronic_check = indicator("payment_method", "Electronic check"),
}
local z, p, w = {}, {}, {}
for i = 1, #churn do
  local v = C.intercept
  for _, name in ipairs(FEATURES) do v = v + C.weights[name] * x[name][i] end
  z[i] = v
  p[i] = 1 / (1 + math.exp(-v))
  w[i] = 1 + i % 3
end
local Z, P, W = f64(z), f64(p), f64(w)
local Y = churn.churn:eq("Yes"):to_tensor({dtype = "int64"})
local YES = {positive = "Yes"}

-- Checks a curve Frame against a sampled reference {rows, sums, positions, points}.
local function check_curve(what, frame, ref, tol)
  assert(#frame == ref.rows, string.format("%s: expected %d points, got %d", what, ref.rows, #frame))
  for name, sum in pairs(ref.sums) do
    local values, total = frame[name]:tolist(), 0
    for i = 1, #values do if values[i] ~= math.huge then total = total + values[i] end end
    check(what .. " sum of " .. name, total, sum, tol or 1e-9)
    for k, position in ipairs(ref.positions) do
      check(what .. " " .. name .. " at " .. position, values[position], ref.points[name][k], tol)
    end
  end
end

test("churn model: ROC AUC, average precision and KS equal scikit-learn and scipy", function()
  assert(C.rows == #churn and C.positives == Y:sum():item())
  for _, case in ipairs({{"probability", P}, {"logit", Z}}) do
    local name, scores = case[1], case[2]
    local ref = C[name]
    check(name .. " roc_auc (text labels)", metrics.roc_auc(churn.churn, scores, YES), ref.roc_auc)
    check(name .. " roc_auc (int64 labels)", metrics.roc_auc(Y, scores), ref.roc_auc)
    check(name .. " average_precision", metrics.average_precision(churn.churn, scores, YES), ref.average_precision)
    local ks, at = metrics.ks(Y, scores)
    check(name .. " ks", ks, ref.ks)
    assert(type(at) == "number" and at > -math.huge and at < math.huge)
  end
end)

test("churn model: ROC and PR curves equal scikit-learn's (length, sums, every 97th point)", function()
  check_curve("roc probability", metrics.roc_curve(Y, P), C.probability.roc_curve)
  check_curve("roc logit", metrics.roc_curve(churn.churn, Z, YES), C.logit.roc_curve)
  check_curve("pr probability", metrics.pr_curve(Y, P), C.probability.pr_curve)
  check_curve("pr logit", metrics.pr_curve(Y, Z), C.logit.pr_curve)
  local roc = metrics.roc_curve(Y, P)
  assert(roc.columns[1] == "fpr" and roc.columns[2] == "tpr" and roc.columns[3] == "threshold")
  assert(roc.threshold:tolist()[1] == math.huge and roc.fpr:tolist()[1] == 0 and roc.tpr:tolist()[#roc] == 1)
end)

test("sample_weight: ROC AUC, average precision, curves, log loss, Brier, accuracy and F1", function()
  local o = {sample_weight = W}
  check("weighted roc_auc", metrics.roc_auc(Y, P, o), C.weighted.roc_auc)
  check("weighted average_precision", metrics.average_precision(Y, P, o), C.weighted.average_precision)
  check_curve("weighted roc", metrics.roc_curve(Y, P, o), C.weighted.roc_curve)
  check_curve("weighted pr", metrics.pr_curve(Y, P, o), C.weighted.pr_curve)
  check("weighted log_loss", metrics.log_loss(Y, P, o), C.log_loss_weighted)
  check("weighted brier", metrics.brier(Y, P, o), C.brier_weighted)
  for _, t in ipairs(C.thresholds) do
    check("weighted accuracy", metrics.accuracy(Y, P, {threshold = t.threshold, sample_weight = W}), t.accuracy_weighted)
    check("unit weights", metrics.f1(Y, P, {threshold = t.threshold, sample_weight = torch.ones(#churn)}), t.f1)
    check("weighted f1 (weights as a list)", metrics.f1(Y, P, {threshold = t.threshold, sample_weight = w}), t.f1_weighted)
  end
end)

test("churn model: log loss, Brier score and calibration curves equal scikit-learn", function()
  check("log_loss", metrics.log_loss(churn.churn, P, YES), C.log_loss)
  check("brier", metrics.brier(Y, P), C.brier)
  for _, ref in ipairs(C.calibration) do
    local curve = metrics.calibration_curve(Y, P, {n_bins = ref.n_bins, strategy = ref.strategy})
    local what = ref.strategy .. " " .. ref.n_bins
    check_list(what .. " prob_true", curve.prob_true:tolist(), ref.prob_true, 1e-12)
    check_list(what .. " prob_pred", curve.prob_pred:tolist(), ref.prob_pred, 1e-12)
    local n = 0
    for _, c in ipairs(curve.n:tolist()) do n = n + c end
    assert(n == #churn and curve.n.dtype == "integer", what .. ": bin counts add up to the rows")
  end
end)

test("gains_table equals the decile table by definition (stable order, array_split bins)", function()
  for _, case in ipairs({{P, 10, C.gains10}, {Z, 7, C.gains7}}) do
    local table_ = metrics.gains_table(churn.churn, case[1], {bins = case[2], positive = "Yes"})
    assert(#table_ == case[2])
    for name, _ in pairs(case[3][1]) do
      local values = table_[name]:tolist()
      for b, row in ipairs(case[3]) do check(string.format("gains %d %s bin %d", case[2], name, b), values[b], row[name], 1e-12) end
    end
  end
  local g = metrics.gains_table(Y, P)
  assert(#g == 10 and g.bin.dtype == "integer" and g.responders.dtype == "integer")
end)

test("labels from thresholds: accuracy, precision, recall, F1 and the confusion matrix", function()
  for _, t in ipairs(C.thresholds) do
    local o = {threshold = t.threshold}
    check("accuracy", metrics.accuracy(Y, P, o), t.accuracy)
    check("precision", metrics.precision(churn.churn, P, {threshold = t.threshold, positive = "Yes"}), t.precision)
    check("recall", metrics.recall(Y, P, o), t.recall)
    check("f1", metrics.f1(Y, P, o), t.f1)
    check("f1 macro", metrics.f1(Y, P, {threshold = t.threshold, average = "macro"}), t.f1_macro)
    local cm = metrics.confusion_matrix(Y, P, o)
    assert(spec.dtype_of(cm) == "int64")
    check_list("confusion", spec.flatten(cm:tolist()), t.confusion, 0)
    local labels = P:ge(t.threshold)
    check("f1 of bool predictions", metrics.f1(Y, labels), t.f1)
  end
  -- Probabilities without a threshold are cut at 0.5.
  check("default threshold", metrics.accuracy(Y, P), C.thresholds[1].accuracy)
end)

test("regression: MSE, MAE and R² equal scikit-learn on total_charges vs tenure x monthly_charges", function()
  local R = F.regression
  local rows = churn:dropna()
  assert(#rows == R.rows)
  local estimate = {}
  local tenure, monthly = rows.tenure:tolist(), rows.monthly_charges:tolist()
  local weights = {}
  local kept = 0
  for i = 1, #rows do estimate[i] = tenure[i] * monthly[i] end
  -- the weights of the rows that have a total (1 + original row % 3)
  local totals = churn.total_charges:tolist()
  for i = 1, #churn do if totals[i] ~= nil then kept = kept + 1; weights[kept] = 1 + i % 3 end end
  local truth, guess = rows.total_charges, f64(estimate)
  check("mse", metrics.mse(truth, guess), R.mse, 1e-9)
  check("mae", metrics.mae(truth, guess), R.mae, 1e-9)
  check("r2", metrics.r2(truth, guess), R.r2, 1e-9)
  check("weighted mse", metrics.mse(truth, guess, {sample_weight = weights}), R.mse_weighted, 1e-9)
  check("weighted mae", metrics.mae(truth, guess, {sample_weight = weights}), R.mae_weighted, 1e-9)
  check("weighted r2", metrics.r2(truth, guess, {sample_weight = weights}), R.r2_weighted, 1e-9)
  -- scikit-learn's force_finite conventions.
  assert(metrics.r2({2, 2, 2}, {2, 2, 2}) == 1 and metrics.r2({2, 2, 2}, {1, 2, 3}) == 0)
  local one = metrics.r2({2}, {3})
  assert(one ~= one, "R² of one row is NaN")
  check("mse of [n, 1] tensors", metrics.mse(f64({3, -0.5, 2, 7}):reshape(4, 1), f64({2.5, 0, 2, 8})), 0.375)
end)

test("small cases written out whole: ties, all-equal scores, perfect separation, -0.0", function()
  for name, case in pairs(F.small) do
    local y, s = torch.tensor(case.y), f64(case.score)
    check(name .. " roc_auc", metrics.roc_auc(y, s), case.roc_auc, 1e-15)
    check(name .. " average_precision", metrics.average_precision(y, s), case.average_precision, 1e-15)
    check(name .. " ks", (metrics.ks(y, s)), case.ks, 1e-15)
    for _, curve in ipairs({{"roc_curve", metrics.roc_curve(y, s)}, {"roc_curve_all", metrics.roc_curve(y, s, {drop_intermediate = false})},
                            {"pr_curve", metrics.pr_curve(y, s)}, {"pr_curve_dropped", metrics.pr_curve(y, s, {drop_intermediate = true})},
                            {"weighted_roc_curve", metrics.roc_curve(y, s, {sample_weight = case.weights})}}) do
      for column, expected in pairs(case[curve[1]]) do
        check_list(name .. " " .. curve[1] .. " " .. column, curve[2][column]:tolist(), expected, 1e-15)
      end
    end
    check(name .. " weighted roc_auc", metrics.roc_auc(y, s, {sample_weight = case.weights}), case.weighted_roc_auc, 1e-15)
    check(name .. " weighted average_precision", metrics.average_precision(y, s, {sample_weight = f64(case.weights)}), case.weighted_average_precision, 1e-15)
    local g = metrics.gains_table(y, s, {bins = 3})
    for column, _ in pairs(case.gains3[1]) do
      for b, row in ipairs(case.gains3) do check(name .. " gains " .. column, g[column]:tolist()[b], row[column], 1e-15) end
    end
  end
end)

test("ks: the threshold where the gap is largest (the highest when several tie)", function()
  local ks, at = metrics.ks({0, 0, 1, 1, 1}, f64({-2, -1, 0.5, 3, 7}))
  assert(ks == 1 and at == 0.5, spec.show(ks) .. " at " .. spec.show(at))
  ks, at = metrics.ks({1, 0, 1, 0}, f64({0.9, 0.8, 0.7, 0.6}))
  assert(close(ks, 0.5, 1e-15) and at == 0.9, spec.show(ks) .. " at " .. spec.show(at))
end)

test("multi-class: accuracy, macro/micro/weighted averages, confusion matrix, log loss, Brier, one-vs-rest AUC", function()
  local M = F.multiclass
  local y, pred = torch.tensor(M.y), torch.tensor(M.pred)
  local prob = f64(M.prob):reshape(#M.y, 4)
  check("accuracy", metrics.accuracy(y, pred), M.accuracy)
  check("accuracy of argmax", metrics.accuracy(y, prob), M.argmax_accuracy)
  for _, ref in ipairs(M.averages) do
    local o = {average = ref.average}
    check(ref.average .. " precision", metrics.precision(y, pred, o), ref.precision)
    check(ref.average .. " recall", metrics.recall(y, pred, o), ref.recall)
    check(ref.average .. " f1", metrics.f1(y, pred, o), ref.f1)
  end
  local cm, classes = metrics.confusion_matrix(y, pred)
  check_list("confusion", spec.flatten(cm:tolist()), M.confusion, 0)
  assert(#classes == 4 and classes[1] == 1 and classes[4] == 4)
  check("log_loss", metrics.log_loss(y, prob), M.log_loss)
  check("brier", metrics.brier(y, prob), M.brier)
  check("roc_auc ovr macro", metrics.roc_auc(y, prob), M.roc_auc_macro)
  check("roc_auc ovr weighted", metrics.roc_auc(y, prob, {average = "weighted"}), M.roc_auc_weighted)
end)

-- The uplift campaign, drawn as the generator draws it.
local function campaign(n, seed)
  local state = seed
  local function draw()
    state = (1103515245 * state + 12345) % 2147483648
    return state >> 16
  end
  local y, u, t = {}, {}, {}
  for i = 1, n do
    local x = draw() % 100
    local treated = draw() % 2
    local response = draw() % 10000
    local noise = draw() % 40
    y[i] = response < 2000 + treated * (x - 30) * 25 and 1 or 0
    t[i] = treated
    u[i] = (x + noise) / 100
  end
  return torch.tensor(y), f64(u), torch.tensor(t)
end

test("uplift: Qini and uplift curves, AUUC, Qini AUC and uplift_at_k equal scikit-uplift", function()
  local U = F.uplift
  local y, u, t = campaign(U.n, U.seed)
  assert(y:sum():item() == U.responders and t:sum():item() == U.treated, "the campaign is drawn as the generator draws it")
  check_curve("qini", metrics.qini_curve(y, u, t), U.qini_curve)
  check_curve("uplift", metrics.uplift_curve(y, u, t), U.uplift_curve)
  check("auuc", metrics.auuc(y, u, t), U.auuc)
  check("qini_auc", metrics.qini_auc(y, u, t), U.qini_auc)
  check("qini_auc without negative effect", metrics.qini_auc(y, u, t, {negative_effect = false}), U.qini_auc_no_negative)
  for _, ref in ipairs(U.at_k) do
    check("uplift_at_k " .. ref.strategy .. " " .. ref.k, metrics.uplift_at_k(y, u, t, {strategy = ref.strategy, k = ref.k}), ref.value)
  end
  check("uplift_at_k defaults (overall, 0.3)", metrics.uplift_at_k(y, u, t), U.at_k[1].value)
  local q = metrics.qini_curve(y, u, t)
  assert(q.columns[1] == "n" and q.columns[2] == "fraction" and q.columns[3] == "qini" and q.n.dtype == "integer")
  assert(q.fraction:tolist()[#q] == 1)
end)

test("uplift: a small case with ties written out whole", function()
  local S = F.small_uplift
  local y, u, t = torch.tensor(S.y), f64(S.uplift), torch.tensor(S.treatment)
  local q, c = metrics.qini_curve(y, u, t), metrics.uplift_curve(y, u, t)
  check_list("qini n", q.n:tolist(), S.qini_n, 0)
  check_list("qini", q.qini:tolist(), S.qini, 1e-15)
  check_list("uplift n", c.n:tolist(), S.uplift_n, 0)
  check_list("uplift", c.uplift:tolist(), S.uplift_values, 1e-15)
  check("auuc", metrics.auuc(y, u, t), S.auuc, 1e-15)
  check("qini_auc", metrics.qini_auc(y, u, t), S.qini_auc, 1e-15)
  check("at k", metrics.uplift_at_k(y, u, t, {k = 0.5}), S.at_half, 1e-15)
  check("at k by group", metrics.uplift_at_k(y, u, t, {k = 0.5, strategy = "by_group"}), S.at_half_by_group, 1e-15)
end)

test("inputs: Columns, [n, 1] and 1-D tensors of any dtype, bools and Lua lists agree", function()
  local ref = F.small.ties
  local expected = ref.roc_auc
  local frame = data.from_tensor(torch.stack({f64(ref.y), f64(ref.score)}, 2), {"y", "score"})
  check("columns", metrics.roc_auc(frame.y, frame.score), expected, 1e-15)
  check("[n, 1]", metrics.roc_auc(torch.tensor(ref.y):reshape(10, 1), f64(ref.score):reshape(10, 1)), expected, 1e-15)
  check("bool labels", metrics.roc_auc(torch.tensor(ref.y):bool(), f64(ref.score)), expected, 1e-15)
  check("float32 labels", metrics.roc_auc(torch.tensor(ref.y):float(), f64(ref.score)), expected, 1e-15)
  check("Lua lists", metrics.roc_auc(ref.y, ref.score), expected, 1e-15)
  check("bool column", metrics.roc_auc(frame.y:eq(1), frame.score), expected, 1e-15)
  check("numeric positive", metrics.roc_auc(f64(ref.y) + 1, f64(ref.score), {positive = 2}), expected, 1e-15)
  check("non-contiguous", metrics.roc_auc(torch.stack({f64(ref.y), f64(ref.y)}, 2):select(2, 1), f64(ref.score)), expected, 1e-15)
  check("float32 scores", metrics.roc_auc({0, 1, 1}, torch.tensor({0.1, 0.7, 0.7})), 1, 0)
end)

-- Bad input: each a Lua error naming the function, the argument, what was expected and given.
local y, s = torch.tensor({0, 1, 1, 0}), torch.tensor({0.1, 0.9, 0.8, 0.3})

test("bad input: one class only: AUC, curves and average precision refuse it, as scikit-learn does", function()
  fails(function() metrics.roc_auc(torch.tensor({1, 1, 1}), torch.tensor({0.1, 0.2, 0.3})) end,
        "metrics.roc_auc: y_true holds one class only (every label is 1); ROC AUC needs both positives and negatives")
  fails(function() metrics.roc_curve({0, 0}, {0.1, 0.2}) end, "metrics.roc_curve: y_true holds one class only")
  fails(function() metrics.average_precision({0, 0}, {0.1, 0.2}) end, "one class only")
end)

test("bad input: lengths, emptiness and shapes", function()
  fails(function() metrics.roc_auc(y, torch.tensor({0.1, 0.2, 0.3})) end,
        "metrics.roc_auc: y_true has 4 rows but y_score has 3; they must have the same length")
  fails(function() metrics.uplift_at_k(y, s, torch.tensor({1, 0, 1})) end, "metrics.uplift_at_k: y_true has 4 rows but treatment has 3")
  fails(function() metrics.roc_auc(torch.tensor({}), torch.tensor({})) end, "metrics.roc_auc: the inputs are empty (0 rows)")
  fails(function() metrics.mse({}, {}) end, "metrics.mse: the inputs are empty (0 rows)")
  fails(function() metrics.average_precision(y, torch.rand(4, 2)) end,
        "metrics.average_precision: bad argument #2 (y_score): expected a 1-D tensor or a tensor of shape [n, 1], got a float32 tensor of shape [4, 2]")
  fails(function() metrics.roc_auc(y, f64({0.5, 0.5, 0.2, 0.8, 0.1, 0.9, 0.7, 0.3}):reshape(4, 2)) end,
        "metrics.roc_auc: y_true holds 0 at row 1, but y_score has 2 columns for the 1-based classes 1..2; for 0/1 labels give the probability of label 1 as a 1-D tensor (e.g. y_score:select(2, 2))")
  fails(function() metrics.roc_auc(y, s, {sample_weight = {1, 1}}) end, "metrics.roc_auc: y_true has 4 rows but sample_weight has 2")
end)

test("bad input: values: NaN, infinities, probabilities outside [0, 1], rows not summing to 1", function()
  fails(function() metrics.roc_auc(y, torch.tensor({0.1, 0 / 0, 0.8, 0.3})) end,
        "metrics.roc_auc: bad argument #2 (y_score): expected finite numbers, got NaN at row 2")
  fails(function() metrics.gains_table(y, torch.tensor({0.1, math.huge, 0.8, 0.3})) end, "bad argument #2 (y_score): expected finite numbers, got inf at row 2")
  fails(function() metrics.log_loss(y, torch.tensor({0.1, 1.5, 0.8, 0.3})) end,
        "metrics.log_loss: bad argument #2 (y_prob): expected probabilities in [0, 1] (apply F.sigmoid or F.softmax to scores), got 1.5 at row 2")
  fails(function() metrics.brier(y, torch.tensor({-0.1, 0.5, 0.8, 0.3})) end, "metrics.brier: bad argument #2 (y_prob): expected probabilities in [0, 1]")
  fails(function() metrics.calibration_curve(y, torch.tensor({0.1, 2, 0.8, 0.3})) end, "metrics.calibration_curve: bad argument #2 (y_prob): expected probabilities in [0, 1]")
  fails(function() metrics.log_loss(torch.tensor({1, 2}), f64({0.2, 0.5, 0.3, 0.3, 0.3, 0.3}):reshape(2, 3)) end,
        "metrics.log_loss: bad argument #2 (y_prob): expected rows of probabilities that sum to 1 (apply F.softmax(scores, 2)), got row 2 summing to 0.9")
  fails(function() metrics.accuracy(y, torch.tensor({-1.5, 2.5, 0.3, 0.2})) end,
        "metrics.accuracy: bad argument #2 (y_pred): expected labels, or probabilities in [0, 1] (give {threshold = ...} for other scores), got -1.5 at row 1")
  fails(function() metrics.log_loss(torch.tensor({0, 3}), f64({0.2, 0.5, 0.3, 0.3, 0.3, 0.4}):reshape(2, 3)) end,
        "metrics.log_loss: y_true holds 0 at row 1, but y_prob has 3 columns for the 1-based classes 1..3")
end)

test("bad input: labels: text without positive, a positive that never occurs, missing values, non-0/1 labels, several classes without an average", function()
  fails(function() metrics.roc_auc(churn.churn, Z) end,
        "metrics.roc_auc: bad argument #1 (y_true): expected 0/1 labels, got a category column 'churn' holding text ('No', 'Yes'); say which value is positive: {positive = \"No\"}")
  fails(function() metrics.roc_auc(churn.churn, Z, {positive = "yes"}) end, "metrics.roc_auc: positive = 'yes' does not occur in y_true (values: No, Yes)")
  fails(function() metrics.roc_auc(churn.total_charges, Z) end, "bad argument #1 (y_true): expected no missing values, got a missing value at row 489")
  fails(function() metrics.roc_auc(torch.tensor({0, 1, 2}), torch.tensor({0.1, 0.2, 0.3})) end,
        "metrics.roc_auc: bad argument #1 (y_true): expected 0/1 labels (bools, or numbers that are 0 or 1; {positive = ...} picks a class), got 2 at row 3")
  fails(function() metrics.f1(torch.tensor({1, 2, 3}), torch.tensor({1, 2, 2})) end,
        "metrics.f1: the labels are not 0/1 (classes 1, 2, 3); give {average = \"macro\"}, \"micro\" or \"weighted\" for several classes")
end)

test("bad input: uplift: treatment not 0/1, one group, k out of range, an empty group in the top k", function()
  fails(function() metrics.qini_curve(y, s, torch.tensor({1, 1, 1, 1})) end,
        "metrics.qini_curve: treatment holds one group only (every row is treated, 1); uplift needs treated and control rows")
  fails(function() metrics.auuc(churn.churn, Z, churn.contract) end, "metrics.auuc: bad argument #3 (treatment): expected 0/1 (or bool) treatment flags, got a text column")
  fails(function() metrics.uplift_at_k(y, s, torch.tensor({1, 0, 1, 0}), {k = 4}) end, "metrics.uplift_at_k: k = 4 must be between 1 and 3")
  fails(function() metrics.uplift_at_k(y, s, torch.tensor({1, 0, 1, 0}), {k = 1.0}) end, "metrics.uplift_at_k: k = 1.0 must be a fraction in (0, 1)")
  fails(function() metrics.uplift_at_k(y, s, torch.tensor({1, 0, 1, 0}), {k = 1}) end, "metrics.uplift_at_k: the top k rows hold no treated rows, so the treated response rate is undefined; raise k")
  fails(function() metrics.uplift_at_k(y, s, torch.tensor({1, 0, 1, 0}), {strategy = "group"}) end, "option 'strategy' must be one of \"overall\", \"by_group\", got 'group'")
  fails(function() metrics.auuc(y, s, torch.tensor({0, 1, 2, 1})) end,
        "metrics.auuc: bad argument #3 (treatment): expected 0/1 labels (bools, or numbers that are 0 or 1; {positive = ...} picks a class), got 2 at row 3")
end)

test("bad input: options: unknown names, bad choices, bad weights, bins larger than the rows", function()
  fails(function() metrics.roc_auc(y, "scores") end, "metrics.roc_auc: bad argument #2 (y_score): expected a tensor, a Column or a list of numbers, got string 'scores'")
  fails(function() metrics.gains_table(y, s, {bins = 5}) end, "metrics.gains_table: bins (5) is larger than the number of rows (4)")
  fails(function() metrics.gains_table(torch.tensor({0, 0}), torch.tensor({0.1, 0.2}), {bins = 2}) end, "metrics.gains_table: y has no responders")
  fails(function() metrics.f1(y, s, {average = "macr"}) end, "metrics.f1: option 'average' must be one of \"binary\", \"macro\", \"micro\", \"weighted\", got 'macr' (did you mean 'macro'?)")
  fails(function() metrics.roc_auc(y, s, {sample_weight = {1, -1, 1, 1}}) end, "metrics.roc_auc: bad argument #3 (sample_weight): expected non-negative weights, got -1 at row 2")
  fails(function() metrics.calibration_curve(y, s, {strategy = "quantiles"}) end, "did you mean 'quantile'?")
  fails(function() metrics.roc_auc(y, s, {postive = "Yes"}) end, "metrics.roc_auc: unknown option 'postive' (did you mean 'positive'?)")
end)
